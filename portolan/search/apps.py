from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "portolan.search"
    label = "search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
