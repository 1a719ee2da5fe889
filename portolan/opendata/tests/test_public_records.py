"""What the public record pages and the exports say about a record's point, dates and sources."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portolan.catalogue.location import ADDRESS, CITY, locate, record_location
from portolan.search import services as search_services
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

pytestmark = pytest.mark.django_db


def jsonld(client, record) -> dict:
    html = client.get(record.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def export(client, fmt, query="?type=port_center"):
    response = client.get(reverse("opendata:export", args=[fmt]) + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def centers():
    city = PortCityFactory(name="Ashdod", slug="ashdod", latitude=31.8, longitude=34.65)
    own = PortCenterFactory(
        name="Own point", slug="own-point", port_city=city, latitude=31.83, longitude=34.64
    )
    borrowed = PortCenterFactory(name="City point", slug="city-point", port_city=city)
    search_services.rebuild_index()
    return {"own": own, "borrowed": borrowed, "city": city}


# --- location precision ---------------------------------------------------------------------------


def test_locate_prefers_the_records_own_point_then_its_citys():
    assert locate(1.0, 2.0, 3.0, 4.0) == (1.0, 2.0, ADDRESS)
    assert locate(1.0, None, 3.0, 4.0) == (3.0, 4.0, CITY)
    assert locate(None, None, None, None) == (None, None, None)


def test_record_location_for_each_kind_of_record(centers):
    assert record_location(centers["own"]).precision == ADDRESS
    assert record_location(centers["borrowed"]) == (31.8, 34.65, CITY)
    assert record_location(centers["city"]).precision == CITY
    assert record_location(InitiativeFactory(port_city=centers["city"])).precision == CITY
    assert record_location(OrganisationFactory(port_city=None)).precision is None


def test_port_center_jsonld_says_when_its_point_is_only_the_citys(client, centers):
    data = jsonld(client, centers["borrowed"])
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 31.8, "longitude": 34.65}
    (precision,) = data["additionalProperty"]
    assert precision["propertyID"] == "location_precision" and precision["value"] == "city"
    assert "port city" in precision["description"]
    own = jsonld(client, centers["own"])
    assert own["geo"]["latitude"] == 31.83
    assert own["additionalProperty"] == [
        {"@type": "PropertyValue", "propertyID": "location_precision", "value": "address"}
    ]


def test_every_export_format_carries_the_location_precision(client, centers):
    rows = list(csv.DictReader(io.StringIO(export(client, "csv").decode("utf-8-sig"))))
    assert {r["slug"]: r["location_precision"] for r in rows} == {
        "own-point": "address",
        "city-point": "city",
    }
    records = json.loads(export(client, "json"))["records"]
    assert {r["slug"]: r["location_precision"] for r in records} == {
        "own-point": "address",
        "city-point": "city",
    }
    features = json.loads(export(client, "geojson"))["features"]
    by_slug = {f["properties"]["slug"]: f for f in features}
    assert by_slug["city-point"]["geometry"]["coordinates"] == [34.65, 31.8]
    assert by_slug["city-point"]["properties"]["location_precision"] == "city"
    sheet = load_workbook(io.BytesIO(export(client, "xlsx"))).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {
        row[header.index("slug")]: row[header.index("location_precision")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert cells == {"own-point": "address", "city-point": "city"}


def test_initiative_export_rows_are_at_city_precision(client, centers):
    InitiativeFactory(slug="in-ashdod", port_city=centers["city"])
    search_services.rebuild_index()
    (record,) = json.loads(export(client, "json", "?type=initiative"))["records"]
    assert record["location_precision"] == "city"


# --- dates in JSON-LD -----------------------------------------------------------------------------


def test_port_center_and_organisation_jsonld_carry_date_modified(client, centers):
    center = centers["own"]
    center.refresh_from_db()
    assert jsonld(client, center)["dateModified"] == center.updated_at.date().isoformat()
    organisation = OrganisationFactory()
    organisation.refresh_from_db()
    assert jsonld(client, organisation)["dateModified"] == (
        organisation.updated_at.date().isoformat()
    )


# --- sources --------------------------------------------------------------------------------------


def test_a_source_that_is_not_a_web_address_is_plain_text(client, centers):
    center = centers["own"]
    center.sources = (
        "https://www.aivp.org/portcenternetwork/charter/\n"
        "seeds/001_c97a5af0687ee5e2.txt\n"
        "javascript:alert(1)"
    )
    center.save()
    html = client.get(center.get_absolute_url()).content.decode()
    sources = re.search(r'<ol class="sources">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'href="([^"]*)"', sources) == [
        "https://www.aivp.org/portcenternetwork/charter/"
    ]
    assert "<li>seeds/001_c97a5af0687ee5e2.txt</li>" in sources
    assert "<li>javascript:alert(1)</li>" in sources
    assert jsonld(client, center)["subjectOf"] == [
        "https://www.aivp.org/portcenternetwork/charter/"
    ]


def test_initiative_links_that_are_not_web_addresses_are_plain_text(client):
    initiative = InitiativeFactory(links="http://example.org/report\nreport-2021.pdf")
    html = client.get(initiative.get_absolute_url()).content.decode()
    links = re.search(r'<ul class="links">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'href="([^"]*)"', links) == ["http://example.org/report"]
    assert "<li>report-2021.pdf</li>" in links
