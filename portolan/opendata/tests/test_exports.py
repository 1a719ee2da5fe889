"""Exports of search results in CSV, XLSX, JSON and GeoJSON."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portolan.catalogue.selectors_export import EXPORT_FIELDS
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
    from portolan.catalogue.selectors_export import export_rows

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
