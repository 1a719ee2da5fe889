"""Serialising export rows (dicts keyed by the export fields) as CSV, JSON, GeoJSON and XLSX.

CSV, JSON and GeoJSON are generators of text chunks, so a 50,000-row export streams without being
held in memory; XLSX has to be built whole (a zip file) and is returned as bytes."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

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


def xlsx_bytes(fields: Sequence[str], rows: Iterable[dict[str, Any]], *, title: str) -> bytes:
    return write_xlsx(fields, ([row[f] for f in fields] for row in rows), sheet_name=title)
