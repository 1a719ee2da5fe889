"""Query parameters of the list endpoints, as ninja `FilterSchema`s: the search page's facets,
with the names, accepted values (`filterspec.RULES`), bounds and year rule of
`portolan.core.filterspec`; repeated parameters are OR-ed (`?theme=a&theme=b`), different
parameters are AND-ed.

A value that breaks its facet's rule is a 400 with the rule's message, naming the value (one
message per value: the bounds are checked once, by the rule). `filters.filter(queryset)` is the
one way a list applies them: it first refuses slugs that name nothing and a reversed year range
(400 naming the parameters and the values), then filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema
from ninja.errors import ValidationError
from pydantic import ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticCustomError

from portolan.accounts.models import Organisation, OrganisationKind
from portolan.catalogue import selectors_api
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

from ..schemas import Text

MAX_VALUES = filterspec.MAX_VALUES
_MEANING = {facet.param: facet.meaning for facet in filterspec.FACETS}


def _facet_value(param: str, base: type) -> Any:
    """The type of one value of `param`: `base`, accepted by the facet's rule in filterspec
    (documented in the schema with the rule's pattern, length or bounds)."""
    rule = filterspec.RULES[param]

    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        message = rule.error(value)
        if message is not None:
            raise PydanticCustomError(f"invalid_{param}", "{message}", {"message": message})
        return handler(value)

    return Annotated[base, WrapValidator(check), Field(json_schema_extra=rule.json_schema())]


Country = _facet_value("country", str)
PortCitySlug = _facet_value("port_city", str)
OrganisationSlug = _facet_value("organisation", str)
ThemeSlug = _facet_value("theme", str)
AudienceSlug = _facet_value("audience", str)
GoalNumber = _facet_value("goal", int)
Year = _facet_value("year_from", int)

# Slug-valued filters and the table their values must exist in, in the order errors are listed.
SLUG_FILTERS: dict[str, type[Model]] = {
    "port_city": PortCity,
    "organisation": Organisation,
    "theme": Theme,
    "audience": Audience,
}


def _in(path: str, values: list[Any]) -> Q:
    return Q(**{f"{path}__in": values}) if values else Q()


class ListFilters(FilterSchema):
    """What every list endpoint's filters share: checking the values against the database
    before filtering."""

    def refuse_unknown_values(self) -> None:
        """A slug that names nothing is a 400 naming the parameter and the values, not a silent
        empty list (a typo should not look like "no data"). One query per slug-valued parameter
        given, none when there is none. A reversed year range is a 400 naming `year_from` here
        too, as it is for exports and feeds."""
        errors: list[dict[str, Any]] = []
        if filterspec.years_reversed(
            getattr(self, "year_from", None), getattr(self, "year_to", None)
        ):
            errors.append(
                {
                    "loc": ("query", "year_from"),
                    "msg": str(filterspec.YEARS_REVERSED_MESSAGE),
                    "type": "years_reversed",
                }
            )
        for name, model in SLUG_FILTERS.items():
            wanted: list[str] = getattr(self, name, None) or []
            if not wanted:
                continue
            known = set(
                model._default_manager.filter(slug__in=wanted).values_list("slug", flat=True)
            )
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

    def filter(self, queryset: Any) -> Any:
        self.refuse_unknown_values()
        return super().filter(queryset)

    # Not filters of the queryset: full-text ranking and ordering are the view's.
    def filter_q(self, value: str) -> Q:
        return Q()

    def filter_sort(self, value: str) -> Q:
        return Q()


class PlaceFilters(ListFilters):
    q: Annotated[Text, Field(max_length=500)] = Field("", description="Full-text query.")
    region: list[Region] = Field([], max_length=MAX_VALUES, description="World region codes.")
    country: list[Country] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_VALUES, description="ISO 3166 codes, in capitals."
    )

    def filter_region(self, value: list[str]) -> Q:
        return _in("region", value)

    def filter_country(self, value: list[str]) -> Q:
        return _in("country", value)


class OrganisationFilters(PlaceFilters):
    kind: list[OrganisationKind] = Field([], max_length=MAX_VALUES)
    port_city: list[PortCitySlug] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_VALUES, description="Port city slugs."
    )
    is_member: Annotated[bool | None, FilterLookup("is_member")] = Field(
        None, description="Only network members (or non-members)."
    )
    sort: Literal["name", "updated"] = "name"

    def filter_region(self, value: list[str]) -> Q:
        return _in("port_city__region", value)

    def filter_country(self, value: list[str]) -> Q:
        return _in("port_city__country", value)

    def filter_kind(self, value: list[str]) -> Q:
        return _in("kind", value)

    def filter_port_city(self, value: list[str]) -> Q:
        return _in("port_city__slug", value)


class RecordFilters(PlaceFilters):
    """Catalogue records: the facets' meaning is the catalogue's (`selectors_api`, with the
    year rule of filterspec), shared with the search page's through the same spec."""

    port_city: list[PortCitySlug] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_VALUES, description="Port city slugs."
    )
    organisation: list[OrganisationSlug] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_VALUES, description="Owner organisation slugs."
    )
    kind: list[OrganisationKind] = Field(
        [], max_length=MAX_VALUES, description="Kind of the owner organisation."
    )
    audience: list[AudienceSlug] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_VALUES, description="Audience slugs."
    )
    publication_status: list[PublicationStatus] = Field(
        [],
        max_length=MAX_VALUES,
        description="Only useful with a token: anonymous callers see published records only.",
    )
    year_from: Year | None = Field(  # type: ignore[valid-type]
        None, description=f"Records whose {_MEANING['year_from']}."
    )
    year_to: Year | None = Field(  # type: ignore[valid-type]
        None, description=f"Records whose {_MEANING['year_to']}."
    )
    updated_since: datetime | None = Field(
        None, description="Only records changed at or after this time (ISO 8601)."
    )

    def catalogue_filters(self) -> selectors_api.RecordFilters:
        values = self.model_dump(mode="json")
        return selectors_api.RecordFilters(
            region=values["region"],
            country=values["country"],
            port_city=values["port_city"],
            organisation=values["organisation"],
            organisation_kind=values["kind"],
            audience=values["audience"],
            status=values.get("status", []),
            theme=values.get("theme", []),
            goal=values.get("goal", []),
            offer=values.get("offer", []),
            language=values.get("language", []),
            publication_status=values["publication_status"],
            year_from=self.year_from,
            year_to=self.year_to,
            updated_since=_aware(self.updated_since),
        )

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        raise NotImplementedError

    def filter(self, queryset: Any) -> Any:
        self.refuse_unknown_values()
        return self.apply(queryset)


def _aware(moment: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC (the API's documented zone)."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, UTC)


class InitiativeFilters(RecordFilters):
    theme: list[ThemeSlug] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_VALUES, description="Theme slugs."
    )
    goal: list[GoalNumber] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_VALUES, description="Agenda 2030 goal numbers."
    )
    status: list[InitiativeStatus] = Field([], max_length=MAX_VALUES)
    language: list[ContentLanguage] = Field(
        [], max_length=MAX_VALUES, description="Language of the text."
    )
    sort: Literal["relevance", "newest", "oldest", "updated", "title"] = Field(
        "relevance", description="'relevance' needs `q`; without it, newest first."
    )

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return selectors_api.filter_initiatives(queryset, self.catalogue_filters())


class PortCenterFilters(RecordFilters):
    status: list[PortCenterStatus] = Field([], max_length=MAX_VALUES)
    offer: list[Offer] = Field([], max_length=MAX_VALUES)
    sort: Literal["relevance", "name", "newest", "updated"] = Field(
        "relevance", description="'relevance' needs `q`; without it, by name."
    )

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return selectors_api.filter_port_centers(queryset, self.catalogue_filters())
