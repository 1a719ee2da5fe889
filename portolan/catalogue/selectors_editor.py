"""Reads for the member and staff pages. Each returns what a page needs with relations
prefetched, so a page costs a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portolan.accounts.models import Visitor
from portolan.places.models import PortCity

from . import permissions
from .models import (
    Attachment,
    Initiative,
    ModerationAction,
    ModerationEvent,
    Offer,
    PortCenter,
    PublicationStatus,
)

Record = Initiative | PortCenter

# Editable kinds by their URL segment, read off the models (one spelling per kind).
KINDS: dict[str, type[Initiative] | type[PortCenter]] = {
    model.segment: model for model in (Initiative, PortCenter)
}


def kind_of(record: Record) -> str:
    return record.segment


def model_for_kind(kind: str) -> type[Initiative] | type[PortCenter]:
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def _last_message_prefetch() -> Prefetch:
    return Prefetch(
        "moderation",
        queryset=ModerationEvent.objects.filter(
            action__in=[ModerationAction.REQUEST_CHANGES, ModerationAction.REJECT]
        ).order_by("-created_at", "-id"),
        to_attr="staff_messages",
    )


def record_for_editing(user: Visitor, kind: str, slug: str) -> Record:
    """The record if the user may edit it. Records the user may not even see are a 404, so their
    existence does not leak; visible ones the user cannot change are a 403 (PermissionDenied)."""
    model = model_for_kind(kind)
    record = cast(
        Record,
        get_object_or_404(model.objects.select_related("organisation", "port_city"), slug=slug),
    )
    if not permissions.can_view(user, record):
        raise Http404
    if not permissions.can_edit(user, record):
        raise PermissionDenied
    return record


def initiative_for_form(user: Visitor, slug: str) -> Initiative:
    record = record_for_editing(user, "initiatives", slug)
    assert isinstance(record, Initiative)
    return (
        Initiative.objects.select_related("organisation", "port_city")
        .prefetch_related("partners", "themes", "goals", "audiences", "translations", "attachments")
        .get(pk=record.pk)
    )


def port_center_for_form(user: Visitor, slug: str) -> PortCenter:
    record = record_for_editing(user, "port-centers", slug)
    assert isinstance(record, PortCenter)
    return (
        PortCenter.objects.select_related("organisation", "port_city")
        .prefetch_related("operators", "audiences", "attachments")
        .get(pk=record.pk)
    )


def dashboard_initiatives(user: Visitor, status: str = "") -> QuerySet[Initiative]:
    qs = (
        Initiative.objects.filter(organisation_id__in=permissions.member_organisation_ids(user))
        .select_related("organisation", "port_city")
        .prefetch_related(_last_message_prefetch())
        .order_by("-updated_at", "-id")
    )
    if status in PublicationStatus.values:
        qs = qs.filter(publication_status=status)
    return qs


def dashboard_port_centers(user: Visitor, status: str = "") -> QuerySet[PortCenter]:
    qs = (
        PortCenter.objects.filter(organisation_id__in=permissions.member_organisation_ids(user))
        .select_related("organisation", "port_city")
        .prefetch_related(_last_message_prefetch())
        .order_by("-updated_at", "-id")
    )
    if status in PublicationStatus.values:
        qs = qs.filter(publication_status=status)
    return qs


def moderation_queue() -> list[Record]:
    """Everything awaiting a decision, oldest first (first come, first served)."""
    initiatives = list(
        Initiative.objects.filter(publication_status=PublicationStatus.SUBMITTED)
        .select_related("organisation", "port_city")
        .order_by("updated_at")[:200]
    )
    centers = list(
        PortCenter.objects.filter(publication_status=PublicationStatus.SUBMITTED)
        .select_related("organisation", "port_city")
        .order_by("updated_at")[:200]
    )
    records: list[Record] = [*initiatives, *centers]
    records.sort(key=lambda r: r.updated_at)
    return records


@dataclass
class StaffSummary:
    counts: dict[str, dict[str, int]]
    stale: list[Record] = field(default_factory=list)
    stale_total: int = 0
    recent: list[ModerationEvent] = field(default_factory=list)


def _status_counts(model: type[Initiative] | type[PortCenter], limit: Any) -> dict[str, int]:
    return model.objects.aggregate(
        submitted=Count("id", filter=Q(publication_status=PublicationStatus.SUBMITTED)),
        changes_requested=Count(
            "id", filter=Q(publication_status=PublicationStatus.CHANGES_REQUESTED)
        ),
        published=Count("id", filter=Q(publication_status=PublicationStatus.PUBLISHED)),
        stale=Count(
            "id",
            filter=Q(publication_status=PublicationStatus.PUBLISHED, last_reviewed__lt=limit),
        ),
    )


def staff_summary() -> StaffSummary:
    limit = timezone.localdate() - timedelta(days=settings.PORTOLAN_STALE_AFTER_DAYS)
    counts = {
        "initiatives": _status_counts(Initiative, limit),
        "port_centers": _status_counts(PortCenter, limit),
    }
    stale_filter = Q(publication_status=PublicationStatus.PUBLISHED, last_reviewed__lt=limit)
    stale: list[Record] = [
        *PortCenter.objects.filter(stale_filter)
        .select_related("organisation")
        .order_by("last_reviewed")[:10],
        *Initiative.objects.filter(stale_filter)
        .select_related("organisation")
        .order_by("last_reviewed")[:10],
    ]
    stale.sort(key=lambda r: r.last_reviewed)
    recent = list(
        ModerationEvent.objects.select_related(
            "actor", "initiative__organisation", "port_center__organisation"
        ).order_by("-created_at", "-id")[:20]
    )
    return StaffSummary(
        counts=counts,
        stale=stale,
        stale_total=counts["initiatives"]["stale"] + counts["port_centers"]["stale"],
        recent=recent,
    )


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------

_HIDDEN_IN_DIFF = {"id", "created_at", "updated_at", "is_demo", "is_reference"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    history_id: int
    date: Any
    user: Visitor
    kind: str
    reason: str
    changes: list[Change]
    is_current: bool


def _display(
    model: type[Initiative] | type[PortCenter], name: str, value: Any, cities: dict
) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if name == "port_city":
        return str(cities.get(value, value))
    choices = getattr(model_field, "choices", None)
    if choices:
        labels = dict(choices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _linked_changes(model: Any, old: dict, new: dict) -> list[Change]:
    """One line per relation (themes, goals, partners...) whose links differ between versions."""
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name) or [], new.get(name) or []
        if sorted(before) == sorted(after):
            continue
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a relation removed from the model since then
            label = name
        changes.append(
            Change(
                label=label,
                old=", ".join(str(v) for v in before) or "—",
                new=", ".join(str(v) for v in after) or "—",
            )
        )
    return changes


def history_entries(record: Record, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first, each with the field changes compared with the version before it.
    One query for the versions (with users) and one for the port city names."""
    model = type(record)
    versions = list(
        record.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[union-attr]
            : limit + 1
        ]
    )
    tracked = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in _HIDDEN_IN_DIFF and f.name not in ("organisation", "linked")
    ]
    city_ids = {v.port_city_id for v in versions if v.port_city_id}
    cities = dict(PortCity.objects.filter(id__in=city_ids).values_list("id", "name"))
    entries: list[HistoryEntry] = []
    for index, version in enumerate(versions[:limit]):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes: list[Change] = []
        if previous is not None:
            delta = version.diff_against(previous, included_fields=tracked)
            for change in delta.changes:
                field_obj = model._meta.get_field(change.field)
                if change.field == "offers":
                    labels = dict(Offer.choices)
                    old = ", ".join(str(labels.get(o, o)) for o in change.old or []) or "—"
                    new = ", ".join(str(labels.get(o, o)) for o in change.new or []) or "—"
                else:
                    old = _display(model, change.field, change.old, cities)
                    new = _display(model, change.field, change.new, cities)
                changes.append(
                    Change(
                        label=str(getattr(field_obj, "verbose_name", change.field)),
                        old=old,
                        new=new,
                    )
                )
        if previous is not None:
            # Not editable, so diff_against skips it: compared here, one line per relation.
            changes.extend(_linked_changes(model, previous.linked or {}, version.linked or {}))
        entries.append(
            HistoryEntry(
                history_id=version.history_id,
                date=version.history_date,
                user=version.history_user,
                kind=version.history_type,
                reason=version.history_change_reason or "",
                changes=changes,
                is_current=index == 0,
            )
        )
    return entries


def moderation_log(record: Record, *, limit: int = 50) -> list[ModerationEvent]:
    return list(
        record.moderation.select_related("actor").order_by("-created_at", "-id")[:limit]  # type: ignore[union-attr]
    )


def attachment_for_download(user: Visitor, pk: int) -> Attachment:
    attachment = get_object_or_404(
        Attachment.objects.select_related("initiative", "port_center"), pk=pk
    )
    record = attachment.initiative or attachment.port_center
    if record is None or not permissions.can_view(user, record):
        raise Http404
    return attachment


def attachment_for_editing(user: Visitor, pk: int) -> Attachment:
    attachment = attachment_for_download(user, pk)
    record = attachment.initiative or attachment.port_center
    if not permissions.can_edit(user, record):
        raise PermissionDenied
    return attachment
