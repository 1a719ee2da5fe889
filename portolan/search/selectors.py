"""The search service: the one entry point the search page, the API and the open-data exports and
feeds use to turn request parameters into matching records (see `query` for the parameters
and the shapes of the answers, `engine` for how the index is read)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import pgettext

from portolan.core.fields import UNKNOWN_VALUES_MESSAGE

from .engine import MapPoint, run_map, run_refs, run_search, unknown_vocabulary
from .presentation import FACET_TITLES
from .query import (
    FacetValue,
    Hit,
    SearchParams,
    SearchResults,
    Suggestion,
    params_to_pairs,
    params_to_query,
    parse_params,
)

__all__ = [
    "FacetValue",
    "Hit",
    "SearchParams",
    "SearchResults",
    "Suggestion",
    "map_points",
    "params_to_pairs",
    "params_to_query",
    "parse_params",
    "result_refs",
    "search",
    "without_unknown_filters",
]


def search(params: SearchParams, *, page_size: int = 20) -> SearchResults:
    """One page of hits with the total, facet counts and, when nothing matches, suggestions.
    The index holds published records only, so every user sees the same results."""
    return run_search(params, page_size=max(1, min(page_size, 200)))


def result_refs(params: SearchParams, *, limit: int) -> list[tuple[str, int]]:
    """(record_type, pk) of every matching record in result order, up to `limit`: what exports
    and feeds load in bulk from the catalogue."""
    return run_refs(params, limit=max(0, limit))


def map_points(params: SearchParams, *, limit: int) -> list[MapPoint]:
    """The matching records that have coordinates, best first, up to `limit`."""
    return run_map(params, limit=max(0, limit))


_ATTRS = {"theme": "themes", "goal": "goals", "audience": "audiences"}


def without_unknown_filters(params: SearchParams) -> tuple[SearchParams, dict[str, str]]:
    """The search without vocabulary values (themes, goals, audiences) that exist nowhere, and a
    message per parameter naming them: the page says what it did not understand and still shows
    what the rest of the search finds."""
    unknown = unknown_vocabulary(params)
    if not unknown:
        return params, {}
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for param, values in unknown.items():
        attr = _ATTRS[param]
        changes[attr] = tuple(v for v in getattr(params, attr) if str(v) not in values)
        title = pgettext("filter chip: facet name followed by a colon", "%(title)s:") % {
            "title": FACET_TITLES[param]
        }
        errors[param] = f"{title} " + str(UNKNOWN_VALUES_MESSAGE) % {"values": ", ".join(values)}
    return replace(params, **changes, page=1), errors
