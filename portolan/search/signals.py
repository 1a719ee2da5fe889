"""Keep the index in step with the record types registered in portolan.core.registry: every
save, delete, relation change or translation reindexes the records it touches, after the
transaction commits (so a rolled-back save leaves the index alone, and drafts or unpublished
records are dropped from it)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from portolan.core import registry
from portolan.core.signals import records_bulk_written

from . import services

logger = logging.getLogger(__name__)

_CITY = "places.portcity"
_ORGANISATION = "accounts.organisation"


def _schedule(record_type: str, ids: list[int], *, related: dict[str, int] | None = None) -> None:
    def run() -> None:
        try:
            services.reindex(record_type=record_type, ids=ids)
            if related:
                for other_type, other_ids in services.indexed_refs(**related).items():
                    if other_type != record_type:
                        services.reindex(record_type=other_type, ids=other_ids)
                    else:
                        services.reindex(
                            record_type=other_type, ids=[i for i in other_ids if i not in ids]
                        )
        except Exception:  # The index can be rebuilt; a failed reindex must not break a save.
            logger.exception("search: reindexing %s %s failed", record_type, ids)

    transaction.on_commit(run)


def _related(instance: Any) -> dict[str, int] | None:
    label = instance._meta.label_lower
    if label == _CITY:
        return {"port_city_id": int(instance.pk)}
    if label == _ORGANISATION:
        return {"organisation_id": int(instance.pk)}
    return None


def _refs(instance: Any) -> list[tuple[str, int]]:
    """(record type, pk) of each indexed record an instance belongs to."""
    refs = []
    for record_type, pk_of in registry.watched_models().get(instance._meta.label_lower, []):
        pk = pk_of(instance)
        if pk is not None:
            refs.append((record_type, pk))
    return refs


def on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    for record_type, pk in _refs(instance):
        _schedule(record_type, [pk], related=_related(instance))


def on_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    for record_type, pk in _refs(instance):
        _schedule(record_type, [pk])


def _linked_ids(sender: Any, instance: Any, record_model: str) -> list[int]:
    """Records linked to `instance` through `sender`, read before a reverse clear() runs."""
    source = target = None
    for model_field in sender._meta.fields:
        related = model_field.related_model
        if related is None:
            continue
        if related._meta.label_lower == record_model and target is None:
            target = model_field.attname
        elif related is type(instance):
            source = model_field.attname
    if source is None or target is None:
        return []
    return [
        int(i)
        for i in sender.objects.filter(**{source: instance.pk}).values_list(target, flat=True)
    ]


def on_m2m(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    owner = registry.link_owner(getattr(getattr(sender, "_meta", None), "label_lower", ""))
    if owner is None:
        return
    record_type, record_model = owner
    if not reverse:
        if action == "pre_clear":
            return
        ids = [int(instance.pk)]
    elif action == "pre_clear":
        # The cleared records are only known before the clear.
        ids = _linked_ids(sender, instance, record_model)
    else:
        ids = [int(pk) for pk in (pk_set or ())]
    if ids:
        _schedule(record_type, ids)


def on_bulk_written(sender: Any, record_types: Any = None, **kwargs: Any) -> int:
    return services.rebuild_index(record_types=record_types)


def connect() -> None:
    records_bulk_written.connect(on_bulk_written, dispatch_uid="search-bulk")
    for label in registry.watched_models():
        post_save.connect(on_save, sender=label, dispatch_uid=f"search-save-{label}")
        post_delete.connect(on_delete, sender=label, dispatch_uid=f"search-delete-{label}")
    m2m_changed.connect(on_m2m, dispatch_uid="search-m2m")
