import json
import re

import pytest

from portolan.catalogue.models import PublicationStatus
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)


@pytest.mark.django_db
def test_port_city_page_shows_its_records_and_coordinates(client):
    city = PortCityFactory(
        name="Dunkirk",
        country="FR",
        region="EU",
        latitude=51.0344,
        longitude=2.3768,
        population=86000,
    )
    owner = OrganisationFactory(name="Dunkirk Port", port_city=city)
    PortCenterFactory(name="Dunkirk Port Center", organisation=owner)
    InitiativeFactory(title="Ships and schools", organisation=owner)
    InitiativeFactory(
        title="Draft idea", organisation=owner, publication_status=PublicationStatus.DRAFT
    )

    response = client.get("/en/places/" + city.slug + "/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Dunkirk",
        "France",
        "Europe",
        "86,000",
        "51.0344, 2.3768",
        "Dunkirk Port Center",
        "Ships and schools",
        "Dunkirk Port",
    ]:
        assert text in html, text
    assert "Draft idea" not in html


@pytest.mark.django_db
def test_port_city_json_ld_is_a_place_with_geo(client):
    city = PortCityFactory(name="Riga", country="LV", latitude=56.95, longitude=24.1)
    html = client.get(city.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Place"
    assert data["name"] == "Riga"
    assert data["geo"]["latitude"] == 56.95
    assert data["address"]["addressCountry"] == "LV"
    assert '<meta property="og:title" content="Riga">' in html


@pytest.mark.django_db
def test_port_city_map_data_holds_the_city_and_its_port_centers(client):
    city = PortCityFactory(latitude=10.0, longitude=20.0)
    PortCenterFactory(name="Placed", organisation__port_city=city, latitude=10.1, longitude=20.1)
    html = client.get(city.get_absolute_url()).content.decode()
    block = re.search(
        r'<script id="port-city-map-data" type="application/json">(.*?)</script>', html
    )
    points = json.loads(block.group(1))
    assert [p["name"] for p in points] == [city.name, "Placed"]


@pytest.mark.django_db
def test_unknown_port_city_gives_404(client):
    assert client.get("/en/places/atlantis/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_port_city_page_query_count_does_not_grow_with_records(
    client, django_assert_num_queries, size
):
    city = PortCityFactory()
    for _ in range(size):
        owner = OrganisationFactory(port_city=city)
        PortCenterFactory(organisation=owner)
        InitiativeFactory(organisation=owner)
    # city + Port Centers + initiatives (+ their total when the list is full) + organisations
    expected = 5 if size >= 20 else 4
    with django_assert_num_queries(expected):
        assert client.get(city.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_port_city_list_shows_published_record_counts(client):
    city = PortCityFactory(name="Valencia", country="ES")
    owner = OrganisationFactory(port_city=city)
    PortCenterFactory(organisation=owner)
    InitiativeFactory.create_batch(2, organisation=owner)
    InitiativeFactory(organisation=owner, publication_status=PublicationStatus.DRAFT)

    html = client.get("/en/places/").content.decode()

    row = html.split(">Valencia</a>")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "2"]


@pytest.mark.django_db
def test_port_city_list_filters_by_region_and_rejects_bad_values_gently(client):
    PortCityFactory(name="Montreal", country="CA", region="NA")
    PortCityFactory(name="Genoa", country="IT", region="EU")

    html = client.get("/en/places/?region=NA").content.decode()
    assert "Montreal" in html
    assert "Genoa" not in html

    response = client.get("/en/places/?region=XX&page=999")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 60])
def test_port_city_list_query_count_is_constant(client, django_assert_num_queries, size):
    PortCityFactory.create_batch(size)
    # countries for the filter + page count + page rows + the two cached per-city counts
    with django_assert_num_queries(5):
        assert client.get("/en/places/").status_code == 200
