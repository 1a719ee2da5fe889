"""Personal API tokens: stored hashed, shown once, revocable from the user's profile area."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portolan.api import tokens
from portolan.api.models import ApiToken
from portolan.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/account/tokens/"


def test_only_a_hash_of_the_secret_is_stored():
    user = UserFactory()
    token, secret = tokens.create_token(user=user, name="website")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:8]
    assert secret not in {str(value) for value in stored.__dict__.values()}
    assert tokens.authenticate_secret(secret).pk == token.pk


def test_revoked_token_no_longer_authenticates():
    user = UserFactory()
    token, secret = tokens.create_token(user=user, name="website")
    tokens.revoke_token(user=user, token_id=token.pk)
    assert tokens.authenticate_secret(secret) is None


def test_a_user_cannot_revoke_someone_elses_token():
    token, secret = tokens.create_token(user=UserFactory(), name="theirs")
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(user=UserFactory(), token_id=token.pk)
    assert tokens.authenticate_secret(secret) is not None


def test_a_token_needs_a_name():
    with pytest.raises(ValidationError):
        tokens.create_token(user=UserFactory(), name="   ")


def test_tokens_page_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_user_creates_a_token_and_sees_it_only_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"name": "Our website"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = user.api_tokens.get()
    html = response.content.decode()
    secret = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith(token.prefix)
    assert tokens.authenticate_secret(secret).pk == token.pk
    listing = client.get(URL).content.decode()
    assert "Our website" in listing and token.prefix in listing
    assert secret not in listing


def test_token_creation_without_a_name_shows_the_form_error(client):
    client.force_login(UserFactory())
    response = client.post(URL, {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_user_revokes_a_token_with_a_post(client):
    user = UserFactory()
    token, secret = tokens.create_token(user=user, name="script")
    client.force_login(user)
    revoke_url = f"{URL}{token.pk}/revoke/"
    assert client.get(revoke_url).status_code == 405
    response = client.post(revoke_url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get("/api/v1/goals", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401


def test_revoking_someone_elses_token_does_nothing(client):
    token, _secret = tokens.create_token(user=UserFactory(), name="theirs")
    client.force_login(UserFactory())
    client.post(f"{URL}{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_forms_are_csrf_protected(client):
    from django.test import Client

    user = UserFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(URL, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_tokens_page_renders_in_french(client):
    user = UserFactory()
    tokens.create_token(user=user, name="script")
    client.force_login(user)
    assert client.get("/fr/account/tokens/").status_code == 200
