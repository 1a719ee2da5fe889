from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from portolan.accounts.models import User
from portolan.catalogue import services
from portolan.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    PortCenterFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root@example.org", "pw-long-enough-1"))
    return client


def test_every_model_of_the_core_apps_is_in_the_admin():
    registered = {m._meta.label for m in admin.site._registry}
    for label in (
        "accounts.User",
        "accounts.Organisation",
        "accounts.Membership",
        "places.PortCity",
        "core.Goal",
        "core.Mission",
        "core.Theme",
        "core.Audience",
        "catalogue.Initiative",
        "catalogue.PortCenter",
        "catalogue.InitiativeTranslation",
        "catalogue.Attachment",
        "catalogue.ModerationEvent",
    ):
        assert label in registered, label


def test_admin_lists_and_forms_render(admin_client):
    membership = MembershipFactory()
    initiative = InitiativeFactory(organisation=membership.organisation)
    center = PortCenterFactory(organisation=membership.organisation)
    services.initiative_update(
        actor=membership.user, initiative=initiative, data={"end_year": 2030}
    )
    for model in admin.site._registry:
        if model._meta.app_label not in {"accounts", "places", "core", "catalogue"}:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        response = admin_client.get(url, {"q": "port"})
        assert response.status_code == 200, url
    for url in (
        reverse("admin:catalogue_initiative_change", args=[initiative.pk]),
        reverse("admin:catalogue_initiative_history", args=[initiative.pk]),
        reverse("admin:catalogue_portcenter_change", args=[center.pk]),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[membership.user.pk]),
        reverse("admin:accounts_organisation_change", args=[membership.organisation.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_admin_creates_a_user_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.member@example.org",
            "usable_password": "true",
            "password1": "harbour-lights-2026",
            "password2": "harbour-lights-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(email="new.member@example.org").check_password("harbour-lights-2026")
