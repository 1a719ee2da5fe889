from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "portolan.places"
    label = "places"
