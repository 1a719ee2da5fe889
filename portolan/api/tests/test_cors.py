"""The CORS rule (django-cors-headers, kept to reads) on the open-data reads: exports and feeds
may be fetched by scripts on other sites, like the API."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "https://other.example"}


def _preflight(client, url, method="GET"):
    return client.options(url, HTTP_ACCESS_CONTROL_REQUEST_METHOD=method, **ORIGIN)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_preflight_allows_reads_only(client, fmt):
    url = reverse("opendata:export", args=[fmt])
    assert url.startswith("/en/open-data/")
    preflight = _preflight(client, url)
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Authorization" not in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight


def test_export_without_language_prefix_is_cors_open_up_to_its_redirect(client):
    # A browser follows the redirect to /en/... only if the redirect itself is CORS-open.
    response = client.get("/open-data/export.csv", **ORIGIN)
    assert response.status_code in (301, 302)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_export_and_feed_answers_are_cors_open(client):
    for url in (
        reverse("opendata:export", args=["json"]),
        "/fr/open-data/export.csv",
        "/feeds/initiatives.rss",
        "/feeds/initiatives.atom",
    ):
        response = client.get(url, **ORIGIN)
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response, url


def test_other_open_data_pages_are_not_cors_open(client):
    for url in (reverse("opendata:index"), reverse("opendata:import"), "/sitemap.xml"):
        response = client.get(url, **ORIGIN)
        assert "Access-Control-Allow-Origin" not in response, url
        preflight = _preflight(client, url)
        assert "Access-Control-Allow-Origin" not in preflight, url
