"""Serialising export rows (dicts keyed by the export fields) as CSV, JSON, GeoJSON and XLSX.

CSV, JSON and GeoJSON are generators of text chunks, so a 50,000-row export streams without being
held in memory; XLSX has to be built whole (a zip file) and is returned as bytes."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify

from portolan.search.selectors import SearchParams, params_to_pairs

from .xlsx import write_xlsx

FORMATS = ("csv", "xlsx", "json", "geojson")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "geojson": "application/geo+json",
}
# Spreadsheets run a cell that starts with one of these as a formula; a leading apostrophe keeps
# it text (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(fields: Sequence[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark lets spreadsheet programs detect UTF-8 when the file is opened directly.
    yield "\ufeff" + writer.writerow(fields)
    for row in rows:
        yield writer.writerow(["" if row[f] is None else _safe(row[f]) for f in fields])


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def json_chunks(meta: dict[str, Any], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    head = _dumps(meta)[:-1]
    yield head + (', "records": [' if meta else '"records": [')
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + _dumps(row)
        first = False
    yield "\n]}\n"


def feature(row: dict[str, Any]) -> dict[str, Any]:
    lat, lon = row.get("latitude"), row.get("longitude")
    geometry = (
        {"type": "Point", "coordinates": [lon, lat]}
        if lat is not None and lon is not None
        else None
    )
    properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
    return {
        "type": "Feature",
        "id": f"{row['type']}-{row['id']}",
        "geometry": geometry,
        "properties": properties,
    }


def geojson_chunks(meta: dict[str, Any], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "metadata": ' + _dumps(meta) + ', "features": ['
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + _dumps(feature(row))
        first = False
    yield "\n]}\n"


# Export rows carry dates as ISO text (what CSV and JSON show); a spreadsheet gets real dates.
_XLSX_DATES: dict[str, Callable[[str], date | datetime]] = {
    "published_at": datetime.fromisoformat,
    "last_reviewed": date.fromisoformat,
}


def _xlsx_value(field: str, value: Any) -> Any:
    parse = _XLSX_DATES.get(field)
    if parse is not None and isinstance(value, str) and value:
        try:
            return parse(value)
        except ValueError:
            return value
    return value


def xlsx_bytes(fields: Sequence[str], rows: Iterable[dict[str, Any]], *, title: str) -> bytes:
    cells = ([_xlsx_value(f, row[f]) for f in fields] for row in rows)
    return write_xlsx(fields, cells, sheet_name=title)


# --- file names -----------------------------------------------------------------------------------

# Long enough for a few filters, short enough for every file system and download dialog.
FILENAME_STEM_MAX = 80
_TYPE_WORDS = {
    "initiative": "initiatives",
    "port_center": "port-centers",
    "organisation": "organisations",
    "port_city": "port-cities",
}
# The order of the rows, not which rows: nothing a file name needs to tell apart.
_NOT_IN_FILENAME = ("type", "sort", "page")
_NON_WORD = re.compile(r"[\W_]+")


def _slug(value: str) -> str:
    # Punctuation separates words ("../etc/passwd" -> "etc-passwd") rather than gluing them.
    return slugify(_NON_WORD.sub(" ", value)).replace("_", "-")


def export_filename(params: SearchParams, fmt: str, day: date) -> str:
    """`portolan-initiatives-q-port-theme-education-2026-12-03.csv`: what was searched, in ASCII
    letters, digits and hyphens only, cut at a word boundary so the stem stays short."""
    words = ["portolan", *(_TYPE_WORDS.get(t, _slug(t)) for t in params.types)]
    grouped: dict[str, list[str]] = {}
    for key, value in params_to_pairs(params, with_page=False):
        if key not in _NOT_IN_FILENAME:
            grouped.setdefault(key, []).append(value)
    for key, values in grouped.items():
        words.append(_slug(key))
        words.extend(_slug(v) for v in values)
    stem = "-".join(w for w in words if w)
    if len(stem) > FILENAME_STEM_MAX:
        stem = stem[: FILENAME_STEM_MAX + 1].rsplit("-", 1)[0].rstrip("-")
    return f"{stem}-{day.isoformat()}.{fmt}"


def content_disposition(filename: str) -> str:
    """Both forms: `filename` for old clients, `filename*` (RFC 6266) for the others."""
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
