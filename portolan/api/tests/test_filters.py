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


# --- accepted values: the rules of portolan.core.filterspec, one message per bad value --------


def test_api_refuses_lower_case_country_code_with_a_clear_message(client):
    response = client.get("/api/v1/initiatives?country=fr")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "country.0",
            "location": "query",
            "message": "Not a country code (two capital letters, ISO 3166): “fr”.",
        }
    ]


@pytest.mark.parametrize(
    "resource", ["initiatives", "port-centers", "organisations", "port-cities"]
)
def test_every_list_takes_country_codes_in_capitals(client, resource):
    assert client.get(f"/api/v1/{resource}?country=FR").status_code == 200
    assert client.get(f"/api/v1/{resource}?country=Fr").status_code == 400


def test_api_refuses_a_theme_slug_longer_than_any_theme_can_be(client):
    slug = "a" * 81
    response = client.get(f"/api/v1/initiatives?theme={slug}")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "theme.0"
    assert "at most 80 characters" in error["message"] and slug[:60] in error["message"]


def test_api_refuses_a_slug_in_capitals_naming_it(client):
    response = client.get("/api/v1/initiatives?port_city=Le-Havre")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "port_city.0" and "“Le-Havre”" in error["message"]


@pytest.mark.parametrize("value", ["500", "3000", "abc", "-5", "2020.5"])
@pytest.mark.parametrize("parameter", ["year_from", "year_to"])
def test_a_bad_filter_year_gives_the_year_message_once(client, parameter, value):
    response = client.get(f"/api/v1/initiatives?{parameter}={value}")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {
            "field": parameter,
            "location": "query",
            "message": "Enter a year between 1000 and 2200.",
        }
    ]
    assert body["detail"].count("Enter a year") == 1
    assert "Input should" not in body["detail"]


def test_a_goal_number_out_of_range_is_refused_naming_it(client):
    response = client.get("/api/v1/initiatives?goal=3&goal=0")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "goal.1",
            "location": "query",
            "message": "Not an Agenda 2030 goal number (1-99): “0”.",
        }
    ]


def test_the_schema_documents_each_rule(client):
    schema = client.get("/api/openapi.json").json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/initiatives"]["get"]["parameters"]
    }
    assert parameters["country"]["items"]["pattern"] == "^[A-Z]{2}$"
    assert parameters["theme"]["items"]["maxLength"] == 80
    year = parameters["year_from"]["anyOf"][0]
    assert (year["minimum"], year["maximum"]) == (1000, 2200)
