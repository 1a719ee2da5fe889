"""What the initiative and Port Center routers share: turning query parameters into catalogue
filters, ordering, and the owner organisation of a new record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portolan.accounts.models import Organisation, Visitor
from portolan.catalogue import selectors_api
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


def catalogue_filters(filters: RecordFilters) -> selectors_api.RecordFilters:
    values = filters.model_dump(mode="json")
    return selectors_api.RecordFilters(
        region=values["region"],
        country=values["country"],
        port_city=values["port_city"],
        organisation=values["organisation"],
        organisation_kind=values["kind"],
        audience=values["audience"],
        status=values.get("status", []),
        theme=values.get("theme", []),
        goal=values.get("goal", []),
        offer=values.get("offer", []),
        language=values.get("language", []),
        publication_status=values["publication_status"],
        year_from=filters.year_from,
        year_to=filters.year_to,
        updated_since=_aware(filters.updated_since),
    )


def _aware(moment: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC (the API's documented zone)."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, UTC)


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
