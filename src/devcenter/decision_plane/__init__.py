"""The decision plane: a lean ASGI app answering policy questions from memory.

It serves `/api/v1/health`, `/api/v1/policy` and `/api/v1/decisions` without Django's request
cycle and hands every other request to Django, in the same server process and port.
"""
