"""The record-type registry: one descriptor per kind of public record, registered by the app that
owns it (in its `AppConfig.ready`), read by the apps built on every record (search, open data,
API) so that none of them has to know the record apps.

A record type's `key` is its one spelling everywhere in code and data ("initiative",
"port_center", "organisation", "port_city"); `segment` is its spelling in URLs
("initiatives", "port-centers"). A new capability app (events, assessments) registers its own
types the same way; see docs/architecture.md for the checklist."""

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


# documents(ids=None or a collection of pks, batch_size=...) -> the public records' documents.
DocumentReader = Callable[..., Iterator[SearchDocument]]


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
