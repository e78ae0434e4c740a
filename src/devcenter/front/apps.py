from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "devcenter.front"
    label = "front"
    verbose_name = "Front door"
