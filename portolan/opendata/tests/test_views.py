"""The open-data page explains and links the API, exports, feeds, licence and backup format."""

import pytest
from django.urls import reverse
from django.utils import translation

from portolan.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_open_data_page_links_api_exports_feeds_and_states_the_licence(client):
    response = client.get("/en/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for link in (
        'href="/api/docs"',
        'href="/en/open-data/export.csv"',
        'href="/en/open-data/export.xlsx"',
        'href="/en/open-data/export.json"',
        'href="/en/open-data/export.geojson"',
        'href="/feeds/initiatives.rss"',
        'href="/feeds/initiatives.atom"',
        'href="/sitemap.xml"',
    ):
        assert link in html
    assert "Open Database License (ODbL) 1.0" in html
    assert "50,000" in html
    assert "backup_data" in html and "--include-users" in html
    assert reverse("opendata:import") not in html  # the import link is for staff


def test_staff_see_the_import_link(client):
    client.force_login(StaffFactory())
    assert reverse("opendata:import").encode() in client.get("/en/open-data/").content


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_open_data_page_renders_in_each_language_without_queries(
    client, lang, django_assert_num_queries
):
    with translation.override(lang):
        url = reverse("opendata:index")
    assert url == f"/{lang}/open-data/"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert f'lang="{lang}"'.encode() in response.content
