"""RSS 2.0 and Atom 1.0 feeds of newly published initiatives, optionally filtered like a search.

Links are absolute from settings.SITE_URL (not from the request's host), so a feed fetched
through a proxy or an internal name still points readers at the public site.

Feed readers poll: every answer carries `Last-Modified` and an `ETag`, and a reader that sends
them back gets a bodiless 304 until an initiative changes, enters or leaves the feed (one
aggregate query, no rendering).
Each entry states the language of its text (Atom `xml:lang`, RSS `dc:language`), which need not
be the feed's: a French initiative in the English feed is marked French."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from portolan.catalogue.models import ContentLanguage, Initiative, PublicationStatus
from portolan.search.selectors import SearchParams, params_to_query

from . import selectors

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class LanguageRssFeed(Rss201rev2Feed):
    """RSS 2.0 with a Dublin Core `dc:language` per item."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class LanguageAtomFeed(Atom1Feed):
    """Atom 1.0 with `xml:lang` on each entry."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


def _freshness(feed_type: str, params: SearchParams) -> tuple[datetime | None, str]:
    """(last modified, ETag) of a feed, from one aggregate over the initiatives that are or were
    in it.

    The newest `updated_at` of the published initiatives and of their organisations (an entry's
    author) bounds every feed's entries, filtered or not: no search runs just to answer a 304.
    An initiative leaving the feed (unpublished: sent back to review, rejected, made a draft)
    is a change too, dated by its own `updated_at`; `published_at` records the first publication
    and is never cleared, so the initiatives that were ever published count for the date as
    well. A reader that only sends If-Modified-Since then gets the feed without the entry. (An
    edit of such an initiative while it is out of the feed also moves the date: one needless
    200, never a stale 304.) The count goes into the ETag so that deleting an initiative, which
    leaves no date behind, still changes it; the language and the search are in it because they
    change the feed's text and links. A renamed theme (an entry's category) shows at the next
    edit."""
    in_feed = Q(publication_status=PublicationStatus.PUBLISHED)
    state = Initiative.objects.filter(in_feed | Q(published_at__isnull=False)).aggregate(
        latest=Max("updated_at"),
        authors=Max("organisation__updated_at", filter=in_feed),
        count=Count("id", filter=in_feed),
    )
    dates = [d for d in (state["latest"], state["authors"]) if d is not None]
    latest = max(dates) if dates else None
    key = "|".join(
        [
            feed_type,
            get_language() or "",
            params_to_query(params),
            latest.isoformat() if latest else "",
            str(state["count"]),
        ]
    )
    return latest, hashlib.sha256(key.encode()).hexdigest()[:32]


class _FeedContext:
    def __init__(self, request: HttpRequest, params: SearchParams) -> None:
        self.request = request
        self.params = params

    @property
    def filtered(self) -> bool:
        return bool(self.params.q or self.params.has_filters)


class InitiativesRss(Feed):
    feed_type: Any = LanguageRssFeed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        params, errors = selectors.read_params(request.GET)
        if errors:
            lines = [_("Invalid search parameters."), *(f"{k}: {v}" for k, v in errors.items())]
            return HttpResponseBadRequest(
                "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
            )
        latest, etag = _freshness(self.feed_type.__name__, params)

        def render(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = super(InitiativesRss, self).__call__(request, *args, **kwargs)
            # Django dates the feed by its newest entry; the header must be the date the 304
            # check compares with (the same for a filtered feed), so `condition` sets it.
            del response["Last-Modified"]
            return response

        conditional = condition(
            etag_func=lambda *_args, **_kwargs: etag,
            last_modified_func=lambda *_args, **_kwargs: latest,
        )(render)
        # A 304 (HttpResponseNotModified) is an HttpResponse too.
        response = cast(HttpResponse, conditional(request, *args, **kwargs))
        # CORS headers come from django-cors-headers (settings.CORS_URLS_REGEX).
        return response

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
        """The page a reader opens from the feed: the search with the same filters, or the
        open-data page for the unfiltered feed."""
        query = params_to_query(obj.params)
        if not query:
            return settings.SITE_URL + reverse("opendata:index")
        return f"{settings.SITE_URL}{reverse('search:search')}?{query}"

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

    def item_extra_kwargs(self, item: Initiative) -> dict[str, Any]:
        # "other" is no language tag: say nothing rather than something wrong.
        language = item.language if item.language != ContentLanguage.OTHER else ""
        return {"language": language}


class InitiativesAtom(InitiativesRss):
    feed_type = LanguageAtomFeed
