"""Language-neutral machine endpoints: feeds, sitemap, robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from . import views
from .feeds import InitiativesAtom, InitiativesRss
from .sitemaps import SITEMAPS

# A sitemap page of 5,000 records in three languages takes seconds to render and crawlers fetch
# it often; a quarter of an hour of staleness is harmless.
SITEMAP_CACHE_SECONDS = 15 * 60

urlpatterns = [
    path("feeds/initiatives.rss", InitiativesRss(), name="feed-initiatives-rss"),
    path("feeds/initiatives.atom", InitiativesAtom(), name="feed-initiatives-atom"),
    path("sitemap.xml", cache_page(SITEMAP_CACHE_SECONDS)(views.sitemap_index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots-txt"),
]
