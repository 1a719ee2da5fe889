"""The record types whose public pages the catalogue renders, registered with the core registry
so that search, open data and the API find them without importing the catalogue: for each, its
search documents, export columns (read from the model's fields), API router (named by dotted path:
the api app, above this one, builds it) and permissions (portolan.catalogue.permissions)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portolan.core.registry import ApiSpec, Column, ExportSpec, Permissions, RecordType, register

from . import permissions, search_documents
from .models import Initiative, InitiativeStatus, PortCenter, PortCenterStatus

INITIATIVE = "initiative"
PORT_CENTER = "port_center"
ORGANISATION = "organisation"
PORT_CITY = "port_city"


def _pk(instance: Any) -> int:
    return int(instance.pk)


def _initiative_of_translation(instance: Any) -> int:
    return int(instance.initiative_id)


def _through(model: Any, *names: str) -> dict[str, str]:
    return {
        model._meta.get_field(name).remote_field.through._meta.label_lower: (
            model._meta.get_field(name).related_model._meta.label_lower
        )
        for name in names
    }


# --- export columns (the place columns and type, id, slug, url come with every type) ---------

_OWNER = (
    Column("organisation", "organisation__slug"),
    Column("organisation_name", "organisation__name"),
)
_REVIEWED = (Column("published_at", iso=True), Column("last_reviewed", iso=True))

INITIATIVE_EXPORT = ExportSpec(
    columns=(
        Column("name", "title"),
        Column("summary"),
        *_OWNER,
        Column("partners", many=True),
        Column("themes", many=True),
        Column("goals", many=True),
        Column("audiences", many=True),
        Column("status"),
        Column("start_year"),
        Column("end_year"),
        Column("language"),
        *_REVIEWED,
    ),
    published_only=True,
)
PORT_CENTER_EXPORT = ExportSpec(
    columns=(
        Column("name"),
        Column("summary", "description"),
        *_OWNER,
        Column("partners", "operators", many=True),
        Column("audiences", many=True),
        Column("offers", joined=True),
        Column("status"),
        Column("opening_year"),
        Column("visitors_per_year"),
        Column("website"),
        *_REVIEWED,
    ),
    # Its own coordinates when known, else its port city's (as on the map).
    own_point=True,
    published_only=True,
)
ORGANISATION_EXPORT = ExportSpec(
    columns=(Column("name"), Column("summary", "description"), Column("kind"), Column("website")),
)
PORT_CITY_EXPORT = ExportSpec(columns=(Column("name"),), city="")

# --- API routers: one factory in the api app serves both kinds of catalogue record ------------

_RECORD_ROUTER = "portolan.api.routers.catalogue_records:record_router"
_API = "portolan.api.schemas"

INITIATIVE_API = ApiSpec(
    router=_RECORD_ROUTER,
    options={
        "singular": "initiative",
        "plural": "initiatives",
        "tag": "initiatives",
        "out": f"{_API}:InitiativeOut",
        "create_body": f"{_API}:InitiativeCreate",
        "update_body": f"{_API}:InitiativeUpdate",
        "filters": "portolan.api.routers.filters:InitiativeFilters",
        "default_sort": "newest",
        "visible_to": "portolan.catalogue.selectors_api:initiatives_visible_to",
        "visible": "portolan.catalogue.selectors_api:visible_initiative",
        "create": "portolan.catalogue.services:initiative_create",
        "update": "portolan.catalogue.services:initiative_update",
        "record_argument": "initiative",
        "summaries": {
            "list": "List initiatives",
            "get": "An initiative by id",
            "by_slug": "An initiative by slug",
            "create": "Create a draft initiative",
            "update": "Change an initiative (only the fields sent)",
            "submit": "Submit an initiative for publication",
        },
    },
)
PORT_CENTER_API = ApiSpec(
    router=_RECORD_ROUTER,
    options={
        "singular": "port_center",
        "plural": "port_centers",
        "tag": "port centers",
        "out": f"{_API}:PortCenterOut",
        "create_body": f"{_API}:PortCenterCreate",
        "update_body": f"{_API}:PortCenterUpdate",
        "filters": "portolan.api.routers.filters:PortCenterFilters",
        "default_sort": "name",
        "visible_to": "portolan.catalogue.selectors_api:port_centers_visible_to",
        "visible": "portolan.catalogue.selectors_api:visible_port_center",
        "create": "portolan.catalogue.services:port_center_create",
        "update": "portolan.catalogue.services:port_center_update",
        "record_argument": "port_center",
        "summaries": {
            "list": "List Port Centers",
            "get": "A Port Center by id",
            "by_slug": "A Port Center by slug",
            "create": "Create a draft Port Center profile",
            "update": "Change a Port Center profile (only the fields sent)",
            "submit": "Submit a Port Center profile for publication",
        },
    },
)

# --- permissions ------------------------------------------------------------------------------

CATALOGUE_RECORD_PERMISSIONS = Permissions(
    can_view=permissions.can_view,
    can_edit=permissions.can_edit,
    can_moderate=permissions.can_moderate,
)
REFERENCE_PERMISSIONS = Permissions(
    can_view=permissions.can_view_public,
    can_edit=permissions.can_edit_reference,
    can_moderate=permissions.can_moderate,
)


def register_all() -> None:
    register(
        RecordType(
            key=INITIATIVE,
            label=_("Initiative"),
            label_plural=_("initiatives"),
            model="catalogue.Initiative",
            detail_url="catalogue:initiative",
            segment="initiatives",
            documents=search_documents.initiative_documents,
            watched={
                "catalogue.initiative": _pk,
                "catalogue.initiativetranslation": _initiative_of_translation,
            },
            links=_through(Initiative, "themes", "goals", "audiences", "partners"),
            statuses=dict(InitiativeStatus.choices),
            export=INITIATIVE_EXPORT,
            api=INITIATIVE_API,
            permissions=CATALOGUE_RECORD_PERMISSIONS,
        )
    )
    register(
        RecordType(
            key=PORT_CENTER,
            label=_("Port Center"),
            label_plural=_("Port Centers"),
            model="catalogue.PortCenter",
            detail_url="catalogue:port_center",
            segment="port-centers",
            documents=search_documents.port_center_documents,
            watched={"catalogue.portcenter": _pk},
            links=_through(PortCenter, "audiences", "operators"),
            statuses=dict(PortCenterStatus.choices),
            export=PORT_CENTER_EXPORT,
            api=PORT_CENTER_API,
            permissions=CATALOGUE_RECORD_PERMISSIONS,
        )
    )
    register(
        RecordType(
            key=ORGANISATION,
            label=_("Organisation"),
            label_plural=_("organisations"),
            model="accounts.Organisation",
            detail_url="catalogue:organisation",
            segment="organisations",
            documents=search_documents.organisation_documents,
            watched={"accounts.organisation": _pk},
            export=ORGANISATION_EXPORT,
            api=ApiSpec(router="portolan.api.routers.organisations:router"),
            permissions=REFERENCE_PERMISSIONS,
        )
    )
    register(
        RecordType(
            key=PORT_CITY,
            label=_("Port city"),
            label_plural=_("port cities"),
            model="places.PortCity",
            detail_url="places:detail",
            segment="port-cities",
            documents=search_documents.port_city_documents,
            watched={"places.portcity": _pk},
            export=PORT_CITY_EXPORT,
            api=ApiSpec(router="portolan.api.routers.places:router"),
            permissions=REFERENCE_PERMISSIONS,
        )
    )
