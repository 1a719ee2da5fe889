"""What the search template needs beyond the results: facet groups with the link that toggles
each value, active-filter chips, sort links, export and feed links. No database access."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any, cast

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .constants import SORT_LABELS, SORTS
from .query import SearchParams, SearchResults, params_to_query

FACET_TITLES = {
    "type": _("Record type"),
    "region": _("Region"),
    "country": _("Country"),
    "theme": _("Theme"),
    "goal": _("Agenda 2030 goal"),
    "audience": _("Audience"),
    "kind": _("Organisation kind"),
    "status": pgettext_lazy("initiative or port center", "Status"),
    "decade": _("Years"),
}
FACET_ATTRS = {
    "type": "types",
    "region": "regions",
    "country": "countries",
    "theme": "themes",
    "goal": "goals",
    "audience": "audiences",
    "kind": "kinds",
    "status": "statuses",
}
EXPORT_FORMATS = ("csv", "xlsx", "json", "geojson")
OPEN_FACETS = {"type", "region", "theme"}


def _toggled(params: SearchParams, facet: str, value: str) -> SearchParams:
    if facet == "decade":
        start = int(value)
        if params.year_from == start and params.year_to == start + 9:
            return replace(params, year_from=None, year_to=None, page=1)
        return replace(params, year_from=start, year_to=start + 9, page=1)
    attr = FACET_ATTRS[facet]
    current: tuple[Any, ...] = getattr(params, attr)
    item: Any = int(value) if facet == "goal" else value
    chosen = tuple(v for v in current if v != item) if item in current else (*current, item)
    return replace(params, **cast(dict[str, Any], {attr: chosen}), page=1)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _items_html(items: list[dict[str, Any]], *, estimated: bool) -> SafeString:
    """A facet's list items, built here rather than in a template loop: a search page has
    about 90 of them, and the loop was half of the page's rendering time. Plain `html.escape`,
    as `format_html` costs ~0.1 ms a call."""
    remove = f'<span class="visually-hidden">{_e(gettext("Remove filter:"))} </span>'
    about = (
        '<span aria-hidden="true">~</span><span class="visually-hidden">'
        f"{_e(pgettext('estimated count', 'about'))} </span>"
        if estimated
        else ""
    )
    current = ' aria-current="true"'
    parts = []
    for item in items:
        selected = item["selected"]
        on = " facet__link--on" if selected else ""
        parts.append(
            f'<li><a href="?{_e(item["query"])}" class="facet__link{on}" rel="nofollow"'
            f"{current if selected else ''}>"
            f'<span class="facet__box" aria-hidden="true">{"✓" if selected else ""}</span>'
            f'<span class="facet__label">{remove if selected else ""}{_e(item["label"])}</span>'
            f'<span class="facet__count">{about}'
            f"{_e(formats.number_format(item['count'], force_grouping=True))}</span></a></li>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def hits_html(results: SearchResults) -> SafeString:
    """The page's hits, built here for the same reason as the facet items."""
    text_in = gettext("Text in %(language)s")
    parts = []
    for hit in results.hits:
        lang = f' lang="{_e(hit.language)}"' if hit.language and hit.language != "other" else ""
        meta = f'<span class="badge hit__type">{_e(hit.type_label)}</span>'
        if hit.place:
            meta += f' <span class="hit__place">{_e(hit.place)}</span>'
        if hit.year:
            meta += f' · <span class="hit__year">{_e(hit.year)}</span>'
        if hit.status_label:
            meta += f' · <span class="hit__status">{_e(hit.status_label)}</span>'
        title = f'<a href="{_e(hit.url)}">{_e(hit.title)}</a>' if hit.url else _e(hit.title)
        # The snippet is already escaped, with <mark> around matched words (text.highlight).
        snippet = (
            f'<p class="hit__snippet"{lang}>{hit.snippet_html}</p>' if hit.snippet_html else ""
        )
        language = (
            f'<p class="hit__language">{_e(text_in % {"language": hit.language_label})}</p>'
            if hit.language_label
            else ""
        )
        parts.append(
            f'<li class="hit hit--{_e(hit.record_type)}"><p class="hit__meta">{meta}</p>'
            f'<h3 class="hit__title"{lang}>{title}</h3>{snippet}{language}</li>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def facet_groups(params: SearchParams, results: SearchResults) -> list[dict[str, Any]]:
    groups = []
    for name, values in results.facets.items():
        if not values:
            continue
        items = [
            {
                "value": v.value,
                "label": v.label,
                "count": v.count,
                "selected": v.selected,
                "query": params_to_query(_toggled(params, name, v.value)),
            }
            for v in values
        ]
        has_selection = any(v.selected for v in values)
        groups.append(
            {
                "name": name,
                "title": FACET_TITLES.get(name, name),
                "items": items,
                "items_html": _items_html(items, estimated=results.facets_estimated),
                "open": has_selection or name in OPEN_FACETS,
                "has_selection": has_selection,
            }
        )
    return groups


def active_filters(params: SearchParams, results: SearchResults) -> list[dict[str, str]]:
    chips = []
    for name, values in results.facets.items():
        for v in values:
            if v.selected:
                chips.append(
                    {
                        "title": str(FACET_TITLES.get(name, name)),
                        "label": v.label,
                        "query": params_to_query(_toggled(params, name, v.value)),
                    }
                )
    decade_selected = any(v.selected for v in results.facets.get("decade", []))
    if (params.year_from is not None or params.year_to is not None) and not decade_selected:
        label = f"{params.year_from or '…'}–{params.year_to or '…'}"
        chips.append(
            {
                "title": str(FACET_TITLES["decade"]),
                "label": label,
                "query": params_to_query(replace(params, year_from=None, year_to=None, page=1)),
            }
        )
    return chips


def page_context(params: SearchParams, results: SearchResults, *, language: str) -> dict[str, Any]:
    export_query = params_to_query(replace(params, page=1))
    suffix = f"?{export_query}" if export_query else ""
    return {
        "query": params_to_query(params),
        "export_query": export_query,
        "facet_groups": facet_groups(params, results),
        "hits_html": hits_html(results),
        "active_filters": active_filters(params, results),
        "sort_links": [
            {
                "value": sort,
                "label": SORT_LABELS[sort],
                "query": params_to_query(replace(params, sort=sort, page=1)),
                "current": sort == params.sort,
            }
            for sort in SORTS
        ],
        "export_links": [
            {"format": fmt, "url": f"/{language}/open-data/export.{fmt}{suffix}"}
            for fmt in EXPORT_FORMATS
        ],
        "feed_links": [
            {"format": "RSS", "url": f"/feeds/initiatives.rss{suffix}"},
            {"format": "Atom", "url": f"/feeds/initiatives.atom{suffix}"},
        ],
        "previous_query": results.page_query(results.page - 1) if results.has_previous else "",
        "next_query": results.page_query(results.page + 1) if results.has_next else "",
        "hidden_filters": [(key, value) for key, value in _pairs_without(params, {"q", "page"})],
    }


def _pairs_without(params: SearchParams, skip: set[str]) -> list[tuple[str, str]]:
    from .query import params_to_pairs

    return [(k, v) for k, v in params_to_pairs(params) if k not in skip]
