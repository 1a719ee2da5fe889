"""Search queries: what a search asks for (`SearchParams`, parsed from request parameters),
and the shapes of what it answers (hits, facets, suggestions). Pure data, no database.

`parse_params` never raises: every bad value is dropped and explained in the returned errors dict,
so any query string gives a page. `search` costs the same small number of queries whatever the
size of the index (one for the page of hits, one for the total and every facet count, one for
the vocabulary labels, which is cached)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.utils.translation import gettext

from portolan.core import filterspec

from . import text
from .constants import (
    KIND_VALUES,
    REGION_VALUES,
    SORTS,
    record_type_keys,
    status_values,
)

MAX_QUERY_CHARS = 500
MAX_PAGE = 500
MAX_VALUES_PER_FILTER = filterspec.MAX_VALUES
YEAR_MIN = filterspec.YEAR_MIN
YEAR_MAX = filterspec.YEAR_MAX

_RULES = filterspec.RULES


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    goals: tuple[int, ...] = ()
    audiences: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1

    @property
    def has_filters(self) -> bool:
        return bool(
            self.types
            or self.regions
            or self.countries
            or self.themes
            or self.goals
            or self.audiences
            or self.kinds
            or self.statuses
            or self.year_from is not None
            or self.year_to is not None
        )

    @property
    def effective_sort(self) -> str:
        """Relevance means nothing without words to match: fall back to newest first."""
        if self.sort == "relevance" and not text.query_groups(self.q):
            return "newest"
        return self.sort


class FacetValue(NamedTuple):
    value: str
    label: str
    count: int  # type: ignore[assignment]  # shadows tuple.count on purpose: the documented name
    selected: bool


class Suggestion(NamedTuple):
    """A way out of an empty result: a corrected spelling or a filter to remove."""

    kind: str  # "spelling" | "remove_filter"
    label: str
    query: str  # canonical querystring of the suggested search


@dataclass(frozen=True)
class Hit:
    record_type: str
    record_id: int
    title: str
    url: str
    snippet_html: str  # escaped text with <mark> around matched words: safe to render
    lat: float | None
    lon: float | None
    type_label: str = ""
    place: str = ""  # "City, Country" as indexed
    language: str = ""  # language of the text ("en", "fr", ... or "")
    language_label: str = ""
    year: int | None = None
    status: str = ""
    status_label: str = ""
    published_at: Any = None
    slug: str = ""


@dataclass
class SearchResults:
    params: SearchParams
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20
    suggestions: list[Suggestion] = field(default_factory=list)
    # True when the facet counts were estimated from a sample of a large match set (the
    # total is always exact).
    facets_estimated: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.page_size + 1

    @property
    def end_index(self) -> int:
        return min(self.total, self.page * self.page_size)

    def page_query(self, page: int) -> str:
        return params_to_query(replace(self.params, page=page))


# --- parsing --------------------------------------------------------------------------------------


def _values(data: Mapping[str, Any] | Any, key: str) -> list[str]:
    """All values of a key, from a QueryDict (repeated keys) or a plain mapping; comma-separated
    lists are accepted too, so `type=initiative,port_center` works in API calls."""
    raw: Any = data.getlist(key) if hasattr(data, "getlist") else data.get(key, [])
    if raw is None:
        return []
    if isinstance(raw, str | int):
        raw = [raw]
    out: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = text.clean_input(part).strip()
            if part:
                out.append(part)
    return out


def _one(data: Mapping[str, Any] | Any, key: str) -> str:
    """The last value of a key, as a cleaned string."""
    raw: Any
    if hasattr(data, "getlist"):
        items = data.getlist(key)
        raw = items[-1] if items else ""
    else:
        raw = data.get(key, "")
        if isinstance(raw, list | tuple):
            raw = raw[-1] if raw else ""
    return text.clean_input(str(raw if raw is not None else ""))


def _choose(
    data: Any,
    key: str,
    allowed: Any,
    errors: dict[str, str],
    *,
    normalise: Any = str.lower,
) -> tuple[str, ...]:
    chosen: list[str] = []
    rejected: list[str] = []
    for value in _values(data, key):
        value = normalise(value)
        if allowed(value):
            if value not in chosen:
                chosen.append(value)
        else:
            rejected.append(value)
    if len(chosen) > MAX_VALUES_PER_FILTER:
        chosen = chosen[:MAX_VALUES_PER_FILTER]
        errors[key] = gettext("Too many values: only the first %(n)d were kept.") % {
            "n": MAX_VALUES_PER_FILTER
        }
    if rejected:
        errors[key] = gettext("Unknown value ignored: %(values)s.") % {
            "values": ", ".join(v[:40] for v in rejected[:5])
        }
    return tuple(chosen)


def _year(data: Any, key: str, errors: dict[str, str]) -> int | None:
    raw = _one(data, key).strip()
    if not raw:
        return None
    message = _RULES[key].error(raw)
    if message is None:
        return int(raw)
    errors[key] = message
    return None


def parse_params(
    data: Mapping[str, str | list[str]] | Any,
) -> tuple[SearchParams, dict[str, str]]:
    """Read search parameters from a QueryDict or a mapping. Never raises."""
    errors: dict[str, str] = {}
    q = _one(data, "q")
    q = " ".join(q.split())
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        errors["q"] = gettext("Your search was shortened to %(n)d characters.") % {
            "n": MAX_QUERY_CHARS
        }

    types = _choose(data, "type", record_type_keys().__contains__, errors)
    regions = _choose(data, "region", REGION_VALUES.__contains__, errors, normalise=str.upper)
    countries = _choose(
        data, "country", _RULES["country"].accepts, errors, normalise=_RULES["country"].fold
    )
    themes = _choose(data, "theme", _RULES["theme"].accepts, errors, normalise=_RULES["theme"].fold)
    goal_strings = _choose(
        data, "goal", _RULES["goal"].accepts, errors, normalise=_RULES["goal"].fold
    )
    goals = tuple(int(v) for v in goal_strings)
    audiences = _choose(
        data, "audience", _RULES["audience"].accepts, errors, normalise=_RULES["audience"].fold
    )
    kinds = _choose(data, "kind", KIND_VALUES.__contains__, errors)
    statuses = _choose(data, "status", status_values().__contains__, errors)
    year_from = _year(data, "year_from", errors)
    year_to = _year(data, "year_to", errors)
    if filterspec.years_reversed(year_from, year_to):
        errors["year_from"] = str(filterspec.YEARS_REVERSED_MESSAGE)
        year_from = year_to = None

    sort = _one(data, "sort").strip().lower() or "relevance"
    if sort not in SORTS:
        errors["sort"] = gettext("Unknown sort order: results are sorted by relevance.")
        sort = "relevance"

    page = 1
    raw_page = _one(data, "page").strip()
    if raw_page:
        if raw_page.isdigit() and int(raw_page) >= 1:
            page = min(int(raw_page), MAX_PAGE)
        else:
            errors["page"] = gettext("Page numbers are whole numbers from 1.")

    params = SearchParams(
        q=q,
        types=types,
        regions=regions,
        countries=countries,
        themes=themes,
        goals=goals,
        audiences=audiences,
        kinds=kinds,
        statuses=statuses,
        year_from=year_from,
        year_to=year_to,
        sort=sort,
        page=page,
    )
    return params, errors


# Parameter name in the URL -> attribute of SearchParams, in canonical order.
QUERY_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "types"),
    ("region", "regions"),
    ("country", "countries"),
    ("theme", "themes"),
    ("goal", "goals"),
    ("audience", "audiences"),
    ("kind", "kinds"),
    ("status", "statuses"),
)


def params_to_pairs(params: SearchParams, *, with_page: bool = True) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if params.q:
        pairs.append(("q", params.q))
    for key, attr in QUERY_FIELDS:
        values: Sequence[Any] = getattr(params, attr)
        pairs.extend((key, str(v)) for v in sorted(values, key=str))
    if params.year_from is not None:
        pairs.append(("year_from", str(params.year_from)))
    if params.year_to is not None:
        pairs.append(("year_to", str(params.year_to)))
    if params.sort != "relevance":
        pairs.append(("sort", params.sort))
    if with_page and params.page > 1:
        pairs.append(("page", str(params.page)))
    return pairs


def params_to_query(params: SearchParams) -> str:
    """The canonical querystring (no leading "?"): sorted values, defaults left out, so two
    equal searches share one URL (and one cache entry)."""
    return urlencode(params_to_pairs(params))
