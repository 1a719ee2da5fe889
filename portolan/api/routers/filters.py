"""Query parameters of the list endpoints: the search page's facets, with the names, bounds and
year rule of `portolan.core.filterspec`; repeated parameters are OR-ed (`?theme=a&theme=b`),
different parameters are AND-ed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import Model
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError

from portolan.accounts.models import Organisation, OrganisationKind
from portolan.catalogue.models import (
    ContentLanguage,
    InitiativeStatus,
    Offer,
    PortCenterStatus,
    PublicationStatus,
)
from portolan.core import filterspec
from portolan.core.models import Audience, Theme
from portolan.places.models import PortCity, Region

from ..schemas import SLUG_PATTERN, Text

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=240)]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
YearParam = Annotated[int, Field(ge=filterspec.YEAR_MIN, le=filterspec.YEAR_MAX)]
MAX_VALUES = filterspec.MAX_VALUES
_MEANING = {facet.param: facet.meaning for facet in filterspec.FACETS}


class PlaceFilters(Schema):
    q: Annotated[Text, Field(max_length=500)] = Field("", description="Full-text query.")
    region: list[Region] = Field([], max_length=MAX_VALUES, description="World region codes.")
    country: list[Country] = Field([], max_length=MAX_VALUES, description="ISO 3166 codes.")


class OrganisationFilters(PlaceFilters):
    kind: list[OrganisationKind] = Field([], max_length=MAX_VALUES)
    port_city: list[Slug] = Field([], max_length=MAX_VALUES, description="Port city slugs.")
    is_member: bool | None = Field(None, description="Only network members (or non-members).")
    sort: Literal["name", "updated"] = "name"


class RecordFilters(PlaceFilters):
    port_city: list[Slug] = Field([], max_length=MAX_VALUES, description="Port city slugs.")
    organisation: list[Slug] = Field(
        [], max_length=MAX_VALUES, description="Owner organisation slugs."
    )
    kind: list[OrganisationKind] = Field(
        [], max_length=MAX_VALUES, description="Kind of the owner organisation."
    )
    audience: list[Slug] = Field([], max_length=MAX_VALUES, description="Audience slugs.")
    publication_status: list[PublicationStatus] = Field(
        [],
        max_length=MAX_VALUES,
        description="Only useful with a token: anonymous callers see published records only.",
    )
    year_from: YearParam | None = Field(None, description=f"Records whose {_MEANING['year_from']}.")
    year_to: YearParam | None = Field(None, description=f"Records whose {_MEANING['year_to']}.")
    updated_since: datetime | None = Field(
        None, description="Only records changed at or after this time (ISO 8601)."
    )


class InitiativeFilters(RecordFilters):
    theme: list[Slug] = Field([], max_length=MAX_VALUES, description="Theme slugs.")
    goal: list[Annotated[int, Field(ge=filterspec.GOAL_MIN, le=filterspec.GOAL_MAX)]] = Field(
        [], max_length=MAX_VALUES, description="Agenda 2030 goal numbers."
    )
    status: list[InitiativeStatus] = Field([], max_length=MAX_VALUES)
    language: list[ContentLanguage] = Field(
        [], max_length=MAX_VALUES, description="Language of the text."
    )
    sort: Literal["relevance", "newest", "oldest", "updated", "title"] = Field(
        "relevance", description="'relevance' needs `q`; without it, newest first."
    )


class PortCenterFilters(RecordFilters):
    status: list[PortCenterStatus] = Field([], max_length=MAX_VALUES)
    offer: list[Offer] = Field([], max_length=MAX_VALUES)
    sort: Literal["relevance", "name", "newest", "updated"] = Field(
        "relevance", description="'relevance' needs `q`; without it, by name."
    )


# Slug-valued filters and the table their values must exist in.
SLUG_FILTERS: dict[str, type[Model]] = {
    "port_city": PortCity,
    "organisation": Organisation,
    "theme": Theme,
    "audience": Audience,
}


def reject_unknown_slugs(filters: Schema) -> None:
    """Every list endpoint calls this first: a slug that names nothing is a 400 naming the
    parameter and the values, not a silent empty list (a typo should not look like "no data").
    One query per slug-valued parameter given, none when there is none. A reversed year range
    is a 400 naming `year_from` here too, as it is for exports and feeds."""
    errors: list[dict[str, Any]] = []
    if filterspec.years_reversed(
        getattr(filters, "year_from", None), getattr(filters, "year_to", None)
    ):
        errors.append(
            {
                "loc": ("query", "year_from"),
                "msg": str(filterspec.YEARS_REVERSED_MESSAGE),
                "type": "years_reversed",
            }
        )
    for name, model in SLUG_FILTERS.items():
        wanted: list[str] = getattr(filters, name, None) or []
        if not wanted:
            continue
        known = set(model._default_manager.filter(slug__in=wanted).values_list("slug", flat=True))
        unknown = [slug for slug in dict.fromkeys(wanted) if slug not in known]
        if unknown:
            values = ", ".join(f"“{slug}”" for slug in unknown)
            errors.append(
                {
                    "loc": ("query", name),
                    "msg": _("Unknown slug(s): %(values)s") % {"values": values},
                    "type": "unknown_slug",
                }
            )
    if errors:
        raise ValidationError(errors)
