"""Staff import: dry run, all-or-nothing commit, idempotence, history, broken files, the page and
the command."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portolan.accounts.models import Organisation
from portolan.catalogue.models import Initiative, PortCenter
from portolan.catalogue.services import bulk
from portolan.opendata import importing, services
from portolan.opendata.models import ImportRun
from portolan.testing.factories import (
    OrganisationFactory,
    PortCityFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ORGS_CSV = (
    "external_id,name,kind,port_city,country,website,is_member\n"
    "ORG-1,Port of Le Havre,port_authority,Le Havre,FR,https://example.org,yes\n"
    "ORG-2,Ville du Havre,city,le-havre,,,no\n"
)


@pytest.fixture
def havre():
    return PortCityFactory(name="Le Havre", slug="le-havre", country="FR")


@pytest.fixture
def staff():
    return StaffFactory()


def run(kind, text, user=None, commit=True, filename="file.csv"):
    data = text.encode() if isinstance(text, str) else text
    if commit:
        return services.import_file(kind=kind, filename=filename, data=data, user=user)
    return services.check_file(kind=kind, filename=filename, data=data)


def test_dry_run_says_what_would_be_created_and_writes_nothing(havre):
    output = run("organisations", ORGS_CSV, commit=False)
    assert output.ok
    assert [(r.line, r.action) for r in output.plan.rows] == [(2, "create"), (3, "create")]
    assert Organisation.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_commit_creates_records_with_history_by_the_staff_user(havre, staff):
    output = run("organisations", ORGS_CSV, user=staff)
    assert output.ok
    org = Organisation.objects.get(external_id="ORG-1")
    assert org.port_city == havre and org.is_member and org.slug == "port-of-le-havre"
    assert Organisation.objects.get(external_id="ORG-2").port_city == havre
    history = org.history.get()
    assert history.history_user == staff
    assert history.history_type == "+"
    assert "file.csv" in history.history_change_reason
    run_row = ImportRun.objects.get()
    assert (run_row.outcome, run_row.created, run_row.user) == ("committed", 2, staff)


def test_reimporting_the_same_file_changes_nothing(havre, staff):
    run("organisations", ORGS_CSV, user=staff)
    second = run("organisations", ORGS_CSV, user=staff)
    assert second.ok
    assert {r.action for r in second.plan.rows} == {"unchanged"}
    assert Organisation.objects.count() == 2
    assert Organisation.history.count() == 2  # no new history rows for unchanged records


def test_changed_row_is_an_update_listing_the_changed_fields(havre, staff):
    run("organisations", ORGS_CSV, user=staff)
    changed = ORGS_CSV.replace("Ville du Havre,city", "City of Le Havre,city")
    output = run("organisations", changed, user=staff)
    actions = {r.external_id: (r.action, r.changed_fields) for r in output.plan.rows}
    assert actions["ORG-1"] == ("unchanged", [])
    assert actions["ORG-2"] == ("update", ["name"])
    org = Organisation.objects.get(external_id="ORG-2")
    assert org.name == "City of Le Havre"
    assert org.slug == "ville-du-havre"  # slugs are stable across updates
    assert org.history.count() == 2 and org.history.first().history_type == "~"


def test_one_bad_row_rolls_back_the_whole_file_and_every_error_is_listed(havre, staff):
    text = ORGS_CSV + (
        "ORG-3,,spaceship,Atlantis,FR,not a url,maybe\n"  # four problems on one row
        "ORG-1,Duplicate,city,le-havre,,,\n"
    )
    output = run("organisations", text, user=staff)
    assert not output.ok
    assert Organisation.objects.count() == 0
    bad = output.plan.rows[2]
    joined = " | ".join(bad.errors)
    for fragment in ("name:", "kind:", "port_city:", "is_member:", "website:"):
        assert fragment in joined
    assert "earlier row" in " ".join(output.plan.rows[3].errors)
    assert output.plan.counts["error"] == 2
    rejected = ImportRun.objects.get()
    assert rejected.outcome == "rejected" and rejected.errors == 2


def test_database_failure_in_the_middle_keeps_nothing(havre, staff, monkeypatch):
    from django.db import IntegrityError

    def failing_relations(*args, **kwargs):
        raise IntegrityError("simulated failure after the records were written")

    monkeypatch.setattr(bulk, "write_links", failing_relations)
    output = run("organisations", ORGS_CSV, user=staff)
    assert output.file_error
    assert Organisation.objects.count() == 0
    assert Organisation.history.count() == 0
    assert ImportRun.objects.count() == 0


def test_commit_costs_a_constant_number_of_queries(havre, staff, django_assert_max_num_queries):
    OrganisationFactory(slug="owner", port_city=havre)
    header = "external_id,title,summary,organisation,port_city,themes,goals,audiences\n"
    rows = "".join(
        f"I-{n},Title {n},Summary,owner,le-havre,education;heritage,1;6,schools\n"
        for n in range(80)
    )
    with django_assert_max_num_queries(50):  # 80 rows: far fewer queries than rows
        output = run("initiatives", header + rows, user=staff)
    assert output.ok
    assert Initiative.objects.count() == 80
    assert Initiative.history.filter(history_user=staff).count() == 80
    assert Initiative.themes.through.objects.count() == 160


def test_imported_records_are_searchable_at_once(client, havre, staff):
    OrganisationFactory(slug="owner", port_city=havre)
    text = (
        "external_id,title,summary,organisation,port_city\nI-1,Lighthouse tours,S,owner,le-havre\n"
    )
    run("initiatives", text, user=staff)
    response = client.get("/en/open-data/export.json?q=lighthouse")
    data = json.loads(b"".join(response.streaming_content))
    assert [r["name"] for r in data["records"]] == ["Lighthouse tours"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,kind\nX,city\n", "Missing required columns: external_id"),
        ("external_id,name,kind,colour\nX,Y,city,blue\n", "Unknown columns: colour"),
    ],
)
def test_wrong_columns_are_file_errors(text, message):
    output = run("organisations", text, commit=False)
    assert not output.ok
    assert message in output.plan.file_errors[0]


def test_broken_file_is_a_clear_message_and_writes_nothing(staff):
    output = run("organisations", "external_id,name\nx,Génova\n".encode("latin-1"), user=staff)
    assert "UTF-8" in output.file_error
    assert ImportRun.objects.count() == 0


def test_port_centers_import_resolves_owner_city_vocabulary_and_offers(havre, staff):
    owner = OrganisationFactory(slug="owner", external_id="OWN-1", port_city=havre)
    OrganisationFactory(slug="operator-two", port_city=havre)
    text = (
        "external_id,name,organisation,port_city,country,operators,opening_year,status,"
        "staff_fte,audiences,offers,latitude,longitude,sources\n"
        "PC-1,Le Havre Port Center,OWN-1,Le Havre,FR,OWN-1;operator-two,2015,open,"
        "2.5,schools;general-public,exhibition;boat_tours,49.49,0.1,https://a.example https://b.example\n"
    )
    output = run("port-centers", text, user=staff)
    assert output.ok, output.plan.rows[0].errors
    pc = PortCenter.objects.get(external_id="PC-1")
    assert pc.organisation == owner and pc.port_city == havre
    assert pc.is_published and pc.published_at is not None
    assert sorted(pc.operators.values_list("slug", flat=True)) == ["operator-two", "owner"]
    assert sorted(pc.audiences.values_list("slug", flat=True)) == ["general-public", "schools"]
    assert pc.offers == ["exhibition", "boat_tours"]
    assert str(pc.staff_fte) == "2.5"
    assert pc.source_list == ["https://a.example", "https://b.example"]
    again = run("port-centers", text, user=staff)
    assert [r.action for r in again.plan.rows] == ["unchanged"]


def test_initiatives_import_with_terms_and_year_checks(havre, staff):
    OrganisationFactory(slug="owner", port_city=havre)
    header = "external_id,title,summary,organisation,port_city,themes,goals,start_year,end_year\n"
    good = (
        "I-1,Harbour school days,Pupils visit the port,owner,le-havre,education,"
        "1;port-culture,2019,2021\n"
    )
    bad = "I-2,Bad years,Text,owner,le-havre,no-such-theme,42,2022,2020\n"
    output = run("initiatives", header + good + bad, user=staff)
    assert not output.ok
    errors = " | ".join(output.plan.rows[1].errors)
    assert "no-such-theme" in errors and "42" in errors and "end year" in errors
    assert Initiative.objects.count() == 0
    output = run("initiatives", header + good, user=staff)
    assert output.ok
    initiative = Initiative.objects.get(external_id="I-1")
    assert sorted(initiative.goals.values_list("number", flat=True)) == [1, 6]
    assert list(initiative.themes.values_list("slug", flat=True)) == ["education"]
    assert initiative.history.get().history_user == staff


def test_new_record_without_port_city_is_an_error(staff):
    OrganisationFactory(slug="owner")
    text = "external_id,title,summary,organisation\nI-1,T,S,owner\n"
    output = run("initiatives", text, commit=False)
    assert "port_city: this cell is required" in " ".join(output.plan.rows[0].errors)


def test_plan_costs_a_constant_number_of_queries(havre, django_assert_max_num_queries):
    rows = "".join(f"ORG-{n},Org {n},city,le-havre,,,\n" for n in range(60))
    text = "external_id,name,kind,port_city,country,website,is_member\n" + rows
    with django_assert_max_num_queries(12):
        output = run("organisations", text, commit=False)
    assert output.plan.counts["create"] == 60


# --- the page -------------------------------------------------------------------------------------


def test_import_page_is_for_staff_only(client):
    url = reverse("opendata:import")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_staff_checks_then_imports_a_file_through_the_page(client, havre, staff):
    client.force_login(staff)
    url = reverse("opendata:import")
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("opendata:import_template", args=["initiatives", "csv"]).encode() in page.content
    upload = io.BytesIO(ORGS_CSV.encode())
    upload.name = "orgs.csv"
    response = client.post(url, {"kind": "organisations", "file": upload})
    assert response.status_code == 200
    assert Organisation.objects.count() == 0
    token = response.context["token"]
    assert token and b"Import this file now" in response.content
    response = client.post(url, {"token": token}, follow=True)
    assert Organisation.objects.count() == 2
    assert b"2 created" in response.content
    assert Organisation.objects.get(external_id="ORG-1").history.get().history_user == staff
    # the token is single use
    response = client.post(url, {"token": token}, follow=True)
    assert b"upload it again" in response.content
    assert Organisation.objects.count() == 2


def test_page_shows_every_row_error_and_no_import_button(client, havre, staff):
    client.force_login(staff)
    upload = io.BytesIO(b"external_id,name,kind\nA,,city\nB,Ok,alien\n")
    upload.name = "bad.csv"
    response = client.post(reverse("opendata:import"), {"kind": "organisations", "file": upload})
    assert response.status_code == 200
    assert response.context["token"] == ""
    assert (
        b"name: This field cannot be blank" in response.content
        or b"name: this cell" in response.content
    )
    assert b"alien" in response.content
    assert b"Import this file now" not in response.content


def test_page_reports_a_broken_xlsx(client, staff):
    client.force_login(staff)
    upload = io.BytesIO(b"PK\x03\x04garbage")
    upload.name = "bad.xlsx"
    response = client.post(reverse("opendata:import"), {"kind": "organisations", "file": upload})
    assert b"not a valid XLSX" in response.content


def test_templates_download_with_the_documented_columns(client, staff):
    client.force_login(staff)
    response = client.get(reverse("opendata:import_template", args=["port-centers", "csv"]))
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == importing.column_names("port-centers")
    response = client.get(reverse("opendata:import_template", args=["initiatives", "xlsx"]))
    assert response.content[:2] == b"PK"


# --- the command ----------------------------------------------------------------------------------


def test_command_dry_run_then_commit(tmp_path, havre, staff):
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_records", str(path), "--kind", "organisations", stdout=out)
    assert "Dry run: 2 to create" in out.getvalue()
    assert Organisation.objects.count() == 0
    out = io.StringIO()
    call_command(
        "import_records",
        str(path),
        "--kind",
        "organisations",
        "--commit",
        "--user",
        staff.email,
        stdout=out,
    )
    assert "Imported: 2 to create" in out.getvalue()
    assert Organisation.objects.get(external_id="ORG-1").history.get().history_user == staff


def test_command_with_errors_fails_and_writes_nothing(tmp_path, havre):
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS_CSV + "ORG-3,,alien,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_records", str(path), "--kind", "organisations", "--commit", stdout=io.StringIO()
        )
    assert Organisation.objects.count() == 0


def test_page_refuses_a_huge_file_with_a_clear_message(client, staff):
    from portolan.opendata.tabular import MAX_BYTES

    client.force_login(staff)
    upload = io.BytesIO(b"external_id,name\n" + b"x,y\n" * (MAX_BYTES // 4 + 10))
    upload.name = "huge.csv"
    response = client.post(reverse("opendata:import"), {"kind": "organisations", "file": upload})
    assert response.status_code == 400
    assert b"too large" in response.content
    assert ImportRun.objects.count() == 0


def test_page_accepts_an_xlsx_file(client, havre, staff):
    from openpyxl import Workbook

    client.force_login(staff)
    wb = Workbook()
    wb.active.append(["External_ID", "Name", "Kind", "Port_City"])
    wb.active.append(["X-1", "Port of Le Havre", "port_authority", "le-havre"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "orgs.xlsx"
    response = client.post(reverse("opendata:import"), {"kind": "organisations", "file": buffer})
    assert [r.action for r in response.context["output"].plan.rows] == ["create"]


def test_import_runs_are_read_only_in_the_admin(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get("/en/admin/opendata/importrun/").status_code == 200
    assert client.get("/en/admin/opendata/importrun/add/").status_code == 403


def test_imported_version_carries_its_links_and_restoring_it_brings_them_back(havre, staff):
    from portolan.catalogue import services as catalogue_services

    OrganisationFactory(slug="owner", port_city=havre)
    OrganisationFactory(slug="partner", port_city=havre)
    header = "external_id,title,summary,organisation,port_city,themes,goals,audiences,partners\n"
    first = "I-1,Harbour days,Pupils visit,owner,le-havre,education;heritage,1;6,schools,partner\n"
    run("initiatives", header + first, user=staff)
    initiative = Initiative.objects.get(external_id="I-1")
    version = initiative.history.get()
    assert version.linked == {
        "audiences": ["schools"],
        "goals": [1, 6],
        "partners": ["partner"],
        "themes": ["education", "heritage"],
    }
    # A second file changes the themes and leaves the other lists out: the new version keeps
    # the links it did not touch.
    second = run(
        "initiatives",
        "external_id,title,summary,organisation,themes\n"
        "I-1,Harbour days,Pupils visit,owner,energy\n",
        user=staff,
    )
    assert [r.action for r in second.plan.rows] == ["update"]
    latest = initiative.history.first()
    assert latest.linked["themes"] == ["energy"]
    assert latest.linked["goals"] == [1, 6] and latest.linked["partners"] == ["partner"]

    catalogue_services.record_restore(actor=staff, record=initiative, history_id=version.history_id)
    assert sorted(initiative.themes.values_list("slug", flat=True)) == ["education", "heritage"]
    assert list(initiative.partners.values_list("slug", flat=True)) == ["partner"]


def test_commit_runs_the_model_rules_once_per_row(havre, staff, monkeypatch):
    """The plan's check is the one the writer trusts: no row is validated twice."""
    calls = []
    checked = bulk.record_errors

    def counted(record):
        calls.append(record.external_id)
        return checked(record)

    monkeypatch.setattr(bulk, "record_errors", counted)
    monkeypatch.setattr(importing, "record_errors", counted)
    output = run("organisations", ORGS_CSV, user=staff)
    assert output.ok
    assert sorted(calls) == ["ORG-1", "ORG-2"]
    # A bad row is still caught by that one check, and nothing is written.
    calls.clear()
    bad = ORGS_CSV.replace("https://example.org", "notaurl").replace("ORG-", "NEW-")
    output = run("organisations", bad, user=staff)
    assert not output.ok
    assert any(e.startswith("website:") for e in output.plan.rows[0].errors)
    assert sorted(calls) == ["NEW-1", "NEW-2"]
    assert Organisation.objects.count() == 2
