"""RSS 2.0 and Atom 1.0 feeds of newly published initiatives, optionally filtered like a search.

Links are absolute from settings.SITE_URL (not from the request's host), so a feed fetched
through a proxy or an internal name still points readers at the public site."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from portolan.catalogue.models import Initiative
from portolan.search.selectors import SearchParams, params_to_query

from . import selectors


class _FeedContext:
    def __init__(self, request: HttpRequest, params: SearchParams) -> None:
        self.request = request
        self.params = params

    @property
    def filtered(self) -> bool:
        return bool(self.params.q or self.params.has_filters)


class InitiativesRss(Feed):
    feed_type: Any = Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        params, errors = selectors.read_params(request.GET)
        if errors:
            lines = [_("Invalid search parameters."), *(f"{k}: {v}" for k, v in errors.items())]
            return HttpResponseBadRequest(
                "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
            )
        # CORS headers come from django-cors-headers (settings.CORS_URLS_REGEX).
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> _FeedContext:
        # One Feed instance serves every request, so the request's state lives in this object.
        params, _errors = selectors.read_params(request.GET)
        return _FeedContext(request, params)

    def title(self, obj: _FeedContext) -> str:
        if obj.filtered:
            return _("Portolan: new initiatives matching your search")
        return _("Portolan: new initiatives")

    def description(self, obj: _FeedContext) -> str:
        return _(
            "Projects and good practices of port cities and Port Centers, newest first, "
            "as published on Portolan."
        )

    def subtitle(self, obj: _FeedContext) -> str:
        return self.description(obj)

    def link(self, obj: _FeedContext) -> str:
        query = params_to_query(obj.params)
        try:
            path = reverse("search:index")
        except NoReverseMatch:
            path = reverse("opendata:index")
        return settings.SITE_URL + path + (f"?{query}" if query else "")

    def feed_url(self, obj: _FeedContext) -> str:
        return settings.SITE_URL + obj.request.get_full_path()

    def feed_copyright(self, obj: _FeedContext) -> str:
        return _("Open Database License (ODbL) 1.0")

    def items(self, obj: _FeedContext) -> list[Initiative]:
        return selectors.feed_items(obj.params if obj.filtered else None)

    def item_title(self, item: Initiative) -> str:
        return item.title

    def item_description(self, item: Initiative) -> str:
        return item.summary

    def item_link(self, item: Initiative) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Initiative) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Initiative) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Initiative) -> datetime | None:
        return item.updated_at

    def item_author_name(self, item: Initiative) -> str:
        return item.organisation.name

    def item_categories(self, item: Initiative) -> list[str]:
        return [theme.name for theme in item.themes.all()]


class InitiativesAtom(InitiativesRss):
    feed_type = Atom1Feed
