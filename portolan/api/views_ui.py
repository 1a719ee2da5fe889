"""The user's page for personal API tokens: create one (its secret is shown once, on the
response to the creation) and revoke them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portolan.accounts.decorators import signed_in_user

from . import tokens
from .forms import TokenForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, new_secret = tokens.create_token(
                    user=signed_in_user(request), name=form.cleaned_data["name"]
                )
                form = TokenForm()
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
        if new_secret is None:
            status = 400
    # never_cache marks the page no-store: the one-time secret must not be kept by any cache.
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens.tokens_of(signed_in_user(request)),
            "new_secret": new_secret,
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.revoke_token(user=signed_in_user(request), token_id=token_id)
    except PermissionDenied:
        messages.error(request, _("This token does not exist or is not yours."))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_ui:tokens")
