"""The record-type registry: one descriptor per kind of public record, registered by the app that
owns it (in its `AppConfig.ready`), read by the apps built on every record (search, open data,
API) so that none of them has to know the record apps.

A record type's `key` is its one spelling everywhere in code and data ("initiative",
"port_center", "organisation", "port_city"); `segment` is its spelling in URLs
("initiatives", "port-centers"). Besides its model, labels, URLs and search documents, a type
names its export columns (`ExportSpec`), its API router (`ApiSpec`) and its permissions
(`Permissions`), all declared by the record app in its `records.py`. A new capability app
(events, assessments) registers its own types the same way; see docs/architecture.md for the
checklist."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class SearchDocument:
    """What the search index holds of one public record: the contract between a record app,
    which builds documents, and the search app, which stores and ranks them."""

    record_type: str
    record_id: int
    slug: str
    title: str
    summary: str = ""
    body: str = ""
    language: str = ""
    # (language, title, summary) of each translation.
    translations: list[tuple[str, str, str]] = field(default_factory=list)
    place: str = ""
    port_city_id: int | None = None
    organisation_id: int | None = None
    region: str = ""
    country: str = ""
    kind: str = ""
    status: str = ""
    themes: tuple[str, ...] = ()
    goals: tuple[int, ...] = ()
    audiences: tuple[str, ...] = ()
    # The record's years, start..end (see portolan.core.filterspec): no end = open-ended.
    year: int | None = None
    year_end: int | None = None
    published_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    # Generated demo data: listed after real records at equal relevance and on the landing.
    is_demo: bool = False


# documents(ids=None or a collection of pks, batch_size=...) -> the public records' documents.
DocumentReader = Callable[..., Iterator[SearchDocument]]


@dataclass(frozen=True)
class Column:
    """One export column a record type fills, read from the model with `QuerySet.values`.

    `source` is the field path (`"title"`, `"organisation__slug"`; empty: the column's own name).
    `many`: a many-to-many field, exported as its targets' slugs joined by `;`. `joined`: a list
    value (a JSON field), joined by `;`. `iso`: a date or time, in ISO 8601 (empty stays empty)."""

    name: str
    source: str = ""
    many: bool = False
    joined: bool = False
    iso: bool = False

    @property
    def path(self) -> str:
        return self.source or self.name


@dataclass(frozen=True)
class ExportSpec:
    """What the open-data exports hold of a record type (portolan.opendata.rows builds the rows).

    Every row has `type`, `id`, `slug` and `url`, and the place columns (`port_city`,
    `port_city_name`, `country`, `region`, `latitude`, `longitude`, `location_precision`):
    read from the record's `city` relation, or from the record itself when `city` is empty (the
    record is a port city); with `own_point` the record's own coordinates come first. `columns`
    are the type's other columns; columns a type does not fill stay empty."""

    columns: tuple[Column, ...] = ()
    city: str = "port_city"
    own_point: bool = False
    published_only: bool = False  # only `Model.objects.published()` leaves


@dataclass(frozen=True)
class ApiSpec:
    """How the JSON API serves a record type. The api app sits above the record apps, so the
    record app names the API code by dotted path ("module:attribute") instead of importing it:
    `router` is a ninja `Router`, or a factory called with the `RecordType` that returns one
    (portolan.api.routers.catalogue_records.record_router); `options` are that factory's
    arguments (plain values, dotted paths, or the record app's own callables). The router is
    mounted at `/api/v1/<segment>`."""

    router: str
    options: Mapping[str, Any] = field(default_factory=dict)


def _nobody(*_args: Any) -> bool:
    return False


def _everyone(*_args: Any) -> bool:
    return True


@dataclass(frozen=True)
class Permissions:
    """Who may do what with a record of the type: `can_view(user, record)`, `can_edit(user,
    record)`, `can_moderate(user)`. The record app's permission module decides (for the catalogue:
    portolan.catalogue.permissions); the web UI and the API both ask it."""

    can_view: Callable[[Any, Any], bool] = _everyone
    can_edit: Callable[[Any, Any], bool] = _nobody
    can_moderate: Callable[[Any], bool] = _nobody


@dataclass(frozen=True)
class RecordType:
    key: str
    label: Any
    label_plural: Any
    model: str  # "app_label.ModelName"
    detail_url: str  # URL name taking the record's `slug`
    segment: str = ""
    documents: DocumentReader | None = None
    # Model label -> the pk of this type's record that a saved or deleted instance belongs to
    # (the model itself, or a part of it such as a translation).
    watched: Mapping[str, Callable[[Any], int | None]] = field(default_factory=dict)
    # Many-to-many through models (by label) whose changes alter this type's documents, and
    # the model on the other side of each.
    links: Mapping[str, str] = field(default_factory=dict)
    # Labels of the record's own status values (not the publication workflow).
    statuses: Mapping[str, Any] = field(default_factory=dict)
    # Its columns in the open-data exports (None: not exported).
    export: ExportSpec | None = None
    # Its API router (None: not in the API).
    api: ApiSpec | None = None
    # Who may see, change and moderate its records.
    permissions: Permissions = field(default_factory=Permissions)


_TYPES: dict[str, RecordType] = {}


def register(record_type: RecordType) -> None:
    existing = _TYPES.get(record_type.key)
    if existing is not None and existing != record_type:
        raise ValueError(f"Record type {record_type.key!r} is registered twice.")
    _TYPES[record_type.key] = record_type


def record_types() -> tuple[RecordType, ...]:
    """Every registered type, in registration order (the order facets and labels show)."""
    return tuple(_TYPES.values())


def is_registered(key: str) -> bool:
    return key in _TYPES


def get(key: str) -> RecordType:
    return _TYPES[key]


def by_segment(segment: str) -> RecordType | None:
    return next((t for t in _TYPES.values() if t.segment == segment), None)


def searchable() -> tuple[RecordType, ...]:
    return tuple(t for t in _TYPES.values() if t.documents is not None)


def exported() -> tuple[RecordType, ...]:
    return tuple(t for t in _TYPES.values() if t.export is not None)


def in_api() -> tuple[RecordType, ...]:
    return tuple(t for t in _TYPES.values() if t.api is not None)


def documents(
    key: str, *, ids: Collection[int] | None = None, batch_size: int = 1000
) -> Iterator[SearchDocument]:
    reader = _TYPES[key].documents
    if reader is None:
        return iter(())
    return reader(ids=ids, batch_size=batch_size)


def status_labels() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for record_type in _TYPES.values():
        labels.update(record_type.statuses)
    return labels


def watched_models() -> dict[str, list[tuple[str, Callable[[Any], int | None]]]]:
    """Model label -> (record type, pk function) pairs, for the search signals."""
    watched: dict[str, list[tuple[str, Callable[[Any], int | None]]]] = {}
    for record_type in _TYPES.values():
        for label, pk_of in record_type.watched.items():
            watched.setdefault(label, []).append((record_type.key, pk_of))
    return watched


def link_owner(through_label: str) -> tuple[str, str] | None:
    """(record type, model label of that record type) whose links run through this model."""
    for record_type in _TYPES.values():
        if through_label in record_type.links:
            return record_type.key, record_type.model.lower()
    return None
