"""The search page and its map data."""

import json

import pytest
from django.urls import reverse

from portolan.search.tests.factories import index, initiative, theme_slugs
from portolan.search.tests.test_text import HOSTILE
from portolan.testing.factories import OrganisationFactory, PortCityFactory

pytestmark = pytest.mark.django_db


def test_search_page_url():
    assert reverse("search:search") == "/en/search/"
    assert reverse("search:map_data") == "/en/search/map.json"


def test_search_page_lists_highlighted_results(client):
    record = initiative(title="Harbour festival", summary="Music on the harbour quays.")
    index()
    response = client.get("/en/search/", {"q": "harbour"})
    assert response.status_code == 200
    body = response.content.decode()
    assert record.title in body
    assert "<mark>harbour</mark>" in body
    assert "1 result" in body
    assert record.get_absolute_url() in body


def test_plural_count_and_pagination_links(client):
    for number in range(23):
        initiative(title=f"Tugboat {number}")
    index()
    body = client.get("/en/search/", {"q": "tugboat"}).content.decode()
    assert "23 results" in body
    assert "page=2" in body
    assert 'rel="next"' in body


def test_facet_links_toggle_filters_and_keep_the_query(client):
    theme = theme_slugs(1)[0]
    initiative(title="Pilot boats", themes=[theme])
    index()
    body = client.get("/en/search/", {"q": "pilot"}).content.decode()
    assert f"?q=pilot&amp;theme={theme}" in body
    filtered = client.get("/en/search/", {"q": "pilot", "theme": theme}).content.decode()
    assert 'aria-current="true"' in filtered
    assert 'href="?q=pilot"' in filtered  # the chip / facet link that removes the filter


def test_export_feed_and_map_links_carry_the_search(client):
    initiative(title="Cruise terminal")
    index()
    body = client.get(
        "/en/search/", {"q": "cruise", "type": "initiative", "page": "1"}
    ).content.decode()
    for path in (
        "/en/open-data/export.csv?q=cruise&amp;type=initiative",
        "/en/open-data/export.xlsx?q=cruise&amp;type=initiative",
        "/en/open-data/export.json?q=cruise&amp;type=initiative",
        "/en/open-data/export.geojson?q=cruise&amp;type=initiative",
        "/feeds/initiatives.rss?q=cruise&amp;type=initiative",
        "/feeds/initiatives.atom?q=cruise&amp;type=initiative",
        "/en/search/map.json?q=cruise&amp;type=initiative",
    ):
        assert path in body, path


def test_no_results_page_offers_suggestions(client):
    initiative(title="Lighthouse keepers")
    index()
    body = client.get("/en/search/", {"q": "lighthuose", "region": "OC"}).content.decode()
    assert "0 results" in body
    assert "Remove the region filter" in body


def test_bad_parameters_show_a_message_not_an_error(client):
    response = client.get("/en/search/", {"type": "spaceship", "page": "x", "year_from": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Unknown value ignored" in body


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_render_a_page(client, query):
    initiative(title="Port near the city")
    index()
    query = query.replace("\ud800", "")  # a test client cannot send a lone surrogate
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    map_response = client.get("/en/search/map.json", {"q": query})
    assert map_response.status_code == 200


def test_page_is_translated_by_the_url_prefix(client):
    initiative(title="Quai des arts")
    index()
    response = client.get("/fr/search/", {"q": "quai"})
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_map_data_is_geojson_of_the_results(client):
    city = PortCityFactory(
        name="Rotterdam", country="NL", region="EU", latitude=51.92, longitude=4.48
    )
    record = initiative(
        title="Rotterdam harbour walks", organisation=OrganisationFactory(port_city=city)
    )
    initiative(title="Something else")
    index()
    response = client.get("/en/search/map.json", {"q": "harbour walks"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert data["truncated"] is False
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.48, 51.92]}
    assert feature["properties"]["id"] == record.pk
    assert feature["properties"]["url"] == record.get_absolute_url()


def test_map_data_is_capped(client, monkeypatch):
    from portolan.search import views

    monkeypatch.setattr(views, "MAP_LIMIT", 3)
    for number in range(5):
        initiative(title=f"Bollard {number}")
    index()
    data = client.get("/en/search/map.json", {"q": "bollard"}).json()
    assert len(data["features"]) == 3
    assert data["truncated"] is True


def test_search_page_works_with_other_methods_refused(client):
    assert client.post("/en/search/", {"q": "x"}).status_code == 405


def _records(count):
    themes = theme_slugs(3)
    cities = [
        PortCityFactory(country=c, region=r) for c, r in (("FR", "EU"), ("JP", "AS"), ("BR", "SA"))
    ]
    organisations = [OrganisationFactory(port_city=city) for city in cities]
    for number in range(count):
        initiative(
            title=f"Container terminal {number}",
            summary="Harbour visits for schools and the general public.",
            organisation=organisations[number % 3],
            themes=themes[: 1 + number % 3],
            goals=[1 + number % 10],
            start_year=1990 + number,
            translations=[("fr", f"Terminal {number}", "Visites du port.")] if number % 2 else [],
        )
    index()


@pytest.mark.parametrize("count", [3, 30])
def test_search_page_query_count_does_not_grow_with_data(client, django_assert_num_queries, count):
    _records(count)
    theme = theme_slugs(1)[0]
    # Counts + page of hits + vocabulary labels (cached afterwards).
    with django_assert_num_queries(3):
        response = client.get("/en/search/", {"q": "terminal", "region": "EU", "theme": theme})
    assert response.status_code == 200
    with django_assert_num_queries(2):
        client.get("/en/search/", {"q": "harbour schools", "sort": "name", "page": "2"})
    with django_assert_num_queries(2):
        client.get("/en/search/")


@pytest.mark.parametrize("count", [3, 30])
def test_empty_search_costs_the_same(client, django_assert_num_queries, count):
    _records(count)
    with django_assert_num_queries(3):  # counts + spelling candidates + vocabulary labels
        client.get("/en/search/", {"q": "zzyzx"})


@pytest.mark.parametrize("count", [3, 30])
def test_map_data_costs_one_query(client, django_assert_num_queries, count):
    _records(count)
    with django_assert_num_queries(1):
        client.get("/en/search/map.json", {"q": "terminal"})


def test_search_page_says_which_vocabulary_filter_it_did_not_understand(client):
    initiative(title="Harbour school days")
    index()
    response = client.get(
        reverse("search:search"), {"q": "harbour", "theme": "no-such-theme", "goal": "99"}
    )
    assert response.status_code == 200
    errors = response.context["errors"]
    assert "no-such-theme" in errors["theme"]
    assert "99" in errors["goal"]
    assert errors["theme"].startswith("Theme:")
    assert "no-such-theme" in response.content.decode()
    # What was understood still searches: the unknown values are left out, not matched.
    assert response.context["results"].total == 1
    assert response.context["params"].themes == ()
    known = client.get(reverse("search:search"), {"q": "harbour", "theme": theme_slugs()[0]})
    assert "theme" not in known.context["errors"]
