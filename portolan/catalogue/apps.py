from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "portolan.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from . import records

        records.register_all()
