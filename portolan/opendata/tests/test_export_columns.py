"""Export rows are built from each record type's declared columns (`RecordType.export`, in its
app's records.py): the published column layout and every type's values stay what they were, and
a new record type is exported from its declaration alone."""

import datetime as dt

import pytest

from portolan.core import registry
from portolan.core.models import Audience, Goal, Theme
from portolan.opendata.rows import EXPORT_FIELDS, export_fields, export_rows
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
SITE = "http://127.0.0.1:8000/en"


def test_the_export_columns_keep_their_published_order():
    assert export_fields() == EXPORT_FIELDS
    assert EXPORT_FIELDS == (
        "type", "id", "slug", "name", "summary", "url", "organisation", "organisation_name",
        "partners", "port_city", "port_city_name", "country", "region", "latitude", "longitude",
        "location_precision", "themes", "goals", "audiences", "offers", "status", "kind",
        "start_year", "end_year", "opening_year", "visitors_per_year", "language", "website",
        "published_at", "last_reviewed",
    )  # fmt: skip


def _slugs(related):
    return ";".join(sorted(obj.slug for obj in related.all()))


def _empty(**values):
    row = dict.fromkeys(EXPORT_FIELDS)
    row.update(values)
    return row


_HAVRE = {
    "port_city": "le-havre",
    "port_city_name": "Le Havre",
    "country": "FR",
    "region": "EU",
}


@pytest.fixture
def records(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    city = PortCityFactory(
        slug="le-havre", name="Le Havre", country="FR", region="EU", latitude=49.5, longitude=0.1
    )
    org = OrganisationFactory(
        slug="haropa", name="HAROPA", port_city=city, website="https://haropa.example"
    )
    partner = OrganisationFactory(slug="partner", name="Partner", port_city=city)
    initiative = InitiativeFactory(
        slug="harbour-days",
        title="Harbour days",
        summary="Pupils.",
        organisation=org,
        port_city=city,
        start_year=2015,
        end_year=2022,
        status="completed",
        language="fr",
        published_at=WHEN,
        last_reviewed=dt.date(2024, 1, 2),
    )
    initiative.themes.set(Theme.objects.order_by("slug")[:2])
    initiative.goals.set(Goal.objects.order_by("number")[:2])
    initiative.audiences.set(Audience.objects.order_by("slug")[:1])
    initiative.partners.set([partner])
    center = PortCenterFactory(
        slug="pc-havre",
        name="PC Havre",
        description="Visits.",
        organisation=org,
        port_city=city,
        opening_year=1990,
        visitors_per_year=1000,
        website="https://pc.example",
        offers=["tours", "exhibitions"],
        latitude=49.49,
        longitude=0.11,
        published_at=WHEN,
        last_reviewed=dt.date(2024, 1, 3),
    )
    center.audiences.set(Audience.objects.order_by("slug")[:2])
    center.operators.set([partner])
    in_city = PortCenterFactory(
        slug="pc-city", name="PC City", organisation=org, port_city=city, published_at=WHEN,
        last_reviewed=dt.date(2024, 1, 3),
    )  # fmt: skip
    return city, org, initiative, center, in_city


def test_each_record_type_fills_the_columns_it_always_did(records, django_assert_num_queries):
    city, org, initiative, center, in_city = records
    refs = [
        ("initiative", initiative.pk),
        ("port_center", center.pk),
        ("port_center", in_city.pk),
        ("organisation", org.pk),
        ("port_city", city.pk),
    ]
    # One query per type, one per many-to-many column.
    with django_assert_num_queries((1 + 4) + (1 + 2) + 1 + 1):
        rows = list(export_rows(refs))
    city_point = {"latitude": 49.5, "longitude": 0.1, "location_precision": "city"}
    assert rows == [
        _empty(
            type="initiative", id=initiative.pk, slug="harbour-days", name="Harbour days",
            summary="Pupils.", url=f"{SITE}/catalogue/initiatives/harbour-days/",
            organisation="haropa", organisation_name="HAROPA", partners="partner", **_HAVRE,
            **city_point, themes=_slugs(initiative.themes), goals=_slugs(initiative.goals),
            audiences=_slugs(initiative.audiences), status="completed", start_year=2015,
            end_year=2022, language="fr", published_at="2024-05-06T07:08:09+00:00",
            last_reviewed="2024-01-02",
        ),
        _empty(
            type="port_center", id=center.pk, slug="pc-havre", name="PC Havre", summary="Visits.",
            url=f"{SITE}/catalogue/port-centers/pc-havre/", organisation="haropa",
            organisation_name="HAROPA", partners="partner", **_HAVRE, latitude=49.49,
            longitude=0.11, location_precision="address", audiences=_slugs(center.audiences),
            offers="tours;exhibitions", status="open", opening_year=1990, visitors_per_year=1000,
            website="https://pc.example", published_at="2024-05-06T07:08:09+00:00",
            last_reviewed="2024-01-03",
        ),
        _empty(
            type="port_center", id=in_city.pk, slug="pc-city", name="PC City", summary="",
            url=f"{SITE}/catalogue/port-centers/pc-city/", organisation="haropa",
            organisation_name="HAROPA", partners="", **_HAVRE, **city_point, audiences="",
            offers="", status="open", website="", published_at="2024-05-06T07:08:09+00:00",
            last_reviewed="2024-01-03",
        ),
        _empty(
            type="organisation", id=org.pk, slug="haropa", name="HAROPA", summary="",
            url=f"{SITE}/catalogue/organisations/haropa/", **_HAVRE, **city_point,
            kind="port_authority", website="https://haropa.example",
        ),
        _empty(
            type="port_city", id=city.pk, slug="le-havre", name="Le Havre",
            url=f"{SITE}/places/le-havre/", **_HAVRE, **city_point,
        ),
    ]  # fmt: skip
    assert all(list(row) == list(EXPORT_FIELDS) for row in rows)


def test_a_new_record_type_is_exported_from_its_declared_columns(monkeypatch, records):
    """What a capability app (events, assessments) does: declare its columns, nothing more.
    Here a made-up type over the port city model, with a column no other type has."""
    city = records[0]
    harbour = registry.RecordType(
        key="harbour",
        label="Harbour",
        label_plural="harbours",
        model="places.PortCity",
        detail_url="places:detail",
        segment="harbours",
        export=registry.ExportSpec(
            columns=(registry.Column("name"), registry.Column("population")), city=""
        ),
    )
    monkeypatch.setitem(registry._TYPES, "harbour", harbour)
    assert export_fields() == (*EXPORT_FIELDS, "population")
    [row] = export_rows([("harbour", city.pk)])
    assert list(row) == [*EXPORT_FIELDS, "population"]
    assert row["type"] == "harbour" and row["name"] == "Le Havre"
    assert row["population"] == city.population and row["country"] == "FR"
    assert row["url"].endswith("/places/le-havre/")


def test_a_record_type_without_export_columns_is_left_out(monkeypatch, records):
    city = records[0]
    hidden = registry.RecordType(
        key="hidden",
        label="Hidden",
        label_plural="hidden",
        model="places.PortCity",
        detail_url="places:detail",
    )
    monkeypatch.setitem(registry._TYPES, "hidden", hidden)
    assert list(export_rows([("hidden", city.pk), ("port_city", city.pk)]))[0]["type"] == (
        "port_city"
    )
