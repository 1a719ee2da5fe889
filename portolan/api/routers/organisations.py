"""Organisations of the network (all public: they have no draft state)."""

# No `from __future__ import annotations`: ninja evaluates a @paginate view's annotations in
# its own module, where string annotations such as Query[...] do not resolve.
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from portolan.accounts.models import Organisation

from .. import fulltext
from ..pagination import PagePagination
from ..schemas import OrganisationOut
from .common import detail, id_param, listing, responses, slug_param
from .filters import OrganisationFilters

router = Router(tags=["organisations"])


def _organisations() -> Any:
    return Organisation.objects.select_related("port_city")


@router.get("", response=responses(list[OrganisationOut]), summary="List organisations")
@paginate(PagePagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    qs = filters.filter(_organisations())
    qs = (
        qs.order_by("-updated_at", "-id")
        if filters.sort == "updated"
        else qs.order_by("name", "id")
    )
    ranked = fulltext.ranked_ids("organisation", filters.q)
    return listing(request, qs, ordered_ids=ranked)


@router.get("/{id}", response=responses(OrganisationOut), summary="An organisation by id")
def get_organisation(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
    return detail(request, _organisations().filter(pk=id).first())


@router.get(
    "/by-slug/{slug}", response=responses(OrganisationOut), summary="An organisation by slug"
)
def get_organisation_by_slug(request: HttpRequest, slug: str = slug_param()) -> Any:
    return detail(request, _organisations().filter(slug=slug).first())
