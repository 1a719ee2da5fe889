"""Writes on catalogue records: create, update and the publication workflow.

Every function is keyword-only, atomic, checks permissions through `permissions`, validates before
saving (`ValidationError` with a field dict) and records the acting user in the history.

Workflow rules (kept deliberately small):

- create → `draft`, owned by the given organisation;
- submit: `draft` or `changes_requested` → `submitted` (organisation members and staff);
- approve / request changes / reject: only from `submitted`, staff only; request changes and reject
  need a message, which is e-mailed to the organisation's members (approval is e-mailed too);
- `rejected` is final for members: they can no longer edit or submit it (staff still can);
- a member editing a `published` record sends it back to `submitted` (it leaves the public
  catalogue until staff approve it again); staff edits never change the status;
- the slug is made once, at creation, so public URLs stay stable when a title changes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portolan.accounts.models import Organisation, User
from portolan.core.fields import UNKNOWN_VALUES_MESSAGE
from portolan.core.models import Audience, Goal, Theme
from portolan.places.models import UNKNOWN_PORT_CITY_MESSAGE, PortCity

from . import permissions, uploads
from .models import (
    Attachment,
    ContentLanguage,
    Initiative,
    InitiativeTranslation,
    ModerationAction,
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
_INITIATIVE_M2M: dict[str, tuple[type[Model], str]] = {
    "partners": (Organisation, "slug"),
    "themes": (Theme, "slug"),
    "goals": (Goal, "number"),
    "audiences": (Audience, "slug"),
}

_PORT_CENTER_TEXT, _PORT_CENTER_PLAIN = _field_tables(PortCenter, {"port_city", "offers"})
_PORT_CENTER_M2M: dict[str, tuple[type[Model], str]] = {
    "operators": (Organisation, "slug"),
    "audiences": (Audience, "slug"),
}

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
    return _INITIATIVE_M2M if isinstance(record, Initiative) else _PORT_CENTER_M2M


def _linked_snapshot(record: Record, many: Mapping[str, list[Model]] | None) -> dict[str, list]:
    """The links the record will have once `many` is applied, as the keys the services accept
    (slugs, goal numbers), so a version can be shown and restored without ids."""
    snapshot: dict[str, list] = {}
    for field, (_model, key) in _m2m_map(record).items():
        if many is not None and field in many:
            values = [getattr(obj, key) for obj in many[field]]
        elif record.pk:
            values = list(getattr(record, field).values_list(key, flat=True))
        else:
            values = []
        snapshot[field] = sorted(values)
    return snapshot


def _save(
    record: Record, actor: User, reason: str, many: Mapping[str, list[Model]] | None = None
) -> None:
    record.linked = _linked_snapshot(record, many)
    record._history_user = actor  # type: ignore[union-attr]
    record._change_reason = reason  # type: ignore[union-attr]
    record.save()


def _event(record: Record, actor: User, action: str, message: str = "") -> ModerationEvent:
    kwargs: dict[str, Any] = (
        {"initiative": record} if isinstance(record, Initiative) else {"port_center": record}
    )
    return ModerationEvent.objects.create(action=action, message=message, actor=actor, **kwargs)


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


def _validate_initiative(record: Initiative, errors: dict[str, list[str]]) -> None:
    _full_clean(record, errors)


def _validate_port_center(record: PortCenter, errors: dict[str, list[str]]) -> None:
    _full_clean(record, errors)


def _set_many(record: Record, many: Mapping[str, list[Model]]) -> None:
    for field, objects in many.items():
        getattr(record, field).set(objects)


def _replace_translations(record: Initiative, translations: list[dict[str, str]]) -> None:
    record.translations.all().delete()
    InitiativeTranslation.objects.bulk_create(
        InitiativeTranslation(initiative=record, **item) for item in translations
    )


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


# --------------------------------------------------------------------------------------------
# Initiatives
# --------------------------------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> Initiative:
    if not permissions.can_edit_for_organisation(actor, organisation.pk):
        raise PermissionDenied(gettext("You cannot add records for this organisation."))
    errors: dict[str, list[str]] = {}
    record = Initiative(organisation=organisation, publication_status=PublicationStatus.DRAFT)
    many = _apply_common(
        record,
        actor,
        data,
        _INITIATIVE_TEXT,
        _INITIATIVE_PLAIN,
        _INITIATIVE_M2M,
        {"translations"},
        errors,
    )
    if "port_city" not in data and organisation.port_city_id:
        record.port_city_id = organisation.port_city_id
    record.slug = unique_slug(Initiative, record.title or "initiative", max_length=240)
    _validate_initiative(record, errors)
    translations = _clean_translations(record, data.get("translations"), errors)
    _raise_if(errors)
    _save(record, actor, "create", many)
    _set_many(record, many)
    if translations:
        _replace_translations(record, translations)
    return record


@transaction.atomic
def initiative_update(
    *, actor: User, initiative: Initiative, data: Mapping[str, Any]
) -> Initiative:
    record = Initiative.objects.select_for_update().get(pk=initiative.pk)
    _check_member_may_edit(actor, record)
    errors: dict[str, list[str]] = {}
    many = _apply_common(
        record,
        actor,
        data,
        _INITIATIVE_TEXT,
        _INITIATIVE_PLAIN,
        _INITIATIVE_M2M,
        {"translations"},
        errors,
    )
    _validate_initiative(record, errors)
    translations = (
        _clean_translations(record, data["translations"], errors)
        if "translations" in data
        else None
    )
    _raise_if(errors)
    reason = _after_member_edit(record, actor)
    _save(record, actor, reason, many)
    _set_many(record, many)
    if translations is not None:
        _replace_translations(record, translations)
    if reason == "edit_published":
        _event(record, actor, ModerationAction.SUBMIT, gettext("Edited after publication."))
    _copy_state(record, initiative)
    return initiative


# --------------------------------------------------------------------------------------------
# Port Centers
# --------------------------------------------------------------------------------------------


@transaction.atomic
def port_center_create(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> PortCenter:
    if not permissions.can_edit_for_organisation(actor, organisation.pk):
        raise PermissionDenied(gettext("You cannot add records for this organisation."))
    errors: dict[str, list[str]] = {}
    record = PortCenter(organisation=organisation, publication_status=PublicationStatus.DRAFT)
    many = _apply_common(
        record,
        actor,
        data,
        _PORT_CENTER_TEXT,
        _PORT_CENTER_PLAIN,
        _PORT_CENTER_M2M,
        {"offers"},
        errors,
    )
    if "offers" in data:
        record.offers = _resolve_offers(data["offers"], errors)
    if "port_city" not in data and organisation.port_city_id:
        record.port_city_id = organisation.port_city_id
    record.slug = unique_slug(PortCenter, record.name or "port-center", max_length=220)
    _validate_port_center(record, errors)
    _raise_if(errors)
    _save(record, actor, "create", many)
    _set_many(record, many)
    return record


@transaction.atomic
def port_center_update(
    *, actor: User, port_center: PortCenter, data: Mapping[str, Any]
) -> PortCenter:
    record = PortCenter.objects.select_for_update().get(pk=port_center.pk)
    _check_member_may_edit(actor, record)
    errors: dict[str, list[str]] = {}
    many = _apply_common(
        record,
        actor,
        data,
        _PORT_CENTER_TEXT,
        _PORT_CENTER_PLAIN,
        _PORT_CENTER_M2M,
        {"offers"},
        errors,
    )
    if "offers" in data:
        record.offers = _resolve_offers(data["offers"], errors)
    _validate_port_center(record, errors)
    _raise_if(errors)
    reason = _after_member_edit(record, actor)
    _save(record, actor, reason, many)
    _set_many(record, many)
    if reason == "edit_published":
        _event(record, actor, ModerationAction.SUBMIT, gettext("Edited after publication."))
    _copy_state(record, port_center)
    return port_center


def _copy_state(source: Record, target: Record) -> None:
    """Refresh the caller's instance in place, so it sees what was saved."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.fields_cache = {}  # type: ignore[attr-defined]
    prefetched = getattr(target, "_prefetched_objects_cache", None)
    if prefetched:
        prefetched.clear()


# --------------------------------------------------------------------------------------------
# Workflow
# --------------------------------------------------------------------------------------------


def _locked(record: Record) -> Record:
    return type(record).objects.select_for_update().get(pk=record.pk)


def _wrong_state(record: Record, action: str) -> ValidationError:
    return ValidationError(
        {
            "publication_status": [
                gettext("Cannot %(action)s a record whose status is “%(status)s”.")
                % {"action": action, "status": record.get_publication_status_display()}
            ]
        }
    )


def _clean_message(message: str) -> str:
    """The moderation message, checked by the rules of the field that stores it."""
    field = ModerationEvent._meta.get_field("message")
    try:
        text = field.clean(message or "", None)
    except ValidationError as exc:
        raise ValidationError({"message": exc.messages}) from None
    if not text:
        raise ValidationError({"message": [gettext("Write a message for the organisation.")]})
    return str(text)


@transaction.atomic
def record_submit(*, actor: User, record: Record) -> None:
    current = _locked(record)
    _check_member_may_edit(actor, current)
    if current.publication_status not in (
        PublicationStatus.DRAFT,
        PublicationStatus.CHANGES_REQUESTED,
    ):
        raise _wrong_state(current, gettext("submit"))
    errors: dict[str, list[str]] = {}
    if isinstance(current, Initiative):
        _validate_initiative(current, errors)
    else:
        _validate_port_center(current, errors)
    _raise_if(errors)
    current.publication_status = PublicationStatus.SUBMITTED
    _save(current, actor, "submit")
    _event(current, actor, ModerationAction.SUBMIT)
    _copy_state(current, record)


def _require_moderator(actor: User) -> None:
    if not permissions.can_moderate(actor):
        raise PermissionDenied(gettext("Only the secretariat can moderate records."))


@transaction.atomic
def record_approve(*, actor: User, record: Record) -> None:
    _require_moderator(actor)
    current = _locked(record)
    if current.publication_status != PublicationStatus.SUBMITTED:
        raise _wrong_state(current, gettext("approve"))
    current.publication_status = PublicationStatus.PUBLISHED
    if current.published_at is None:
        current.published_at = timezone.now()
    current.last_reviewed = timezone.localdate()
    _save(current, actor, "approve")
    _event(current, actor, ModerationAction.APPROVE)
    _copy_state(current, record)
    _notify(current, ModerationAction.APPROVE, "")


@transaction.atomic
def record_request_changes(*, actor: User, record: Record, message: str) -> None:
    _require_moderator(actor)
    text = _clean_message(message)
    current = _locked(record)
    if current.publication_status != PublicationStatus.SUBMITTED:
        raise _wrong_state(current, gettext("request changes to"))
    current.publication_status = PublicationStatus.CHANGES_REQUESTED
    _save(current, actor, "request_changes")
    _event(current, actor, ModerationAction.REQUEST_CHANGES, text)
    _copy_state(current, record)
    _notify(current, ModerationAction.REQUEST_CHANGES, text)


@transaction.atomic
def record_reject(*, actor: User, record: Record, message: str) -> None:
    _require_moderator(actor)
    text = _clean_message(message)
    current = _locked(record)
    if current.publication_status != PublicationStatus.SUBMITTED:
        raise _wrong_state(current, gettext("reject"))
    current.publication_status = PublicationStatus.REJECTED
    _save(current, actor, "reject")
    _event(current, actor, ModerationAction.REJECT, text)
    _copy_state(current, record)
    _notify(current, ModerationAction.REJECT, text)


@transaction.atomic
def record_mark_reviewed(*, actor: User, record: Record) -> None:
    """The owners confirm the record is still accurate: it is no longer flagged as stale."""
    current = _locked(record)
    if not permissions.can_edit(actor, current):
        raise PermissionDenied(gettext("You cannot change this record."))
    current.last_reviewed = timezone.localdate()
    _save(current, actor, "mark_reviewed")
    _copy_state(current, record)


@transaction.atomic
def record_restore(*, actor: User, record: Record, history_id: int) -> None:
    """Staff bring back the content of an earlier version; the workflow state stays as it is and
    the restore itself becomes a new history entry."""
    _require_moderator(actor)
    current = _locked(record)
    try:
        version = current.history.get(history_id=history_id)  # type: ignore[union-attr]
    except (current.history.model.DoesNotExist, ValueError, TypeError):  # type: ignore[union-attr]
        raise ValidationError(
            {"history_id": [gettext("This version does not belong to the record.")]}
        ) from None
    for field in current._meta.concrete_fields:
        if field.name in _NOT_RESTORED or not hasattr(version, field.attname):
            continue
        setattr(current, field.attname, getattr(version, field.attname))
    errors: dict[str, list[str]] = {}
    if isinstance(current, Initiative):
        _validate_initiative(current, errors)
    else:
        _validate_port_center(current, errors)
    many = _linked_from_version(current, getattr(version, "linked", None) or {})
    _raise_if(errors)
    _save(current, actor, f"restore:{history_id}", many)
    _set_many(current, many)
    _event(
        current,
        actor,
        ModerationAction.RESTORE,
        gettext("Version of %(date)s restored.")
        % {"date": version.history_date.strftime("%Y-%m-%d %H:%M")},
    )
    _copy_state(current, record)


def _linked_from_version(record: Record, linked: Mapping[str, Any]) -> dict[str, list[Model]]:
    """Links of an old version that still exist (a deleted theme or organisation is skipped).
    Versions saved before links were recorded carry none: their links are left as they are."""
    many: dict[str, list[Model]] = {}
    for field, (model, key) in _m2m_map(record).items():
        if field in linked and isinstance(linked[field], list):
            many[field] = list(model._default_manager.filter(**{f"{key}__in": linked[field]}))
    return many


# --------------------------------------------------------------------------------------------
# Notifications
# --------------------------------------------------------------------------------------------

_SUBJECTS: dict[str, Any] = {
    ModerationAction.APPROVE: _("Published on Portolan: %(title)s"),
    ModerationAction.REQUEST_CHANGES: _("Changes requested on Portolan: %(title)s"),
    ModerationAction.REJECT: _("Not accepted on Portolan: %(title)s"),
}
_BODIES: dict[str, Any] = {
    ModerationAction.APPROVE: _("“%(title)s” is now published in the Portolan catalogue."),
    ModerationAction.REQUEST_CHANGES: _(
        "The secretariat asks for changes to “%(title)s” before publishing it."
    ),
    ModerationAction.REJECT: _("The secretariat did not accept “%(title)s” for the catalogue."),
}


def _record_title(record: Record) -> str:
    return record.title if isinstance(record, Initiative) else record.name


def _notify(record: Record, action: str, message: str) -> None:
    """E-mail every member of the owner organisation, each in their preferred language."""
    recipients = User.objects.filter(
        memberships__organisation_id=record.organisation_id, is_active=True
    ).only("email", "preferred_language")
    title = _record_title(record)
    dashboard = f"{settings.SITE_URL}/%s/catalogue/dashboard/"
    for user in recipients:
        language = (
            user.preferred_language if user.preferred_language in ("en", "fr", "es") else "en"
        )
        with translation.override(language):
            subject = str(_SUBJECTS[action]) % {"title": title[:120]}
            lines = [str(_BODIES[action]) % {"title": title}]
            if message:
                lines += ["", gettext("Message from the secretariat:"), message]
            lines += ["", gettext("Your dashboard: %(url)s") % {"url": dashboard % language}]
            body = "\n".join(lines)
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:  # noqa: BLE001 - a mail failure must not undo the moderation decision
            logger.exception("Could not send the moderation e-mail to user %s", user.pk)


def record_kind(record: models.Model) -> str:
    return "initiative" if isinstance(record, Initiative) else "port_center"


# --------------------------------------------------------------------------------------------
# Attachments
# --------------------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, actor: User, record: Record, kind: str, upload: Any, title: str, size: int | None = None
) -> Attachment:
    """Check the file by content, store it under MEDIA_ROOT and attach it to the record.
    Like an edit, a member's new file on a published record sends it back to moderation."""
    current = _locked(record)
    _check_member_may_edit(actor, current)
    errors: dict[str, list[str]] = {}
    clean_title = ""
    try:
        clean_title = str(Attachment._meta.get_field("title").clean(title or "", None))
    except ValidationError as exc:
        if title:
            errors["title"] = list(exc.messages)
    try:
        checked = uploads.check_upload(upload, kind=kind, size=size)
    except ValidationError as exc:
        errors["file"] = list(exc.messages)
    if not clean_title and "title" not in errors:
        errors.setdefault("title", []).append(gettext("Give the file a short title."))
    _raise_if(errors)
    attachment = Attachment(kind=checked.kind, title=clean_title, size=checked.size)
    if isinstance(current, Initiative):
        attachment.initiative = current
    else:
        attachment.port_center = current
    attachment.uploaded_by = actor if getattr(actor, "pk", None) else None
    attachment.file.save(checked.content.name or "upload", checked.content, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # The database row is rolled back by the transaction; the file must go too.
        attachment.file.delete(save=False)
        raise
    reason = _after_member_edit(current, actor)
    _save(current, actor, "attachment_added" if reason == "edit" else reason)
    if reason == "edit_published":
        _event(current, actor, ModerationAction.SUBMIT, gettext("File added after publication."))
    _copy_state(current, record)
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    record: Record | None = attachment.initiative or attachment.port_center
    if record is None:
        raise PermissionDenied(gettext("You cannot change this record."))
    current = _locked(record)
    _check_member_may_edit(actor, current)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    _save(current, actor, "attachment_deleted")
    if name:
        transaction.on_commit(lambda: storage.delete(name))
