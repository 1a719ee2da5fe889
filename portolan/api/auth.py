"""Who is calling: an `Authorization: Bearer <token>` header names a personal API token. Without
the header the caller is anonymous; with a wrong, revoked or malformed one the request is refused
(401) rather than silently downgraded, so clients notice a dead token at once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase

from .models import ApiToken
from .tokens import authenticate_secret

_ATTR = "_portolan_api_token"
_UNSET = object()


class InvalidToken(Exception):
    pass


def request_token(request: HttpRequest) -> ApiToken | None:
    """The request's token (None when anonymous); raises InvalidToken. Memoised per request."""
    cached = getattr(request, _ATTR, _UNSET)
    if cached is not _UNSET:
        if isinstance(cached, InvalidToken):
            raise cached
        return cached  # type: ignore[return-value]
    header = request.META.get("HTTP_AUTHORIZATION", "")
    token: ApiToken | None = None
    if header:
        scheme, _sep, secret = header.strip().partition(" ")
        token = authenticate_secret(secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            error = InvalidToken(
                _("Invalid or revoked API token. Send 'Authorization: Bearer <token>'.")
            )
            setattr(request, _ATTR, error)
            raise error
    setattr(request, _ATTR, token)
    return token


def request_user(request: HttpRequest) -> Any:
    """The token's user for reads (so members see their own drafts), otherwise anonymous.
    Session cookies are deliberately ignored: the API is cookie-less and so needs no CSRF."""
    try:
        token = request_token(request)
    except InvalidToken:
        token = None
    return token.user if token is not None else AnonymousUser()


class TokenAuth(HttpAuthBase):
    """Required on write endpoints; documents the bearer scheme in the OpenAPI schema. Not
    ninja's HttpBearer: the header is parsed once per request by `request_token`, which the
    gateway has already called, and a bad token must be a 401, never None."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        try:
            token = request_token(request)
        except InvalidToken as exc:
            raise AuthenticationError(message=str(exc)) from exc
        if token is None:
            raise AuthenticationError(
                message=_(
                    "This endpoint needs a personal API token: 'Authorization: Bearer <token>'."
                )
            )
        return token


token_auth = TokenAuth()
