"""The API serves the record types of the registry: every type that names an API router is
mounted at /api/v1/<segment>, its router built from the type's declaration, and its writes ask
the type's permissions."""

import dataclasses
import json

import pytest
from ninja import Router

from portolan.api.api import record_router
from portolan.api.tests.factories import member_with_token
from portolan.catalogue.models import Initiative, PublicationStatus
from portolan.core import registry
from portolan.testing.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

FAKE_ROUTER = Router()


def build_fake_router(record_type):
    router = Router(tags=[record_type.key])
    router.built_for = record_type.key
    return router


def _fake_type(router):
    return registry.RecordType(
        key="harbour",
        label="Harbour",
        label_plural="harbours",
        model="places.PortCity",
        detail_url="places:detail",
        segment="harbours",
        api=registry.ApiSpec(router=router),
    )


def test_every_record_type_with_an_api_is_served_at_its_segment(client):
    segments = {record_type.segment for record_type in registry.in_api()}
    assert segments == {"initiatives", "port-centers", "organisations", "port-cities"}
    for segment in segments:
        response = client.get(f"/api/v1/{segment}")
        assert response.status_code == 200, segment
        assert response.json()["count"] == 0


def test_a_router_named_by_a_factory_is_built_for_its_record_type():
    router = record_router(_fake_type(f"{__name__}:build_fake_router"))
    assert router.built_for == "harbour"


def test_a_router_named_directly_is_mounted_as_it_is():
    assert record_router(_fake_type(f"{__name__}:FAKE_ROUTER")) is FAKE_ROUTER


def test_the_catalogue_routers_come_from_the_one_factory():
    for key in ("initiative", "port_center"):
        spec = registry.get(key).api
        assert spec.router == "portolan.api.routers.catalogue_records:record_router"


def test_writes_ask_the_record_types_permissions(client, monkeypatch):
    _user, organisation, headers = member_with_token()
    draft = InitiativeFactory(
        organisation=organisation, publication_status=PublicationStatus.DRAFT, published_at=None
    )
    url = f"/api/v1/initiatives/{draft.pk}"
    body = json.dumps({"title": "Changed"})
    ok = client.patch(url, data=body, content_type="application/json", **headers)
    assert ok.status_code == 200, ok.content
    locked = dataclasses.replace(
        registry.get("initiative"),
        permissions=dataclasses.replace(
            registry.get("initiative").permissions, can_edit=lambda user, record: False
        ),
    )
    monkeypatch.setitem(registry._TYPES, "initiative", locked)
    refused = client.patch(
        url, data=json.dumps({"title": "Again"}), content_type="application/json", **headers
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You cannot change this record."
    submit = client.post(f"{url}/submit", data="{}", content_type="application/json", **headers)
    assert submit.status_code == 403
    assert Initiative.objects.get(pk=draft.pk).title == "Changed"
