"""`q` goes through the project's search service: ranked, accent-insensitive, combined with the
API's own filters."""

import pytest

from portolan.search import services as search_services
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

pytestmark = pytest.mark.django_db


def _slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_full_text_query_finds_initiatives_accent_insensitively(client):
    city = PortCityFactory(name="Génova", slug="genova", country="IT")
    found = InitiativeFactory(title="Port festival in Génova", port_city=city)
    InitiativeFactory(title="Dock walks")
    search_services.rebuild_index()
    response = client.get("/api/v1/initiatives?q=genova")
    assert response.status_code == 200
    assert _slugs(response) == [found.slug]
    assert response.json()["count"] == 1


def test_full_text_query_combines_with_filters_and_pages(client):
    europe = PortCityFactory(country="FR", region="EU")
    asia = PortCityFactory(country="JP", region="AS")
    for n in range(3):
        InitiativeFactory(title=f"Harbour school {n}", port_city=europe)
    in_asia = InitiativeFactory(title="Harbour school in Asia", port_city=asia)
    search_services.rebuild_index()
    assert _slugs(client.get("/api/v1/initiatives?q=harbour&region=AS")) == [in_asia.slug]
    first = client.get("/api/v1/initiatives?q=harbour&page_size=3").json()
    assert first["count"] == 4 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    by_title = client.get("/api/v1/initiatives?q=harbour&sort=title").json()
    titles = [r["title"] for r in by_title["results"]]
    assert titles == sorted(titles)


def test_full_text_query_on_port_centers_organisations_and_cities(client):
    center = PortCenterFactory(name="Lighthouse Port Center")
    organisation = OrganisationFactory(name="Lighthouse Foundation")
    PortCityFactory(name="Valparaíso", slug="valparaiso", country="CL", region="SA")
    search_services.rebuild_index()
    assert _slugs(client.get("/api/v1/port-centers?q=lighthouse")) == [center.slug]
    assert organisation.slug in _slugs(client.get("/api/v1/organisations?q=lighthouse"))
    assert _slugs(client.get("/api/v1/port-cities?q=valparaiso")) == ["valparaiso"]


def test_strange_queries_never_fail(client):
    InitiativeFactory()
    search_services.rebuild_index()
    for q in [
        '"unbalanced',
        "a AND (b OR",
        "😀 port",
        "ميناء",
        "נמל",
        "x" * 500,
        "*",
        "-",
        "NEAR(",
    ]:
        response = client.get("/api/v1/initiatives", {"q": q})
        assert response.status_code == 200, q
    assert client.get("/api/v1/initiatives", {"q": "x" * 501}).status_code == 400
