import pytest

from portolan.catalogue.models import PublicationStatus
from portolan.core.models import Goal, Theme
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

from .factories import member_with_token

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def _slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_anonymous_list_of_initiatives_shows_only_published_records(client):
    published = InitiativeFactory()
    InitiativeFactory(publication_status=DRAFT, published_at=None)
    InitiativeFactory(publication_status=PublicationStatus.SUBMITTED, published_at=None)
    response = client.get("/api/v1/initiatives")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert _slugs(response) == [published.slug]
    assert body["next"] is None and body["previous"] is None


def test_anonymous_cannot_read_a_draft_by_id_or_slug(client):
    draft = InitiativeFactory(publication_status=DRAFT, published_at=None)
    assert client.get(f"/api/v1/initiatives/{draft.pk}").status_code == 404
    response = client.get(f"/api/v1/initiatives/by-slug/{draft.slug}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_token_holder_sees_own_drafts_but_not_other_organisations_drafts(client):
    _user, organisation, headers = member_with_token()
    own = InitiativeFactory(organisation=organisation, publication_status=DRAFT, published_at=None)
    other = InitiativeFactory(publication_status=DRAFT, published_at=None)
    response = client.get("/api/v1/initiatives", **headers)
    assert _slugs(response) == [own.slug]
    assert client.get(f"/api/v1/initiatives/{own.pk}", **headers).status_code == 200
    assert client.get(f"/api/v1/initiatives/{other.pk}", **headers).status_code == 404


def test_initiative_detail_by_id_and_slug_carries_stable_id_and_relations(client):
    partner = OrganisationFactory()
    initiative = InitiativeFactory(links="https://example.org/a\nhttps://example.org/b")
    initiative.partners.add(partner)
    initiative.themes.add(Theme.objects.first())
    initiative.goals.add(Goal.objects.get(number=8))
    by_id = client.get(f"/api/v1/initiatives/{initiative.pk}").json()
    by_slug = client.get(f"/api/v1/initiatives/by-slug/{initiative.slug}").json()
    assert by_id == by_slug
    assert by_id["id"] == initiative.pk
    assert by_id["goals"] == [8]
    assert by_id["themes"] == [Theme.objects.first().slug]
    assert by_id["partners"][0]["slug"] == partner.slug
    assert by_id["organisation"]["slug"] == initiative.organisation.slug
    assert by_id["port_city"]["country"] == "FR"
    assert by_id["links"] == ["https://example.org/a", "https://example.org/b"]


def test_unknown_ids_and_slugs_answer_404_in_json(client):
    for url in (
        "/api/v1/initiatives/999999",
        "/api/v1/port-centers/999999",
        "/api/v1/organisations/by-slug/nobody",
        "/api/v1/port-cities/123456789",
        "/api/v1/no-such-resource",
        "/api/nothing/here",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json()["detail"], url


def test_malformed_ids_and_filters_answer_400_with_a_message(client):
    for url in (
        "/api/v1/initiatives/abc",
        "/api/v1/initiatives/0",
        "/api/v1/initiatives/99999999999999999999999",
        "/api/v1/initiatives?goal=twelve",
        "/api/v1/initiatives?region=XX",
        "/api/v1/initiatives?country=France",
        "/api/v1/initiatives?year_from=abc",
        "/api/v1/initiatives?updated_since=yesterday",
        "/api/v1/initiatives?sort=random",
        "/api/v1/initiatives/by-slug/<script>",
        "/api/v1/port-centers?offer=casino",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        body = response.json()
        assert body["detail"].startswith("Invalid input"), url
        assert body["errors"][0]["message"], url


def test_page_size_over_100_is_refused_with_the_limit_in_the_message(client):
    response = client.get("/api/v1/initiatives?page_size=1000")
    assert response.status_code == 400
    assert "page_size" in response.json()["detail"]
    assert "100" in response.json()["detail"]


def test_pages_link_to_next_and_previous(client):
    InitiativeFactory.create_batch(5)
    first = client.get("/api/v1/initiatives?page_size=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["next"].endswith("page_size=2&page=2")
    second = client.get(first["next"]).json()
    assert second["previous"].endswith("page=1")
    last = client.get("/api/v1/initiatives?page_size=2&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    beyond = client.get("/api/v1/initiatives?page_size=2&page=40").json()
    assert beyond["results"] == [] and beyond["count"] == 5
    ids = [r["id"] for r in first["results"] + second["results"] + last["results"]]
    assert len(set(ids)) == 5


def test_initiative_filters_follow_the_search_facets(client):
    theme = Theme.objects.first()
    goal = Goal.objects.get(number=3)
    asia = PortCityFactory(country="JP", region="AS")
    matching = InitiativeFactory(port_city=asia, status="completed", start_year=2015)
    matching.themes.add(theme)
    matching.goals.add(goal)
    InitiativeFactory(status="completed", start_year=2015)  # Europe
    other_theme = InitiativeFactory(port_city=asia, status="completed")
    other_theme.goals.add(goal)
    assert _slugs(client.get(f"/api/v1/initiatives?theme={theme.slug}")) == [matching.slug]
    assert set(_slugs(client.get("/api/v1/initiatives?goal=3"))) == {
        matching.slug,
        other_theme.slug,
    }
    assert set(_slugs(client.get("/api/v1/initiatives?region=AS&country=JP"))) == {
        matching.slug,
        other_theme.slug,
    }
    url = f"/api/v1/initiatives?region=AS&goal=3&theme={theme.slug}&status=completed"
    assert _slugs(client.get(url)) == [matching.slug]
    assert client.get("/api/v1/initiatives?region=AS&region=EU").json()["count"] == 3
    kind = matching.organisation.kind
    assert client.get(f"/api/v1/initiatives?kind={kind}").json()["count"] == 3


def test_port_centers_list_detail_and_filters(client):
    center = PortCenterFactory(offers=["boat_tours", "exhibition"], status="open")
    PortCenterFactory(offers=["exhibition"], status="project")
    PortCenterFactory(publication_status=DRAFT, published_at=None)
    assert client.get("/api/v1/port-centers").json()["count"] == 2
    assert _slugs(client.get("/api/v1/port-centers?offer=boat_tours")) == [center.slug]
    assert _slugs(client.get("/api/v1/port-centers?status=open")) == [center.slug]
    detail = client.get(f"/api/v1/port-centers/{center.pk}").json()
    assert detail["offers"] == ["boat_tours", "exhibition"]
    assert detail["organisation"]["id"] == center.organisation_id


def test_organisations_and_port_cities_are_listed_with_filters(client):
    city = PortCityFactory(country="ES", region="EU", name="Bilbao", slug="bilbao")
    organisation = OrganisationFactory(port_city=city, kind="university", is_member=True)
    OrganisationFactory(kind="company")
    response = client.get("/api/v1/organisations?kind=university")
    assert _slugs(response) == [organisation.slug]
    assert _slugs(client.get("/api/v1/organisations?country=ES&is_member=true")) == [
        organisation.slug
    ]
    assert client.get(f"/api/v1/organisations/{organisation.pk}").json()["port_city"]["slug"] == (
        "bilbao"
    )
    assert _slugs(client.get("/api/v1/port-cities?country=ES")) == ["bilbao"]
    assert client.get("/api/v1/port-cities/by-slug/bilbao").json()["country"] == "ES"


def test_vocabulary_lists_give_labels_in_three_languages(client):
    goals = client.get("/api/v1/goals").json()
    assert goals["count"] == 10
    assert goals["results"][7]["name"] == {
        "en": "Port-city interface",
        "fr": "Interface ville-port",
        "es": "Interfaz puerto-ciudad",
    }
    assert client.get("/api/v1/missions").json()["count"] == 10
    assert client.get("/api/v1/themes").json()["count"] == Theme.objects.count()
    assert client.get("/api/v1/audiences").json()["results"][0]["name"]["fr"]


def test_initiative_list_costs_a_constant_number_of_queries(client, django_assert_num_queries):
    for _ in range(3):
        initiative = InitiativeFactory()
        initiative.themes.add(*Theme.objects.all()[:2])
        initiative.partners.add(OrganisationFactory())
    # last-modified, count, page, then one query per prefetched relation
    with django_assert_num_queries(8):
        client.get("/api/v1/initiatives")
    InitiativeFactory.create_batch(5)
    with django_assert_num_queries(8):
        assert client.get("/api/v1/initiatives").json()["count"] == 8


def test_port_center_list_costs_a_constant_number_of_queries(client, django_assert_num_queries):
    PortCenterFactory.create_batch(4)
    with django_assert_num_queries(5):
        client.get("/api/v1/port-centers")


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/initiatives" in paths and "/api/v1/goals" in paths
    assert client.get("/api/docs").status_code == 200


def test_api_root_lists_the_resources_and_docs(client):
    for url in ("/api/", "/api/v1/"):
        body = client.get(url).json()
        assert body["docs"].endswith("/api/docs")
        assert body["resources"]["initiatives"].endswith("/api/v1/initiatives")


def test_updated_since_keeps_only_recent_changes(client):
    from datetime import timedelta

    from django.utils import timezone

    old = InitiativeFactory()
    type(old).objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    recent = InitiativeFactory()
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert _slugs(client.get(f"/api/v1/initiatives?updated_since={since}")) == [recent.slug]
    assert _slugs(client.get(f"/api/v1/initiatives?updated_since={since}Z")) == [recent.slug]


def test_organisation_and_port_city_lists_cost_a_constant_number_of_queries(
    client, django_assert_num_queries
):
    OrganisationFactory.create_batch(4)
    # last-modified, count, page (port city joined)
    with django_assert_num_queries(3):
        client.get("/api/v1/organisations")
    with django_assert_num_queries(3):
        client.get("/api/v1/port-cities")


def test_port_center_location_says_whether_it_is_its_own_point_or_its_citys(client):
    from portolan.testing.factories import PortCenterFactory, PortCityFactory

    city = PortCityFactory(latitude=49.49, longitude=0.11)
    own = PortCenterFactory(port_city=city, latitude=49.48, longitude=0.12)
    borrowed = PortCenterFactory(port_city=city, latitude=None, longitude=None)
    rows = {row["id"]: row for row in client.get("/api/v1/port-centers").json()["results"]}
    assert (rows[own.pk]["latitude"], rows[own.pk]["location_precision"]) == (49.48, "address")
    assert (rows[borrowed.pk]["latitude"], rows[borrowed.pk]["longitude"]) == (49.49, 0.11)
    assert rows[borrowed.pk]["location_precision"] == "city"
