from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portolan.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_login_with_email_and_password_lands_on_dashboard(client):
    user = UserFactory(email="editor@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "Editor@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:dashboard")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_lands_in_the_preferred_language(client):
    UserFactory(email="fr@example.org", preferred_language="fr")
    response = client.post(
        reverse("accounts:login"), {"username": "fr@example.org", "password": PASSWORD}
    )
    assert response["Location"].startswith("/fr/")
    assert response.cookies["django_language"].value == "fr"


def test_login_follows_a_safe_next_but_not_an_external_one(client):
    UserFactory(email="next@example.org")
    profile = reverse("accounts:profile")
    response = client.post(
        reverse("accounts:login") + f"?next={profile}",
        {"username": "next@example.org", "password": PASSWORD, "next": profile},
    )
    assert response["Location"] == profile
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": "next@example.org", "password": PASSWORD, "next": "https://evil.example"},
    )
    assert "evil" not in response["Location"]


def test_wrong_password_shows_a_form_error(client):
    UserFactory(email="someone@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "someone@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_login_is_locked_after_repeated_failures(client, settings):
    UserFactory(email="target@example.org")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "target@example.org", "password": "wrong"})
    # Even the right password is refused now, with a friendly page.
    response = client.post(url, {"username": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_profile_lists_memberships_and_saves_name_and_language(client):
    membership = MembershipFactory(organisation__name="Port of Testing")
    client.force_login(membership.user)
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert "Port of Testing" in page.content.decode()
    response = client.post(
        reverse("accounts:profile"), {"full_name": "  Ana   Costa ", "preferred_language": "es"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/es/")
    membership.user.refresh_from_db()
    assert membership.user.full_name == "Ana Costa"
    assert membership.user.preferred_language == "es"


def test_profile_rejects_an_unknown_language(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "X", "preferred_language": "xx"}
    )
    assert response.status_code == 200
    assert "preferred_language" in response.context["form"].errors


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-harbour-phrase",
            "new_password2": "a-much-longer-harbour-phrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-longer-harbour-phrase")


def test_login_form_enforces_csrf():
    UserFactory(email="csrf@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "csrf@example.org", "password": PASSWORD}
    )
    assert response.status_code == 403
