from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", selectors.home_context())


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html", selectors.about_context())


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the cheapest response the stack can give (no DB, no template)."""
    return HttpResponse(b"ok", content_type="text/plain")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": connection.vendor})
    except Exception:  # noqa: BLE001 - any DB failure means "not healthy"
        return JsonResponse({"status": "error"}, status=503)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
