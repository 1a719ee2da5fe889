from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class SearchConfig(AppConfig):
    name = "portolan.search"
    label = "search"

    def ready(self) -> None:
        from portolan.core import registry

        from . import signals

        # The record apps register their types in their own ready(), which Django runs in
        # INSTALLED_APPS order: listed before them, search would watch nothing, silently.
        if not registry.searchable():
            raise ImproperlyConfigured(
                "No searchable record type is registered: list portolan.search after the "
                "record apps (portolan.catalogue, ...) in INSTALLED_APPS."
            )
        signals.connect()
