"""CORS for the API and the open-data reads is django-cors-headers (settings `CORS_*` in
config/settings/base.py); this subclass only keeps it to reads.

django-cors-headers' `CORS_ALLOW_METHODS` shapes the preflight answer, but the library adds
`Access-Control-Allow-Origin` to every response of a matching URL, writes included, and its
`check_request_enabled` signal can only widen the URL rule, not narrow it. Browsers cannot send
a token cross-site anyway (the preflight does not allow `Authorization`); the rule keeps write
answers free of CORS headers so that nothing suggests otherwise."""

from __future__ import annotations

from corsheaders.middleware import CorsMiddleware
from django.http import HttpRequest

READ_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyCorsMiddleware(CorsMiddleware):
    def is_enabled(self, request: HttpRequest) -> bool:
        return request.method in READ_METHODS and super().is_enabled(request)
