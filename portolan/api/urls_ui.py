"""Mounted at /<lang>/account/tokens/ (config/urls.py)."""

from django.urls import path

from . import views_ui

app_name = "api_ui"
urlpatterns = [
    path("", views_ui.token_list, name="tokens"),
    path("<int:token_id>/revoke/", views_ui.token_revoke, name="revoke"),
]
