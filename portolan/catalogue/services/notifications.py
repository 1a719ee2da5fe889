"""Messages about records, queued in the outbox with the decision that causes them (so a
rolled-back decision sends nothing) and sent by a background task once it is committed: the
decisions to the members of the record's organisation, each submission to the moderators."""

from __future__ import annotations

from portolan.accounts.models import User
from portolan.notifications import kinds
from portolan.notifications.services import queue_message

from ..models import ModerationAction, ModerationEvent
from ._base import Record

_DECISION_KINDS: dict[str, str] = {
    ModerationAction.APPROVE: kinds.RECORD_APPROVED,
    ModerationAction.REQUEST_CHANGES: kinds.RECORD_CHANGES_REQUESTED,
    ModerationAction.REJECT: kinds.RECORD_REJECTED,
}


def _key(record: Record, event: ModerationEvent) -> dict[str, str]:
    """One message per person and moderation event: the same decision never mails twice."""
    return {
        "object_type": record._meta.model_name or "",
        "object_id": str(record.pk),
        "period_key": f"event-{event.pk}",
    }


def notify_moderation(record: Record, event: ModerationEvent) -> None:
    """Tell every active member of the owner organisation, each in their language."""
    recipients = User.objects.filter(
        memberships__organisation_id=record.organisation_id, is_active=True
    ).distinct()
    context = {
        "title": record.display_title,
        "message": event.message,
        "link": "catalogue:dashboard",
    }
    for user in recipients:
        queue_message(
            recipient=user,
            kind=_DECISION_KINDS[event.action],
            context=context,
            **_key(record, event),
        )


def notify_submitted(record: Record, event: ModerationEvent) -> None:
    """Tell the moderators (active staff) that a record awaits moderation."""
    organisation = record.organisation
    context = {
        "title": record.display_title,
        "organisation": organisation.name if organisation else "",
        "link": "catalogue:moderation",
    }
    for user in User.objects.filter(is_staff=True, is_active=True):
        if user.pk == event.actor_id:
            continue  # staff who submit it themselves know
        queue_message(
            recipient=user,
            kind=kinds.RECORD_AWAITS_MODERATION,
            context=context,
            **_key(record, event),
        )
