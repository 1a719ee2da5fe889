"""The SQL side of searching, for both databases.

A search runs two queries whatever the size of the index:
1. counts: the total and every facet's counts in one UNION ALL of GROUP BYs over the matched set
   (materialised once in a CTE when there is a text query). A facet with selected values is
   counted without its own filter, so its other values keep showing what choosing them would add;
2. the page of hits (or, when nothing matches, the "did you mean" candidates).
Vocabulary labels come from one more query, cached."""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext
from django_countries import countries

from portolan.core import filterspec, registry
from portolan.core.languages import language_label
from portolan.core.models import Audience, Goal, Theme

from . import library, text
from .backends import DOC_TABLE, backend
from .constants import KIND_LABELS, REGION_LABELS, record_type_keys, record_type_labels
from .query import FacetValue, Hit, SearchParams, SearchResults, Suggestion, params_to_query

logger = logging.getLogger(__name__)
DOC = DOC_TABLE
COUNTRY_FACET_LIMIT = 30
VOCAB_CACHE_SECONDS = 300
# A record's (start decade, end decade) pair as one integer, start * 10000 + end (end 0 when
# open-ended; NULL without a start): one grouping key costs less than two. Spread over decades by
# filterspec.decade_counts.
DECADES = "(d.year / 10) * 100000 + COALESCE((d.year_end / 10) * 10, 0)"
FACETS = (
    # (facet name, SQL expression, the SearchParams attribute its filter uses)
    ("type", "d.record_type", "types"),
    ("region", "d.region", "regions"),
    ("country", "d.country", "countries"),
    ("theme", "d.themes", "themes"),
    ("goal", "d.goals", "goals"),
    ("audience", "d.audiences", "audiences"),
    ("kind", "d.kind", "kinds"),
    ("status", "d.status", "statuses"),
    ("decade", DECADES, "years"),
)
MULTI_VALUED = {"theme", "goal", "audience"}
COMBO_FACETS = ("type", "region", "country", "kind", "status", "decade")
COMBO_COLUMNS = ("d.record_type", "d.region", "d.country", "d.kind", "d.status", DECADES)
_HIT_COLUMNS = (
    "d.record_type, d.record_id, d.slug, d.title, d.summary, d.translations, d.language, "
    "d.place, d.country, d.status, d.year, d.published_at, d.latitude, d.longitude"
)


@dataclass
class _Sql:
    groups: list[tuple[str, ...]]
    text_param: str

    @property
    def has_text(self) -> bool:
        return bool(self.groups)


def _text_query(params: SearchParams) -> _Sql:
    groups = text.query_groups(params.q)
    if not groups:
        return _Sql(groups, "")
    return _Sql(groups, backend().text_param(groups))


def _contains(column: str, values: Iterable[Any], args: list[Any]) -> str:
    function = backend().contains_function
    parts = []
    for value in values:
        parts.append(f"{function}({column}, %s) > 0")
        args.append(f"|{value}|")
    return "(" + " OR ".join(parts) + ")"


def _in(column: str, values: Iterable[Any], args: list[Any]) -> str:
    values = list(values)
    args.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _filters(params: SearchParams, args: list[Any], *, skip: str = "") -> str:
    """WHERE conditions for the facet filters (AND between facets, OR within one)."""
    parts: list[str] = []
    if params.types and skip != "types":
        parts.append(_in("d.record_type", params.types, args))
    if params.regions and skip != "regions":
        parts.append(_in("d.region", params.regions, args))
    if params.countries and skip != "countries":
        parts.append(_in("d.country", params.countries, args))
    if params.themes and skip != "themes":
        parts.append(_contains("d.themes", params.themes, args))
    if params.goals and skip != "goals":
        parts.append(_contains("d.goals", params.goals, args))
    if params.audiences and skip != "audiences":
        parts.append(_contains("d.audiences", params.audiences, args))
    if params.kinds and skip != "kinds":
        parts.append(_in("d.kind", params.kinds, args))
    if params.statuses and skip != "statuses":
        parts.append(_in("d.status", params.statuses, args))
    if skip != "years":
        parts.extend(
            filterspec.overlap_sql("d.year", "d.year_end", params.year_from, params.year_to, args)
        )
    return " AND ".join(parts) if parts else "1 = 1"


def _text_condition(sql: _Sql, args: list[Any]) -> str:
    args.append(sql.text_param)
    return backend().text_condition()


def _selected_attr(params: SearchParams, attr: str) -> bool:
    if attr == "years":
        return params.year_from is not None or params.year_to is not None
    return bool(getattr(params, attr))


def _count_rows(params: SearchParams, sql: _Sql) -> list[tuple[str, Any, int]]:
    args: list[Any] = []
    prefix = ""
    source = f"{DOC} d"
    if sql.has_text:
        columns = (
            "d.record_type, d.region, d.country, d.themes, d.goals, d.audiences, "
            "d.kind, d.status, d.year, d.year_end"
        )
        prefix = (
            f"WITH m AS MATERIALIZED (SELECT {columns} FROM {DOC} d "  # noqa: S608
            f"WHERE {_text_condition(sql, args)}) "
        )
        source = "m d"
    branches = []
    # Facets without a selection share one GROUP BY over the single-valued columns, in the
    # order of the covering index (so SQLite counts without sorting); its counts add up to the
    # total. Multi-valued facets and facets with a selection get a branch each.
    where = _filters(params, args)
    combo = " || '|' || ".join(f"COALESCE(CAST({c} AS TEXT), '')" for c in COMBO_COLUMNS)
    branches.append(
        f"SELECT '_combo' AS f, {combo} AS v, COUNT(*) AS c "  # noqa: S608
        f"FROM {source} WHERE {where} GROUP BY {', '.join(COMBO_COLUMNS)}"
    )
    for name, expression, attr in FACETS:
        selected = _selected_attr(params, attr)
        if name not in MULTI_VALUED and not selected:
            continue
        where = _filters(params, args, skip=attr if selected else "")
        branches.append(
            f"SELECT '{name}' AS f, CAST({expression} AS TEXT) AS v, COUNT(*) AS c "  # noqa: S608
            f"FROM {source} WHERE {where} GROUP BY {expression}"
        )
    with connection.cursor() as cursor:
        cursor.execute(prefix + " UNION ALL ".join(branches), args)
        return [(row[0], row[1], int(row[2])) for row in cursor.fetchall()]


def _order(params: SearchParams, sql: _Sql) -> str:
    sort = params.sort if sql.has_text else params.effective_sort
    if sort == "name":
        return backend().name_order()
    if sort == "newest" or not sql.has_text:
        return "d.is_demo ASC, d.published_at DESC NULLS LAST, d.id DESC"
    return backend().rank_order()


def _select(
    params: SearchParams, sql: _Sql, columns: str, *, limit: int, offset: int, extra_where: str = ""
) -> list[tuple[Any, ...]]:
    args: list[Any] = []
    order = _order(params, sql)
    engine = backend()
    relevance = order == engine.rank_order()
    if sql.has_text and engine.needs_text_join and relevance:
        args.append(sql.text_param)
        source, text_where = engine.text_join()
        where = text_where + " AND " + _filters(params, args)
    else:
        source = f"{DOC} d"
        where = (_text_condition(sql, args) + " AND " if sql.has_text else "") + _filters(
            params, args
        )
    if extra_where:
        where += " AND " + extra_where
    if relevance and engine.rank_takes_param:
        args.append(sql.text_param)
    args.extend([limit, offset])
    query = f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, args)
        return list(cursor.fetchall())


# --- labels ---------------------------------------------------------------------------------------


def unknown_vocabulary(params: SearchParams) -> dict[str, list[str]]:
    """{parameter: values} of the theme, goal and audience values no vocabulary entry has."""
    labels = _vocabulary_labels()
    unknown: dict[str, list[str]] = {}
    for param, values in (
        ("theme", params.themes),
        ("goal", tuple(str(g) for g in params.goals)),
        ("audience", params.audiences),
    ):
        missing = [value for value in values if value not in labels[param]]
        if missing:
            unknown[param] = missing
    return unknown


def _vocabulary_labels() -> dict[str, dict[str, tuple[int, str]]]:
    """{facet: {value: (position, label)}} for themes, goals and audiences in the active language,
    read in one query and cached."""
    lang = _ui_language()
    key = f"search:vocabulary:{lang}:v1"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    name = f"name_{lang}"
    query = " UNION ALL ".join(
        f"SELECT '{facet}', {value}, position, {name}, name_en FROM {model._meta.db_table}"  # noqa: S608
        for facet, value, model in (
            ("theme", "slug", Theme),
            ("audience", "slug", Audience),
            ("goal", "CAST(number AS TEXT)", Goal),
        )
    )
    labels: dict[str, dict[str, tuple[int, str]]] = {"theme": {}, "goal": {}, "audience": {}}
    with connection.cursor() as cursor:
        cursor.execute(query)
        for facet, value, position, label, label_en in cursor.fetchall():
            labels[facet][str(value)] = (int(position or 0), str(label or label_en or value))
    for number, (_position, label) in list(labels["goal"].items()):
        labels["goal"][number] = (
            int(number),
            gettext("Goal %(number)s: %(name)s")
            % {
                "number": number,
                "name": label,
            },
        )
    cache.set(key, labels, VOCAB_CACHE_SECONDS)
    return labels


def _ui_language() -> str:
    lang = (get_language() or "en")[:2]
    return lang if lang in ("en", "fr", "es") else "en"


@lru_cache(maxsize=4096)
def _country_name_in(lang: str, code: str) -> str:
    # django-countries' lookup is slow (it rebuilds translated names): memoise per language.
    return str(countries.name(code) or code)


def _country_name(code: str) -> str:
    return _country_name_in(get_language() or "en", code) if code else ""


_LABEL_MAPS: dict[tuple[str, str], dict[str, str]] = {}


def _labels(kind: str) -> dict[str, str]:
    """A label map translated once per process and language: a search page shows ~100 labels,
    and each lazy label costs a translation lookup when it is turned into text."""
    key = (kind, get_language() or "en")
    found = _LABEL_MAPS.get(key)
    if found is None:
        source: Any = {
            "type": record_type_labels,
            "region": lambda: REGION_LABELS,
            "kind": lambda: KIND_LABELS,
            "status": registry.status_labels,
        }[kind]()
        found = _LABEL_MAPS[key] = {k: str(v) for k, v in dict(source).items()}
    return found


def _label(mapping: dict[str, Any], value: str) -> str:
    return str(mapping.get(value, value))


def _decade_label(decade: int) -> str:
    return gettext("%(decade)ss") % {"decade": decade}


# --- facets ---------------------------------------------------------------------------------------


def _aggregate(
    params: SearchParams, rows: list[tuple[str, Any, int]]
) -> tuple[int, dict[str, dict[str, int]]]:
    """Per-facet counts from the count query's rows (combinations split into single values)."""
    total = 0
    counts: dict[str, Counter[str]] = {name: Counter() for name, _, _ in FACETS}
    own_branch = {
        name for name, _, attr in FACETS if name in MULTI_VALUED or _selected_attr(params, attr)
    }
    spans: Counter[tuple[int, int | None]] = Counter()
    single = [(i, name) for i, name in enumerate(COMBO_FACETS[:-1]) if name not in own_branch]
    decades_here = "decade" not in own_branch
    for facet, value, count in rows:
        if facet == "_combo":
            total += count
            parts = str(value or "").split("|")
            for i, name in single:
                if parts[i]:
                    counts[name][parts[i]] += count
            if decades_here and parts[-1]:
                spans[_span(parts[-1])] += count
            continue
        if value is None or value == "":
            continue
        if facet == "decade":
            spans[_span(value)] += count
        elif facet in MULTI_VALUED:
            for item in str(value).strip("|").split("|"):
                if item:
                    counts[facet][item] += count
        else:
            counts[facet][str(value)] += count
    decades = filterspec.decade_counts(spans, current_year=timezone.now().year)
    counts["decade"] = Counter({str(d): c for d, c in decades.items()})
    return total, {name: dict(counter) for name, counter in counts.items()}


def _span(key: Any) -> tuple[int, int | None]:
    """(start decade, end decade or None) from a DECADES key."""
    start, end = divmod(int(key), 10000)
    return start, end or None


def _library_counts(params: SearchParams) -> tuple[int, dict[str, dict[str, int]], bool]:
    found = library.count(params)
    counts = dict(found.counts)
    decades = filterspec.decade_counts(found.spans, current_year=timezone.now().year)
    counts["decade"] = {str(d): c for d, c in decades.items()}
    for name, _, _ in FACETS:
        counts.setdefault(name, {})
    return found.total, counts, found.estimated


def _facets(
    params: SearchParams, aggregated: tuple[Any, ...]
) -> tuple[int, dict[str, list[FacetValue]]]:
    total, counts = aggregated[0], aggregated[1]
    vocabulary = _vocabulary_labels()
    selected: dict[str, set[str]] = {
        "type": set(params.types),
        "region": set(params.regions),
        "country": set(params.countries),
        "theme": set(params.themes),
        "goal": {str(g) for g in params.goals},
        "audience": set(params.audiences),
        "kind": set(params.kinds),
        "status": set(params.statuses),
    }
    if (
        params.year_from is not None
        and params.year_to is not None
        and params.year_from % 10 == 0
        and params.year_to == params.year_from + 9
    ):
        selected["decade"] = {str(params.year_from)}
    facets: dict[str, list[FacetValue]] = {}
    for name, _, _ in FACETS:
        chosen = selected.get(name, set())
        found = counts[name]
        values = set(found) | chosen
        items: list[tuple[Any, FacetValue]] = []
        for value in values:
            count = found.get(value, 0)
            is_selected = value in chosen
            if name == "type":
                label = _label(_labels("type"), value)
                order = record_type_keys()
                key: Any = order.index(value) if value in order else 99
            elif name == "region":
                label, key = _label(_labels("region"), value), -count
            elif name == "country":
                label, key = (
                    _country_name(value),
                    (-count, _country_name(value)),
                )
            elif name in MULTI_VALUED:
                position, label = vocabulary[name].get(value, (999, value))
                key = (position, label)
            elif name == "kind":
                label, key = _label(_labels("kind"), value), -count
            elif name == "status":
                label, key = _label(_labels("status"), value), -count
            else:  # decade
                if not value.lstrip("-").isdigit():
                    continue
                label, key = _decade_label(int(value)), -int(value)
            items.append((key, FacetValue(value, label, count, is_selected)))
        items.sort(key=lambda item: (item[0], item[1].label))
        ordered = [facet_value for _, facet_value in items]
        if name == "country" and len(ordered) > COUNTRY_FACET_LIMIT:
            ordered = [v for i, v in enumerate(ordered) if i < COUNTRY_FACET_LIMIT or v.selected]
        facets[name] = ordered
    return total, facets


# --- hits -----------------------------------------------------------------------------------------


class _Urls:
    """Reverses each URL name once, then fills in slugs: a page of 1,000 map points must not cost
    1,000 reverse() calls."""

    def __init__(self) -> None:
        self._patterns: dict[str, str | None] = {}

    def url(self, record_type: str, slug: str) -> str:
        if record_type not in self._patterns:
            try:
                self._patterns[record_type] = reverse(
                    registry.get(record_type).detail_url, kwargs={"slug": "slug-placeholder"}
                )
            except (NoReverseMatch, KeyError):
                self._patterns[record_type] = None
        pattern = self._patterns[record_type]
        if pattern is None or not slug:
            return ""
        return pattern.replace("slug-placeholder", slug)


def _translations(raw: Any) -> dict[str, dict[str, str]]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str) and raw:
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def _hit(row: tuple[Any, ...], wanted: frozenset[str], urls: _Urls, lang: str) -> Hit:
    (
        record_type,
        record_id,
        slug,
        title,
        summary,
        translations,
        language,
        place,
        country,
        status,
        year,
        published_at,
        lat,
        lon,
    ) = row
    versions = _translations(translations)
    shown_title, shown_summary, shown_language = title, summary or "", language or ""
    if lang != language and lang in versions:
        version = versions[lang]
        shown_title = version.get("title") or title
        shown_summary = version.get("summary") or summary or ""
        shown_language = lang
    # Show the passage that matched, in whichever language it matched.
    candidates = [shown_summary, summary or ""] + [v.get("summary", "") for v in versions.values()]
    excerpt_source = shown_summary
    if wanted:
        for candidate in candidates:
            if candidate and any(
                text.word_matches(word, wanted) for word in text.tokenize(candidate)
            ):
                excerpt_source = candidate
                break
    country_name = _country_name(country)
    if record_type == "port_city":
        where = country_name
    else:
        where = ", ".join(part for part in (place, country_name) if part)
    if isinstance(published_at, str):
        published_at = _parse_datetime(published_at)
    elif isinstance(published_at, datetime) and timezone.is_naive(published_at):
        published_at = published_at.replace(tzinfo=UTC)
    return Hit(
        record_type=record_type,
        record_id=int(record_id),
        title=shown_title,
        url=urls.url(record_type, slug),
        snippet_html=text.highlight(excerpt_source, wanted),
        lat=lat,
        lon=lon,
        type_label=_label(_labels("type"), record_type),
        place=where,
        language=shown_language,
        language_label=language_label(shown_language),
        year=year,
        status=status or "",
        status_label=_label(_labels("status"), status) if status else "",
        published_at=published_at,
        slug=slug,
    )


def _parse_datetime(value: str) -> datetime | None:
    """SQLite hands raw-cursor datetimes back as text."""
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# --- suggestions ----------------------------------------------------------------------------------


def _spelling(params: SearchParams) -> list[Suggestion]:
    tokens = [t for t in text.tokenize(params.q) if t not in text.STOP_WORDS][
        : text.MAX_QUERY_TOKENS
    ]
    if not tokens:
        return []
    args: list[Any] = []
    parts = []
    for token in tokens:
        parts.append("(initial = %s AND length BETWEEN %s AND %s)")
        args.extend([token[0], max(1, len(token) - 2), len(token) + 2])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM search_searchterm WHERE {' OR '.join(parts)} LIMIT 5000",  # noqa: S608
            args,
        )
        vocabulary = [row[0] for row in cursor.fetchall()]
    known = set(vocabulary)
    corrected: list[str] = []
    changed = False
    for token in tokens:
        if token in known:
            corrected.append(token)
            continue
        close = difflib.get_close_matches(token, vocabulary, n=1, cutoff=0.75)
        if close:
            corrected.append(close[0])
            changed = True
        else:
            corrected.append(token)
    if not changed:
        return []
    new_q = " ".join(corrected)
    return [Suggestion("spelling", new_q, params_to_query(replace(params, q=new_q, page=1)))]


def _remove_filters(params: SearchParams) -> list[Suggestion]:
    out: list[Suggestion] = []
    checks = (
        ("types", gettext("record type")),
        ("regions", gettext("region")),
        ("countries", gettext("country")),
        ("themes", gettext("theme")),
        ("goals", gettext("goal")),
        ("audiences", gettext("audience")),
        ("kinds", gettext("organisation kind")),
        ("statuses", gettext("status")),
    )
    for attr, label in checks:
        if getattr(params, attr):
            out.append(
                Suggestion(
                    "remove_filter",
                    gettext("Remove the %(filter)s filter") % {"filter": label},
                    params_to_query(replace(params, **cast(dict[str, Any], {attr: ()}), page=1)),
                )
            )
    if params.year_from is not None or params.year_to is not None:
        out.append(
            Suggestion(
                "remove_filter",
                gettext("Remove the years filter"),
                params_to_query(replace(params, year_from=None, year_to=None, page=1)),
            )
        )
    if params.has_filters and len(out) > 1:
        out.append(
            Suggestion(
                "remove_filter",
                gettext("Remove all filters"),
                params_to_query(SearchParams(q=params.q, sort=params.sort)),
            )
        )
    if params.q and params.has_filters:
        out.append(
            Suggestion(
                "remove_filter",
                gettext("Search all records for these words"),
                params_to_query(SearchParams(q=params.q)),
            )
        )
    return out


# --- entry points ---------------------------------------------------------------------------------


# Raw rows of counts and hits are cached per index generation: any write to the index moves the
# generation on, so a cached answer is never older than the index (with a shared cache such as
# Redis; a per-process cache can lag other processes' writes by at most RESULT_CACHE_SECONDS).
RESULT_CACHE_SECONDS = 30
GENERATION_KEY = "search:generation"


def index_generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 0
        cache.add(GENERATION_KEY, value, None)
    return int(value)


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _cached(
    kind: str, key_params: SearchParams, extra: str, compute: Any, *, generation: int | None = None
) -> Any:
    digest = hashlib.sha256(
        f"{kind}|{connection.vendor}|{params_to_query(key_params)}|{extra}".encode()
    ).hexdigest()[:32]
    if generation is None:
        generation = index_generation()
    key = f"search:{generation}:{kind}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, RESULT_CACHE_SECONDS)
    return value


def _use_library() -> bool:
    """Whether the embedded library answers (settings.SEARCH_ENGINE) and its index is there;
    without it the database engine answers, so a site never loses its search."""
    if getattr(settings, "SEARCH_ENGINE", "database") != "tantivy":
        return False
    if library.available():
        return True
    logger.warning("search: no index in %s; the database engine answers", library.index_dir())
    return False


def _rows_by_ids(columns: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """The table's rows of these documents, in the order given (the library's result order)."""
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.id, {columns} FROM {DOC} d WHERE d.id IN ({marks})", ids)  # noqa: S608
        found = {int(row[0]): row[1:] for row in cursor.fetchall()}
    return [found[i] for i in ids if i in found]


def run_search(params: SearchParams, *, page_size: int) -> SearchResults:
    sql = _text_query(params)
    use_library = _use_library()
    engine_name = "library" if use_library else "database"
    count_key = replace(params, page=1, sort="relevance")
    generation = index_generation()  # one cache read for both lookups
    if use_library:
        aggregated = _cached(
            "counts",
            count_key,
            engine_name,
            lambda: _library_counts(params),
            generation=generation,
        )
    else:
        aggregated = _cached(
            "counts",
            count_key,
            engine_name,
            lambda: _aggregate(params, _count_rows(params, sql)),
            generation=generation,
        )
    total, facets = _facets(params, aggregated)
    results = SearchResults(params=params, total=total, facets=facets, page_size=page_size)
    results.facets_estimated = bool(len(aggregated) > 2 and aggregated[2])
    if total == 0:
        results.page = 1
        results.suggestions = (_spelling(params) if sql.has_text else []) + _remove_filters(params)
        return results
    page = min(params.page, results.num_pages)
    results.page = page
    page_params = replace(params, page=page)
    offset = (page - 1) * page_size

    def compute_rows() -> list[tuple[Any, ...]]:
        if use_library:
            ids = library.page_ids(
                page_params, sort=_sort(page_params, sql), limit=page_size, offset=offset
            )
            return _rows_by_ids(_HIT_COLUMNS, ids)
        return _select(page_params, sql, _HIT_COLUMNS, limit=page_size, offset=offset)

    rows = _cached(
        "hits", page_params, f"{engine_name}|{page_size}", compute_rows, generation=generation
    )
    wanted = text.query_forms(sql.groups)
    urls = _Urls()
    lang = _ui_language()
    results.hits = [_hit(row, wanted, urls, lang) for row in rows]
    return results


def _sort(params: SearchParams, sql: _Sql) -> str:
    """The sort actually applied: relevance means newest first when there are no words."""
    sort = params.sort if sql.has_text else params.effective_sort
    return sort if sql.has_text or sort != "relevance" else "newest"


def run_refs(params: SearchParams, *, limit: int) -> list[tuple[str, int]]:
    if limit <= 0:
        return []
    sql = _text_query(params)
    if _use_library():
        return library.page_refs(
            params, sort=_sort(params, sql), limit=limit, record_types=record_type_keys()
        )
    rows = _select(params, sql, "d.record_type, d.record_id", limit=limit, offset=0)
    return [(str(r[0]), int(r[1])) for r in rows]


@dataclass(frozen=True)
class MapPoint:
    record_type: str
    record_id: int
    title: str
    url: str
    lat: float
    lon: float
    type_label: str


def run_map(params: SearchParams, *, limit: int) -> list[MapPoint]:
    sql = _text_query(params)
    columns = "d.record_type, d.record_id, d.slug, d.title, d.latitude, d.longitude"
    if _use_library():
        ids = library.page_ids(
            params, sort=_sort(params, sql), limit=limit, offset=0, with_point=True
        )
        rows = []
        for start in range(0, len(ids), 900):
            rows += _rows_by_ids(columns, ids[start : start + 900])
    else:
        rows = _select(
            params,
            sql,
            columns,
            limit=limit,
            offset=0,
            extra_where="d.latitude IS NOT NULL AND d.longitude IS NOT NULL",
        )
    urls = _Urls()
    # One translation per type, not per point (a map holds up to 1,000).
    labels = _labels("type")
    return [
        MapPoint(
            record_type=r[0],
            record_id=int(r[1]),
            title=r[3],
            url=urls.url(r[0], r[2]),
            lat=float(r[4]),
            lon=float(r[5]),
            type_label=labels.get(r[0], r[0]),
        )
        for r in rows
    ]
