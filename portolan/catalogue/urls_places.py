from django.urls import path

from . import views_places as views

# The "places" namespace is kept: these are the port city pages, whoever renders them.
app_name = "places"
urlpatterns = [
    path("", views.port_city_list, name="list"),
    path("<slug:slug>/", views.port_city_detail, name="detail"),
]
