"""Catalogue reads for the open-data app: export rows, feed items, sitemap entries and the list of
models a backup holds. Only published records ever leave through here (except in backups, which
are a staff tool run from the command line).

Export rows are built from the record-type registry: each type's `ExportSpec` (declared in its
app's `records.py`) names the model fields its columns come from, so this module knows no record
type and a new type's records are exported once it declares its columns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from django.apps import apps
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
from portolan.core import registry
from portolan.core.models import Audience, Goal, Mission, Theme
from portolan.places.models import PortCity

# The published column layout of every export (clients read columns by position too, so it does
# not move); a record type leaves empty what it does not have. A column a new record type
# declares that is not here follows these, in registration order (`export_fields`).
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
_PLACE_FIELDS = ("slug", "name", "country", "region", "latitude", "longitude")

DEFAULT_BATCH = 500

_SLUG_PLACEHOLDER = "slug-placeholder-0"


def export_fields() -> tuple[str, ...]:
    """EXPORT_FIELDS, then the columns registered types add, in registration order."""
    extra = [
        column.name
        for record_type in registry.exported()
        for column in (record_type.export.columns if record_type.export else ())
        if column.name not in EXPORT_FIELDS
    ]
    return (*EXPORT_FIELDS, *dict.fromkeys(extra))


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


def _iso(value: datetime | Any) -> str | None:
    return value.isoformat() if value else None


def _place(values: dict[str, Any], spec: registry.ExportSpec) -> dict[str, Any]:
    """The place columns: the port city's, and the point (`location.locate`: the record's own
    when `own_point` and known, else its city's)."""
    city = {name: values[f"{spec.city}__{name}" if spec.city else name] for name in _PLACE_FIELDS}
    where = locate(
        values["latitude"] if spec.own_point else None,
        values["longitude"] if spec.own_point else None,
        city["latitude"],
        city["longitude"],
    )
    return {
        "port_city": city["slug"] or "",
        "port_city_name": city["name"] or "",
        "country": str(city["country"] or ""),
        "region": city["region"] or "",
        "latitude": where.latitude,
        "longitude": where.longitude,
        "location_precision": where.precision,
    }


def _value_paths(spec: registry.ExportSpec) -> list[str]:
    paths = ["id", "slug"]
    paths += [f"{spec.city}__{name}" if spec.city else name for name in _PLACE_FIELDS]
    if spec.own_point:
        paths += ["latitude", "longitude"]
    paths += [column.path for column in spec.columns if not column.many]
    return list(dict.fromkeys(paths))


def _rows_of_type(
    record_type: registry.RecordType, pks: Sequence[int], url: _Urls, fields: tuple[str, ...]
) -> dict[int, dict[str, Any]]:
    """Rows of one type's records: one query for the values, one per many-to-many column."""
    spec = record_type.export
    assert spec is not None, record_type.key  # only exported types are loaded
    model = apps.get_model(record_type.model)
    manager: Any = model._default_manager
    records = manager.published() if spec.published_only else manager.all()
    many = {
        column.name: _m2m_slugs(model, column.path, pks) for column in spec.columns if column.many
    }
    rows = {}
    for values in records.filter(pk__in=pks).values(*_value_paths(spec)):
        pk = values["id"]
        row: dict[str, Any] = dict.fromkeys(fields)
        row.update(
            type=record_type.key,
            id=pk,
            slug=values["slug"],
            url=url(record_type.key, values["slug"]),
            **_place(values, spec),
        )
        for column in spec.columns:
            if column.many:
                row[column.name] = many[column.name].get(pk, "")
            elif column.joined:
                row[column.name] = ";".join(values[column.path] or [])
            elif column.iso:
                row[column.name] = _iso(values[column.path])
            else:
                row[column.name] = values[column.path]
        rows[pk] = row
    return rows


def export_rows(
    refs: Sequence[tuple[str, int]], *, batch_size: int = DEFAULT_BATCH
) -> Iterator[dict[str, Any]]:
    """One dict per record (keys: `export_fields()`), in the order of `refs`, loaded in batches:
    a batch costs at most one query per record type plus its many-to-many columns, whatever its
    size. Unknown or unexported types and records that are no longer published are skipped."""
    url = _Urls()
    fields = export_fields()
    exported = {record_type.key: record_type for record_type in registry.exported()}
    for start in range(0, len(refs), batch_size):
        batch = refs[start : start + batch_size]
        by_type: dict[str, list[int]] = defaultdict(list)
        for record_type, pk in batch:
            if record_type in exported:
                by_type[record_type].append(pk)
        loaded: dict[tuple[str, int], dict[str, Any]] = {}
        for key, pks in by_type.items():
            for pk, row in _rows_of_type(exported[key], pks, url, fields).items():
                loaded[(key, pk)] = row
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
