from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from portolan.accounts.models import Organisation
from portolan.catalogue.demo import demo_editor_organisation, generate_demo
from portolan.catalogue.models import Initiative, InitiativeTranslation, PortCenter
from portolan.catalogue.reference import load_reference
from portolan.places.models import PortCity

pytestmark = pytest.mark.django_db(transaction=False)


def test_small_demo_set_is_marked_demo_everywhere():
    report = generate_demo(size=50, rebuild_index=False)
    assert report.initiatives_created == 50
    initiatives = Initiative.objects.all()
    assert initiatives.count() == 50
    assert not initiatives.filter(is_demo=False).exists()
    assert all(i.title.endswith("[demo]") for i in initiatives)
    assert all(".invalid/" in i.links for i in initiatives)
    orgs = Organisation.objects.all()
    assert orgs.exists()
    assert not orgs.filter(is_demo=False).exists()
    assert all(o.name.startswith("Demo ") for o in orgs)
    assert all(".invalid/" in o.website for o in orgs)
    assert not PortCenter.objects.filter(is_demo=False).exists()
    assert {o.kind for o in orgs} == {
        "port_authority",
        "city",
        "port_center",
        "company",
        "association",
        "university",
        "public_agency",
    }


def test_demo_records_have_vocabulary_links_years_and_languages():
    generate_demo(size=50, rebuild_index=False)
    initiatives = Initiative.objects.prefetch_related("themes", "goals", "audiences")
    assert all(i.themes.all() and i.goals.all() and i.audiences.all() for i in initiatives)
    assert all(i.start_year and 2000 < i.start_year < 2030 for i in initiatives)
    assert initiatives.filter(publication_status="published").count() > 25
    assert {i.language for i in initiatives} <= {"en", "fr", "es"}
    for initiative in initiatives:
        initiative.full_clean()


def test_demo_port_cities_are_real_and_only_new_ones_are_marked_demo():
    load_reference()
    generate_demo(size=50, rebuild_index=False)
    le_havre = PortCity.objects.get(name="Le Havre")
    assert not le_havre.is_demo  # loaded by the reference data first
    assert le_havre.latitude == pytest.approx(49.49, abs=0.05)
    assert PortCity.objects.filter(is_demo=True).exists()
    assert PortCity.objects.filter(is_demo=True, geonameid__isnull=True).count() == 0


def test_keep_existing_tops_up_and_adds_nothing_the_second_time():
    generate_demo(size=30, keep_existing=True, rebuild_index=False)
    generate_demo(size=50, keep_existing=True, rebuild_index=False)
    assert Initiative.objects.count() == 50
    slugs = set(Initiative.objects.values_list("slug", flat=True))
    counts = (Organisation.objects.count(), PortCenter.objects.count(), PortCity.objects.count())
    report = generate_demo(size=50, keep_existing=True, rebuild_index=False)
    assert report.initiatives_created == 0
    assert set(Initiative.objects.values_list("slug", flat=True)) == slugs
    assert (
        Organisation.objects.count(),
        PortCenter.objects.count(),
        PortCity.objects.count(),
    ) == counts


def test_regenerating_replaces_demo_data_and_keeps_reference_data():
    load_reference()
    reference = Organisation.objects.filter(is_reference=True).count()
    generate_demo(size=40, rebuild_index=False)
    generate_demo(size=20, rebuild_index=False)
    assert Initiative.objects.filter(is_demo=True).count() == 20
    assert Organisation.objects.filter(is_reference=True).count() == reference
    assert PortCenter.objects.filter(is_reference=True).count() == 24


def test_demo_editor_organisation_owns_a_record_in_every_status():
    generate_demo(size=50, rebuild_index=False)
    org = demo_editor_organisation()
    statuses = set(
        Initiative.objects.filter(organisation=org).values_list("publication_status", flat=True)
    )
    assert statuses == {"draft", "submitted", "published", "changes_requested", "rejected"}


def test_some_initiatives_have_translations():
    generate_demo(size=200, rebuild_index=False)
    translations = InitiativeTranslation.objects.select_related("initiative")
    assert translations.exists()
    assert all(t.language != t.initiative.language for t in translations)


def test_generate_demo_command_reports_and_indexes():
    out = StringIO()
    call_command("generate_demo", "--size", "20", "--seed", "3", stdout=out)
    assert "20 demo initiatives" in out.getvalue()
    assert "Search index" in out.getvalue()


def test_demo_records_are_in_the_history_with_reason_demo_and_their_links():
    generate_demo(size=30, rebuild_index=False)
    initiative = Initiative.objects.prefetch_related("themes").first()
    version = initiative.history.get()
    assert version.history_change_reason == "demo"
    assert version.linked["themes"] == sorted(t.slug for t in initiative.themes.all())
    assert Initiative.history.count() == 30
    assert PortCenter.history.filter(history_change_reason="demo").count() == (
        PortCenter.objects.count()
    )
    assert Organisation.history.filter(history_change_reason="demo").count() == (
        Organisation.objects.count()
    )


def test_no_two_demo_organisations_share_a_description_body():
    generate_demo(size=400, rebuild_index=False)
    bodies = [
        o.description.replace(o.name, "").split("Demo organisation")[0]
        for o in Organisation.objects.all()
    ]
    assert len(bodies) > 10
    assert len(set(bodies)) == len(bodies)
