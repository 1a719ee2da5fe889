from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "portolan.opendata"
    label = "opendata"
