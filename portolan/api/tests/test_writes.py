"""Members write their organisation's drafts with a token, through the catalogue services."""

import json

import pytest

from portolan.catalogue.models import Initiative, PortCenter, PublicationStatus
from portolan.core.models import Theme
from portolan.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

from .factories import member_with_token

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def _post(client, url, data, headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def _patch(client, url, data, headers):
    return client.patch(url, data=json.dumps(data), content_type="application/json", **headers)


def test_member_creates_a_draft_initiative_for_their_organisation(client):
    _user, organisation, headers = member_with_token()
    theme = Theme.objects.first()
    response = _post(
        client,
        "/api/v1/initiatives",
        {
            "title": "Port days for schools",
            "summary": "Pupils visit the docks.",
            "port_city": organisation.port_city.slug,
            "themes": [theme.slug],
            "goals": [5, 8],
            "links": ["https://example.org/port-days"],
            "status": "planned",
        },
        headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["publication_status"] == "draft"
    assert body["organisation"]["slug"] == organisation.slug
    assert body["goals"] == [5, 8]
    assert body["themes"] == [theme.slug]
    assert body["links"] == ["https://example.org/port-days"]
    record = Initiative.objects.get(pk=body["id"])
    assert record.organisation == organisation
    assert record.links == "https://example.org/port-days"


def test_member_of_two_organisations_must_say_which_one(client):
    user, first, headers = member_with_token()
    MembershipFactory(user=user)
    data = {"title": "T", "summary": "S", "port_city": first.port_city.slug}
    response = _post(client, "/api/v1/initiatives", data, headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "organisation"
    response = _post(client, "/api/v1/initiatives", {**data, "organisation": first.slug}, headers)
    assert response.status_code == 201


def test_member_cannot_create_for_another_organisation(client):
    _user, _org, headers = member_with_token()
    other = OrganisationFactory()
    data = {"title": "T", "summary": "S", "port_city": other.port_city.slug}
    response = _post(client, "/api/v1/initiatives", {**data, "organisation": other.slug}, headers)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Initiative.objects.exists()


def test_token_of_org_a_cannot_update_org_b_initiative(client):
    _user, _org, headers = member_with_token()
    published_b = InitiativeFactory(title="Original")
    draft_b = InitiativeFactory(publication_status=DRAFT, published_at=None)
    response = _patch(client, f"/api/v1/initiatives/{published_b.pk}", {"title": "Hacked"}, headers)
    assert response.status_code == 403
    assert response.json()["detail"]
    # A draft of another organisation is not even visible.
    response = _patch(client, f"/api/v1/initiatives/{draft_b.pk}", {"title": "Hacked"}, headers)
    assert response.status_code == 404
    assert _post(client, f"/api/v1/initiatives/{draft_b.pk}/submit", {}, headers).status_code == 404
    published_b.refresh_from_db()
    assert published_b.title == "Original"


def test_member_updates_only_the_fields_sent_and_submits(client):
    _user, organisation, headers = member_with_token()
    record = InitiativeFactory(
        organisation=organisation, publication_status=DRAFT, published_at=None, summary="Keep me"
    )
    response = _patch(client, f"/api/v1/initiatives/{record.pk}", {"title": "New title"}, headers)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "New title"
    assert response.json()["summary"] == "Keep me"
    submitted = _post(client, f"/api/v1/initiatives/{record.pk}/submit", {}, headers)
    assert submitted.status_code == 200
    assert submitted.json()["publication_status"] == "submitted"
    again = _post(client, f"/api/v1/initiatives/{record.pk}/submit", {}, headers)
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "publication_status"


def test_invalid_values_give_field_errors_and_write_nothing(client):
    _user, organisation, headers = member_with_token()
    response = _post(
        client,
        "/api/v1/initiatives",
        {
            "title": "T",
            "summary": "S",
            "port_city": "atlantis",
            "themes": ["no-such-theme"],
            "start_year": 2020,
            "end_year": 2010,
        },
        headers,
    )
    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["errors"]}
    assert {"port_city", "themes"} <= fields
    assert not Initiative.objects.exists()


def test_schema_violations_are_422_with_the_field_named(client):
    _user, _org, headers = member_with_token()
    response = _post(client, "/api/v1/initiatives", {"goals": ["x"]}, headers)
    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["errors"]}
    assert {"title", "summary", "goals.0"} <= fields
    # Well-formed bodies that break a model rule get the model's own message.
    empty = _post(client, "/api/v1/initiatives", {"title": "", "summary": "s"}, headers)
    assert empty.status_code == 422
    assert [item["field"] for item in empty.json()["errors"]] == ["title"]
    nul = _post(client, "/api/v1/initiatives", {"title": "a\u0000b", "summary": "s"}, headers)
    assert nul.status_code == 422
    assert "Null characters" in nul.json()["errors"][0]["message"]


def test_writes_need_a_token(client):
    record = InitiativeFactory()
    response = _post(client, "/api/v1/initiatives", {"title": "T", "summary": "S"}, {})
    assert response.status_code == 401
    assert "token" in response.json()["detail"]
    assert _patch(client, f"/api/v1/initiatives/{record.pk}", {"title": "x"}, {}).status_code == 401


def test_member_creates_updates_and_submits_a_port_center(client):
    _user, organisation, headers = member_with_token()
    city = PortCityFactory()
    created = _post(
        client,
        "/api/v1/port-centers",
        {
            "name": "Harbour House",
            "port_city": city.slug,
            "offers": ["boat_tours"],
            "sources": ["https://example.org/source"],
            "latitude": 43.3,
            "longitude": -3.0,
        },
        headers,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["offers"] == ["boat_tours"]
    updated = _patch(client, f"/api/v1/port-centers/{pk}", {"opening_year": 2009}, headers)
    assert updated.status_code == 200
    assert updated.json()["opening_year"] == 2009
    submitted = _post(client, f"/api/v1/port-centers/{pk}/submit", {}, headers)
    assert submitted.json()["publication_status"] == "submitted"
    assert PortCenter.objects.get(pk=pk).organisation == organisation


def test_token_cannot_update_another_organisations_port_center(client):
    _user, _org, headers = member_with_token()
    center = PortCenterFactory(name="Theirs")
    response = _patch(client, f"/api/v1/port-centers/{center.pk}", {"name": "Mine"}, headers)
    assert response.status_code == 403
    center.refresh_from_db()
    assert center.name == "Theirs"


def test_unknown_record_on_write_is_404(client):
    _user, _org, headers = member_with_token()
    assert _patch(client, "/api/v1/initiatives/987654", {"title": "x"}, headers).status_code == 404


def test_member_adds_translations_of_title_and_summary(client):
    _user, organisation, headers = member_with_token()
    record = InitiativeFactory(
        organisation=organisation, publication_status=DRAFT, published_at=None
    )
    response = _patch(
        client,
        f"/api/v1/initiatives/{record.pk}",
        {"translations": [{"language": "fr", "title": "Titre", "summary": "Résumé"}]},
        headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["translations"] == [
        {"language": "fr", "title": "Titre", "summary": "Résumé"}
    ]
    bad = _patch(
        client,
        f"/api/v1/initiatives/{record.pk}",
        {"translations": [{"language": "xx", "title": "T", "summary": "S"}]},
        headers,
    )
    assert bad.status_code == 422
