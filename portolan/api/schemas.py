"""Request and response shapes of the API. Responses are language-neutral: codes for choices,
all three languages for vocabulary labels, so one cached response serves every client."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import translation
from ninja import Field, Schema
from pydantic import AfterValidator

from portolan.catalogue.models import (
    BudgetBand,
    ContentLanguage,
    InitiativeStatus,
    Offer,
    PortCenterStatus,
)


def _clean_text(value: str) -> str:
    # NUL bytes and lone surrogates cannot be stored by PostgreSQL (and are never meant).
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


Text = Annotated[str, AfterValidator(_clean_text)]


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
    latitude: float | None = Field(..., description="The Port Center's own point, if given.")
    longitude: float | None
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

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=240)]
Year = Annotated[int, Field(ge=1800, le=2100)]
Url = Annotated[Text, Field(max_length=500)]
LongText = Annotated[Text, Field(max_length=20000)]


Title = Annotated[Text, Field(min_length=1, max_length=220)]
Summary = Annotated[Text, Field(min_length=1, max_length=1200)]
Name = Annotated[Text, Field(min_length=1, max_length=200)]
Line120 = Annotated[Text, Field(max_length=120)]
Line254 = Annotated[Text, Field(max_length=254)]
Line300 = Annotated[Text, Field(max_length=300)]


class TranslationIn(Schema):
    language: ContentLanguage
    title: Title
    summary: Summary


class InitiativeFields(Schema):
    title: Title | None = None
    summary: Summary | None = None
    context: LongText | None = None
    actions: LongText | None = None
    results: LongText | None = None
    resources: LongText | None = None
    lessons: LongText | None = None
    port_city: Slug | None = Field(None, description="Port city slug.")
    partners: list[Slug] | None = Field(None, max_length=50, description="Organisation slugs.")
    themes: list[Slug] | None = Field(None, max_length=30, description="Theme slugs.")
    goals: list[Annotated[int, Field(ge=1, le=99)]] | None = Field(
        None, max_length=10, description="Agenda 2030 goal numbers."
    )
    audiences: list[Slug] | None = Field(None, max_length=30, description="Audience slugs.")
    start_year: Year | None = None
    end_year: Year | None = None
    status: InitiativeStatus | None = None
    budget_band: BudgetBand | None = None
    funding_sources: Line300 | None = None
    links: list[Url] | None = Field(None, max_length=30, description="Web addresses.")
    language: ContentLanguage | None = Field(None, description="Language of the text.")
    translations: list[TranslationIn] | None = Field(
        None, max_length=8, description="Title and summary in other languages (replaces all)."
    )


class InitiativeCreate(InitiativeFields):
    organisation: Slug | None = Field(
        None, description="Owner organisation slug; optional when you belong to one only."
    )
    title: Title
    summary: Summary


class InitiativeUpdate(InitiativeFields):
    """Only the fields sent are changed."""


class PortCenterFields(Schema):
    name: Name | None = None
    port_city: Slug | None = Field(None, description="Port city slug.")
    operators: list[Slug] | None = Field(None, max_length=20, description="Organisation slugs.")
    operator_text: Line300 | None = None
    opening_year: Year | None = None
    charter_signed_year: Year | None = None
    status: PortCenterStatus | None = None
    governance_model: Line300 | None = None
    surface_m2: Annotated[int, Field(ge=0, le=2_000_000_000)] | None = None
    staff_fte: Annotated[float, Field(ge=0, le=99999)] | None = None
    visitors_per_year: Annotated[int, Field(ge=0, le=2_000_000_000)] | None = None
    visitors_year_of_figure: Year | None = None
    audiences: list[Slug] | None = Field(None, max_length=30, description="Audience slugs.")
    offers: list[Offer] | None = Field(None, max_length=20)
    languages: Line120 | None = None
    description: LongText | None = None
    address: Line300 | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    website: Url | None = None
    contact_email: Line254 | None = None
    notes: Line300 | None = None
    sources: list[Url] | None = Field(None, max_length=30, description="Public source URLs.")


class PortCenterCreate(PortCenterFields):
    organisation: Slug | None = Field(
        None, description="Owner organisation slug; optional when you belong to one only."
    )
    name: Name


class PortCenterUpdate(PortCenterFields):
    """Only the fields sent are changed."""


_LINE_LISTS = {"links", "sources"}


def service_data(body: Schema, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The body as the catalogue services expect it: model field names, only the fields sent,
    lists of URLs as one per line."""
    data = body.model_dump(mode="json", exclude_unset=True, exclude=exclude or set())
    for key in _LINE_LISTS & data.keys():
        data[key] = "\n".join(data[key] or [])
    return data
