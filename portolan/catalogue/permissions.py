"""Who may see or change a record: the single rule used by the web UI and the API alike."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from portolan.accounts.models import Organisation, Visitor

from .models import PublicationStatus


def _is_authenticated(user: Visitor) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_staff(user: Visitor) -> bool:
    return _is_authenticated(user) and bool(user.is_staff and user.is_active)


def member_organisation_ids(user: Visitor) -> set[int]:
    """Organisations the user edits for; cached on the user object for the request."""
    if not _is_authenticated(user) or not user.is_active:
        return set()
    cached = getattr(user, "_portolan_org_ids", None)
    if cached is None:
        cached = set(user.memberships.values_list("organisation_id", flat=True))
        # Cached on the object, which lives for one request.
        setattr(user, "_portolan_org_ids", cached)  # noqa: B010
    return set(cached)


def editable_organisations(user: Visitor) -> QuerySet[Organisation]:
    if is_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=member_organisation_ids(user))


def can_view(user: Visitor, record: Any) -> bool:
    """Published records are public; drafts only to their organisation's members and staff."""
    if record.publication_status == PublicationStatus.PUBLISHED:
        return True
    return can_edit(user, record)


def can_edit(user: Visitor, record: Any) -> bool:
    if is_staff(user):
        return True
    return record.organisation_id in member_organisation_ids(user)


def can_edit_for_organisation(user: Visitor, organisation_id: int) -> bool:
    return is_staff(user) or organisation_id in member_organisation_ids(user)


def can_moderate(user: Visitor) -> bool:
    return is_staff(user)


def visible_filter(user: Visitor) -> Q:
    """A filter for querysets of Initiative or PortCenter: what this user may see."""
    published = Q(publication_status=PublicationStatus.PUBLISHED)
    if is_staff(user):
        return Q()
    org_ids = member_organisation_ids(user)
    if org_ids:
        return published | Q(organisation_id__in=org_ids)
    return published


def can_view_public(user: Visitor, record: Any) -> bool:
    """Organisations and port cities have no drafts: everyone sees them."""
    return True


def can_edit_reference(user: Visitor, record: Any) -> bool:
    """Organisations and port cities are kept by the secretariat (in the admin)."""
    return is_staff(user)
