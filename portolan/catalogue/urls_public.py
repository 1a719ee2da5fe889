from django.urls import path

from . import views_public

urlpatterns = [
    path("", views_public.index, name="index"),
    path("port-centers/<slug:slug>/", views_public.port_center_detail, name="port_center"),
    path("initiatives/<slug:slug>/", views_public.initiative_detail, name="initiative"),
    path("organisations/<slug:slug>/", views_public.organisation_detail, name="organisation"),
]
