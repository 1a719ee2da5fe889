"""The feeds again under each language prefix (`/fr/feeds/initiatives.atom`), in that language.

Served, not redirected to the language-neutral `/feeds/...`: a reader subscribed from a French
page then gets French feed titles and entries linking to the French pages, with a plain 200.
A redirect would hand it the neutral feed, whose language follows Accept-Language (which feed
readers seldom send), and some readers rewrite or drop a subscription on a permanent redirect."""

from django.urls import path

from .feeds import InitiativesAtom, InitiativesRss

app_name = "feeds"
urlpatterns = [
    path("initiatives.rss", InitiativesRss(), name="initiatives-rss"),
    path("initiatives.atom", InitiativesAtom(), name="initiatives-atom"),
]
