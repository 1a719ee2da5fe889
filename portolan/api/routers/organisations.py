"""Organisations of the network (all public: they have no draft state)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from portolan.accounts.models import Organisation

from .. import fulltext
from ..pagination import Page, PageParams
from ..schemas import OrganisationOut
from .common import detail, id_param, list_page, responses, slug_param
from .filters import OrganisationFilters

router = Router(tags=["organisations"])


def _organisations() -> Any:
    return Organisation.objects.select_related("port_city")


@router.get("", response=responses(Page[OrganisationOut]), summary="List organisations")
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters], paging: Query[PageParams]
) -> Any:
    qs = _organisations()
    if filters.kind:
        qs = qs.filter(kind__in=filters.kind)
    if filters.region:
        qs = qs.filter(port_city__region__in=filters.region)
    if filters.country:
        qs = qs.filter(port_city__country__in=[c.upper() for c in filters.country])
    if filters.port_city:
        qs = qs.filter(port_city__slug__in=filters.port_city)
    if filters.is_member is not None:
        qs = qs.filter(is_member=filters.is_member)
    qs = (
        qs.order_by("-updated_at", "-id")
        if filters.sort == "updated"
        else qs.order_by("name", "id")
    )
    ranked = fulltext.ranked_ids("organisation", filters.q)
    return list_page(request, qs, paging, ordered_ids=ranked)


@router.get("/{id}", response=responses(OrganisationOut), summary="An organisation by id")
def get_organisation(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
    return detail(request, _organisations().filter(pk=id).first())


@router.get(
    "/by-slug/{slug}", response=responses(OrganisationOut), summary="An organisation by slug"
)
def get_organisation_by_slug(request: HttpRequest, slug: str = slug_param()) -> Any:
    return detail(request, _organisations().filter(slug=slug).first())
