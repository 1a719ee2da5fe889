"""View decorators about who the visitor is, shared by every app's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import User

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed-in secretariat staff only: others are sent to sign in, or get a 403 page."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def signed_in_user(request: HttpRequest) -> User:
    """The user of a view behind `login_required`: the type checker cannot know it is signed in."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
