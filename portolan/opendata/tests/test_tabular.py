"""The file reader turns every kind of broken upload into a clear TableError (no database)."""

import io

import pytest
from openpyxl import Workbook

from portolan.opendata.tabular import MAX_BYTES, MAX_ROWS, TableError, read_table


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_csv_with_bom_and_semicolons_is_read_with_lowercase_headers():
    data = "\ufeffExternal_ID;Name\nA-1;Le Havre Port Center\n\n;\n".encode()
    table = read_table("orgs.csv", data)
    assert table.headers == ["external_id", "name"]
    assert len(table.rows) == 1
    assert table.rows[0].values == {"external_id": "A-1", "name": "Le Havre Port Center"}
    assert table.rows[0].line == 2


def test_quoted_cells_with_commas_and_newlines_survive():
    data = b'external_id,name\nx,"Port, City\nCenter"\n'
    table = read_table("a.csv", data)
    assert table.rows[0].values["name"] == "Port, City\nCenter"


def test_xlsx_numbers_become_plain_strings():
    table = read_table(
        "a.xlsx", xlsx([["external_id", "opening_year", "staff_fte"], ["x", 1988, 2.5]])
    )
    assert table.rows[0].values == {"external_id": "x", "opening_year": "1988", "staff_fte": "2.5"}


def test_xlsx_date_cells_read_back_as_iso_dates_and_datetimes():
    from datetime import date, datetime

    from portolan.opendata.xlsx import write_xlsx

    data = write_xlsx(
        ["external_id", "day", "stamp"],
        [["x", date(2026, 12, 3), datetime(2026, 12, 3, 13, 25)]],
        sheet_name="t",
    )
    values = read_table("a.xlsx", data).rows[0].values
    assert values == {"external_id": "x", "day": "2026-12-03", "stamp": "2026-12-03T13:25:00"}


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("a.csv", b"", "empty"),
        ("a.csv", b"\n\n  \n", "empty"),
        ("a.csv", "external_id,name\nx,Génova\n".encode("latin-1"), "UTF-8"),
        ("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("a.csv", b"external_id,name\n", "no data rows"),
        ("a.csv", b"external_id,name,name\nx,y,z\n", "more than once"),
        ("a.csv", b"external_id,,name\nx,y,z\n", "no name"),
        ("a.xlsx", b"PK\x03\x04this is not really a zip", "XLSX"),
        ("a.xlsx", b"plain text pretending", "XLSX"),
        ("a.xls", b"\xd0\xcf\x11\xe0 old excel", "Only CSV and XLSX"),
    ],
)
def test_broken_files_give_clear_messages(filename, data, message):
    with pytest.raises(TableError) as excinfo:
        read_table(filename, data)
    assert message in str(excinfo.value)


def test_huge_file_is_refused_before_parsing():
    with pytest.raises(TableError, match="too large"):
        read_table("a.csv", b"a" * (MAX_BYTES + 1))


def test_too_many_rows_is_refused():
    data = ("external_id\n" + "x\n" * (MAX_ROWS + 2)).encode()
    with pytest.raises(TableError, match="split it"):
        read_table("a.csv", data)


def test_row_with_extra_cells_is_reported_on_that_row():
    table = read_table("a.csv", b"external_id,name\nx,y,surprise\nz,w\n")
    assert table.rows[0].errors and "3 cells" in table.rows[0].errors[0]
    assert table.rows[1].errors == []
