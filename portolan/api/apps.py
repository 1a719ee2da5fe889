from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portolan.api"
    label = "api"
