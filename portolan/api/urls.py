"""Mounted at /api/ without a language prefix (config/urls.py)."""

from django.urls import include, path, re_path

from .api import api
from .gateway import gateway, index, not_found, wrap_patterns

ninja_patterns, ninja_app, ninja_namespace = api.urls

urlpatterns = [
    path("", gateway(index), name="api-index"),
    path("v1/", gateway(index), name="api-index-v1"),
    path("", include((wrap_patterns(ninja_patterns), ninja_app), namespace=ninja_namespace)),
    # Anything else under /api/ answers in JSON too, not with the site's HTML 404 page.
    re_path(r"^.*$", gateway(not_found), name="api-not-found"),
]
