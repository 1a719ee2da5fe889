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

from ._base import Record, linked_snapshot, unique_slug
from .attachments import attachment_add, attachment_delete
from .bulk import BulkRow, records_bulk_write
from .inputs import InitiativeData, PortCenterData, TranslationData
from .records import (
    initiative_create,
    initiative_update,
    port_center_create,
    port_center_update,
)
from .workflow import (
    record_approve,
    record_mark_reviewed,
    record_reject,
    record_request_changes,
    record_restore,
    record_submit,
)

__all__ = [
    "InitiativeData",
    "PortCenterData",
    "TranslationData",
    "BulkRow",
    "Record",
    "attachment_add",
    "attachment_delete",
    "initiative_create",
    "initiative_update",
    "linked_snapshot",
    "port_center_create",
    "port_center_update",
    "record_approve",
    "record_mark_reviewed",
    "record_reject",
    "record_request_changes",
    "record_restore",
    "record_submit",
    "records_bulk_write",
    "unique_slug",
]
