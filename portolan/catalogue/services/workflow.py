"""The publication workflow: submit, approve, request changes, reject, mark reviewed, restore."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portolan.accounts.models import User

from .. import permissions
from ..models import (
    ModerationAction,
    ModerationEvent,
    PublicationStatus,
)
from ._base import (
    _NOT_RESTORED,
    Record,
    _check_member_may_edit,
    _copy_state,
    _event,
    _full_clean,
    _locked,
    _m2m_map,
    _raise_if,
    _require_moderator,
    _save,
    _set_many,
)
from .notifications import notify_moderation, notify_submitted

if TYPE_CHECKING:
    from django.db.models import Model

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Workflow
# --------------------------------------------------------------------------------------------


# One whole sentence per action: languages do not build these sentences the same way.
_WRONG_STATE = {
    "submit": _("Cannot submit a record whose status is “%(status)s”."),
    "approve": _("Cannot approve a record whose status is “%(status)s”."),
    "request_changes": _("Cannot request changes to a record whose status is “%(status)s”."),
    "reject": _("Cannot reject a record whose status is “%(status)s”."),
}


def _wrong_state(record: Record, action: str) -> ValidationError:
    message = str(_WRONG_STATE[action]) % {"status": record.get_publication_status_display()}
    return ValidationError({"publication_status": [message]})


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
        raise _wrong_state(current, "submit")
    errors: dict[str, list[str]] = {}
    _full_clean(current, errors)
    _raise_if(errors)
    current.publication_status = PublicationStatus.SUBMITTED
    _save(current, actor, "submit")
    event = _event(current, actor, ModerationAction.SUBMIT)
    _copy_state(current, record)
    notify_submitted(current, event)


@transaction.atomic
def record_approve(*, actor: User, record: Record) -> None:
    _require_moderator(actor)
    current = _locked(record)
    if current.publication_status != PublicationStatus.SUBMITTED:
        raise _wrong_state(current, "approve")
    current.publication_status = PublicationStatus.PUBLISHED
    if current.published_at is None:
        current.published_at = timezone.now()
    current.last_reviewed = timezone.localdate()
    _save(current, actor, "approve")
    event = _event(current, actor, ModerationAction.APPROVE)
    _copy_state(current, record)
    notify_moderation(current, event)


def _send_back(
    *, actor: User, record: Record, message: str, action: str, status: PublicationStatus
) -> None:
    """A moderator's decision that needs a message: ask for changes, or reject."""
    _require_moderator(actor)
    text = _clean_message(message)
    current = _locked(record)
    if current.publication_status != PublicationStatus.SUBMITTED:
        raise _wrong_state(current, action)
    current.publication_status = status
    _save(current, actor, action)
    event = _event(current, actor, action, text)
    _copy_state(current, record)
    notify_moderation(current, event)


@transaction.atomic
def record_request_changes(*, actor: User, record: Record, message: str) -> None:
    _send_back(
        actor=actor,
        record=record,
        message=message,
        action=ModerationAction.REQUEST_CHANGES,
        status=PublicationStatus.CHANGES_REQUESTED,
    )


@transaction.atomic
def record_reject(*, actor: User, record: Record, message: str) -> None:
    _send_back(
        actor=actor,
        record=record,
        message=message,
        action=ModerationAction.REJECT,
        status=PublicationStatus.REJECTED,
    )


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
    _full_clean(current, errors)
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
