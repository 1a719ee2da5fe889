from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from . import selectors
from .pagecache import public_page

logger = logging.getLogger(__name__)


@public_page
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


def _render_without_database(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    """Renders an error page without context processors: no session, user or messages, so no
    query. Used for 500 always, and for the other error pages when the database is down."""
    content = loader.get_template(template_name).render({"request": request, "offline": True})
    return HttpResponse(content, status=status)


def _error_page(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    try:
        return render(request, template_name, status=status)
    except DatabaseError:
        logger.warning("Database unavailable while rendering %s", template_name)
        return _render_without_database(request, template_name, status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render_without_database(request, "errors/500.html", 500)
