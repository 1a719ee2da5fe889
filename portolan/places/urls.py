from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.port_city_list, name="list"),
    path("<slug:slug>/", views.port_city_detail, name="detail"),
]
