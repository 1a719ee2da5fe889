"""Reads of port cities."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import PortCity


def port_city_by_slug(slug: str) -> PortCity | None:
    return PortCity.objects.filter(slug=slug).first()


def port_cities(*, region: str = "", country: str = "") -> QuerySet[PortCity]:
    queryset = PortCity.objects.order_by("name", "id")
    if region:
        queryset = queryset.filter(region=region)
    if country:
        queryset = queryset.filter(country=country)
    return queryset


def countries_with_port_cities() -> list[str]:
    codes = PortCity.objects.order_by().values_list("country", flat=True).distinct()
    return sorted({str(code) for code in codes})
