"""What a caller may hand to the create/update services: every key optional (an update changes
only the keys given), each with its type. The limits of each value are not repeated here: they
are the model's (portolan.core.fields and the catalogue models), checked by `full_clean`.

Links are given as model instances or their identifying keys (slugs, goal numbers); URL lists
as text with one address per line."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypedDict


class TranslationData(TypedDict):
    language: str
    title: str
    summary: str


class InitiativeData(TypedDict, total=False):
    title: str
    summary: str
    context: str
    actions: str
    results: str
    resources: str
    lessons: str
    port_city: Any  # a PortCity or its slug
    partners: Sequence[Any]
    themes: Sequence[Any]
    goals: Sequence[Any]
    audiences: Sequence[Any]
    start_year: int | None
    end_year: int | None
    status: str
    budget_band: str
    funding_sources: str
    links: str
    language: str
    translations: Sequence[TranslationData]
    external_id: str | None  # staff only


class PortCenterData(TypedDict, total=False):
    name: str
    port_city: Any
    operators: Sequence[Any]
    operator_text: str
    opening_year: int | None
    charter_signed_year: int | None
    status: str
    governance_model: str
    surface_m2: int | None
    staff_fte: Decimal | float | None
    visitors_per_year: int | None
    visitors_year_of_figure: int | None
    audiences: Sequence[Any]
    offers: Sequence[str]
    languages: str
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    website: str
    contact_email: str
    notes: str
    sources: str
    external_id: str | None
