"""Signed unsubscribe tokens: who and which kind, nothing else. They do not expire (a link in an
old e-mail must still work) and only ever turn one kind of e-mail off for one person."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

_SALT = "portolan.notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str


def make_token(*, user_id: int, kind: str) -> str:
    return signing.Signer(salt=_SALT).sign_object({"u": user_id, "k": kind})


def read_token(token: str) -> Unsubscribe:
    """The token's content; `signing.BadSignature` for anything not made by `make_token`."""
    data = signing.Signer(salt=_SALT).unsign_object(token)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("k"), str)
    ):
        raise signing.BadSignature("Malformed unsubscribe token.")
    return Unsubscribe(user_id=data["u"], kind=data["k"])
