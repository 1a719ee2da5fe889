"""Reading an uploaded CSV or XLSX file into header names and string cells.

Every way a file can be broken (too big, empty, not UTF-8, binary, not a spreadsheet, no header,
duplicate headers, too many rows) becomes a `TableError` with a message a person can act on."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


class TableError(Exception):
    pass


@dataclass
class TableRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


@dataclass
class Table:
    headers: list[str]
    rows: list[TableRow]


def read_table(filename: str, data: bytes) -> Table:
    if not data:
        raise TableError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise TableError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024}
        )
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if name.endswith((".xls", ".ods")):
        raise TableError(_("Only CSV and XLSX files are accepted; save the sheet as XLSX or CSV."))
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096]:
        raise TableError(
            _("This does not look like a CSV file (it contains binary data). Upload CSV or XLSX.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            _(
                "The file is not encoded in UTF-8 (byte %(position)s). In your spreadsheet, "
                "save it as “CSV UTF-8”."
            )
            % {"position": exc.start}
        ) from exc
    if not text.strip():
        raise TableError(_("The file is empty."))
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise TableError(_("The CSV file cannot be read: %(error)s.") % {"error": exc}) from exc
    return _build(records, first_line=1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        # openpyxl reads every date cell (our own exports' included) as a datetime at midnight.
        return value.date().isoformat()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(_("The file is not a valid XLSX workbook.")) from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for corrupt files
        raise TableError(_("The file is not a valid XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        records = []
        for row in sheet.iter_rows(values_only=True):
            records.append([_cell(v) for v in row])
            if len(records) > MAX_ROWS + 1:
                break
    except Exception as exc:  # noqa: BLE001
        raise TableError(_("The file is not a valid XLSX workbook.")) from exc
    finally:
        workbook.close()
    return _build(records, first_line=1)


def _build(records: list[list[str]], first_line: int) -> Table:
    # Leading blank lines are skipped so the header is the first line with content.
    while records and not any(c.strip() for c in records[0]):
        records.pop(0)
        first_line += 1
    if not records:
        raise TableError(_("The file is empty."))
    raw_headers = [h.strip().lower() for h in records[0]]
    while raw_headers and not raw_headers[-1]:
        raw_headers.pop()
    if not raw_headers:
        raise TableError(_("The first line must hold the column names."))
    if "" in raw_headers:
        raise TableError(
            _("Column %(number)s has no name in the first line.")
            % {"number": raw_headers.index("") + 1}
        )
    duplicates = sorted({h for h in raw_headers if raw_headers.count(h) > 1})
    if duplicates:
        raise TableError(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(duplicates)}
        )
    rows: list[TableRow] = []
    for offset, record in enumerate(records[1:], start=1):
        if not any(c.strip() for c in record):
            continue
        line = first_line + offset
        errors = []
        extra = record[len(raw_headers) :]
        if any(c.strip() for c in extra):
            errors.append(
                _("This row has %(cells)s cells but the header has %(columns)s columns.")
                % {"cells": len(record), "columns": len(raw_headers)}
            )
        values = {h: (record[i] if i < len(record) else "") for i, h in enumerate(raw_headers)}
        rows.append(TableRow(line=line, values=values, errors=errors))
        if len(rows) > MAX_ROWS:
            raise TableError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
    if not rows:
        raise TableError(_("The file has column names but no data rows."))
    return Table(headers=raw_headers, rows=rows)
