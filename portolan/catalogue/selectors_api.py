"""Read access to the catalogue for the JSON API: visibility comes from `permissions`, filters
mirror the search facets, and every queryset prefetches what the API serialises so a page of
results costs a constant number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet

from portolan.accounts.models import Organisation, Visitor
from portolan.core import filterspec

from .models import Initiative, PortCenter
from .permissions import visible_filter


@dataclass(frozen=True)
class RecordFilters:
    """Facet filters; list values are OR-ed inside a facet, facets are AND-ed. Names, values
    and the year rule are those of `portolan.core.filterspec`, as on the search page."""

    q: str = ""
    region: Sequence[str] = ()
    country: Sequence[str] = ()
    port_city: Sequence[str] = ()
    organisation: Sequence[str] = ()
    organisation_kind: Sequence[str] = ()
    theme: Sequence[str] = ()
    goal: Sequence[int] = ()
    audience: Sequence[str] = ()
    status: Sequence[str] = ()
    offer: Sequence[str] = ()
    language: Sequence[str] = ()
    publication_status: Sequence[str] = ()
    year_from: int | None = None
    year_to: int | None = None
    updated_since: datetime | None = None
    ids: Sequence[int] | None = field(default=None)


_ORG_FIELDS = ("id", "slug", "name", "kind")


def _org_prefetch(name: str) -> Prefetch:
    return Prefetch(name, queryset=Organisation.objects.only(*_ORG_FIELDS).order_by("name"))


def initiatives_visible_to(user: Visitor) -> QuerySet[Initiative]:
    return (
        Initiative.objects.filter(visible_filter(user))
        .select_related("organisation", "port_city")
        .prefetch_related(_org_prefetch("partners"), "themes", "goals", "audiences", "translations")
    )


def port_centers_visible_to(user: Visitor) -> QuerySet[PortCenter]:
    return (
        PortCenter.objects.filter(visible_filter(user))
        .select_related("organisation", "port_city")
        .prefetch_related(_org_prefetch("operators"), "audiences")
    )


def _common(qs: QuerySet[Any], f: RecordFilters) -> QuerySet[Any]:
    if f.region:
        qs = qs.filter(port_city__region__in=f.region)
    if f.country:
        qs = qs.filter(port_city__country__in=[c.upper() for c in f.country])
    if f.port_city:
        qs = qs.filter(port_city__slug__in=f.port_city)
    if f.organisation:
        qs = qs.filter(organisation__slug__in=f.organisation)
    if f.organisation_kind:
        qs = qs.filter(organisation__kind__in=f.organisation_kind)
    if f.audience:
        qs = qs.filter(audiences__slug__in=f.audience)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.publication_status:
        qs = qs.filter(publication_status__in=f.publication_status)
    if f.updated_since is not None:
        qs = qs.filter(updated_at__gte=f.updated_since)
    if f.ids is not None:
        qs = qs.filter(pk__in=list(f.ids))
    return qs


def filter_initiatives(qs: QuerySet[Initiative], f: RecordFilters) -> QuerySet[Initiative]:
    qs = _common(qs, f)
    if f.theme:
        qs = qs.filter(themes__slug__in=f.theme)
    if f.goal:
        qs = qs.filter(goals__number__in=f.goal)
    if f.language:
        qs = qs.filter(language__in=f.language)
    qs = qs.filter(filterspec.overlap_q("start_year", "end_year", f.year_from, f.year_to))
    if f.q and f.ids is None:
        qs = qs.filter(Q(title__icontains=f.q) | Q(summary__icontains=f.q))
    # Multi-valued facets join through M2M tables and would repeat rows.
    if f.theme or f.goal or f.audience:
        qs = qs.distinct()
    return qs


def filter_port_centers(qs: QuerySet[PortCenter], f: RecordFilters) -> QuerySet[PortCenter]:
    qs = _common(qs, f)
    if f.offer:
        offers = Q()
        for offer in f.offer:
            offers |= (
                Q(offers__contains=[offer])
                if _json_contains_supported(qs)
                else Q(offers__icontains=f'"{offer}"')
            )
        qs = qs.filter(offers)
    # No closing year is recorded: a Port Center's years never end.
    qs = qs.filter(filterspec.overlap_q("opening_year", None, f.year_from, f.year_to))
    if f.q and f.ids is None:
        qs = qs.filter(
            Q(name__icontains=f.q)
            | Q(description__icontains=f.q)
            | Q(port_city__name__icontains=f.q)
        )
    if f.audience:
        qs = qs.distinct()
    return qs


def _json_contains_supported(qs: QuerySet[Any]) -> bool:
    # JSONField `contains` is not available on SQLite; a quoted substring test is exact enough
    # there because offers are a list of slugs.
    from django.db import connections

    return connections[qs.db].vendor == "postgresql"


def last_updated(qs: QuerySet[Any]) -> datetime | None:
    return qs.order_by().aggregate(latest=Max("updated_at"))["latest"]


def visible_initiative(
    user: Visitor, *, pk: int | None = None, slug: str | None = None
) -> Initiative | None:
    qs = initiatives_visible_to(user)
    return qs.filter(pk=pk).first() if pk is not None else qs.filter(slug=slug).first()


def visible_port_center(
    user: Visitor, *, pk: int | None = None, slug: str | None = None
) -> PortCenter | None:
    qs = port_centers_visible_to(user)
    return qs.filter(pk=pk).first() if pk is not None else qs.filter(slug=slug).first()
