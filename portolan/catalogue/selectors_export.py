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
from django.urls import NoReverseMatch, reverse

from portolan.accounts.models import Membership, Organisation, User
from portolan.core.models import Audience, Goal, Mission, Theme
from portolan.places.models import PortCity

from .models import (
    Attachment,
    Initiative,
    InitiativeTranslation,
    ModerationEvent,
    PortCenter,
)

INITIATIVE, PORT_CENTER, ORGANISATION, PORT_CITY = (
    "initiative",
    "port_center",
    "organisation",
    "port_city",
)

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

_URL_NAMES = {
    INITIATIVE: "catalogue:initiative",
    PORT_CENTER: "catalogue:port_center",
    ORGANISATION: "catalogue:organisation",
    PORT_CITY: "places:detail",
}
_SLUG_PLACEHOLDER = "slug-placeholder-0"


class _Urls:
    """Absolute URLs without one `reverse` per row: reverse once per type, then fill the slug."""

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def __call__(self, record_type: str, slug: str) -> str:
        pattern = self._patterns.get(record_type)
        if pattern is None:
            try:
                path = reverse(_URL_NAMES[record_type], kwargs={"slug": _SLUG_PLACEHOLDER})
                pattern = settings.SITE_URL + path
            except NoReverseMatch:
                pattern = ""
            self._patterns[record_type] = pattern
        return pattern.replace(_SLUG_PLACEHOLDER, slug) if pattern else ""


def _slugs(objs: Any) -> str:
    return ";".join(o.slug for o in objs)


def _city_fields(city: PortCity | None) -> dict[str, Any]:
    if city is None:
        return {"port_city": "", "port_city_name": "", "country": "", "region": ""}
    return {
        "port_city": city.slug,
        "port_city_name": city.name,
        "country": str(city.country),
        "region": city.region,
    }


def _row(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(EXPORT_FIELDS)
    row.update(values)
    return row


def _iso(value: datetime | Any) -> str | None:
    return value.isoformat() if value else None


def _initiative_rows(pks: Sequence[int], url: _Urls) -> dict[int, dict[str, Any]]:
    qs = (
        Initiative.objects.published()
        .filter(pk__in=pks)
        .select_related("organisation", "port_city")
        .prefetch_related("themes", "goals", "audiences", "partners")
    )
    rows = {}
    for obj in qs:
        city = obj.port_city
        rows[obj.pk] = _row(
            type=INITIATIVE,
            id=obj.pk,
            slug=obj.slug,
            name=obj.title,
            summary=obj.summary,
            url=url(INITIATIVE, obj.slug),
            organisation=obj.organisation.slug,
            organisation_name=obj.organisation.name,
            partners=_slugs(obj.partners.all()),
            **_city_fields(city),
            latitude=city.latitude,
            longitude=city.longitude,
            themes=_slugs(obj.themes.all()),
            goals=_slugs(obj.goals.all()),
            audiences=_slugs(obj.audiences.all()),
            status=obj.status,
            start_year=obj.start_year,
            end_year=obj.end_year,
            language=obj.language,
            published_at=_iso(obj.published_at),
            last_reviewed=_iso(obj.last_reviewed),
        )
    return rows


def _port_center_rows(pks: Sequence[int], url: _Urls) -> dict[int, dict[str, Any]]:
    qs = (
        PortCenter.objects.published()
        .filter(pk__in=pks)
        .select_related("organisation", "port_city")
        .prefetch_related("audiences", "operators")
    )
    rows = {}
    for obj in qs:
        point = obj.point
        rows[obj.pk] = _row(
            type=PORT_CENTER,
            id=obj.pk,
            slug=obj.slug,
            name=obj.name,
            summary=obj.description,
            url=url(PORT_CENTER, obj.slug),
            organisation=obj.organisation.slug,
            organisation_name=obj.organisation.name,
            partners=_slugs(obj.operators.all()),
            **_city_fields(obj.port_city),
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            audiences=_slugs(obj.audiences.all()),
            offers=";".join(obj.offers or []),
            status=obj.status,
            opening_year=obj.opening_year,
            visitors_per_year=obj.visitors_per_year,
            website=obj.website,
            published_at=_iso(obj.published_at),
            last_reviewed=_iso(obj.last_reviewed),
        )
    return rows


def _organisation_rows(pks: Sequence[int], url: _Urls) -> dict[int, dict[str, Any]]:
    rows = {}
    for obj in Organisation.objects.filter(pk__in=pks).select_related("port_city"):
        city = obj.port_city
        rows[obj.pk] = _row(
            type=ORGANISATION,
            id=obj.pk,
            slug=obj.slug,
            name=obj.name,
            summary=obj.description,
            url=url(ORGANISATION, obj.slug),
            **_city_fields(city),
            latitude=city.latitude if city else None,
            longitude=city.longitude if city else None,
            kind=obj.kind,
            website=obj.website,
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
            **_city_fields(obj),
            latitude=obj.latitude,
            longitude=obj.longitude,
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
