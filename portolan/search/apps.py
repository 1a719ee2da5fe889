from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "portolan.search"
    label = "search"
