"""Every error leaves the API as JSON `{"detail": "...", "errors": [...]}` with a 4xx status."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

# Statuses every operation may answer with an ErrorOut body (documented in the schema).
ERROR_STATUSES = (400, 401, 403, 404, 413, 415, 422, 429)


def _items_from_ninja(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    items = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else ""
        path = [part for part in loc[1:] if part not in ("payload", "filters", "ninja_pagination")]
        items.append(
            {"field": ".".join(path), "location": location, "message": str(error.get("msg", ""))}
        )
    return items


def _items_from_django(exc: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {
                "field": "" if field == NON_FIELD_ERRORS else field,
                "location": "body",
                "message": str(message),
            }
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "location": "body", "message": str(m)} for m in exc.messages]


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items = _items_from_ninja(exc.errors)
        # Bad filters or ids are a bad request; a well-formed body with bad values is a 422.
        in_body = any(item["location"] == "body" for item in items)
        summary = "; ".join(
            f"{item['field'] or item['location']}: {item['message']}" for item in items[:5]
        )
        detail = _("Invalid input (%(summary)s).") % {"summary": summary}
        return respond(request, 422 if in_body else 400, detail, errors=items)

    @api.exception_handler(DjangoValidationError)
    def invalid_record(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        items = _items_from_django(exc)
        summary = "; ".join(
            f"{item['field']}: {item['message']}" if item["field"] else item["message"]
            for item in items[:5]
        )
        return respond(
            request,
            422,
            _("The record is not valid (%(summary)s).") % {"summary": summary},
            errors=items,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else _("Authentication required.")
        response = respond(request, 401, message)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or _("You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, _("Not found."))

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return respond(request, 404, _("Not found."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, _("The request body is too large."))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400, _("Bad request."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            message = _("The request body is not valid JSON.")
        return respond(request, exc.status_code, message)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug, not bad input: log it with its traceback, still answer in JSON.
        logger.exception("Unexpected API error on %s %s", request.method, request.path)
        return respond(request, 500, _("Internal error; it has been logged."))
