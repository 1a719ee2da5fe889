from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from portolan.accounts.models import Organisation
from portolan.catalogue.models import PortCenter
from portolan.catalogue.reference import load_reference, read_rows
from portolan.core.models import Audience, Goal, Mission, Theme
from portolan.places.models import PortCity

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organisation.objects.count(),
        PortCenter.objects.count(),
        PortCity.objects.count(),
        Organisation.history.count(),
        PortCenter.history.count(),
    )


def test_load_reference_loads_every_row_of_the_csv():
    report = load_reference()
    rows = read_rows()
    assert len(rows) == 26
    assert Organisation.objects.filter(is_reference=True).count() == 26
    # Two rows name no port city: organisation only (see data/reference-mapping.json).
    assert PortCenter.objects.filter(is_reference=True, is_demo=False).count() == 24
    assert len(report.without_profile) == 2
    assert report.problems == []
    assert Goal.objects.count() == 10
    assert Mission.objects.count() == 10
    assert Theme.objects.exists()
    assert Audience.objects.exists()
    assert not PortCenter.objects.exclude(publication_status="published").exists()


def test_load_reference_twice_writes_nothing_new():
    load_reference()
    before = _counts()
    report = load_reference()
    assert _counts() == before
    assert report.created == []
    assert report.updated == []


def test_changed_value_is_updated_with_one_history_row():
    load_reference()
    genoa = PortCenter.objects.get(external_id="ref:port-center:genoa-port-center")
    genoa.surface_m2 = 999
    genoa.save()
    history_before = PortCenter.history.count()
    report = load_reference()
    genoa.refresh_from_db()
    assert genoa.surface_m2 == 500
    assert report.updated == ["Port Center Genoa Port Center"]
    assert PortCenter.history.count() == history_before + 1


def test_sourced_values_and_sources_are_stored():
    load_reference()
    lillo = PortCenter.objects.get(name="Havencentrum Lillo (Port Center Lillo)")
    assert lillo.port_city.name == "Antwerp"
    assert lillo.opening_year == 1988
    assert lillo.visitors_per_year == 40000
    assert lillo.visitors_year_of_figure == 2018
    assert len(lillo.source_list) == 4
    assert all(url.startswith("http") for url in lillo.source_list)
    assert lillo.operator_text.startswith("Province of Antwerp")


def test_values_the_sources_do_not_give_stay_empty():
    load_reference()
    ashdod = PortCenter.objects.get(name="Ashdod Visitor Center")
    assert ashdod.charter_signed_year == 2014
    assert ashdod.opening_year is None
    assert ashdod.surface_m2 is None
    assert ashdod.visitors_per_year is None
    assert ashdod.status == ""
    assert ashdod.contact_email == ""
    assert ashdod.website == ""


def test_status_only_where_the_notes_are_unambiguous():
    load_reference()
    assert PortCenter.objects.get(name="Havenwereld (Port World)").status == "project"
    assert PortCenter.objects.get(name="Port Center Barcelona (project)").status == "project"
    assert PortCenter.objects.get(name="Genoa Port Center").status == ""


def test_charter_signatories_are_members_and_overseas_cities_are_french():
    load_reference()
    assert Organisation.objects.get(name="Livorno Port Center").is_member
    assert Organisation.objects.get(name="Port and City of Dublin (charter signatory)").is_member
    assert not Organisation.objects.get(name="EIC Rotterdam").is_member
    guadeloupe = PortCenter.objects.get(name__startswith="Port of Guadeloupe")
    assert guadeloupe.port_city.country == "FR"
    assert guadeloupe.port_city.region == "NA"


def test_rows_without_port_city_keep_notes_and_sources_on_the_organisation():
    load_reference()
    transnet = Organisation.objects.get(name__startswith="Transnet")
    assert transnet.kind == "port_authority"
    assert transnet.port_city is None
    assert "Sources:" in transnet.description
    assert "http" in transnet.description


def test_no_email_address_is_published():
    load_reference()
    for center in PortCenter.objects.all():
        assert "@" not in center.notes + center.operator_text + center.contact_email


def test_load_reference_command_reports_counts():
    out = StringIO()
    call_command("load_reference", stdout=out)
    call_command("load_reference", stdout=out)
    assert "0 created, 0 updated, 50 unchanged" in out.getvalue()


def test_reference_records_have_history_with_their_reason_and_links_snapshot():
    load_reference()
    genoa = PortCenter.objects.get(external_id="ref:port-center:genoa-port-center")
    version = genoa.history.get()
    assert version.history_change_reason == "reference"
    assert version.linked == {"audiences": [], "operators": []}
    organisation = Organisation.objects.get(external_id="ref:organisation:genoa-port-center")
    assert organisation.history.get().history_change_reason == "reference"


def test_loaded_reference_records_are_found_by_search(django_capture_on_commit_callbacks):
    from portolan.search.selectors import SearchParams, search

    with django_capture_on_commit_callbacks(execute=True):
        load_reference()
    results = search(SearchParams(q="Genoa", types=("port_center",)))
    assert results.total >= 1
    assert any("Genoa" in hit.title for hit in results.hits)
