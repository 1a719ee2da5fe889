"""Request and response shapes of the API. Responses are language-neutral: codes for choices,
all three languages for vocabulary labels, so one cached response serves every client."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import translation
from ninja import Field, Schema
from pydantic import AfterValidator, ValidatorFunctionWrapHandler, WrapValidator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from portolan.catalogue.location import record_location
from portolan.catalogue.models import (
    Initiative,
    InitiativeTranslation,
    PortCenter,
)
from portolan.core.fields import MAX_YEAR, MIN_YEAR, YEAR_MESSAGE, YearField


def _clean_text(value: str) -> str:
    # Lone surrogates cannot be stored by PostgreSQL (NUL characters are the model's rule).
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


Text = Annotated[str, AfterValidator(_clean_text)]


def _whole_year(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    # A year that is not even a number gets the model's year message, the one a year out of
    # range gets from the services: one message for every bad year.
    try:
        return handler(value)
    except PydanticValidationError:
        message = str(YEAR_MESSAGE % {"min": MIN_YEAR, "max": MAX_YEAR})
        raise PydanticCustomError("year", "{message}", {"message": message}) from None


BodyYear = Annotated[int, WrapValidator(_whole_year)]


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_ID = 2**63 - 1


def web_url(obj: Any) -> str | None:
    """Absolute address of the record's page (in the default language)."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return settings.SITE_URL + obj.get_absolute_url()
    except NoReverseMatch:
        return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").split() if line.strip()]


class ErrorItem(Schema):
    field: str = Field(..., description="Field or parameter name ('' for the whole input).")
    location: str = Field(..., description="body, query or path.")
    message: str


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in words.")
    errors: list[ErrorItem] | None = None


# --- references ---------------------------------------------------------------------------


class PortCityRef(Schema):
    id: int
    slug: str
    name: str
    country: str
    region: str

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)


class OrganisationRef(Schema):
    id: int
    slug: str
    name: str
    kind: str


class Names(Schema):
    en: str
    fr: str
    es: str


def _names(obj: Any, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") for lang in ("en", "fr", "es")}


# --- places, organisations, vocabulary ----------------------------------------------------


class PortCityOut(Schema):
    id: int
    slug: str
    name: str
    country: str
    region: str
    latitude: float
    longitude: float
    geonameid: int | None
    population: int | None
    is_demo: bool
    updated_at: datetime
    url: str | None

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        return web_url(obj)


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    port_city: PortCityRef | None
    website: str
    description: str
    is_member: bool
    is_reference: bool
    is_demo: bool
    updated_at: datetime
    url: str | None

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        return web_url(obj)


class NumberedTermOut(Schema):
    number: int
    slug: str
    name: Names
    description: Names

    @staticmethod
    def resolve_name(obj: Any) -> dict[str, str]:
        return _names(obj, "name")

    @staticmethod
    def resolve_description(obj: Any) -> dict[str, str]:
        return _names(obj, "description")


class TermOut(Schema):
    slug: str
    position: int
    name: Names
    description: Names

    @staticmethod
    def resolve_name(obj: Any) -> dict[str, str]:
        return _names(obj, "name")

    @staticmethod
    def resolve_description(obj: Any) -> dict[str, str]:
        return _names(obj, "description")


# --- catalogue records --------------------------------------------------------------------


class TranslationOut(Schema):
    language: str
    title: str
    summary: str


class InitiativeOut(Schema):
    id: int = Field(..., description="Stable identifier.")
    slug: str
    title: str
    summary: str
    context: str
    actions: str
    results: str
    resources: str
    lessons: str
    language: str
    translations: list[TranslationOut]
    organisation: OrganisationRef
    partners: list[OrganisationRef]
    port_city: PortCityRef
    themes: list[str] = Field(..., description="Theme slugs.")
    goals: list[int] = Field(..., description="Agenda 2030 goal numbers.")
    audiences: list[str] = Field(..., description="Audience slugs.")
    start_year: int | None
    end_year: int | None
    status: str
    budget_band: str
    funding_sources: str
    links: list[str]
    publication_status: str
    last_reviewed: date
    published_at: datetime | None
    updated_at: datetime
    is_demo: bool
    url: str | None

    @staticmethod
    def resolve_translations(obj: Any) -> list[Any]:
        return list(obj.translations.all())

    @staticmethod
    def resolve_partners(obj: Any) -> list[Any]:
        return list(obj.partners.all())

    @staticmethod
    def resolve_themes(obj: Any) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_goals(obj: Any) -> list[int]:
        return sorted(g.number for g in obj.goals.all())

    @staticmethod
    def resolve_audiences(obj: Any) -> list[str]:
        return [a.slug for a in obj.audiences.all()]

    @staticmethod
    def resolve_links(obj: Any) -> list[str]:
        return _lines(obj.links)

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        return web_url(obj) if obj.is_published else None


class PortCenterOut(Schema):
    id: int = Field(..., description="Stable identifier.")
    slug: str
    name: str
    organisation: OrganisationRef
    operators: list[OrganisationRef]
    operator_text: str
    port_city: PortCityRef
    opening_year: int | None
    charter_signed_year: int | None
    status: str
    governance_model: str
    surface_m2: int | None
    staff_fte: float | None
    visitors_per_year: int | None
    visitors_year_of_figure: int | None
    audiences: list[str]
    offers: list[str]
    languages: list[str]
    description: str
    address: str
    latitude: float | None = Field(
        ..., description="Its own point when given, else its port city's: see location_precision."
    )
    longitude: float | None
    location_precision: str | None = Field(
        ...,
        description="'address' for the Port Center's own point, 'city' for its port city's, "
        "null without any point. The same in exports, feeds and JSON-LD.",
    )
    website: str
    contact_email: str
    sources: list[str]
    is_reference: bool
    publication_status: str
    last_reviewed: date
    published_at: datetime | None
    updated_at: datetime
    is_demo: bool
    url: str | None

    @staticmethod
    def resolve_latitude(obj: Any) -> float | None:
        return record_location(obj).latitude

    @staticmethod
    def resolve_longitude(obj: Any) -> float | None:
        return record_location(obj).longitude

    @staticmethod
    def resolve_location_precision(obj: Any) -> str | None:
        return record_location(obj).precision

    @staticmethod
    def resolve_operators(obj: Any) -> list[Any]:
        return list(obj.operators.all())

    @staticmethod
    def resolve_staff_fte(obj: Any) -> float | None:
        return float(obj.staff_fte) if obj.staff_fte is not None else None

    @staticmethod
    def resolve_audiences(obj: Any) -> list[str]:
        return [a.slug for a in obj.audiences.all()]

    @staticmethod
    def resolve_offers(obj: Any) -> list[str]:
        return [str(o) for o in (obj.offers or []) if isinstance(o, str)]

    @staticmethod
    def resolve_languages(obj: Any) -> list[str]:
        return [part.strip() for part in (obj.languages or "").split(",") if part.strip()]

    @staticmethod
    def resolve_sources(obj: Any) -> list[str]:
        return obj.source_list

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        return web_url(obj) if obj.is_published else None


# --- write bodies -------------------------------------------------------------------------
# Generated from the models: the limits a body may break are the model's own (portolan/core/
# fields.py and the models' validators), checked by the services with the same messages as the
# editor and the import. The schema documents them (maxLength, minimum, maximum, enum) for
# clients, but does not check them a second time with other words.

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=240)]
_LIST_MAX = 50
_LINE_LISTS = {"links", "sources"}


def _limits(model_field: Any) -> dict[str, Any]:
    from django.core import validators

    extra: dict[str, Any] = {}
    if getattr(model_field, "max_length", None):
        extra["maxLength"] = model_field.max_length
    for validator in model_field.validators:
        if isinstance(validator, validators.MinValueValidator):
            extra["minimum"] = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            extra["maximum"] = validator.limit_value
    if model_field.choices:
        extra["enum"] = [value for value, _label in model_field.choices]
    return extra


def _annotation(model_field: Any) -> Any:
    from django.db import models

    if model_field.name in _LINE_LISTS:
        return list[Text]
    if isinstance(model_field, models.ManyToManyField):
        if model_field.name == "goals":
            return list[int]
        return list[Slug]
    if isinstance(model_field, models.ForeignKey):
        return Slug
    if isinstance(model_field, models.JSONField):
        return list[str]
    if isinstance(model_field, YearField):
        return BodyYear
    if isinstance(model_field, models.IntegerField):
        return int
    if isinstance(model_field, models.FloatField | models.DecimalField):
        return float
    return Text


def body_schema(
    name: str, model: Any, fields: list[str], *, required: tuple[str, ...] = (), **extra: Any
) -> type[Schema]:
    """A write body for `model`: its editable `fields` with the model's types, help texts and
    documented limits; only `required` ones must be sent."""
    from pydantic import create_model

    definitions: dict[str, Any] = {}
    for field_name in fields:
        model_field = model._meta.get_field(field_name)
        annotation = _annotation(model_field)
        description = str(getattr(model_field, "help_text", "") or model_field.verbose_name)
        limits = _limits(model_field) if not model_field.is_relation else {}
        if isinstance(annotation, type) and annotation is list:
            limits = {}
        is_list = getattr(annotation, "__origin__", None) is list
        default: Any = ... if field_name in required else None
        field_info = Field(
            default,
            description=description,
            max_length=_LIST_MAX if is_list else None,
            json_schema_extra=limits or None,
        )
        definitions[field_name] = (
            annotation if field_name in required else annotation | None,
            field_info,
        )
    definitions.update(extra)
    return create_model(name, __base__=Schema, **definitions)


_INITIATIVE_FIELDS = list(Initiative.editable_fields)
_PORT_CENTER_FIELDS = list(PortCenter.editable_fields)
_OWNER = (
    Slug | None,
    Field(None, description="Owner organisation slug; optional when you belong to one only."),
)

if TYPE_CHECKING:
    # Type checkers cannot see classes made at run time; the views only read `.organisation`.
    class _Body(Schema):
        organisation: str | None

    class TranslationIn(_Body): ...

    class InitiativeCreate(_Body): ...

    class InitiativeUpdate(_Body): ...

    class PortCenterCreate(_Body): ...

    class PortCenterUpdate(_Body): ...

else:
    TranslationIn = body_schema(
        "TranslationIn",
        InitiativeTranslation,
        ["language", "title", "summary"],
        required=("language", "title", "summary"),
    )
    _TRANSLATIONS = (
        list[TranslationIn] | None,  # type: ignore[valid-type]
        Field(
            None, max_length=8, description="Title and summary in other languages (replaces all)."
        ),
    )
    InitiativeCreate = body_schema(
        "InitiativeCreate",
        Initiative,
        _INITIATIVE_FIELDS,
        required=("title", "summary"),
        organisation=_OWNER,
        translations=_TRANSLATIONS,
    )
    InitiativeUpdate = body_schema(
        "InitiativeUpdate", Initiative, _INITIATIVE_FIELDS, translations=_TRANSLATIONS
    )
    PortCenterCreate = body_schema(
        "PortCenterCreate", PortCenter, _PORT_CENTER_FIELDS, required=("name",), organisation=_OWNER
    )
    PortCenterUpdate = body_schema("PortCenterUpdate", PortCenter, _PORT_CENTER_FIELDS)


def service_data(body: Schema, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The body as the catalogue services expect it: model field names, only the fields sent,
    lists of URLs as one per line."""
    data = body.model_dump(mode="json", exclude_unset=True, exclude=exclude or set())
    for key in _LINE_LISTS & data.keys():
        data[key] = "\n".join(data[key] or [])
    return data
