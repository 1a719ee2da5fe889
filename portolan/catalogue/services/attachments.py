"""Images and PDFs attached to a record."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from portolan.accounts.models import User

from .. import uploads
from ..models import (
    Attachment,
    ModerationAction,
)
from ._base import (
    Record,
    _after_member_edit,
    _check_member_may_edit,
    _copy_state,
    _event,
    _locked,
    _raise_if,
    _save,
)
from .notifications import notify_submitted

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


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
    setattr(attachment, current.owner_field, current)
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
        note = gettext("File added after publication.")
        event = _event(current, actor, ModerationAction.SUBMIT, note)
        notify_submitted(current, event)  # back in the queue: the moderators hear of it
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
