"""The one-click unsubscribe: no sign-in, a signed token names the person and the kind. A GET
shows a button (link checkers that fetch every URL in a mail must not unsubscribe anybody); a
POST — the button, or the mail client's RFC 8058 `List-Unsubscribe=One-Click` — turns that kind
of e-mail off. A token that does not verify answers 400 and changes nothing."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portolan.accounts.models import User

from . import kinds, services
from .tokens import read_token


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/unsubscribe_invalid.html", status=400)


@csrf_exempt  # mail clients post without cookies; the signed token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = read_token(token)
        kind = kinds.get(data.kind)
        User.objects.only("pk").get(pk=data.user_id)
    except (signing.BadSignature, LookupError, User.DoesNotExist):
        return _bad_link(request)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "token": token})
