"""The filters of record lists, stated once: the search page, its exports and feeds (through
`portolan.search`) and the JSON API list endpoints (through `portolan.catalogue.selectors_api`)
read their parameter names, accepted values and meanings here, so `?year_from=2020` finds the
same records on every path. Pure: no database, no Django settings.

Every facet takes repeated values (or a comma-separated list), OR-ed inside the facet; different
facets are AND-ed.

The year rule. A record matches a year range when its years overlap the range; both ends are
inclusive and either may be left out.
- An initiative spans `start_year`..`end_year`; without `end_year` it is still running
  (open-ended); without `start_year` it has no years and never matches a year filter.
- A Port Center spans `opening_year`..open-ended. Closed ones too: the catalogue records no
  closing year, so there is no end to compare with. No opening year: never matches.
- Organisations and port cities have no years: a year filter leaves them out.
`year_from > year_to` is an error, never silently swapped: the page says it did not understand
the filter, exports and feeds answer 400, the API answers 400 naming `year_from`.

Accepted values. `RULES` says, per parameter, what one value must be (a lower-case slug of at
most so many characters, two capital letters, a number in a range) and what is said when it is
not. The API's filter schemas (`portolan.api.routers.filters`) build their parameter types from
these rules and answer 400 with the rule's message, naming the value; the search page
(`portolan.search.query`) checks with the same rules after folding the case of what a person
typed (`Rule.fold`: `country=fr` on a page means FR), then leaves the value out and says so.
Facets whose values are a closed list (region, kind, status, record type, offer) are checked
against that list, which their owner app defines once (places, accounts, the registry).

The decade facet counts by the same rule: a record is counted in every decade its span
overlaps (an open-ended one up to the latest decade shown), so clicking a decade, which sets
`year_from=D&year_to=D+9`, gives exactly the count shown. It stays one GROUP BY: the index
groups records by (start decade, end decade) and `decade_counts` spreads each pair over its
decades in Python, a few hundred pairs at most whatever the number of records. Counting by start
decade only would be as fast but would contradict the click for every record spanning decades."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import YEAR_MESSAGE

YEAR_MIN = 1000
YEAR_MAX = 2200
MAX_VALUES = 20
GOAL_MIN, GOAL_MAX = 1, 99
VOCABULARY_SLUG_MAX = 80  # theme and audience slugs (core.models)
RECORD_SLUG_MAX = 240  # the longest slug of any record (port city, organisation, ...)
SLUG_PATTERN = r"^[-a-z0-9_]+$"  # lower case: how every slug is written
COUNTRY_PATTERN = r"^[A-Z]{2}$"  # ISO 3166-1 alpha-2, upper case

YEARS_REVERSED_MESSAGE = _("The years filter was not understood: the first year is after the last.")


@dataclass(frozen=True)
class Facet:
    param: str  # the URL parameter, on the search page and in the API
    values: str  # what it accepts
    meaning: str  # what a record must have to match


FACETS: tuple[Facet, ...] = (
    Facet("type", "a record type key (initiative, port_center, ...)", "its type is one of them"),
    Facet("region", "a world region code (EU, AS, ...)", "its port city is in one of them"),
    Facet("country", "an ISO 3166 country code, in capitals", "its port city is in one of them"),
    Facet("theme", "a theme slug", "it has one of these themes"),
    Facet("goal", f"an Agenda 2030 goal number, {GOAL_MIN}-{GOAL_MAX}", "it serves one of them"),
    Facet("audience", "an audience slug", "it addresses one of them"),
    Facet("kind", "an organisation kind", "its owner organisation is of one of these kinds"),
    Facet("status", "a status of the record type", "its own status is one of them"),
    Facet("year_from", f"a year, {YEAR_MIN}-{YEAR_MAX}", "its years reach this year or later"),
    Facet("year_to", f"a year, {YEAR_MIN}-{YEAR_MAX}", "its years start in this year or before"),
)
PARAMS: tuple[str, ...] = tuple(f.param for f in FACETS)


@dataclass(frozen=True)
class Rule:
    """What one value of a filter parameter must be. `pattern` and `max_length` for text,
    `minimum`/`maximum` for numbers; `message` is said of a value that breaks the rule (with
    `%(value)s`, `%(min)s`, `%(max)s`); `case` is the one spelling ("lower", "upper", "") that
    `fold` turns a person's typing into."""

    message: Any
    pattern: str = ""
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    case: str = ""

    @property
    def is_number(self) -> bool:
        return self.minimum is not None

    def fold(self, value: str) -> str:
        """A typed value in the rule's spelling (the search page's leniency, not the API's)."""
        value = value.strip()
        if self.case == "lower":
            return value.lower()
        if self.case == "upper":
            return value.upper()
        return value

    def error(self, value: Any) -> str | None:
        """None when `value` is acceptable, else the message (naming the value)."""
        params = {"value": _quoted(value), "min": self.minimum, "max": self.maximum}
        if self.minimum is not None and self.maximum is not None:
            number = _number(value)
            if number is None or not self.minimum <= number <= self.maximum:
                return str(self.message) % params
            return None
        text = value if isinstance(value, str) else ""
        too_long = self.max_length is not None and len(text) > self.max_length
        if not text or too_long or not re.fullmatch(self.pattern, text):
            params["max"] = self.max_length
            return str(self.message) % params
        return None

    def accepts(self, value: Any) -> bool:
        return self.error(value) is None

    def json_schema(self) -> dict[str, Any]:
        """The rule as JSON Schema keywords, for API documentation."""
        if self.is_number:
            return {"minimum": self.minimum, "maximum": self.maximum}
        schema: dict[str, Any] = {"pattern": self.pattern}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        return schema


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def _quoted(value: Any) -> str:
    return f"“{str(value)[:60]}”"


SLUG_MESSAGE = _(
    "Not a slug (lower-case letters, digits, - and _, at most %(max)s characters): %(value)s."
)
COUNTRY_MESSAGE = _("Not a country code (two capital letters, ISO 3166): %(value)s.")
GOAL_MESSAGE = _("Not an Agenda 2030 goal number (%(min)s-%(max)s): %(value)s.")

_VOCABULARY_SLUG = Rule(SLUG_MESSAGE, SLUG_PATTERN, VOCABULARY_SLUG_MAX, case="lower")
_RECORD_SLUG = Rule(SLUG_MESSAGE, SLUG_PATTERN, RECORD_SLUG_MAX, case="lower")
# The model's year message (portolan.core.fields), with the filters' wider bounds: a filter may
# ask for years no record has.
_YEAR = Rule(YEAR_MESSAGE, minimum=YEAR_MIN, maximum=YEAR_MAX)

RULES: dict[str, Rule] = {
    "country": Rule(COUNTRY_MESSAGE, COUNTRY_PATTERN, 2, case="upper"),
    "theme": _VOCABULARY_SLUG,
    "audience": _VOCABULARY_SLUG,
    "goal": Rule(GOAL_MESSAGE, minimum=GOAL_MIN, maximum=GOAL_MAX),
    "port_city": _RECORD_SLUG,
    "organisation": _RECORD_SLUG,
    "year_from": _YEAR,
    "year_to": _YEAR,
}


def valid_year(value: int) -> bool:
    return _YEAR.accepts(value)


def years_reversed(year_from: int | None, year_to: int | None) -> bool:
    return year_from is not None and year_to is not None and year_from > year_to


def overlaps(
    start: int | None, end: int | None, year_from: int | None, year_to: int | None
) -> bool:
    """The year rule on one record: span start..end (end None = open-ended) against the range."""
    if year_from is None and year_to is None:
        return True
    if start is None:
        return False
    if year_to is not None and start > year_to:
        return False
    return not (year_from is not None and end is not None and end < year_from)


def overlap_q(
    start_field: str, end_field: str | None, year_from: int | None, year_to: int | None
) -> Q:
    """The year rule as an ORM filter; `end_field` None for records that never end."""
    if year_from is None and year_to is None:
        return Q()
    condition = Q(**{f"{start_field}__isnull": False})
    if year_to is not None:
        condition &= Q(**{f"{start_field}__lte": year_to})
    if year_from is not None and end_field is not None:
        condition &= Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": year_from})
    return condition


def overlap_sql(
    start_column: str, end_column: str, year_from: int | None, year_to: int | None, args: list[Any]
) -> list[str]:
    """The year rule as SQL conditions (AND-ed), their parameters appended to `args`."""
    if year_from is None and year_to is None:
        return []
    parts = []
    if year_to is not None:
        parts.append(f"{start_column} <= %s")  # false for NULL: no start, no match
        args.append(year_to)
    else:
        parts.append(f"{start_column} IS NOT NULL")
    if year_from is not None:
        parts.append(f"({end_column} IS NULL OR {end_column} >= %s)")
        args.append(year_from)
    return parts


def decade(year: int) -> int:
    return year // 10 * 10


def decade_counts(
    spans: Mapping[tuple[int, int | None], int], *, current_year: int
) -> dict[int, int]:
    """{decade: number of records whose span overlaps it} from {(start decade, end decade or
    None): count}. Open-ended spans run to the latest decade shown: this one, or a later one some
    record starts or ends in (so every decade offered counts what clicking it finds)."""
    if not spans:
        return {}
    last = max(
        decade(current_year),
        *(start for start, _end in spans),
        *(end for _start, end in spans if end is not None),
    )
    counts: dict[int, int] = {}
    for (start, end), count in spans.items():
        for d in range(start, (last if end is None else end) + 1, 10):
            counts[d] = counts.get(d, 0) + count
    return counts


def decades_of(
    years: Iterable[tuple[int | None, int | None]], *, current_year: int
) -> dict[int, int]:
    """`decade_counts` from raw (start, end) years: a reference for tests and small lists."""
    spans: dict[tuple[int, int | None], int] = {}
    for start, end in years:
        if start is None:
            continue
        key = (decade(start), None if end is None else decade(end))
        spans[key] = spans.get(key, 0) + 1
    return decade_counts(spans, current_year=current_year)
