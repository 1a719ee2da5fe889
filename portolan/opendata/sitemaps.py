"""sitemap.xml: published records and static pages, each in every UI language with hreflang
alternates. Absolute URLs come from settings.SITE_URL."""

from __future__ import annotations

from datetime import datetime
from math import ceil
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import get_language

from . import rows as catalogue_rows


class _SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5_000

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def num_pages(self) -> int:
        """Pages of this section without loading its items (the index needs only this)."""
        return max(1, ceil(self.count_items() * len(settings.LANGUAGES) / self.limit))

    def count_items(self) -> int:
        return len(list(self.items()))


_PLACEHOLDER = "slug-placeholder-0"


class _RecordSitemap(_SiteSitemap):
    changefreq = "weekly"
    url_name = ""

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def location(self, item: Any) -> str:
        # Each record appears in every language plus alternates: reversing once per language
        # and filling in the slug is what keeps a 10,000-entry page fast.
        lang = get_language() or settings.LANGUAGE_CODE
        pattern = self._patterns.get(lang)
        if pattern is None:
            pattern = reverse(self.url_name, kwargs={"slug": _PLACEHOLDER})
            self._patterns[lang] = pattern
        return pattern.replace(_PLACEHOLDER, item.slug)

    def queryset(self) -> Any:
        raise NotImplementedError

    def items(self) -> Any:
        return self.queryset()

    def count_items(self) -> int:
        return int(self.queryset().count())

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


class InitiativeSitemap(_RecordSitemap):
    url_name = "catalogue:initiative"
    priority = 0.8

    def queryset(self) -> Any:
        return catalogue_rows.sitemap_initiatives()


class PortCenterSitemap(_RecordSitemap):
    url_name = "catalogue:port_center"
    priority = 0.9

    def queryset(self) -> Any:
        return catalogue_rows.sitemap_port_centers()


class OrganisationSitemap(_RecordSitemap):
    url_name = "catalogue:organisation"
    priority = 0.5

    def queryset(self) -> Any:
        return catalogue_rows.sitemap_organisations()


class PortCitySitemap(_RecordSitemap):
    url_name = "places:detail"
    priority = 0.6

    def queryset(self) -> Any:
        return catalogue_rows.sitemap_port_cities()


STATIC_PAGES = ("home", "core:about", "search:search", "opendata:index")


class StaticSitemap(_SiteSitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self) -> list[str]:
        return list(STATIC_PAGES)

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticSitemap,
    "port-centers": PortCenterSitemap,
    "initiatives": InitiativeSitemap,
    "organisations": OrganisationSitemap,
    "port-cities": PortCitySitemap,
}
