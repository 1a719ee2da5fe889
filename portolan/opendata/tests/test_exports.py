"""Exports of search results in CSV, XLSX, JSON and GeoJSON."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portolan.opendata.rows import EXPORT_FIELDS
from portolan.search import services as search_services
from portolan.testing.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def get(client, fmt, query=""):
    return client.get(reverse("opendata:export", args=[fmt]) + query)


def test_csv_export_has_one_row_per_published_record(client, catalogue):
    response = get(client, "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert list(rows[0].keys()) == list(EXPORT_FIELDS)
    names = {r["name"] for r in rows}
    assert {"Harbour school days", "Cruise welcome", "Le Havre Port Center"} <= names
    assert "Secret draft" not in names
    school = next(r for r in rows if r["slug"] == "harbour-school-days")
    assert school["type"] == "initiative"
    assert school["themes"] == "education"
    assert school["organisation"] == "havre-pa"
    assert school["country"] == "FR" and school["region"] == "EU"
    assert float(school["latitude"]) == pytest.approx(49.49)
    assert school["url"].startswith("http") and school["url"].endswith(
        "/initiatives/harbour-school-days/"
    )
    # A cell that a spreadsheet would run as a formula is neutralised.
    assert school["summary"].startswith("'=HYPERLINK")


def test_filters_of_the_search_page_apply(client, catalogue):
    rows = list(
        csv.DictReader(
            io.StringIO(body(get(client, "csv", "?type=initiative&region=NA")).decode("utf-8-sig"))
        )
    )
    assert [r["slug"] for r in rows] == ["cruise-welcome"]
    rows = list(
        csv.DictReader(
            io.StringIO(body(get(client, "csv", "?theme=education")).decode("utf-8-sig"))
        )
    )
    assert [r["slug"] for r in rows] == ["harbour-school-days"]


def test_text_query_applies(client, catalogue):
    data = json.loads(body(get(client, "json", "?q=cruise&type=initiative")))
    assert [r["slug"] for r in data["records"]] == ["cruise-welcome"]


def test_json_export_parses_with_metadata(client, catalogue):
    response = get(client, "json", "?type=initiative")
    assert response["Content-Type"] == "application/json"
    data = json.loads(body(response))
    assert data["licence"] == "ODbL-1.0"
    assert data["truncated"] is False
    assert data["fields"] == list(EXPORT_FIELDS)
    assert {r["slug"] for r in data["records"]} == {"harbour-school-days", "cruise-welcome"}
    assert all(r["published_at"] for r in data["records"])


def test_geojson_export_is_a_feature_collection_of_points(client, catalogue):
    response = get(client, "geojson", "?type=initiative&type=port_center")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 3
    cruise = next(f for f in data["features"] if f["properties"]["slug"] == "cruise-welcome")
    assert cruise["geometry"] == {"type": "Point", "coordinates": [-73.55, 45.5]}
    assert cruise["id"].startswith("initiative-")
    assert "latitude" not in cruise["properties"]


def test_xlsx_export_opens_with_openpyxl(client, catalogue):
    response = get(client, "xlsx", "?type=initiative")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(EXPORT_FIELDS)
    assert len(rows) == 3
    summary_col = list(EXPORT_FIELDS).index("summary")
    school = next(r for r in rows[1:] if r[2] == "harbour-school-days")
    # Stored as text, never as a formula.
    assert school[summary_col].startswith("=HYPERLINK")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_bad_parameters_are_a_400_with_a_clear_message(client, catalogue, fmt):
    response = get(client, fmt, "?region=XX&year_from=abc")
    assert response.status_code == 400
    text = response.content.decode()
    assert "region" in text and "year_from" in text


def test_page_parameter_is_ignored(client, catalogue):
    assert get(client, "csv", "?page=7").status_code == 200
    assert get(client, "csv", "?page=banana").status_code == 200


def test_unknown_format_is_a_404(client, catalogue):
    assert client.get("/en/open-data/export.pdf").status_code == 404


def test_export_queries_do_not_grow_with_the_number_of_rows(
    client, catalogue, django_assert_num_queries
):
    # search refs, initiatives, and their themes, goals, audiences and partners
    with django_assert_num_queries(6) as ctx:
        body(get(client, "csv", "?type=initiative"))
    small = len(ctx.captured_queries)
    for n in range(25):
        InitiativeFactory(organisation=catalogue["org"])
    search_services.rebuild_index()
    with django_assert_num_queries(small):
        data = body(get(client, "csv", "?type=initiative"))
    assert data.count(b"\n") == 28


def test_rows_load_in_batches_of_constant_cost(catalogue, django_assert_num_queries):
    from portolan.opendata.rows import export_rows

    for n in range(15):
        InitiativeFactory(organisation=catalogue["org"])
    from portolan.catalogue.models import Initiative

    refs = [
        ("initiative", pk) for pk in Initiative.objects.published().values_list("pk", flat=True)
    ]
    assert len(refs) == 17
    # 5 queries (records + 4 prefetches) per batch of 10: two batches
    with django_assert_num_queries(10):
        rows = list(export_rows(refs, batch_size=10))
    assert [r["id"] for r in rows] == [pk for _t, pk in refs]


def test_export_says_when_the_cap_cut_the_result(client, catalogue, monkeypatch):
    from portolan.opendata import selectors

    monkeypatch.setattr(selectors, "EXPORT_LIMIT", 2)
    response = get(client, "json")
    data = json.loads(body(response))
    assert response["X-Export-Truncated"] == "true"
    assert data["truncated"] is True and len(data["records"]) == 2


def test_xlsx_writer_columns_and_escaping():
    from openpyxl import load_workbook

    from portolan.opendata.xlsx import column_letter, write_xlsx

    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    data = write_xlsx(
        ["a", "b", "c", "d"],
        [["<b>&\"'", 1.5, None, True], ["=1+1", "bell\x07", 7, "Génova ✓"]],
        sheet_name="Test & <sheet>",
    )
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws.title == "Test & <sheet>"
    assert [c.value for c in ws[1]] == ["a", "b", "c", "d"]
    assert [c.value for c in ws[2]] == ["<b>&\"'", 1.5, None, True]
    assert [c.value for c in ws[3]] == ["=1+1", "bell", 7, "Génova ✓"]
    assert ws["A3"].data_type == "s"


def test_import_template_xlsx_reads_back_as_an_empty_file(client):
    from portolan.opendata.tabular import TableError, read_table
    from portolan.testing.factories import StaffFactory

    client.force_login(StaffFactory())
    response = client.get(reverse("opendata:import_template", args=["initiatives", "xlsx"]))
    with pytest.raises(TableError, match="no data rows"):
        read_table("t.xlsx", response.content)


# --- file names and spreadsheet dates -------------------------------------------------------------


def test_export_file_name_tells_the_query_in_both_header_forms(client, catalogue):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = get(client, "csv", "?q=port&theme=education&type=initiative&sort=newest")
    expected = f"portolan-initiatives-q-port-theme-education-{today}.csv"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{expected}"' in disposition
    assert f"filename*=UTF-8''{expected}" in disposition


def test_export_file_name_is_bounded_and_safe_whatever_the_query(client, catalogue):
    import re

    from portolan.opendata.exports import FILENAME_STEM_MAX

    hostile = 'Montréal "quoted" ../../etc/passwd; rm -rf / ' + "harbour " * 40
    response = get(client, "json", "?" + urlencode({"q": hostile, "region": "EU"}))
    assert response.status_code == 200
    match = re.search(r'filename="([^"]+)"', response["Content-Disposition"])
    name = match.group(1)
    assert re.fullmatch(r"[a-z0-9-]+\.json", name), name
    assert name.startswith("portolan-q-montreal-quoted-etc-passwd-rm-rf-harbour-")
    stem = name.removesuffix(".json")[: -len("-2026-12-03")]
    assert len(stem) <= FILENAME_STEM_MAX
    assert not stem.endswith("-")


def test_unfiltered_export_file_name_is_the_site_and_the_day(client, catalogue):
    from django.utils import timezone

    response = get(client, "geojson")
    assert (
        f'filename="portolan-{timezone.localdate().isoformat()}.geojson"'
        in (response["Content-Disposition"])
    )


def test_xlsx_export_dates_are_spreadsheet_dates_not_text(client, catalogue):
    from datetime import date, datetime

    response = get(client, "xlsx", "?type=initiative")
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    header = [c.value for c in sheet[1]]
    published = sheet.cell(row=2, column=header.index("published_at") + 1)
    reviewed = sheet.cell(row=2, column=header.index("last_reviewed") + 1)
    assert published.is_date and isinstance(published.value, datetime)
    assert reviewed.is_date and reviewed.number_format == "yyyy-mm-dd"
    school = catalogue["school"]
    school.refresh_from_db()
    rows = {r[header.index("slug")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows["harbour-school-days"]
    expected = school.published_at.replace(tzinfo=None, microsecond=0)
    assert row[header.index("published_at")].replace(microsecond=0) == expected
    assert row[header.index("last_reviewed")].date() == school.last_reviewed
    assert isinstance(school.last_reviewed, date)


def test_xlsx_writer_writes_dates_datetimes_and_caps_long_text():
    from datetime import UTC, date, datetime

    from portolan.opendata.xlsx import MAX_CELL_CHARS, excel_serial, write_xlsx

    # Excel's own serials: 1 January 1900 is 1, 1 March 1900 is 61 (after its 29 February).
    assert excel_serial(date(1900, 3, 1)) == 61
    assert excel_serial(date(2026, 12, 3)) == 46359
    assert excel_serial(datetime(2026, 12, 3, 18, 0)) == 46359.75
    data = write_xlsx(
        ["day", "stamp", "text"],
        [[date(2026, 12, 3), datetime(2026, 12, 3, 13, 25, 30, tzinfo=UTC), "x" * 40_000]],
        sheet_name="Dates",
    )
    day, stamp, text = load_workbook(io.BytesIO(data)).worksheets[0][2]
    assert day.value == datetime(2026, 12, 3) and day.number_format == "yyyy-mm-dd"
    assert stamp.value == datetime(2026, 12, 3, 13, 25, 30)
    assert stamp.number_format == "yyyy-mm-dd hh:mm:ss"
    assert len(text.value) == MAX_CELL_CHARS
