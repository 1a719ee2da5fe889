"""What the initiative and Port Center routers share: ordering, full-text ranking, and the owner
organisation of a new record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portolan.accounts.models import Organisation, Visitor
from portolan.catalogue.permissions import member_organisation_ids

from .. import fulltext
from ..auth import request_user
from .common import Ranked, listing
from .filters import RecordFilters

ORDERINGS: dict[str, tuple[Any, ...]] = {
    "newest": (F("published_at").desc(nulls_last=True), "-id"),
    "oldest": (F("published_at").asc(nulls_last=True), "id"),
    "updated": ("-updated_at", "-id"),
    "title": ("title", "id"),
    "name": ("name", "id"),
}


def record_list(
    request: HttpRequest,
    *,
    record_type: str,
    qs: QuerySet[Any],
    filters: RecordFilters,
    default_sort: str,
) -> QuerySet[Any] | Ranked:
    ranked = fulltext.ranked_ids(record_type, filters.q)
    sort = getattr(filters, "sort", default_sort)
    if sort == "relevance" and ranked is not None:
        return listing(request, qs, ordered_ids=ranked)
    if ranked is not None:
        qs = qs.filter(pk__in=ranked)
    ordering = ORDERINGS.get(sort, ORDERINGS[default_sort])
    return listing(request, qs.order_by(*ordering))


def reader(request: HttpRequest) -> Any:
    return request_user(request)


def writer(request: HttpRequest) -> Any:
    """The token's user (write endpoints require a token, so `request.auth` is set)."""
    return request.auth.user  # type: ignore[attr-defined]


def owner_organisation(user: Visitor, slug: str | None) -> Organisation:
    """The organisation a new record belongs to: the one named, or the caller's only one.
    Whether the caller may write for it is the service's decision."""
    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Unknown organisation.")]})
        return organisation
    ids = member_organisation_ids(user)
    if len(ids) == 1:
        return Organisation.objects.get(pk=next(iter(ids)))
    raise ValidationError(
        {"organisation": [_("Say which organisation owns the record (its slug).")]}
    )
