"""Port cities."""

# No `from __future__ import annotations`: ninja evaluates a @paginate view's annotations in
# its own module, where string annotations such as Query[...] do not resolve.
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from portolan.places.models import PortCity

from .. import fulltext
from ..pagination import PagePagination
from ..schemas import PortCityOut
from .common import detail, id_param, listing, responses, slug_param
from .filters import PlaceFilters

router = Router(tags=["port cities"])


@router.get("", response=responses(list[PortCityOut]), summary="List port cities")
@paginate(PagePagination)
def list_port_cities(request: HttpRequest, filters: Query[PlaceFilters]) -> Any:
    qs = filters.filter(PortCity.objects.order_by("name", "id"))
    ranked = fulltext.ranked_ids("port_city", filters.q)
    return listing(request, qs, ordered_ids=ranked)


@router.get("/{id}", response=responses(PortCityOut), summary="A port city by id")
def get_port_city(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
    return detail(request, PortCity.objects.filter(pk=id).first())


@router.get("/by-slug/{slug}", response=responses(PortCityOut), summary="A port city by slug")
def get_port_city_by_slug(request: HttpRequest, slug: str = slug_param()) -> Any:
    return detail(request, PortCity.objects.filter(slug=slug).first())
