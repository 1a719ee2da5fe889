"""One table of bad values, run through every write path: the editor form, the API, CSV and
XLSX imports and a backup restore. Each path refuses each value, and says so with the same
message, because the rule and its message live once, on the model (portolan/core/fields.py and
the catalogue models)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from portolan.api.tests.factories import member_with_token
from portolan.catalogue.models import Initiative
from portolan.core.fields import MARKUP_MESSAGE, NUL_MESSAGE, URL_LINE_MESSAGE, YEAR_MESSAGE
from portolan.core.models import Theme
from portolan.opendata import backup
from portolan.opendata import services as import_services
from portolan.testing.factories import InitiativeFactory, MembershipFactory, PortCityFactory

pytestmark = pytest.mark.django_db

YEAR = str(YEAR_MESSAGE % {"min": 1800, "max": 2100})

# (case, field, value, other fields it needs, expected message, paths that cannot carry it)
BAD_VALUES = [
    ("start_year_too_early", "start_year", 1200, {}, YEAR, set()),
    ("end_year_too_late", "end_year", 3000, {}, YEAR, set()),
    (
        "end_before_start",
        "end_year",
        2019,
        {"start_year": 2020},
        "The end year cannot be before the start year.",
        set(),
    ),
    ("link_not_a_url", "links", "notaurl", {}, str(URL_LINE_MESSAGE % {"value": "notaurl"}), set()),
    ("script_in_title", "title", "<script>alert(1)</script>", {}, str(MARKUP_MESSAGE), set()),
    # XML (so XLSX) cannot hold a NUL character at all, and the CSV reader refuses such a file
    # as binary before any row is read (test_csv_with_a_nul_character_is_refused_whole).
    ("nul_in_summary", "summary", "a\x00b", {}, str(NUL_MESSAGE), {"xlsx", "csv"}),
    (
        "summary_too_long",
        "summary",
        "x" * 100_000,
        {},
        # A spreadsheet cell stops at 32,767 characters, so "(it has N)" differs by path.
        "Ensure this value has at most 1200 characters",
        set(),
    ),
]
PATHS = ["form", "api", "csv", "xlsx", "restore"]


def _valid(city, **extra):
    data = {"title": "Harbour days", "summary": "Pupils visit the port.", "port_city": city.slug}
    data.update(extra)
    return data


def _messages_from_form(client, member, city, data) -> list[str]:
    client.force_login(member.user)
    post = {
        "organisation": member.organisation.pk,
        "language": "en",
        "status": "ongoing",
        **{k: v for k, v in data.items() if k != "port_city"},
        "port_city": city.pk,
    }
    response = client.post(reverse("catalogue:initiative_create"), post)
    assert response.status_code == 200, "the form must come back with its errors"
    form = response.context["form"]
    return [str(m) for messages in form.errors.values() for m in messages]


def _messages_from_api(client, member, city, data) -> list[str]:
    _user, _org, headers = member_with_token(member.organisation)
    body = dict(data)
    if "links" in body:
        body["links"] = [body["links"]]
    response = client.post(
        "/api/v1/initiatives", data=json.dumps(body), content_type="application/json", **headers
    )
    assert response.status_code == 422, response.content[:300]
    return [item["message"] for item in response.json()["errors"]]


def _import_row(member, data) -> dict[str, str]:
    row = {"external_id": "bad-1", "organisation": member.organisation.slug}
    row.update({k: str(v) for k, v in data.items()})
    return row


def _messages_from_import(member, data, fmt) -> list[str]:
    row = _import_row(member, data)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
        payload, name = out.getvalue().encode(), "rows.csv"
    else:
        book = Workbook()
        sheet = book.active
        sheet.append(list(row))
        sheet.append(list(row.values()))
        buffer = io.BytesIO()
        book.save(buffer)
        payload, name = buffer.getvalue(), "rows.xlsx"
    output = import_services.check_file(kind="initiatives", filename=name, data=payload)
    assert output.plan is not None, output.file_error
    assert output.plan.has_errors
    return [error for plan_row in output.plan.rows for error in plan_row.errors]


def _messages_from_restore(member, city, data) -> list[str]:
    record = InitiativeFactory(organisation=member.organisation, port_city=city)
    document = _backup_document()
    for obj in document["objects"]:
        if obj["model"] == "catalogue.initiative" and obj["pk"] == record.pk:
            obj["fields"].update({k: v for k, v in data.items() if k != "port_city"})
    _empty_database()
    with pytest.raises(backup.BackupError) as excinfo:
        backup.restore(data=document)
    return [str(excinfo.value)]


def _backup_document():
    buffer = io.StringIO()
    backup.write_backup(buffer, include_users=True)
    return json.loads(buffer.getvalue())


def _empty_database():
    from portolan.opendata import rows as catalogue_rows

    for model in reversed(catalogue_rows.backup_models()):
        model._default_manager.all().delete()


@pytest.mark.parametrize(
    ("path", "case", "field", "value", "needs", "message"),
    [
        pytest.param(path, *row[:5], id=f"{row[0]}-{path}")
        for row in BAD_VALUES
        for path in PATHS
        if path not in row[5]
    ],
)
def test_every_write_path_refuses_each_bad_value_with_the_same_message(
    client, path, case, field, value, needs, message
):
    member = MembershipFactory()
    city = PortCityFactory()
    data = _valid(city, **needs, **{field: value})
    before = Initiative.objects.count()
    with translation.override("en"):
        if path == "form":
            messages = _messages_from_form(client, member, city, data)
        elif path == "api":
            messages = _messages_from_api(client, member, city, data)
        elif path in ("csv", "xlsx"):
            messages = _messages_from_import(member, data, path)
        else:
            messages = _messages_from_restore(member, city, data)
    assert any(message in m for m in messages), (path, messages)
    if path != "restore":
        assert Initiative.objects.count() == before, "nothing may be half-written"


@pytest.mark.parametrize("path", ["form", "api", "csv"])
def test_unknown_port_city_and_theme_are_refused_on_every_path(client, path):
    member = MembershipFactory()
    city = PortCityFactory()
    assert not Theme.objects.filter(slug="no-such-theme").exists()
    if path == "form":
        client.force_login(member.user)
        response = client.post(
            reverse("catalogue:initiative_create"),
            {
                "organisation": member.organisation.pk,
                "title": "T",
                "summary": "S",
                "language": "en",
                "status": "ongoing",
                "port_city": 999_999,
                "themes": [999_999],
            },
        )
        errors = response.context["form"].errors
        assert "port_city" in errors and "themes" in errors
        messages = [str(m) for ms in errors.values() for m in ms]
    elif path == "api":
        messages = _messages_from_api(
            client, member, city, _valid(city, port_city="atlantis", themes=["no-such-theme"])
        )
    else:
        messages = _messages_from_import(
            member, _valid(city, port_city="atlantis", themes="no-such-theme"), "csv"
        )
    assert any("port city" in m.lower() for m in messages), messages
    assert any("no-such-theme" in m or "999999" in m for m in messages), messages


def test_csv_with_a_nul_character_is_refused_whole():
    member = MembershipFactory()
    city = PortCityFactory()
    row = _import_row(member, _valid(city, summary="a\x00b"))
    payload = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    output = import_services.check_file(
        kind="initiatives", filename="rows.csv", data=payload.encode()
    )
    assert output.plan is None
    assert "binary" in output.file_error


@pytest.mark.parametrize("value", [1200, 3000, -5, 40_000, "abc"])
@pytest.mark.parametrize("path", ["form", "api"])
def test_a_bad_year_gets_exactly_the_year_message(client, path, value):
    """Too early, too late, negative or not a number: one message, the model's, not a second
    one about the column's integer range or the number's type."""
    member = MembershipFactory()
    city = PortCityFactory()
    data = _valid(city, start_year=value)
    with translation.override("en"):
        if path == "form":
            messages = _messages_from_form(client, member, city, data)
        else:
            messages = _messages_from_api(client, member, city, data)
    assert messages == [YEAR], messages
