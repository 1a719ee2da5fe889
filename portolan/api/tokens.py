"""Creating, checking and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portolan.accounts.models import User

from .models import ApiToken

TOKEN_PREFIX = "ptl_"
MAX_ACTIVE_TOKENS = 20
# Writing last_used_at on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_SECRET_LENGTH = 200


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the new token and its secret; the secret is not stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name.")]})
    if len(name) > 80:
        raise ValidationError({"name": [_("The name is too long (80 characters at most).")]})
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in to create an API token."))
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)s active tokens: revoke one first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    secret = new_secret()
    token = ApiToken(user=user, name=name, prefix=secret[:8], token_hash=hash_secret(secret))
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def revoke_token(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise PermissionDenied(_("This token does not exist or is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_secret(secret: str) -> ApiToken | None:
    """The active token matching this secret, with its (active) user, or None."""
    if not secret or len(secret) > MAX_SECRET_LENGTH or "\x00" in secret:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
