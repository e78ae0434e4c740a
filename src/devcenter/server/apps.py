from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "devcenter.server"
    label = "server"
    verbose_name = "Server"
