"""Create and update initiatives and Port Centers from the caller's data."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from portolan.accounts.models import Organisation, User

from .. import permissions
from ..models import (
    ContentLanguage,
    Initiative,
    InitiativeTranslation,
    ModerationAction,
    PortCenter,
    PublicationStatus,
)
from ._base import (
    _INITIATIVE_M2M,
    _INITIATIVE_PLAIN,
    _INITIATIVE_TEXT,
    _PORT_CENTER_M2M,
    _PORT_CENTER_PLAIN,
    _PORT_CENTER_TEXT,
    Record,
    _after_member_edit,
    _check_member_may_edit,
    _copy_state,
    _event,
    _full_clean,
    _raise_if,
    _resolve_many,
    _resolve_offers,
    _resolve_port_city,
    _save,
    _set_many,
    _text_value,
    unique_slug,
)
from .inputs import InitiativeData, PortCenterData
from .notifications import notify_submitted

if TYPE_CHECKING:
    from django.db.models import Model

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Applying `data` to a record
# --------------------------------------------------------------------------------------------


def _apply_common(
    record: Record,
    actor: User,
    data: Mapping[str, Any],
    text_fields: set[str],
    plain_fields: set[str],
    m2m_fields: Mapping[str, tuple[type[Model], str]],
    extra: set[str],
    errors: dict[str, list[str]],
) -> dict[str, list[Model]]:
    allowed = set(text_fields) | plain_fields | set(m2m_fields) | {"port_city"} | extra
    if permissions.is_staff(actor):
        allowed.add("external_id")
    for key in data:
        if key not in allowed:
            errors.setdefault(str(key), []).append(gettext("Unknown or read-only field."))
    for field in text_fields:
        if field in data:
            setattr(record, field, _text_value(field, data[field], errors))
    for field in plain_fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            if isinstance(value, float) and not math.isfinite(value):
                errors.setdefault(field, []).append(gettext("Enter a finite number."))
                continue
            nullable = record._meta.get_field(field).null
            if value is None and not nullable:
                value = ""
            elif value == "" and nullable:
                value = None
            setattr(record, field, value)
    if "external_id" in data and "external_id" in allowed:
        external_id = data["external_id"]
        record.external_id = (
            str(external_id).replace("\x00", "").strip()[:80] or None if external_id else None
        )
    if "port_city" in data:
        city = _resolve_port_city(data["port_city"], errors)
        if city is not None:
            record.port_city = city
    many: dict[str, list[Model]] = {}
    for field, (model, key) in m2m_fields.items():
        if field in data:
            many[field] = _resolve_many(field, model, key, data[field], errors)
    return many


def _clean_translations(
    record: Initiative, values: Any, errors: dict[str, list[str]]
) -> list[dict[str, str]]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        errors.setdefault("translations", []).append(gettext("Give a list."))
        return []
    result: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in values:
        if not isinstance(item, Mapping):
            errors.setdefault("translations", []).append(
                gettext("Each translation needs a language, a title and a summary.")
            )
            return []
        language = item.get("language")
        title = item.get("title")
        summary = item.get("summary")
        if not isinstance(title, str) or not isinstance(summary, str):
            errors.setdefault("translations", []).append(
                gettext("Each translation needs a language, a title and a summary.")
            )
            return []
        if language not in ContentLanguage.values:
            errors.setdefault("translations", []).append(
                gettext("Unknown language: %(value)s.") % {"value": str(language)[:20]}
            )
        elif language in seen:
            errors.setdefault("translations", []).append(
                gettext("Only one translation per language.")
            )
        elif language == record.language:
            errors.setdefault("translations", []).append(
                gettext("A translation must be in another language than the record.")
            )
        else:
            translation_row = InitiativeTranslation(language=language, title=title, summary=summary)
            try:
                translation_row.full_clean(exclude=["initiative"], validate_constraints=False)
            except ValidationError as exc:
                for messages in exc.message_dict.values():
                    errors.setdefault("translations", []).extend(messages)
                continue
            seen.add(language)
            result.append(
                {
                    "language": language,
                    "title": translation_row.title,
                    "summary": translation_row.summary,
                }
            )
    return result


def _replace_translations(record: Initiative, translations: list[dict[str, str]]) -> None:
    record.translations.all().delete()
    InitiativeTranslation.objects.bulk_create(
        InitiativeTranslation(initiative=record, **item) for item in translations
    )


# --------------------------------------------------------------------------------------------
# One path for every kind of record; what differs is in `_KINDS`
# --------------------------------------------------------------------------------------------

AfterSave = Callable[[], None] | None


def _no_prepare(record: Record, data: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    return None


def _no_after(
    record: Record, data: Mapping[str, Any], errors: dict[str, list[str]], creating: bool
) -> AfterSave:
    return None


def _port_center_offers(
    record: Record, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> None:
    if "offers" in data:
        record.offers = _resolve_offers(data["offers"], errors)  # type: ignore[union-attr]


def _initiative_translations(
    record: Record, data: Mapping[str, Any], errors: dict[str, list[str]], creating: bool
) -> AfterSave:
    # Checked after the record's own fields: a translation must differ from its language.
    if "translations" not in data and not creating:
        return None
    assert isinstance(record, Initiative)
    translations = _clean_translations(record, data.get("translations"), errors)
    if creating and not translations:
        return None
    return lambda: _replace_translations(record, translations)


@dataclass(frozen=True)
class _Kind:
    text: set[str]
    plain: set[str]
    links: Mapping[str, tuple[type[Model], str]]
    extra: set[str]
    prepare: Callable[[Record, Mapping[str, Any], dict[str, list[str]]], None] = _no_prepare
    after: Callable[[Record, Mapping[str, Any], dict[str, list[str]], bool], AfterSave] = _no_after


_KINDS: dict[type[Model], _Kind] = {
    Initiative: _Kind(
        _INITIATIVE_TEXT,
        _INITIATIVE_PLAIN,
        _INITIATIVE_M2M,
        {"translations"},
        after=_initiative_translations,
    ),
    PortCenter: _Kind(
        _PORT_CENTER_TEXT,
        _PORT_CENTER_PLAIN,
        _PORT_CENTER_M2M,
        {"offers"},
        prepare=_port_center_offers,
    ),
}


def _apply(
    record: Record, actor: User, data: Mapping[str, Any], *, creating: bool
) -> tuple[dict[str, list[Model]], AfterSave]:
    kind = _KINDS[type(record)]
    errors: dict[str, list[str]] = {}
    many = _apply_common(record, actor, data, kind.text, kind.plain, kind.links, kind.extra, errors)
    kind.prepare(record, data, errors)
    if creating:
        if "port_city" not in data and record.organisation.port_city_id:
            record.port_city_id = record.organisation.port_city_id
        record.slug = unique_slug(
            type(record),
            record.display_title or record.record_type.replace("_", "-"),
            max_length=record._meta.get_field("slug").max_length or 200,
        )
    _full_clean(record, errors)
    after_save = kind.after(record, data, errors, creating)
    _raise_if(errors)
    return many, after_save


def _record_create(
    *, model: type[Record], actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> Record:
    if not permissions.can_edit_for_organisation(actor, organisation.pk):
        raise PermissionDenied(gettext("You cannot add records for this organisation."))
    record = model(organisation=organisation, publication_status=PublicationStatus.DRAFT)
    many, after_save = _apply(record, actor, data, creating=True)
    _save(record, actor, "create", many)
    _set_many(record, many)
    if after_save is not None:
        after_save()
    return record


def _record_update(*, actor: User, record: Record, data: Mapping[str, Any]) -> Record:
    current = type(record).objects.select_for_update().get(pk=record.pk)
    _check_member_may_edit(actor, current)
    many, after_save = _apply(current, actor, data, creating=False)
    reason = _after_member_edit(current, actor)
    _save(current, actor, reason, many)
    _set_many(current, many)
    if after_save is not None:
        after_save()
    if reason == "edit_published":
        note = gettext("Edited after publication.")
        event = _event(current, actor, ModerationAction.SUBMIT, note)
        notify_submitted(current, event)  # back in the queue: the moderators hear of it
    _copy_state(current, record)
    return record


@transaction.atomic
def initiative_create(
    *, actor: User, organisation: Organisation, data: InitiativeData
) -> Initiative:
    record = _record_create(
        model=Initiative, actor=actor, organisation=organisation, data=dict(data)
    )
    assert isinstance(record, Initiative)
    return record


@transaction.atomic
def initiative_update(*, actor: User, initiative: Initiative, data: InitiativeData) -> Initiative:
    _record_update(actor=actor, record=initiative, data=dict(data))
    return initiative


@transaction.atomic
def port_center_create(
    *, actor: User, organisation: Organisation, data: PortCenterData
) -> PortCenter:
    record = _record_create(
        model=PortCenter, actor=actor, organisation=organisation, data=dict(data)
    )
    assert isinstance(record, PortCenter)
    return record


@transaction.atomic
def port_center_update(*, actor: User, port_center: PortCenter, data: PortCenterData) -> PortCenter:
    _record_update(actor=actor, record=port_center, data=dict(data))
    return port_center
