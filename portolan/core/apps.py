from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portolan.core"
    label = "core"
