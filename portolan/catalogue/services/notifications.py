"""E-mails to the people a record belongs to, sent once the decision is committed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portolan.accounts.models import User

from ..models import (
    ModerationAction,
)
from ._base import (
    Record,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


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
    return record.display_title


def notify_moderation(record: Record, action: str, message: str) -> None:
    """E-mail every member of the owner organisation, each in their preferred language, once
    the decision is committed: a rolled-back decision sends nothing, and no row stays locked
    while the mail server answers."""
    record_id, model = record.pk, type(record)
    transaction.on_commit(lambda: _send(model.objects.get(pk=record_id), action, message))


def _send(record: Record, action: str, message: str) -> None:
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
