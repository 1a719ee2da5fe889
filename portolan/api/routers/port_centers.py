"""Port Center profiles: public reads (drafts too for their organisation's token holders) and
writes for members through the catalogue services, the same code path as the web editor."""

# No `from __future__ import annotations`: ninja evaluates a @paginate view's annotations in
# its own module, where string annotations such as Query[...] do not resolve.
from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from portolan.catalogue import selectors_api, services

from ..auth import token_auth
from ..pagination import PagePagination
from ..schemas import PortCenterCreate, PortCenterOut, PortCenterUpdate, service_data
from .common import WRITE_ERRORS, detail, found, id_param, responses, slug_param
from .filters import PortCenterFilters, reject_unknown_slugs
from .records import catalogue_filters, owner_organisation, reader, record_list, writer

router = Router(tags=["port centers"])


@router.get("", response=responses(list[PortCenterOut]), summary="List Port Centers")
@paginate(PagePagination)
def list_port_centers(request: HttpRequest, filters: Query[PortCenterFilters]) -> Any:
    reject_unknown_slugs(filters)
    qs = selectors_api.filter_port_centers(
        selectors_api.port_centers_visible_to(reader(request)), catalogue_filters(filters)
    )
    return record_list(
        request,
        record_type="port_center",
        qs=qs,
        filters=filters,
        default_sort="name",
    )


@router.get("/{id}", response=responses(PortCenterOut), summary="A Port Center by id")
def get_port_center(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
    return detail(request, selectors_api.visible_port_center(reader(request), pk=id))


@router.get("/by-slug/{slug}", response=responses(PortCenterOut), summary="A Port Center by slug")
def get_port_center_by_slug(request: HttpRequest, slug: str = slug_param()) -> Any:
    return detail(request, selectors_api.visible_port_center(reader(request), slug=slug))


@router.post(
    "",
    auth=token_auth,
    response=responses(PortCenterOut, status=201, errors=WRITE_ERRORS),
    summary="Create a draft Port Center profile",
)
def create_port_center(request: HttpRequest, payload: PortCenterCreate) -> Any:
    user = writer(request)
    organisation = owner_organisation(user, payload.organisation)
    record = services.port_center_create(
        actor=user,
        organisation=organisation,
        data=cast(services.PortCenterData, service_data(payload, exclude={"organisation"})),
    )
    return Status(201, selectors_api.visible_port_center(user, pk=record.pk))


@router.patch(
    "/{id}",
    auth=token_auth,
    response=responses(PortCenterOut, errors=WRITE_ERRORS),
    summary="Change a Port Center profile (only the fields sent)",
)
def update_port_center(
    request: HttpRequest,
    payload: PortCenterUpdate,
    id: int = id_param(),  # noqa: A002
) -> Any:
    user = writer(request)
    record = found(selectors_api.visible_port_center(user, pk=id))
    services.port_center_update(
        actor=user, port_center=record, data=cast(services.PortCenterData, service_data(payload))
    )
    return selectors_api.visible_port_center(user, pk=id)


@router.post(
    "/{id}/submit",
    auth=token_auth,
    response=responses(PortCenterOut, errors=WRITE_ERRORS),
    summary="Submit a Port Center profile for publication",
)
def submit_port_center(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
    user = writer(request)
    record = found(selectors_api.visible_port_center(user, pk=id))
    services.record_submit(actor=user, record=record)
    return selectors_api.visible_port_center(user, pk=id)
