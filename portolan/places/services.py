"""Writes for port cities."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import geodata
from .models import PortCity


def _free_slug(base: str) -> str:
    slug = base[:170] or "port-city"
    candidate, n = slug, 2
    while PortCity.objects.filter(slug=candidate).exists():
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


@transaction.atomic
def port_city_add(
    *, name: str, country: str, geonameid: int | None = None, is_demo: bool = False
) -> PortCity:
    """The port city called `name` in ISO country `country`, created with its GeoNames coordinates
    if it is not there yet. Idempotent: the same city (by geonameid, or by name and country) is
    returned unchanged. `geonameid` picks one of several same-named cities. Raises
    ValidationError when GeoNames does not know the city or the name is ambiguous."""
    country = (country or "").strip().upper()
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the name of the port city."))
    if len(country) != 2 or geodata.region_of(country) == "":
        raise ValidationError(
            _("%(country)s is not an ISO 3166 two-letter country code.") % {"country": country}
        )
    try:
        if geonameid is not None:
            city = geodata.city_by_geonameid(geonameid, country)
        else:
            city = geodata.find_city(name, country)
    except geodata.AmbiguousCity as exc:
        options = ", ".join(f"{c.name} ({c.geonameid})" for c in exc.candidates[:5])
        raise ValidationError(
            _(
                "Several places are called %(name)s in %(country)s: %(options)s. "
                "Choose one by its GeoNames id."
            )
            % {"name": name, "country": country, "options": options}
        ) from exc
    except geodata.CityNotFound as exc:
        raise ValidationError(
            _("No city called %(name)s was found in %(country)s in the GeoNames data.")
            % {"name": name, "country": country}
        ) from exc

    existing = (
        PortCity.objects.filter(geonameid=city.geonameid).first()
        or PortCity.objects.filter(name=city.name, country=country).first()
    )
    if existing is not None:
        return existing
    port_city = PortCity(
        name=city.name,
        slug=_free_slug(slugify(f"{city.name}-{country}")),
        country=country,
        region=city.region,
        latitude=city.latitude,
        longitude=city.longitude,
        geonameid=city.geonameid,
        population=city.population or None,
        is_demo=is_demo,
    )
    port_city.full_clean()
    port_city.save()
    return port_city
