"""Language-neutral machine endpoints: feeds, sitemap, robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .feeds import InitiativesAtom, InitiativesRss
from .sitemaps import SITEMAPS

urlpatterns = [
    path("feeds/initiatives.rss", InitiativesRss(), name="feed-initiatives-rss"),
    path("feeds/initiatives.atom", InitiativesAtom(), name="feed-initiatives-atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots-txt"),
]
