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
from django.urls import NoReverseMatch, reverse

from portolan.catalogue import selectors_export


class _SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 10_000

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def num_pages(self) -> int:
        """Pages of this section without loading its items (the index needs only this)."""
        return max(1, ceil(self.count_items() * len(settings.LANGUAGES) / self.limit))

    def count_items(self) -> int:
        return len(list(self.items()))


class _RecordSitemap(_SiteSitemap):
    changefreq = "weekly"

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
    priority = 0.8

    def queryset(self) -> Any:
        return selectors_export.sitemap_initiatives()


class PortCenterSitemap(_RecordSitemap):
    priority = 0.9

    def queryset(self) -> Any:
        return selectors_export.sitemap_port_centers()


class OrganisationSitemap(_RecordSitemap):
    priority = 0.5

    def queryset(self) -> Any:
        return selectors_export.sitemap_organisations()


class PortCitySitemap(_RecordSitemap):
    priority = 0.6

    def queryset(self) -> Any:
        return selectors_export.sitemap_port_cities()


STATIC_PAGES = ("core:home", "core:about", "search:index", "opendata:index")


class StaticSitemap(_SiteSitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self) -> list[str]:
        names = []
        for name in STATIC_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue  # a page not routed in this installation
            names.append(name)
        return names

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticSitemap,
    "port-centers": PortCenterSitemap,
    "initiatives": InitiativeSitemap,
    "organisations": OrganisationSitemap,
    "port-cities": PortCitySitemap,
}
