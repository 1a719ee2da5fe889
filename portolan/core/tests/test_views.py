import json
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import RequestFactory

from portolan.catalogue.models import PublicationStatus
from portolan.core import views
from portolan.core.models import Goal, Mission
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_vocabulary_is_loaded_by_migrations_in_three_languages():
    assert Goal.objects.count() == 10
    assert Mission.objects.count() == 10
    goal = Goal.objects.get(number=8)
    assert goal.name_en == "Port-city interface"
    assert goal.name_fr == "Interface ville-port"
    assert goal.name_es == "Interfaz puerto-ciudad"


@pytest.mark.django_db
def test_about_page_lists_goals_in_the_active_language(client):
    response = client.get("/fr/about/")
    assert response.status_code == 200
    assert "Protéger la biodiversité" in response.content.decode()


def test_floor_view_needs_no_database(client):
    assert client.get("/floor/").content == b"ok"


@pytest.mark.django_db
def test_unknown_page_renders_friendly_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_database(client):
    assert client.get("/healthz/").json()["status"] == "ok"


def _stat(html: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", html)
    assert match, label
    return match.group(1)


@pytest.mark.django_db
def test_home_counts_only_published_records(client):
    havre = PortCityFactory(name="Le Havre", country="FR")
    genoa = PortCityFactory(name="Genoa", country="IT")
    owner = OrganisationFactory(port_city=havre)
    PortCenterFactory(organisation=owner)
    PortCenterFactory(organisation=owner, publication_status=PublicationStatus.DRAFT)
    InitiativeFactory.create_batch(3, organisation=owner, port_city=genoa)
    InitiativeFactory(organisation=owner, publication_status=PublicationStatus.SUBMITTED)

    html = client.get("/en/").content.decode()

    assert _stat(html, "Port Centers") == "1"
    assert _stat(html, "Initiatives") == "3"
    assert _stat(html, "Organisations") == "1"
    assert _stat(html, "Port cities") == "2"
    assert _stat(html, "Countries") == "2"


@pytest.mark.django_db
def test_home_lists_latest_published_records_but_not_drafts(client):
    InitiativeFactory(title="Port days for schools")
    InitiativeFactory(title="Secret draft", publication_status=PublicationStatus.DRAFT)
    PortCenterFactory(name="Harbour House")

    html = client.get("/en/").content.decode()

    assert "Port days for schools" in html
    assert "Harbour House" in html
    assert "Secret draft" not in html


@pytest.mark.django_db
def test_home_map_lists_port_centers_with_coordinates_without_javascript(client):
    city = PortCityFactory(name="Livorno", latitude=43.55, longitude=10.31)
    PortCenterFactory(name="Livorno Port Center", organisation__port_city=city)

    html = client.get("/en/").content.decode()

    fallback = html.split('class="map__fallback"')[1].split("</ul>")[0]
    assert "Livorno Port Center" in fallback
    assert "43.550, 10.310" in fallback
    data = re.search(r'<script id="home-map-data" type="application/json">(.*?)</script>', html)
    assert data, "the map data block is missing"
    points = json.loads(data.group(1))
    assert points == [
        {
            "name": "Livorno Port Center",
            "slug": points[0]["slug"],
            "city": "Livorno",
            "lat": 43.55,
            "lon": 10.31,
        }
    ]


@pytest.mark.django_db
def test_home_shows_the_ten_goals_and_a_search_box_pointing_to_search(client):
    html = client.get("/en/").content.decode()

    assert html.count('class="goal"') == 10
    assert "Climate change adaptation" in html
    assert "Protecting biodiversity" in html
    assert re.search(
        r'<form class="search-box" role="search" action="/en/search/" method="get">', html
    )
    assert 'name="q"' in html


@pytest.mark.django_db
def test_home_loads_map_script_from_static_files_not_inline(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert '<script src="/static/leaflet/leaflet.js" defer></script>' in html
    assert '<script src="/static/js/map.js" defer></script>' in html
    scripts = re.findall(r"<script([^>]*)>", html)
    for attributes in scripts:
        assert "src=" in attributes or "application/json" in attributes or "ld+json" in attributes
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_home_costs_the_same_number_of_queries_whatever_the_data(
    client, django_assert_num_queries, size
):
    owner = OrganisationFactory()
    PortCenterFactory.create_batch(size, organisation=owner)
    InitiativeFactory.create_batch(size, organisation=owner)
    # stats (5) + latest initiatives + latest Port Centers + map points + goals
    with django_assert_num_queries(9):
        assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_home_counts_and_lists_are_cached_between_requests(client, django_assert_num_queries):
    client.get("/en/")
    with django_assert_num_queries(1):  # only the goals
        client.get("/en/")


@pytest.mark.django_db
def test_navigation_links_to_main_sections_and_sign_in(client):
    html = client.get("/en/").content.decode()
    for href in ("/en/", "/en/search/", "/en/catalogue/", "/en/open-data/", "/en/about/"):
        assert f'href="{href}"' in html
    assert 'href="/en/accounts/login/"' in html
    assert 'class="skip-link" href="#main"' in html


@pytest.mark.django_db
def test_signed_in_user_sees_sign_out_instead_of_sign_in(client):
    client.force_login(UserFactory())
    html = client.get("/en/").content.decode()
    assert 'href="/en/accounts/login/"' not in html
    assert "Sign out" in html


@pytest.mark.django_db
def test_server_error_page_renders_without_any_query(django_assert_num_queries):
    request = RequestFactory().get("/en/boom/")
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_still_renders_when_the_database_is_down(client, monkeypatch):
    client.force_login(UserFactory())

    def database_down(self, *args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(SessionStore, "load", database_down)
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_home_without_port_centers_says_so_instead_of_an_empty_map(client):
    html = client.get("/en/").content.decode()
    assert "No places with coordinates yet." in html
    assert 'id="home-map-data"' not in html


@pytest.mark.django_db
def test_home_map_fallback_lists_fifty_places_and_links_to_the_rest(client):
    owner = OrganisationFactory()
    PortCenterFactory.create_batch(55, organisation=owner)
    html = client.get("/en/").content.decode()
    fallback = html.split('class="map__list"')[1].split("</ul>")[0]
    assert fallback.count("<li>") == 50
    assert "See all 55 of them" in html
    points = json.loads(
        re.search(r'<script id="home-map-data" type="application/json">(.*?)</script>', html).group(
            1
        )
    )
    assert len(points) == 55


@pytest.mark.django_db
def test_main_menu_marks_catalogue_current_only_on_public_catalogue_pages(client):
    from portolan.testing.factories import MembershipFactory

    public = client.get("/en/catalogue/").content.decode()
    assert 'aria-current="page">Catalogue<' in public.replace("\n", "")
    membership = MembershipFactory()
    client.force_login(membership.user)
    dashboard = client.get("/en/catalogue/dashboard/").content.decode()
    assert 'aria-current="page">Catalogue<' not in dashboard.replace("\n", "")


def test_dates_are_formatted_per_language():
    import datetime

    from django.utils import formats, translation

    day = datetime.date(2026, 11, 28)
    with translation.override("en"):
        assert formats.date_format(day) == "28 November 2026"
    with translation.override("fr"):
        assert formats.date_format(day) == "28 novembre 2026"
    with translation.override("es"):
        assert formats.date_format(day) == "28 de noviembre de 2026"
