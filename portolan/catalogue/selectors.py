"""Reads for the public catalogue pages.

Every function returns what one page section needs with its relations fetched up front, so a
page costs the same number of queries whether a record has two related records or two hundred."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse

from portolan.accounts.models import Organisation
from portolan.core.models import Audience, Goal, Theme
from portolan.core.pagecache import content_generation, generation_key
from portolan.places.models import PortCity

from .models import Attachment, Initiative, PortCenter

RELATED_LIMIT = 6
ORGANISATION_LIST_LIMIT = 20
CITY_LIST_LIMIT = 20
MAP_POINT_LIMIT = 1000
HOME_STATS_CACHE_KEY = "catalogue:home-stats:v1"
HOME_STATS_SECONDS = 60
HOME_RECORDS_CACHE_KEY = "catalogue:home-records:v1"
RELATED_CACHE_SECONDS = 120
CITY_COUNTS_CACHE_KEY = "catalogue:city-counts:v1"
CITY_COUNTS_SECONDS = 300
# "Same themes" looks at this many of the newest records sharing a theme: bounded work even
# when a theme is shared by tens of thousands of initiatives.
THEME_CANDIDATES = 100


# --- Port Centers -----------------------------------------------------------------------------


def _port_center_cards() -> QuerySet[PortCenter]:
    return PortCenter.objects.published().select_related("port_city")


def port_center_for_detail(slug: str) -> PortCenter | None:
    """Any status: the view decides visibility with `permissions.can_view`."""
    return (
        PortCenter.objects.select_related("port_city", "organisation", "organisation__port_city")
        .prefetch_related(
            Prefetch("operators", queryset=Organisation.objects.select_related("port_city")),
            "audiences",
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")),
        )
        .filter(slug=slug)
        .first()
    )


@dataclass
class PortCenterRelated:
    initiatives: list[Initiative] = field(default_factory=list)
    same_country: list[PortCenter] = field(default_factory=list)


def port_center_related(port_center: PortCenter) -> PortCenterRelated:
    initiatives = list(
        _initiative_cards()
        .filter(port_city_id=port_center.port_city_id)
        .order_by("-published_at", "-id")[:RELATED_LIMIT]
    )
    same_country = list(
        _port_center_cards()
        .filter(port_city__country=port_center.port_city.country)
        .exclude(pk=port_center.pk)
        .order_by("name")[:RELATED_LIMIT]
    )
    return PortCenterRelated(initiatives=initiatives, same_country=same_country)


def port_center_filter_countries() -> list[str]:
    """Country codes that have at least one published Port Center (for the index filter)."""
    codes = (
        PortCenter.objects.published()
        .order_by()
        .values_list("port_city__country", flat=True)
        .distinct()
    )
    return sorted({str(code) for code in codes})


def port_center_page(
    *, status: str = "", country: str = "", page: Any = 1, per_page: int = 20
) -> Page:
    queryset = _port_center_cards().order_by("name", "id")
    if status:
        queryset = queryset.filter(status=status)
    if country:
        queryset = queryset.filter(port_city__country=country)
    return Paginator(queryset, per_page).get_page(page)


def port_center_map_points(*, limit: int = MAP_POINT_LIMIT) -> list[dict[str, Any]]:
    """Published Port Centers as plain points (own coordinates, else the port city's)."""
    rows = (
        PortCenter.objects.published()
        .order_by("name", "id")
        .values(
            "name",
            "slug",
            "status",
            "latitude",
            "longitude",
            "port_city__name",
            "port_city__latitude",
            "port_city__longitude",
        )[:limit]
    )
    points = []
    for row in rows:
        lat = row["latitude"] if row["latitude"] is not None else row["port_city__latitude"]
        lon = row["longitude"] if row["longitude"] is not None else row["port_city__longitude"]
        if lat is None or lon is None:
            continue
        points.append(
            {
                "name": row["name"],
                "slug": row["slug"],
                "city": row["port_city__name"],
                "lat": round(float(lat), 5),
                "lon": round(float(lon), 5),
            }
        )
    return points


def port_center_url_prefix() -> str:
    """Detail URLs are this prefix + slug + "/": one reverse() for a map of a thousand points."""
    return reverse("catalogue:port_center", kwargs={"slug": "slug"}).removesuffix("slug/")


# --- Initiatives ------------------------------------------------------------------------------


def _initiative_cards() -> QuerySet[Initiative]:
    return Initiative.objects.published().select_related("port_city")


def initiative_for_detail(slug: str) -> Initiative | None:
    """Any status: the view decides visibility with `permissions.can_view`. Its themes, goals
    and audiences come from one query of links and the vocabulary held in memory
    (`initiative.themes.all()` etc. read them without a query)."""
    initiative = (
        Initiative.objects.select_related("port_city", "organisation", "organisation__port_city")
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.select_related("port_city")),
            "translations",
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")),
        )
        .filter(slug=slug)
        .first()
    )
    if initiative is not None:
        _attach_vocabulary(initiative)
    return initiative


_VOCABULARY_LINKS = (("themes", Theme), ("goals", Goal), ("audiences", Audience))
VOCABULARY_SECONDS = 300
_vocabulary_memo: dict[str, Any] = {}


def _vocabulary(*, wanted: Iterable[tuple[str, int]] = ()) -> dict[str, Any]:
    """Every theme, goal and audience by id, with its place in the model's order: a few dozen
    rows, read once per process and content generation (a vocabulary change moves it on), at
    most VOCABULARY_SECONDS old (a cache not shared with the process that wrote), and again when
    a link names a term it does not know."""
    generation = content_generation()
    terms = _vocabulary_memo.get("terms")
    if (
        terms is None
        or _vocabulary_memo.get("generation") != generation
        or time.monotonic() - _vocabulary_memo["loaded_at"] > VOCABULARY_SECONDS
        or any(term_id not in terms[name][0] for name, term_id in wanted)
    ):
        terms = {}
        for name, model in _VOCABULARY_LINKS:
            rows = list(model.objects.all())
            terms[name] = ({t.pk: t for t in rows}, {t.pk: n for n, t in enumerate(rows)})
        _vocabulary_memo.update(generation=generation, terms=terms, loaded_at=time.monotonic())
    return terms


def _attach_vocabulary(initiative: Initiative) -> None:
    """Fill the prefetch cache of the three vocabulary relations, as prefetch_related would,
    from one UNION query of the link tables instead of three prefetch queries."""
    parts, params = [], []
    for name, _model in _VOCABULARY_LINKS:
        field = Initiative._meta.get_field(name)
        through = field.remote_field.through._meta  # type: ignore[union-attr]
        quote = connection.ops.quote_name
        column = quote(field.m2m_reverse_name())  # type: ignore[union-attr]
        source = quote(field.m2m_column_name())  # type: ignore[union-attr]
        table = quote(through.db_table)
        # Names from the models' metadata and the constant above, never from a request.
        parts.append(f"SELECT '{name}', {column} FROM {table} WHERE {source} = %s")  # noqa: S608
        params.append(initiative.pk)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = [(str(name), int(term_id)) for name, term_id in cursor.fetchall()]
    linked: dict[str, list[int]] = {name: [] for name, _model in _VOCABULARY_LINKS}
    for name, term_id in rows:
        linked[name].append(term_id)
    vocabulary = _vocabulary(wanted=rows)
    cache_of = initiative.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, _model in _VOCABULARY_LINKS:
        by_id, position = vocabulary[name]
        ids = sorted((i for i in linked[name] if i in by_id), key=position.__getitem__)
        queryset = getattr(initiative, name).get_queryset()
        queryset._result_cache = [by_id[i] for i in ids]
        queryset._prefetch_done = True
        cache_of[name] = queryset


@dataclass
class InitiativeRelated:
    same_city: list[Initiative] = field(default_factory=list)
    same_themes: list[Initiative] = field(default_factory=list)
    port_centers: list[PortCenter] = field(default_factory=list)


def initiative_related(initiative: Initiative) -> InitiativeRelated:
    """Cached briefly per record version and content generation (another record's publish or
    unpublish shows at once): three fewer queries per view matter on the busiest page."""
    stamp = f"{initiative.updated_at.timestamp():.6f}" if initiative.updated_at else "0"
    key = generation_key(f"catalogue:initiative-related:v1:{initiative.pk}:{stamp}")
    related = cache.get(key)
    if related is None:
        related = _initiative_related(initiative)
        cache.set(key, related, RELATED_CACHE_SECONDS)
    return related


def _initiative_related(initiative: Initiative) -> InitiativeRelated:
    same_city = list(
        _initiative_cards()
        .filter(port_city_id=initiative.port_city_id)
        .exclude(pk=initiative.pk)
        .order_by("-published_at", "-id")[:RELATED_LIMIT]
    )
    theme_ids = [theme.pk for theme in initiative.themes.all()]  # prefetched
    same_themes: list[Initiative] = []
    if theme_ids:
        # Fetched as a list first: as a subquery, SQLite walked the whole publication index of
        # the 100k-record table instead of looking up these few ids (~300 ms vs a few ms).
        sharing = list(
            Initiative.themes.through.objects.filter(theme_id__in=theme_ids)
            .exclude(initiative_id=initiative.pk)
            .order_by("-initiative_id")
            .values_list("initiative_id", flat=True)[:THEME_CANDIDATES]
        )
        exclude_ids = [initiative.pk, *(i.pk for i in same_city)]
        same_themes = list(
            _initiative_cards()
            .filter(pk__in=sharing)
            .exclude(pk__in=exclude_ids)
            .order_by("-published_at", "-id")[:RELATED_LIMIT]
        )
    port_centers = list(
        _port_center_cards().filter(port_city_id=initiative.port_city_id).order_by("name")[:3]
    )
    return InitiativeRelated(
        same_city=same_city, same_themes=same_themes, port_centers=port_centers
    )


def translation_for(initiative: Initiative, language: str) -> Any:
    """The owners' translation into `language` (prefetched), unless the text is already in it."""
    language = (language or "")[:2]
    if not language or initiative.language == language:
        return None
    for translation in initiative.translations.all():
        if translation.language == language:
            return translation
    return None


def latest_initiatives(limit: int = 6) -> list[Initiative]:
    return list(_initiative_cards().order_by("-published_at", "-id")[:limit])


def latest_port_centers(limit: int = 6) -> list[PortCenter]:
    return list(_port_center_cards().order_by("-published_at", "-id")[:limit])


def home_records() -> dict[str, Any]:
    """The home page's lists, cached per content generation (a publish shows at once)."""
    key = generation_key(HOME_RECORDS_CACHE_KEY)
    records = cache.get(key)
    if records is None:
        records = {
            "latest_initiatives": latest_initiatives(6),
            "latest_port_centers": latest_port_centers(6),
            "map_points": port_center_map_points(),
        }
        cache.set(key, records, HOME_STATS_SECONDS)
    return records


# --- Organisations ----------------------------------------------------------------------------


def organisation_for_detail(slug: str) -> Organisation | None:
    return Organisation.objects.select_related("port_city").filter(slug=slug).first()


@dataclass
class OrganisationRecords:
    initiatives: list[Initiative] = field(default_factory=list)
    initiative_count: int = 0
    partner_initiatives: list[Initiative] = field(default_factory=list)
    port_centers: list[PortCenter] = field(default_factory=list)


def organisation_records(organisation: Organisation) -> OrganisationRecords:
    led = _initiative_cards().filter(organisation=organisation).order_by("-published_at", "-id")
    initiatives = list(led[:ORGANISATION_LIST_LIMIT])
    count = len(initiatives)
    if count == ORGANISATION_LIST_LIMIT:
        count = led.count()
    partner = list(
        _initiative_cards()
        .filter(partners=organisation)
        .order_by("-published_at", "-id")[:ORGANISATION_LIST_LIMIT]
    )
    operated = PortCenter.operators.through.objects.filter(organisation=organisation).values(
        "portcenter_id"
    )
    port_centers = list(
        _port_center_cards()
        .filter(Q(pk__in=Subquery(operated)) | Q(organisation=organisation))
        .order_by("name")
    )
    return OrganisationRecords(
        initiatives=initiatives,
        initiative_count=count,
        partner_initiatives=partner,
        port_centers=port_centers,
    )


# --- Port cities ------------------------------------------------------------------------------


@dataclass
class PortCityRecords:
    port_centers: list[PortCenter] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    initiative_count: int = 0
    organisations: list[Organisation] = field(default_factory=list)


def port_city_records(city: PortCity) -> PortCityRecords:
    port_centers = list(_port_center_cards().filter(port_city=city).order_by("name"))
    in_city = _initiative_cards().filter(port_city=city).order_by("-published_at", "-id")
    initiatives = list(in_city[:CITY_LIST_LIMIT])
    count = len(initiatives)
    if count == CITY_LIST_LIMIT:
        count = in_city.count()
    organisations = list(Organisation.objects.filter(port_city=city).order_by("name")[:50])
    return PortCityRecords(
        port_centers=port_centers,
        initiatives=initiatives,
        initiative_count=count,
        organisations=organisations,
    )


@dataclass
class CityRow:
    city: PortCity
    port_centers: int
    initiatives: int


def city_record_counts() -> dict[int, tuple[int, int]]:
    """Published Port Centers and initiatives per port city id, cached briefly: counting per
    listed city would scan every city's records on each page view."""
    key = generation_key(CITY_COUNTS_CACHE_KEY)
    counts = cache.get(key)
    if counts is None:
        port_centers = dict(
            PortCenter.objects.published()
            .order_by()
            .values_list("port_city")
            .annotate(n=Count("id"))
            .values_list("port_city", "n")
        )
        initiatives = dict(
            Initiative.objects.published()
            .order_by()
            .values_list("port_city")
            .annotate(n=Count("id"))
            .values_list("port_city", "n")
        )
        counts = {
            city_id: (port_centers.get(city_id, 0), initiatives.get(city_id, 0))
            for city_id in set(port_centers) | set(initiatives)
        }
        cache.set(key, counts, CITY_COUNTS_SECONDS)
    return counts


def city_rows(cities: Iterable[PortCity]) -> list[CityRow]:
    counts = city_record_counts()
    return [CityRow(city, *counts.get(city.pk, (0, 0))) for city in cities]


# --- The network at a glance ------------------------------------------------------------------


def network_stats() -> dict[str, int]:
    """Headline counts, cached briefly: they change rarely and the home page is busy."""
    key = generation_key(HOME_STATS_CACHE_KEY)
    stats = cache.get(key)
    if stats is None:
        stats = {
            "port_centers": PortCenter.objects.published().count(),
            "initiatives": Initiative.objects.published().count(),
            "organisations": Organisation.objects.count(),
            "port_cities": PortCity.objects.count(),
            "countries": PortCity.objects.order_by().values("country").distinct().count(),
        }
        cache.set(key, stats, HOME_STATS_SECONDS)
    return stats


def home_context() -> dict[str, Any]:
    """What the home page shows: the network in figures, the latest records, the goals."""
    return {
        "stats": network_stats(),
        **home_records(),
        "port_center_url_prefix": port_center_url_prefix(),
        "goals": list(Goal.objects.all()),
    }
