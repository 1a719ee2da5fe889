from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "portolan.catalogue"
    label = "catalogue"
