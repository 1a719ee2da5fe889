"""Reads of the open-data app: which records an export or a feed holds, and recent imports."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import QuerySet

from portolan.search.selectors import SearchParams, parse_params, result_refs

from . import rows as catalogue_rows
from .models import ImportRun

EXPORT_LIMIT = 50_000
FEED_LIMIT = 50
# Parameters of the search page that mean nothing for a whole-result download.
_IGNORED_ERRORS = ("page",)


def read_params(query: Any) -> tuple[SearchParams, dict[str, str]]:
    """Search parameters from a query string; errors the caller must answer with a 400."""
    params, errors = parse_params(query)
    for key in _IGNORED_ERRORS:
        errors.pop(key, None)
    return replace(params, page=1), errors


def export_refs(params: SearchParams, *, limit: int = EXPORT_LIMIT) -> list[tuple[str, int]]:
    return result_refs(params, limit=limit)


def feed_items(params: SearchParams | None) -> list[Any]:
    """Newest published initiatives; with search words or filters, only those that match."""
    if params is None or not (params.q or params.has_filters):
        return catalogue_rows.feed_initiatives(limit=FEED_LIMIT)
    only_initiatives = replace(params, types=("initiative",), sort="newest", page=1)
    refs = result_refs(only_initiatives, limit=FEED_LIMIT * 4)
    pks = [pk for record_type, pk in refs if record_type == "initiative"]
    return catalogue_rows.feed_initiatives(pks=pks, limit=FEED_LIMIT)


def recent_import_runs(limit: int = 10) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("user")[:limit]
