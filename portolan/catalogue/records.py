"""The record types whose public pages the catalogue renders, registered with the core registry
so that search, open data and the API find them without importing the catalogue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portolan.core.registry import RecordType, register

from . import search_documents
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
        )
    )
