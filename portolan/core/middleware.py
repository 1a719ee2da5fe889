"""Answers to requests no page should see: hostile paths and methods pages do not take.

Placed right after SecurityMiddleware, before WhiteNoise and the language redirect, so such a
request touches neither the file system nor the session, and `PUT /` is a 405 rather than a
302 to `/en/`."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase

# The API (config/urls.py) answers every method itself, with its own JSON errors.
API_PREFIX = "/api/"
# What pages take: GET and HEAD, and POST for the views with forms (which keep their own checks,
# e.g. `require_GET` views still answer POST with their 405).
PAGE_METHODS = ("GET", "HEAD", "POST")
REFUSED_METHODS = frozenset({"PUT", "DELETE", "PATCH"})
# NUL and the other C0 control characters (and DEL) never belong in a URL path; file-system
# calls fail on NUL ("embedded null byte"), so they are refused before anything looks them up.
_CONTROL = re.compile("[\x00-\x1f\x7f]")


class SuspiciousPath(SuspiciousOperation):
    """Logged to `django.security.SuspiciousPath` and answered with the 400 page."""


def _is_hostile(path: str) -> bool:
    # PATH_INFO is already percent-decoded: "..%2f" arrives here as "../".
    return bool(_CONTROL.search(path)) or ".." in path.replace("\\", "/").split("/")


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _is_hostile(request.path_info):
            raise SuspiciousPath("Control character or '..' segment in the request path.")
        if request.method in REFUSED_METHODS and not request.path_info.startswith(API_PREFIX):
            return HttpResponseNotAllowed(PAGE_METHODS)
        return self.get_response(request)
