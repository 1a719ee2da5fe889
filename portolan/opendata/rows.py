"""Catalogue reads for the open-data app: export rows, feed items, sitemap entries and the list of
models a backup holds. Only published records ever leave through here (except in backups, which
are a staff tool run from the command line)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse

from portolan.accounts.models import Membership, Organisation, User
from portolan.catalogue.location import locate
from portolan.catalogue.models import (
    Attachment,
    Initiative,
    InitiativeTranslation,
    ModerationEvent,
    PortCenter,
)
from portolan.catalogue.records import INITIATIVE, ORGANISATION, PORT_CENTER, PORT_CITY
from portolan.core import registry
from portolan.core.models import Audience, Goal, Mission, Theme
from portolan.places.models import PortCity

# Column order of every export; a record type leaves empty what it does not have.
EXPORT_FIELDS: tuple[str, ...] = (
    "type",
    "id",
    "slug",
    "name",
    "summary",
    "url",
    "organisation",
    "organisation_name",
    "partners",
    "port_city",
    "port_city_name",
    "country",
    "region",
    "latitude",
    "longitude",
    "location_precision",
    "themes",
    "goals",
    "audiences",
    "offers",
    "status",
    "kind",
    "start_year",
    "end_year",
    "opening_year",
    "visitors_per_year",
    "language",
    "website",
    "published_at",
    "last_reviewed",
)

DEFAULT_BATCH = 500

_SLUG_PLACEHOLDER = "slug-placeholder-0"


class _Urls:
    """Absolute URLs without one `reverse` per row: reverse once per type, then fill the slug."""

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def __call__(self, record_type: str, slug: str) -> str:
        pattern = self._patterns.get(record_type)
        if pattern is None:
            path = reverse(registry.get(record_type).detail_url, kwargs={"slug": _SLUG_PLACEHOLDER})
            pattern = settings.SITE_URL + path
            self._patterns[record_type] = pattern
        return pattern.replace(_SLUG_PLACEHOLDER, slug) if pattern else ""


def _m2m_slugs(model: type[models.Model], name: str, pks: Sequence[int]) -> dict[int, str]:
    """`;`-joined slugs of one many-to-many relation for many records, in one query that reads
    the through table (no model instances: exports of 50,000 rows stay fast)."""
    field: Any = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    found: dict[int, list[str]] = defaultdict(list)
    pairs = (
        through._default_manager.filter(**{f"{source}_id__in": pks})
        .order_by(f"{target}__slug")
        .values_list(f"{source}_id", f"{target}__slug")
    )
    for owner, slug in pairs:
        found[owner].append(slug)
    return {owner: ";".join(slugs) for owner, slugs in found.items()}


_CITY_VALUES = (
    "port_city__slug",
    "port_city__name",
    "port_city__country",
    "port_city__region",
    "port_city__latitude",
    "port_city__longitude",
)


def _city_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "port_city": values["port_city__slug"] or "",
        "port_city_name": values["port_city__name"] or "",
        "country": str(values["port_city__country"] or ""),
        "region": values["port_city__region"] or "",
    }


def _point(values: dict[str, Any], *, own: bool = False) -> dict[str, Any]:
    """latitude, longitude and location_precision (`location.locate`: own point, else city's)."""
    where = locate(
        values["latitude"] if own else None,
        values["longitude"] if own else None,
        values["port_city__latitude"],
        values["port_city__longitude"],
    )
    return {
        "latitude": where.latitude,
        "longitude": where.longitude,
        "location_precision": where.precision,
    }


def _row(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(EXPORT_FIELDS)
    row.update(values)
    return row


def _iso(value: datetime | Any) -> str | None:
    return value.isoformat() if value else None


def _initiative_rows(pks: Sequence[int], url: _Urls) -> dict[int, dict[str, Any]]:
    records = (
        Initiative.objects.published()
        .filter(pk__in=pks)
        .values(
            "id",
            "slug",
            "title",
            "summary",
            "status",
            "start_year",
            "end_year",
            "language",
            "published_at",
            "last_reviewed",
            "organisation__slug",
            "organisation__name",
            *_CITY_VALUES,
        )
    )
    rows = {}
    lists = {
        name: _m2m_slugs(Initiative, name, pks)
        for name in ("themes", "goals", "audiences", "partners")
    }
    for obj in records:
        pk = obj["id"]
        rows[pk] = _row(
            type=INITIATIVE,
            id=pk,
            slug=obj["slug"],
            name=obj["title"],
            summary=obj["summary"],
            url=url(INITIATIVE, obj["slug"]),
            organisation=obj["organisation__slug"],
            organisation_name=obj["organisation__name"],
            partners=lists["partners"].get(pk, ""),
            **_city_fields(obj),
            **_point(obj),
            themes=lists["themes"].get(pk, ""),
            goals=lists["goals"].get(pk, ""),
            audiences=lists["audiences"].get(pk, ""),
            status=obj["status"],
            start_year=obj["start_year"],
            end_year=obj["end_year"],
            language=obj["language"],
            published_at=_iso(obj["published_at"]),
            last_reviewed=_iso(obj["last_reviewed"]),
        )
    return rows


def _port_center_rows(pks: Sequence[int], url: _Urls) -> dict[int, dict[str, Any]]:
    records = (
        PortCenter.objects.published()
        .filter(pk__in=pks)
        .values(
            "id",
            "slug",
            "name",
            "description",
            "status",
            "offers",
            "opening_year",
            "visitors_per_year",
            "website",
            "latitude",
            "longitude",
            "published_at",
            "last_reviewed",
            "organisation__slug",
            "organisation__name",
            *_CITY_VALUES,
        )
    )
    audiences = _m2m_slugs(PortCenter, "audiences", pks)
    operators = _m2m_slugs(PortCenter, "operators", pks)
    rows = {}
    for obj in records:
        pk = obj["id"]
        rows[pk] = _row(
            type=PORT_CENTER,
            id=pk,
            slug=obj["slug"],
            name=obj["name"],
            summary=obj["description"],
            url=url(PORT_CENTER, obj["slug"]),
            organisation=obj["organisation__slug"],
            organisation_name=obj["organisation__name"],
            partners=operators.get(pk, ""),
            **_city_fields(obj),
            # The Port Center's own coordinates when known, else its port city's (as on the map).
            **_point(obj, own=True),
            audiences=audiences.get(pk, ""),
            offers=";".join(obj["offers"] or []),
            status=obj["status"],
            opening_year=obj["opening_year"],
            visitors_per_year=obj["visitors_per_year"],
            website=obj["website"],
            published_at=_iso(obj["published_at"]),
            last_reviewed=_iso(obj["last_reviewed"]),
        )
    return rows


def _organisation_rows(pks: Sequence[int], url: _Urls) -> dict[int, dict[str, Any]]:
    rows = {}
    records = Organisation.objects.filter(pk__in=pks).values(
        "id", "slug", "name", "description", "kind", "website", *_CITY_VALUES
    )
    for obj in records:
        rows[obj["id"]] = _row(
            type=ORGANISATION,
            id=obj["id"],
            slug=obj["slug"],
            name=obj["name"],
            summary=obj["description"],
            url=url(ORGANISATION, obj["slug"]),
            **_city_fields(obj),
            **_point(obj),
            kind=obj["kind"],
            website=obj["website"],
        )
    return rows


def _port_city_rows(pks: Sequence[int], url: _Urls) -> dict[int, dict[str, Any]]:
    rows = {}
    for obj in PortCity.objects.filter(pk__in=pks):
        rows[obj.pk] = _row(
            type=PORT_CITY,
            id=obj.pk,
            slug=obj.slug,
            name=obj.name,
            url=url(PORT_CITY, obj.slug),
            port_city=obj.slug,
            port_city_name=obj.name,
            country=str(obj.country),
            region=obj.region,
            **_point({"port_city__latitude": obj.latitude, "port_city__longitude": obj.longitude}),
        )
    return rows


_LOADERS: dict[str, Callable[[Sequence[int], _Urls], dict[int, dict[str, Any]]]] = {
    INITIATIVE: _initiative_rows,
    PORT_CENTER: _port_center_rows,
    ORGANISATION: _organisation_rows,
    PORT_CITY: _port_city_rows,
}


def export_rows(
    refs: Sequence[tuple[str, int]], *, batch_size: int = DEFAULT_BATCH
) -> Iterator[dict[str, Any]]:
    """One dict per record (keys: EXPORT_FIELDS), in the order of `refs`, loaded in batches: a
    batch costs at most one query per record type plus its prefetches, whatever its size.
    Unknown types and records that are no longer published are skipped."""
    url = _Urls()
    for start in range(0, len(refs), batch_size):
        batch = refs[start : start + batch_size]
        by_type: dict[str, list[int]] = defaultdict(list)
        for record_type, pk in batch:
            if record_type in _LOADERS:
                by_type[record_type].append(pk)
        loaded: dict[tuple[str, int], dict[str, Any]] = {}
        for record_type, pks in by_type.items():
            for pk, row in _LOADERS[record_type](pks, url).items():
                loaded[(record_type, pk)] = row
        for ref in batch:
            found = loaded.get((ref[0], ref[1]))
            if found is not None:
                yield found


# --- feeds ----------------------------------------------------------------------------------------


def feed_initiatives(*, pks: Sequence[int] | None = None, limit: int = 50) -> list[Initiative]:
    """Newest published initiatives (optionally among `pks`), with what a feed item shows."""
    qs = (
        Initiative.objects.published()
        .select_related("organisation", "port_city")
        .prefetch_related("themes")
        .order_by("-published_at", "-id")
    )
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return list(qs[:limit])


def latest_publication() -> datetime | None:
    return (
        Initiative.objects.published()
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )


# --- sitemap --------------------------------------------------------------------------------------


def sitemap_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.published().only("id", "slug", "updated_at").order_by("id")


def sitemap_port_centers() -> QuerySet[PortCenter]:
    return PortCenter.objects.published().only("id", "slug", "updated_at").order_by("id")


def sitemap_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.only("id", "slug", "updated_at").order_by("id")


def sitemap_port_cities() -> QuerySet[PortCity]:
    return PortCity.objects.only("id", "slug", "updated_at").order_by("id")


# --- backup ---------------------------------------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every model a backup holds, parents before children so a restore can insert in order.
    Historical (simple-history) tables follow the records, so "who changed what" survives."""
    base: list[type[models.Model]] = [
        Goal,
        Mission,
        Theme,
        Audience,
        PortCity,
        User,
        Organisation,
        Membership,
        PortCenter,
        Initiative,
        InitiativeTranslation,
        Attachment,
        ModerationEvent,
    ]
    history = [
        model.history.model  # type: ignore[attr-defined]
        for model in (Organisation, PortCenter, Initiative)
    ]
    return [*base, *history]


def backup_file_fields() -> list[tuple[type[models.Model], str]]:
    """(model, file field name) of every uploaded file a backup lists in its manifest."""
    return [(Attachment, "file"), (Organisation, "logo")]


def database_is_empty() -> bool:
    """True when no user data exists yet (vocabulary, loaded by a migration, does not count)."""
    return not (
        PortCity.objects.exists()
        or Organisation.objects.exists()
        or User.objects.exists()
        or Initiative.objects.exists()
        or PortCenter.objects.exists()
    )
