"""What every API response goes through, wrapped around each URL of the API (the project's
middleware list is shared, so the API keeps its cross-cutting rules to itself):

- refuse early what must never reach a view: NUL bytes in the query string, bodies larger than
  DATA_UPLOAD_MAX_MEMORY_SIZE (413), write requests that are not JSON (415);
- rate limits per token, or per client IP for anonymous calls and bad tokens (429 + Retry-After),
  counted by ninja's throttles (throttling.py);
- invalid or revoked tokens (401);
- HEAD served as GET without a body; a plain OPTIONS answered with `Allow`;
- ETag / Last-Modified / 304 on successful reads.

CORS headers and the CORS preflight come from django-cors-headers (cors.py, settings `CORS_*`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _

from portolan.core import registry

from . import caching, throttling
from .auth import InvalidToken, request_token
from .cors import READ_METHODS

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

View = Callable[..., HttpResponse]


def error_response(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def _options() -> HttpResponse:
    """OPTIONS that is not a CORS preflight (django-cors-headers answers those first)."""
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(READ_METHODS)
    return response


def _screen(request: HttpRequest) -> HttpResponse | None:
    """Problems visible without reading the body."""
    if "\x00" in request.META.get("QUERY_STRING", "") or any(
        "\x00" in value for values in request.GET.lists() for value in values[1]
    ):
        return error_response(400, _("The query string contains a NUL character."))
    if request.method in WRITE_METHODS:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, _("Invalid Content-Length header."))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return error_response(
                413,
                _("The request body is too large (%(limit)s bytes at most).") % {"limit": limit},
            )
        content_type = request.content_type or ""
        if length and content_type != "application/json":
            return error_response(
                415, _("Send the request body as JSON (Content-Type: application/json).")
            )
    return None


def gateway(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        method = request.method or "GET"
        if method == "OPTIONS":
            return _options()

        try:
            token = request_token(request)
            invalid_token: InvalidToken | None = None
        except InvalidToken as exc:
            token, invalid_token = None, exc

        throttle = throttling.throttle_for(token)
        if not throttle.allow_request(request):
            # wait() is None only when the rate was lowered below the calls already counted.
            retry_after = math.ceil(throttle.wait() or throttle.duration or 1)
            response: HttpResponse = error_response(
                429,
                _("Too many requests: the limit is %(limit)s per period. Retry in %(seconds)s s.")
                % {"limit": throttle.num_requests, "seconds": retry_after},
            )
            response["Retry-After"] = str(retry_after)
        elif invalid_token is not None:
            response = error_response(401, str(invalid_token))
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        else:
            response = _screen(request) or _call(view, request, *args, **kwargs)

        if method in READ_METHODS:
            response = caching.finalize(request, response, private=token is not None)
        # Ninja's throttles send no RateLimit-* headers; clients use them to pace themselves.
        response["RateLimit-Limit"] = str(throttle.num_requests)
        response["RateLimit-Remaining"] = str(throttling.remaining(throttle))
        if method == "HEAD":
            response = _without_body(response)
        return response

    return wrapped


def _call(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _json_405(_call_view(view, request, *args, **kwargs))


def _json_405(response: HttpResponse) -> HttpResponse:
    """ninja answers a wrong method with a plain-text 405; clients expect JSON from us."""
    if response.status_code != 405 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    allowed = response.get("Allow", "")
    json_response = error_response(
        405, _("Method not allowed here. Allowed: %(methods)s.") % {"methods": allowed}
    )
    json_response["Allow"] = allowed
    return json_response


def _call_view(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.method != "HEAD":
        return view(request, *args, **kwargs)
    # HEAD is GET without a body: same headers (ETag, Content-Length) so clients can probe.
    request.method = "GET"
    try:
        return view(request, *args, **kwargs)
    finally:
        request.method = "HEAD"


def _without_body(response: HttpResponse) -> HttpResponse:
    if getattr(response, "streaming", False):
        return response
    head = HttpResponse(status=response.status_code)
    for header, value in response.items():
        head[header] = value
    head["Content-Length"] = str(len(response.content))
    return head


def wrap_patterns(
    patterns: list[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    """Put every view of `patterns` (recursively) behind the gateway."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = gateway(pattern.callback)
        else:
            wrap_patterns(pattern.url_patterns)
    return patterns


def index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """/api/ and /api/v1/: where to start."""
    base = request.build_absolute_uri("/api/")
    # The record types mounted from the registry (api.py), then the vocabularies.
    records = [record_type.segment for record_type in registry.in_api()]
    resources = [*records, "goals", "missions", "themes", "audiences"]
    return JsonResponse(
        {
            "name": "Portolan API",
            "version": "1",
            "docs": base + "docs",
            "openapi": base + "openapi.json",
            "resources": {name: f"{base}v1/{name}" for name in resources},
        }
    )


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(404, _("No API endpoint at this address. See /api/docs."))
