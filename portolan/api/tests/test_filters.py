"""Slug-valued filters must name something: an unknown slug is a 400, not an empty list."""

import pytest

from portolan.core.models import Audience, Theme
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("resource", "parameter"),
    [
        ("initiatives", "theme"),
        ("initiatives", "audience"),
        ("initiatives", "port_city"),
        ("initiatives", "organisation"),
        ("port-centers", "audience"),
        ("port-centers", "port_city"),
        ("port-centers", "organisation"),
        ("organisations", "port_city"),
    ],
)
def test_unknown_slug_is_refused_naming_the_parameter_and_the_value(client, resource, parameter):
    response = client.get(f"/api/v1/{resource}?{parameter}=no-such-thing")
    assert response.status_code == 400
    body = response.json()
    assert parameter in body["detail"] and "no-such-thing" in body["detail"]
    assert body["errors"] == [
        {"field": parameter, "location": "query", "message": "Unknown slug(s): “no-such-thing”"}
    ]


def test_only_the_unknown_values_are_named(client):
    theme = Theme.objects.first()
    response = client.get(f"/api/v1/initiatives?theme={theme.slug}&theme=nope&theme=nada")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"] == "Unknown slug(s): “nope”, “nada”"
    assert theme.slug not in error["message"]


def test_every_wrong_parameter_is_reported_at_once(client):
    response = client.get("/api/v1/initiatives?theme=nope&audience=nobody")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["theme", "audience"]


def test_known_slugs_that_match_no_record_still_give_an_empty_list(client):
    city = PortCityFactory()
    organisation = OrganisationFactory()
    audience = Audience.objects.first()
    theme = Theme.objects.first()
    InitiativeFactory()
    PortCenterFactory()
    for url in (
        f"/api/v1/initiatives?theme={theme.slug}&audience={audience.slug}",
        f"/api/v1/initiatives?port_city={city.slug}&organisation={organisation.slug}",
        f"/api/v1/port-centers?organisation={organisation.slug}",
        f"/api/v1/organisations?port_city={city.slug}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["count"] == 0, url


def test_the_check_costs_one_query_per_slug_parameter(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/api/v1/initiatives?theme=a&theme=b&theme=c").status_code == 400
    with django_assert_num_queries(2):
        assert client.get("/api/v1/port-centers?audience=a&port_city=b").status_code == 400


def test_the_check_costs_nothing_without_slug_parameters(client, django_assert_num_queries):
    # last-modified and count; an empty table needs no page query
    with django_assert_num_queries(2):
        assert client.get("/api/v1/port-cities?region=EU").status_code == 200
