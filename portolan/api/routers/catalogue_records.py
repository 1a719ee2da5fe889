"""The routers of the catalogue's record types (initiatives, Port Centers): one factory, so both
kinds get the same reads (drafts too for their organisation's token holders) and the same
writes through the catalogue services, the code path of the web editor."""

# No `from __future__ import annotations`: ninja reads the views' annotations as objects (a
# @paginate view's in its own module, where string annotations such as Query[...] would not
# resolve), and here they are the factory's arguments.
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from portolan.catalogue import selectors_api, services

from ..auth import token_auth
from ..pagination import PagePagination
from ..schemas import (
    InitiativeCreate,
    InitiativeOut,
    InitiativeUpdate,
    PortCenterCreate,
    PortCenterOut,
    PortCenterUpdate,
    service_data,
)
from .common import WRITE_ERRORS, detail, found, id_param, responses, slug_param
from .filters import InitiativeFilters, PortCenterFilters, reject_unknown_slugs
from .records import catalogue_filters, owner_organisation, reader, record_list, writer


@dataclass(frozen=True)
class RecordApi:
    """What differs between two record types' endpoints."""

    record_type: str  # registry key
    singular: str  # in operation ids: list_<plural>, get_<singular>, ...
    plural: str
    tag: str
    out: Any
    create_body: Any
    update_body: Any
    filters: Any
    default_sort: str
    visible_to: Callable[[Any], Any]
    filter_queryset: Callable[[Any, Any], Any]
    visible: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    summaries: dict[str, str]


def record_router(spec: RecordApi) -> Router:
    router = Router(tags=[spec.tag])
    module = "portolan_api_routers_" + spec.plural
    out, filters_type = spec.out, spec.filters
    create_body, update_body = spec.create_body, spec.update_body

    @router.get(
        "",
        response=responses(list[out]),  # type: ignore[valid-type]
        summary=spec.summaries["list"],
        operation_id=f"{module}_list_{spec.plural}",
    )
    @paginate(PagePagination)
    def list_records(request: HttpRequest, filters: Query[filters_type]) -> Any:  # type: ignore[valid-type]
        reject_unknown_slugs(filters)
        qs = spec.filter_queryset(spec.visible_to(reader(request)), catalogue_filters(filters))
        return record_list(
            request,
            record_type=spec.record_type,
            qs=qs,
            filters=filters,
            default_sort=spec.default_sort,
        )

    @router.get(
        "/{id}",
        response=responses(out),
        summary=spec.summaries["get"],
        operation_id=f"{module}_get_{spec.singular}",
    )
    def get_record(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
        return detail(request, spec.visible(reader(request), pk=id))

    @router.get(
        "/by-slug/{slug}",
        response=responses(out),
        summary=spec.summaries["by_slug"],
        operation_id=f"{module}_get_{spec.singular}_by_slug",
    )
    def get_record_by_slug(request: HttpRequest, slug: str = slug_param()) -> Any:
        return detail(request, spec.visible(reader(request), slug=slug))

    @router.post(
        "",
        auth=token_auth,
        response=responses(out, status=201, errors=WRITE_ERRORS),
        summary=spec.summaries["create"],
        operation_id=f"{module}_create_{spec.singular}",
    )
    def create_record(request: HttpRequest, payload: create_body) -> Any:  # type: ignore[valid-type]
        user = writer(request)
        organisation = owner_organisation(user, getattr(payload, "organisation", None))
        record = spec.create(
            actor=user,
            organisation=organisation,
            data=service_data(payload, exclude={"organisation"}),
        )
        return Status(201, spec.visible(user, pk=record.pk))

    @router.patch(
        "/{id}",
        auth=token_auth,
        response=responses(out, errors=WRITE_ERRORS),
        summary=spec.summaries["update"],
        operation_id=f"{module}_update_{spec.singular}",
    )
    def update_record(
        request: HttpRequest,
        payload: update_body,  # type: ignore[valid-type]
        id: int = id_param(),  # noqa: A002
    ) -> Any:
        user = writer(request)
        record = found(spec.visible(user, pk=id))
        spec.update(actor=user, record=record, data=service_data(payload))
        return spec.visible(user, pk=id)

    @router.post(
        "/{id}/submit",
        auth=token_auth,
        response=responses(out, errors=WRITE_ERRORS),
        summary=spec.summaries["submit"],
        operation_id=f"{module}_submit_{spec.singular}",
    )
    def submit_record(request: HttpRequest, id: int = id_param()) -> Any:  # noqa: A002
        user = writer(request)
        record = found(spec.visible(user, pk=id))
        services.record_submit(actor=user, record=record)
        return spec.visible(user, pk=id)

    return router


initiatives = record_router(
    RecordApi(
        record_type="initiative",
        singular="initiative",
        plural="initiatives",
        tag="initiatives",
        out=InitiativeOut,
        create_body=InitiativeCreate,
        update_body=InitiativeUpdate,
        filters=InitiativeFilters,
        default_sort="newest",
        visible_to=selectors_api.initiatives_visible_to,
        filter_queryset=selectors_api.filter_initiatives,
        visible=selectors_api.visible_initiative,
        create=lambda *, actor, organisation, data: services.initiative_create(
            actor=actor, organisation=organisation, data=cast(services.InitiativeData, data)
        ),
        update=lambda *, actor, record, data: services.initiative_update(
            actor=actor, initiative=record, data=cast(services.InitiativeData, data)
        ),
        summaries={
            "list": "List initiatives",
            "get": "An initiative by id",
            "by_slug": "An initiative by slug",
            "create": "Create a draft initiative",
            "update": "Change an initiative (only the fields sent)",
            "submit": "Submit an initiative for publication",
        },
    )
)
port_centers = record_router(
    RecordApi(
        record_type="port_center",
        singular="port_center",
        plural="port_centers",
        tag="port centers",
        out=PortCenterOut,
        create_body=PortCenterCreate,
        update_body=PortCenterUpdate,
        filters=PortCenterFilters,
        default_sort="name",
        visible_to=selectors_api.port_centers_visible_to,
        filter_queryset=selectors_api.filter_port_centers,
        visible=selectors_api.visible_port_center,
        create=lambda *, actor, organisation, data: services.port_center_create(
            actor=actor, organisation=organisation, data=cast(services.PortCenterData, data)
        ),
        update=lambda *, actor, record, data: services.port_center_update(
            actor=actor, port_center=record, data=cast(services.PortCenterData, data)
        ),
        summaries={
            "list": "List Port Centers",
            "get": "A Port Center by id",
            "by_slug": "A Port Center by slug",
            "create": "Create a draft Port Center profile",
            "update": "Change a Port Center profile (only the fields sent)",
            "submit": "Submit a Port Center profile for publication",
        },
    )
)
