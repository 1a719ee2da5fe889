from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

UNKNOWN_PORT_CITY_MESSAGE = _("Choose a known port city.")


class Region(models.TextChoices):
    """World regions, following the GeoNames continent codes (the data package we use)."""

    AFRICA = "AF", _("Africa")
    ASIA = "AS", _("Asia")
    EUROPE = "EU", _("Europe")
    NORTH_AMERICA = "NA", _("North America")
    SOUTH_AMERICA = "SA", _("South America")
    OCEANIA = "OC", _("Oceania")
    ANTARCTICA = "AN", _("Antarctica")


class PortCity(models.Model):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(max_length=180, unique=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    geonameid = models.PositiveIntegerField(null=True, blank=True, unique=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Generated demo record."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("port city")
        verbose_name_plural = _("port cities")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="unique_port_city_per_country")
        ]
        indexes = [models.Index(fields=["country"]), models.Index(fields=["region"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    def get_absolute_url(self) -> str:
        return reverse("places:detail", kwargs={"slug": self.slug})
