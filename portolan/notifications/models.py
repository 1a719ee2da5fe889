"""The outbox: every message to a person is a row, unique on its key, so a retry or a second
worker never sends it twice; and each person's choice per kind of message."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Message(models.Model):
    """One e-mail to one person. The key (recipient, kind, object, period key) is unique: queueing
    the same message again finds the row instead. `period_key` is the period a digest or reminder
    covers (`2026-12`, `2026-W49`) or the event it tells of (`event-42`)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    kind = models.CharField(_("kind"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    period_key = models.CharField(_("period key"), max_length=60, blank=True)
    language = models.CharField(_("language"), max_length=5)
    context = models.JSONField(_("context"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id", "period_key"],
                name="unique_outbox_message",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MessageStatus.values), name="outbox_message_status"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.status})"


class Delivery(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    SITE = "site", _("Only in the site")


class Preference(models.Model):
    """How one person wants one kind of message. No row: the kind's default (e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference"),
            models.CheckConstraint(
                condition=models.Q(delivery__in=Delivery.values),
                name="notification_preference_delivery",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"
