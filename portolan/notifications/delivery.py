"""Delivering one message from the outbox: claim it, render it in its language, send it, record
the outcome (see `services` for the whole story). `deliver_message` is the task."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from portolan.accounts.models import User
from portolan.jobs.retry import MAX_ATTEMPTS, TRANSIENT_ERRORS, next_attempt_at, retrying_task

from . import kinds
from .models import Delivery, Message, MessageStatus, Preference
from .tokens import make_token

logger = logging.getLogger(__name__)


class RetryLater(Exception):
    """Delivery failed for a passing reason; the message is due again at `at`."""

    def __init__(self, at: Any, error: str) -> None:
        super().__init__(error)
        self.at = at


def wants_email(user: User, kind: str) -> bool:
    if kinds.get(kind).transactional:
        return True
    delivery = (
        Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    )
    return delivery in (None, Delivery.EMAIL)


def unsubscribe_url(*, user_id: int, kind: str, language: str) -> str:
    with translation.override(language):
        path = reverse(
            "notifications:unsubscribe", kwargs={"token": make_token(user_id=user_id, kind=kind)}
        )
    return f"{settings.SITE_URL}{path}"


def render_email(message: Message) -> EmailMultiAlternatives:
    """The e-mail of `message`, in its language: subject, plain text and HTML parts, and for a
    kind that is not transactional the one-click unsubscribe headers (RFC 8058)."""
    kind = kinds.get(message.kind)
    user = message.recipient
    headers: dict[str, str] = {}
    with translation.override(message.language):
        values = {key: str(value) for key, value in message.context.items()}
        short = {key: value[:120] for key, value in values.items()}
        subject = " ".join((str(kind.subject) % short).split())
        context: dict[str, Any] = {
            **message.context,
            "kind": kind,
            "lead": str(kind.lead) % values,
            "site_url": settings.SITE_URL,
            "link_url": "",
            "link_line": "",
            "unsubscribe_url": "",
            "LANGUAGE_CODE": message.language,
        }
        link = message.context.get("link")
        if link:
            try:
                context["link_url"] = f"{settings.SITE_URL}{reverse(link)}"
            except NoReverseMatch:
                logger.warning("Message %s links to unknown URL %r", message.pk, link)
            else:
                context["link_line"] = str(kind.link_text) % {"url": context["link_url"]}
        if not kind.transactional:
            url = unsubscribe_url(user_id=user.pk, kind=kind.key, language=message.language)
            context["unsubscribe_url"] = url
            headers["List-Unsubscribe"] = f"<{url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text = render_to_string(kind.text_template, context)
        html = render_to_string(kind.html_template, context)
    email = EmailMultiAlternatives(subject, text, None, [user.email], headers=headers)
    email.attach_alternative(html, "text/html")
    return email


def _claim(message_id: int) -> bool:
    now = timezone.now()
    due = Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, lease_expires_at__lte=now
    )
    claimed = Message.objects.filter(due, pk=message_id).update(
        status=MessageStatus.SENDING,
        lease_expires_at=now + timedelta(seconds=settings.PORTOLAN_OUTBOX_LEASE_SECONDS),
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return claimed == 1


def _record(message: Message, **fields: Any) -> None:
    fields["updated_at"] = timezone.now()
    for name, value in fields.items():
        setattr(message, name, value)
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(**fields)


def deliver(*, message_id: int) -> str:
    """Send one message if it is due and nobody else is sending it; the outcome's name. Raises
    `RetryLater` after a passing failure (the task retries it then)."""
    if not _claim(message_id):
        return "not-due"
    message = Message.objects.select_related("recipient").get(pk=message_id)
    user = message.recipient
    try:
        if not user.is_active or not user.email or not wants_email(user, message.kind):
            _record(message, status=MessageStatus.SKIPPED, lease_expires_at=None)
            return MessageStatus.SKIPPED
        render_email(message).send(fail_silently=False)
    except TRANSIENT_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
        if message.attempts >= MAX_ATTEMPTS:
            _record(message, status=MessageStatus.FAILED, last_error=error, lease_expires_at=None)
            logger.error("Message %s failed after %d attempts", message.pk, message.attempts)
            return MessageStatus.FAILED
        at = next_attempt_at(message.attempts)
        _record(
            message,
            status=MessageStatus.PENDING,
            last_error=error,
            next_attempt_at=at,
            lease_expires_at=None,
        )
        raise RetryLater(at, error) from exc
    except Exception as exc:
        _record(
            message,
            status=MessageStatus.FAILED,
            last_error=f"{type(exc).__name__}: {exc}",
            lease_expires_at=None,
        )
        logger.exception("Message %s cannot be sent", message.pk)
        return MessageStatus.FAILED
    _record(
        message,
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        lease_expires_at=None,
    )
    return MessageStatus.SENT


def enqueue(message_id: int) -> None:
    try:
        deliver_message.enqueue(message_id)
    except Exception:  # the sweep enqueues it later; the decision that queued it stands
        logger.exception("Could not enqueue the delivery of message %s", message_id)


@retrying_task(retry_on=(RetryLater,))
def deliver_message(message_id: int) -> str:
    return deliver(message_id=message_id)
