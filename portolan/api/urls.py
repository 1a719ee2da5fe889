"""Mounted at /api/ without a language prefix (config/urls.py)."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import include, path, re_path

from .api import api
from .gateway import gateway, index, not_found, wrap_patterns

ninja_patterns, ninja_app, ninja_namespace = api.urls


def strip_trailing_slash(request: HttpRequest, rest: str) -> HttpResponsePermanentRedirect:
    """`/api/v1/initiatives/` is a common client habit: send it to the canonical address
    (308 keeps the method and body, unlike 301)."""
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect(f"/api/v1/{rest}" + (f"?{query}" if query else ""))
    response.status_code = 308
    return response


urlpatterns = [
    path("", gateway(index), name="api-index"),
    path("v1/", gateway(index), name="api-index-v1"),
    path("", include((wrap_patterns(ninja_patterns), ninja_app), namespace=ninja_namespace)),
    re_path(r"^v1/(?P<rest>.+[^/])/$", strip_trailing_slash, name="api-strip-slash"),
    # Anything else under /api/ answers in JSON too, not with the site's HTML 404 page.
    re_path(r"^.*$", gateway(not_found), name="api-not-found"),
]
