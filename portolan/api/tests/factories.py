"""Helpers for API tests: a member with a token, and the Authorization header for it."""

from __future__ import annotations

from typing import Any

from portolan.api import tokens
from portolan.testing.factories import MembershipFactory, OrganisationFactory, UserFactory


def token_for(user: Any, name: str = "script") -> str:
    _token, secret = tokens.create_token(user=user, name=name)
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def member_with_token(organisation: Any = None) -> tuple[Any, Any, dict[str, str]]:
    """(user, organisation, auth headers) for an editor of `organisation` (a new one if None)."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation)
    return user, organisation, bearer(token_for(user))
