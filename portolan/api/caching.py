"""HTTP caching for API reads: a strong ETag (hash of the body) on every successful GET, and a
Last-Modified that endpoints declare with `mark_last_modified` (newest `updated_at` of what they
return). `finalize` answers If-None-Match / If-Modified-Since with 304 (Django's own rules)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

_ATTR = "_portolan_api_last_modified"


def mark_last_modified(request: HttpRequest, when: datetime | None) -> None:
    if when is not None:
        setattr(request, _ATTR, when)


def body_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def finalize(request: HttpRequest, response: HttpResponse, *, private: bool) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if getattr(response, "streaming", False):
        return response
    etag = body_etag(response.content)
    response["ETag"] = etag
    last_modified = getattr(request, _ATTR, None)
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    # Token holders may see their own drafts: such responses must not sit in shared caches.
    response["Cache-Control"] = "private, no-cache" if private else "public, max-age=60"
    patch_vary_headers(response, ("Authorization",))
    return (
        get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
        or response
    )
