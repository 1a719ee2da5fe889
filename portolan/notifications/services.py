"""Writes on the outbox and on preferences.

`queue_message` is called inside the caller's transaction: the row commits with the decision it
tells of (a rolled-back decision leaves no message), and the delivery task is enqueued once it
committed. `deliver` claims a message (a conditional UPDATE: one worker only; a claim is a lease,
so a message whose worker died is claimed again later), sends it, and records the outcome: sent;
pending again with a later `next_attempt_at` after a passing failure (the task then retries with
backoff); failed after `MAX_ATTEMPTS` or a lasting error (staff retry it from the admin).

Exactly once: the unique key makes queueing idempotent and the claim keeps two workers from
sending one message. A worker that dies after the mail server accepted a message but before it
recorded "sent" leaves the only window for a second copy, once its lease expired.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from portolan.accounts.models import User
from portolan.jobs.retry import MAX_ATTEMPTS

from . import delivery, kinds
from .models import Delivery, Message, MessageStatus, Preference
from .tokens import read_token

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "fr", "es")
# A pending message due for longer than this has probably lost its task: the sweep enqueues it.
SWEEP_GRACE = timedelta(minutes=2)


def recipient_language(user: User) -> str:
    return user.preferred_language if user.preferred_language in LANGUAGES else "en"


@transaction.atomic
def queue_message(
    *,
    recipient: User,
    kind: str,
    context: dict[str, Any],
    object_type: str = "",
    object_id: str | int = "",
    period_key: str = "",
) -> Message | None:
    """Queue one message to `recipient`, once: the same key again returns the existing row and
    sends nothing more. None for a person who cannot receive e-mail (inactive, no address)."""
    kinds.get(kind)  # an unknown kind is a programming error, raised here rather than later
    if not recipient.is_active or not recipient.email:
        return None
    message, created = Message.objects.get_or_create(
        recipient=recipient,
        kind=kind,
        object_type=object_type,
        object_id=str(object_id),
        period_key=period_key,
        defaults={
            "language": recipient_language(recipient),
            "context": context,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        message_id = message.pk
        transaction.on_commit(lambda: delivery.enqueue(message_id))
    return message


def sweep(*, limit: int = 500) -> int:
    """Enqueue the delivery of messages whose task was lost: pending and overdue, or claimed by
    a worker whose lease ran out. Idempotent (the claim lets one delivery through)."""
    now = timezone.now()
    # A message whose workers kept dying while sending it (it crashes them?) stops here.
    Message.objects.filter(
        status=MessageStatus.SENDING, lease_expires_at__lte=now, attempts__gte=MAX_ATTEMPTS
    ).update(
        status=MessageStatus.FAILED,
        last_error="Its workers stopped while sending it, too many times.",
        lease_expires_at=None,
        updated_at=now,
    )
    overdue = Q(status=MessageStatus.PENDING, next_attempt_at__lte=now - SWEEP_GRACE) | Q(
        status=MessageStatus.SENDING, lease_expires_at__lte=now
    )
    ids = list(
        Message.objects.filter(overdue)
        .order_by("next_attempt_at")[:limit]
        .values_list("pk", flat=True)
    )
    for message_id in ids:
        delivery.enqueue(message_id)
    return len(ids)


@transaction.atomic
def messages_retry(*, messages: QuerySet[Message]) -> int:
    """Staff send failed messages again, starting over from a first attempt."""
    ids = list(
        messages.filter(status=MessageStatus.FAILED)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Message.objects.filter(pk__in=ids).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=now, updated_at=now
    )
    for message_id in ids:
        transaction.on_commit(functools.partial(delivery.enqueue, message_id))
    return len(ids)


@transaction.atomic
def preference_set(*, user: User, kind: str, delivery: str) -> Preference:
    kinds.get(kind)
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return preference


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, kinds.Kind]:
    """Turn off the e-mails of one kind for the person the signed token names. Raises
    `signing.BadSignature` (tampered), `User.DoesNotExist` or `LookupError` (unknown kind) and
    changes nothing then."""
    data = read_token(token)
    kind = kinds.get(data.kind)
    user = User.objects.get(pk=data.user_id)
    preference_set(user=user, kind=kind.key, delivery=Delivery.SITE)
    return user, kind
