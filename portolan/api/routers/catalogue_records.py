"""The router factory of the catalogue's record types (initiatives, Port Centers): one factory,
so both kinds get the same reads (drafts too for their organisation's token holders) and the same
writes through the catalogue services, the code path of the web editor.

The record app declares what differs in its `records.py` (`ApiSpec.options`: names, tag, default
order, its API shapes, selectors and services by dotted path); `portolan.api.api` mounts one
router per registered type. Writes ask the type's permissions (the registry's, the catalogue's
rule) before the services, which ask again."""

# No `from __future__ import annotations`: ninja reads the views' annotations as objects (a
# @paginate view's in its own module, where string annotations such as Query[...] would not
# resolve), and here they are the factory's arguments.
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from portolan.catalogue import services
from portolan.core import registry
from portolan.core.registry import RecordType

from ..auth import token_auth
from ..pagination import PagePagination
from ..schemas import service_data
from .common import WRITE_ERRORS, detail, found, id_param, responses, slug_param
from .filters import ListFilters
from .records import owner_organisation, reader, record_list, writer


def resolve(target: Any) -> Any:
    """A dotted path ("module:attribute" or "module.attribute") as the object it names."""
    if not isinstance(target, str):
        return target
    return import_string(target.replace(":", "."))


@dataclass(frozen=True)
class RecordApi:
    """What differs between two record types' endpoints, read from the type's `ApiSpec`."""

    record_type: RecordType
    singular: str  # in operation ids: list_<plural>, get_<singular>, ...
    plural: str
    tag: str
    out: Any
    create_body: Any
    update_body: Any
    filters: Any  # a ListFilters schema: `filters.filter(queryset)` checks values, then filters
    default_sort: str
    visible_to: Callable[[Any], Any]
    visible: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    record_argument: str  # the update service's name for the record
    summaries: Mapping[str, str]

    @classmethod
    def of(cls, record_type: RecordType) -> "RecordApi":
        assert record_type.api is not None, record_type.key
        options = dict(record_type.api.options)
        for name in ("out", "create_body", "update_body", "filters", "visible_to", "visible"):
            options[name] = resolve(options[name])
        for name in ("create", "update"):
            options[name] = resolve(options[name])
        return cls(record_type=record_type, **options)

    def may_edit(self, user: Any, record: Any) -> None:
        if not registry.get(self.record_type.key).permissions.can_edit(user, record):
            raise PermissionDenied(_("You cannot change this record."))


def record_router(record_type: RecordType) -> Router:
    """The list, read, create, change and submit endpoints of one catalogue record type."""
    spec = RecordApi.of(record_type)
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
        qs = cast(ListFilters, filters).filter(spec.visible_to(reader(request)))
        return record_list(
            request,
            record_type=spec.record_type.key,
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
        spec.may_edit(user, record)
        spec.update(actor=user, **{spec.record_argument: record}, data=service_data(payload))
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
        spec.may_edit(user, record)
        services.record_submit(actor=user, record=record)
        return spec.visible(user, pk=id)

    return router
