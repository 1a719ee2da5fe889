"""Kinds of message. A kind names its subject line and opening sentence (`%(name)s` filled from
the message's context), its templates, whether it is transactional (no unsubscribe link: only
for mail a person asked for just now) and who may turn it off. Apps above register more from
their `AppConfig.ready()` with `register()`; the notification centre and saved-search alerts plug
in the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any  # a lazy string: what the person turns on or off ("Moderation decisions …")
    subject: Any  # a lazy string with %(…)s placeholders from the message's context
    lead: Any  # the opening sentence, same placeholders
    transactional: bool = False
    link_text: Any = _("Your dashboard: %(url)s")  # the line with the context's `link`
    text_template: str = "notifications/email/message.txt"
    html_template: str = "notifications/email/message.html"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ValueError(f"Message kind {kind.key!r} is registered twice.")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown message kind {key!r}.") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


RECORD_APPROVED = "record_approved"
RECORD_CHANGES_REQUESTED = "record_changes_requested"
RECORD_REJECTED = "record_rejected"
RECORD_AWAITS_MODERATION = "record_awaits_moderation"


def register_builtin() -> None:
    """The kinds of today: moderation decisions to a record's organisation, submissions to staff.
    Their context: `title`, optionally `message` (the secretariat's words), `organisation`, and
    `link` (a URL name, reversed in the recipient's language)."""
    register(
        Kind(
            key=RECORD_APPROVED,
            label=_("A record of my organisation was published"),
            subject=_("Published on Portolan: %(title)s"),
            lead=_("“%(title)s” is now published in the Portolan catalogue."),
        )
    )
    register(
        Kind(
            key=RECORD_CHANGES_REQUESTED,
            label=_("The secretariat asks for changes to a record of my organisation"),
            subject=_("Changes requested on Portolan: %(title)s"),
            lead=_("The secretariat asks for changes to “%(title)s” before publishing it."),
        )
    )
    register(
        Kind(
            key=RECORD_REJECTED,
            label=_("A record of my organisation was not accepted"),
            subject=_("Not accepted on Portolan: %(title)s"),
            lead=_("The secretariat did not accept “%(title)s” for the catalogue."),
        )
    )
    register(
        Kind(
            key=RECORD_AWAITS_MODERATION,
            label=_("A record awaits moderation"),
            subject=_("Awaits moderation on Portolan: %(title)s"),
            lead=_("“%(title)s” was submitted by %(organisation)s and awaits moderation."),
            link_text=_("Moderation queue: %(url)s"),
        )
    )
