"""What every catalogue write shares: the field tables read off the models, resolving links,
the history snapshot of links, saving with the acting user, permission checks."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext

from portolan.accounts.models import User
from portolan.core.fields import UNKNOWN_VALUES_MESSAGE
from portolan.places.models import UNKNOWN_PORT_CITY_MESSAGE, PortCity

from .. import permissions
from ..models import (
    Initiative,
    ModerationEvent,
    Offer,
    PortCenter,
    PublicationStatus,
)

if TYPE_CHECKING:
    from django.db.models import Model

logger = logging.getLogger(__name__)


Record = Initiative | PortCenter


# Fields the services never take from the caller: the workflow and bookkeeping state.
_SYSTEM_FIELDS = {
    "id",
    "slug",
    "organisation",
    "publication_status",
    "published_at",
    "last_reviewed",
    "external_id",
    "is_demo",
    "is_reference",
    "linked",
    "created_at",
    "updated_at",
}


def _field_tables(model: type[Model], special: set[str]) -> tuple[set[str], set[str]]:
    """(text fields, other value fields) a caller may write, read off the model, so that a new
    model field is writable without touching the services."""
    text: set[str] = set()
    plain: set[str] = set()
    for field in model._meta.concrete_fields:
        if field.name in _SYSTEM_FIELDS or field.name in special or field.is_relation:
            continue
        is_text = isinstance(field, models.CharField | models.TextField) and not field.choices
        (text if is_text else plain).add(field.name)
    return text, plain


_INITIATIVE_TEXT, _INITIATIVE_PLAIN = _field_tables(Initiative, {"port_city"})


@cache
def _link_tables(model: type[Record]) -> dict[str, tuple[type[Model], str]]:
    """Many-to-many field -> (linked model, identifying attribute), from the model's link_keys."""
    return {
        field: (model._meta.get_field(field).related_model, key)  # type: ignore[misc]
        for field, key in model.link_keys.items()
    }


_INITIATIVE_M2M = _link_tables(Initiative)

_PORT_CENTER_TEXT, _PORT_CENTER_PLAIN = _field_tables(PortCenter, {"port_city", "offers"})
_PORT_CENTER_M2M = _link_tables(PortCenter)

# Fields a restore copies back from a historical version: the content, never the workflow state.
_NOT_RESTORED = {
    "id",
    "slug",
    "organisation",
    "publication_status",
    "published_at",
    "last_reviewed",
    "external_id",
    "is_demo",
    "is_reference",
    "created_at",
    "updated_at",
}


# --------------------------------------------------------------------------------------------
# Text and value helpers
# --------------------------------------------------------------------------------------------


def _text_value(field: str, value: Any, errors: dict[str, list[str]]) -> str:
    """Text is normalised and checked by the model field (portolan.core.fields) in full_clean."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append(gettext("Enter text."))
        return ""
    return value


def unique_slug(model: type[Record], source: str, *, max_length: int) -> str:
    base = slugify(source)[: max_length - 8].strip("-") or model._meta.model_name or "record"
    slug = base
    n = 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _is_safe_key(value: str) -> bool:
    """Identifiers that can be looked up safely (PostgreSQL rejects NUL characters)."""
    return len(value) <= 300 and "\x00" not in value


def _resolve_port_city(value: Any, errors: dict[str, list[str]]) -> PortCity | None:
    if isinstance(value, PortCity):
        return value
    if isinstance(value, str) and value and _is_safe_key(value):
        city = PortCity.objects.filter(slug=value).first()
        if city is not None:
            return city
    errors.setdefault("port_city", []).append(str(UNKNOWN_PORT_CITY_MESSAGE))
    return None


def _resolve_many(
    field: str, model: type[Model], key: str, values: Any, errors: dict[str, list[str]]
) -> list[Model]:
    if values is None:
        return []
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        errors.setdefault(field, []).append(gettext("Give a list."))
        return []
    items = list(values)
    objects = [v for v in items if isinstance(v, model)]
    keys = [v for v in items if not isinstance(v, model)]
    if any(isinstance(k, bool) or not isinstance(k, str | int) for k in keys):
        errors.setdefault(field, []).append(gettext("Give a list of identifiers."))
        return []
    if keys:
        lookup: set[Any]
        if key == "number":
            try:
                lookup = {int(k) for k in keys}
            except (TypeError, ValueError):
                errors.setdefault(field, []).append(gettext("Give a list of numbers."))
                return []
            # Out-of-range numbers would overflow the database integer before they could
            # be reported as unknown.
            if any(not 0 <= n <= 32767 for n in lookup):
                errors.setdefault(field, []).append(gettext("Unknown number in the list."))
                return []
        else:
            lookup = {str(k) for k in keys}
            if not all(_is_safe_key(k) for k in lookup):
                errors.setdefault(field, []).append(gettext("Give a list of identifiers."))
                return []
        found = list(model._default_manager.filter(**{f"{key}__in": lookup}))
        missing = lookup - {getattr(o, key) for o in found}
        if missing:
            errors.setdefault(field, []).append(
                str(UNKNOWN_VALUES_MESSAGE) % {"values": ", ".join(sorted(str(m) for m in missing))}
            )
            return []
        objects.extend(found)
    return objects


def _resolve_offers(values: Any, errors: dict[str, list[str]]) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        errors.setdefault("offers", []).append(gettext("Give a list."))
        return []
    result: list[str] = []
    allowed = set(Offer.values)
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            errors.setdefault("offers", []).append(
                gettext("Unknown offer: %(value)s.") % {"value": str(value)[:60]}
            )
            return []
        if value not in result:
            result.append(value)
    return result


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({k: v for k, v in errors.items() if v})


def _full_clean(record: Record, errors: dict[str, list[str]]) -> None:
    """Every field rule lives on the model; check constraints are kept by the database (their
    Python check would cost a query each) and mirrored by the model's clean()."""
    try:
        record.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _m2m_map(record: Record) -> dict[str, tuple[type[Model], str]]:
    return _link_tables(type(record))


def linked_snapshot(
    record: Record,
    many: Mapping[str, Sequence[Model]] | None,
    current: Mapping[str, Sequence[Any]] | None = None,
) -> dict[str, list]:
    """The links the record will have once `many` is applied, as the keys the services accept
    (slugs, goal numbers), so a version can be shown and restored without ids. `current` gives
    the keys of links left as they are when the caller already read them (bulk writes)."""
    snapshot: dict[str, list] = {}
    for field, (_model, key) in _m2m_map(record).items():
        if many is not None and field in many:
            values = [getattr(obj, key) for obj in many[field]]
        elif current is not None and field in current:
            values = list(current[field])
        elif record.pk:
            values = list(getattr(record, field).values_list(key, flat=True))
        else:
            values = []
        snapshot[field] = sorted(values)
    return snapshot


def _save(
    record: Record, actor: User, reason: str, many: Mapping[str, list[Model]] | None = None
) -> None:
    record.linked = linked_snapshot(record, many)
    record._history_user = actor  # type: ignore[union-attr]
    record._change_reason = reason  # type: ignore[union-attr]
    record.save()


def _event(record: Record, actor: User, action: str, message: str = "") -> ModerationEvent:
    return ModerationEvent.objects.create(
        action=action, message=message, actor=actor, **record.owned()
    )


def _set_many(record: Record, many: Mapping[str, list[Model]]) -> None:
    for field, objects in many.items():
        getattr(record, field).set(objects)


def _check_member_may_edit(actor: User, record: Record) -> None:
    if not permissions.can_edit(actor, record):
        raise PermissionDenied(gettext("You cannot change this record."))
    if record.publication_status == PublicationStatus.REJECTED and not permissions.is_staff(actor):
        raise ValidationError(
            {"publication_status": [gettext("A rejected record can no longer be changed.")]}
        )


def _after_member_edit(record: Record, actor: User) -> str:
    """A member's change to a published record goes back to moderation (see module docstring)."""
    if record.publication_status == PublicationStatus.PUBLISHED and not permissions.is_staff(actor):
        record.publication_status = PublicationStatus.SUBMITTED
        return "edit_published"
    return "edit"


def _copy_state(source: Record, target: Record) -> None:
    """Refresh the caller's instance in place, so it sees what was saved."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.fields_cache = {}  # type: ignore[attr-defined]
    prefetched = getattr(target, "_prefetched_objects_cache", None)
    if prefetched:
        prefetched.clear()


def _locked(record: Record) -> Record:
    return type(record).objects.select_for_update().get(pk=record.pk)


def _require_moderator(actor: User) -> None:
    if not permissions.can_moderate(actor):
        raise PermissionDenied(gettext("Only the secretariat can moderate records."))
