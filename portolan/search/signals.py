"""Keep the index in step with the catalogue: every save, delete, relation change or translation
reindexes the records it touches, after the transaction commits (so a rolled-back save leaves
the index alone, and drafts or unpublished records are dropped from it)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from portolan.catalogue import selectors_search as catalogue

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


def on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    ref = catalogue.ref_for_instance(instance)
    if ref is None:
        return
    _schedule(ref[0], [ref[1]], related=_related(instance))


def on_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    ref = catalogue.ref_for_instance(instance)
    if ref is None or instance.pk is None:
        return
    _schedule(ref[0], [ref[1]])


def on_m2m(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    found = catalogue.m2m_record_type(sender, instance, reverse)
    if found is None:
        return
    record_type, ids = found
    if reverse:
        if action == "pre_clear":
            # The cleared records are only known before the clear.
            ids = catalogue.m2m_reverse_clear_ids(sender, instance)
        else:
            ids = catalogue.m2m_reverse_ids(sender, pk_set)
    elif action == "pre_clear":
        return
    if ids:
        _schedule(record_type, ids)


def connect() -> None:
    for label in (*catalogue.WATCHED_MODELS, catalogue.TRANSLATION_MODEL):
        app_label, model_name = label.split(".")
        sender = f"{app_label}.{model_name}"
        post_save.connect(on_save, sender=sender, dispatch_uid=f"search-save-{label}")
        post_delete.connect(on_delete, sender=sender, dispatch_uid=f"search-delete-{label}")
    m2m_changed.connect(on_m2m, dispatch_uid="search-m2m")
