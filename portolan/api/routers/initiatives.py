"""Initiatives: public reads (drafts too for their organisation's token holders) and writes for
members through the catalogue services, the same code path as the web editor."""

# No `from __future__ import annotations`: ninja evaluates a @paginate view's annotations in
# its own module, where string annotations such as Query[...] do not resolve.
from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from portolan.catalogue import selectors_api, services

from ..auth import token_auth
from ..pagination import PagePagination
from ..schemas import InitiativeCreate, InitiativeOut, InitiativeUpdate, service_data
from .common import WRITE_ERRORS, detail, found, id_param, responses, slug_param
from .filters import InitiativeFilters, reject_unknown_slugs
from .records import catalogue_filters, owner_organisation, reader, record_list, writer

router = Router(tags=["initiatives"])


@router.get("", response=responses(list[InitiativeOut]), summary="List initiatives")
@paginate(PagePagination)
def list_initiatives(request: HttpRequest, filters: Query[InitiativeFilters]) -> Any:
    reject_unknown_slugs(filters)
    qs = selectors_api.filter_initiatives(
        selectors_api.initiatives_visible_to(reader(request)), catalogue_filters(filters)
    )
    return record_list(
        request,
        record_type="initiative",
        qs=qs,
        filters=filters,
        default_sort="newest",
    )


@router.get("/{id}", response=responses(InitiativeOut), summary="An initiative by id")
def get_initiative(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
    return detail(request, selectors_api.visible_initiative(reader(request), pk=id))


@router.get("/by-slug/{slug}", response=responses(InitiativeOut), summary="An initiative by slug")
def get_initiative_by_slug(request: HttpRequest, slug: str = slug_param()) -> Any:
    return detail(request, selectors_api.visible_initiative(reader(request), slug=slug))


@router.post(
    "",
    auth=token_auth,
    response=responses(InitiativeOut, status=201, errors=WRITE_ERRORS),
    summary="Create a draft initiative",
)
def create_initiative(request: HttpRequest, payload: InitiativeCreate) -> Any:
    user = writer(request)
    organisation = owner_organisation(user, payload.organisation)
    record = services.initiative_create(
        actor=user,
        organisation=organisation,
        data=cast(services.InitiativeData, service_data(payload, exclude={"organisation"})),
    )
    return Status(201, selectors_api.visible_initiative(user, pk=record.pk))


@router.patch(
    "/{id}",
    auth=token_auth,
    response=responses(InitiativeOut, errors=WRITE_ERRORS),
    summary="Change an initiative (only the fields sent)",
)
def update_initiative(
    request: HttpRequest,
    payload: InitiativeUpdate,
    id: int = id_param(),  # noqa: A002
) -> Any:
    user = writer(request)
    record = found(selectors_api.visible_initiative(user, pk=id))
    services.initiative_update(
        actor=user, initiative=record, data=cast(services.InitiativeData, service_data(payload))
    )
    return selectors_api.visible_initiative(user, pk=id)


@router.post(
    "/{id}/submit",
    auth=token_auth,
    response=responses(InitiativeOut, errors=WRITE_ERRORS),
    summary="Submit an initiative for publication",
)
def submit_initiative(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
    user = writer(request)
    record = found(selectors_api.visible_initiative(user, pk=id))
    services.record_submit(actor=user, record=record)
    return selectors_api.visible_initiative(user, pk=id)
