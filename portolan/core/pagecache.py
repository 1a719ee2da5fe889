"""Whole-page cache of anonymous GET pages, kept correct by one content generation.

A view opts in with `@public_page` (or `@public_page(vary_on=...)` when its answer also depends
on something other than the public records, such as the search index's generation).
`PageCacheMiddleware` then answers an anonymous GET of that view from the cache, and stores the
views' 200 answers that are safe to share.

Correctness rests on three rules:

- **Who.** A request that carries a session cookie (a signed-in user, or anyone the site keeps
  state for) or a messages cookie never reads nor fills the cache, and its answer says
  `Cache-Control: private, no-store`. An answer is stored only when it sets no cookie, used no
  CSRF token, showed no message and says nothing against caching, so a cached page holds
  nothing of one visitor.
- **What.** Keys are per language, scheme, host, path and normalised query string. Each entry
  is stamped with the content generation (and the view's `vary_on` value) it was rendered
  under, and is served only while the stamp is current.
- **When.** Every committed write to a public record moves the content generation on: saves of
  the models the record types watch (`portolan.core.registry`), changes of their many-to-many
  links, the vocabularies, `records_bulk_written`, and (through a hook in the search app's
  services) every change of the search index, which every record write, delete, import and
  restore leads to. The generation lives in the cache, so with the shared Redis cache a publish
  reaches every worker's next request; with the per-process local-memory cache other processes
  see it within `PORTOLAN_PAGE_CACHE_SECONDS`.

The answers say `Cache-Control: public, max-age=PORTOLAN_PAGE_MAX_AGE` and `Vary: Cookie`, with an
`ETag`, so a reverse proxy may keep them briefly too; a matching `If-None-Match` gets a 304.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, overload
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import BaseCache, cache, caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from . import registry
from .signals import records_bulk_written

GENERATION_KEY = "core:content-generation"
KEY_PREFIX = "page:v1:"
# Query strings longer than this are not cached (no one shares such a link; it would only let
# a client fill the cache).
MAX_QUERY_CHARS = 1000
# Core's own public data: the vocabularies shown on every record page.
VOCABULARY_MODELS = ("core.theme", "core.goal", "core.audience", "core.mission")
STATUS_HEADER = "X-Page-Cache"

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


# --- the content generation ---------------------------------------------------------------------


def content_generation() -> int:
    """The current generation. A lost key (evicted, cache flushed) starts again from the clock
    in nanoseconds, a number no earlier generation had, so no stale entry ever matches again."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def bump() -> None:
    """Move the generation on now: every cached page and generation-keyed fragment is stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns(), None)


def bump_on_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the generation on once the current transaction commits (at once outside one): a
    request that reads the generation before the commit may only store its page under the old
    one. Registered once per transaction, however many rows it writes."""
    connection = connections[using]
    if connection.in_atomic_block:
        # Django keeps (savepoint ids, callback, robust) per callback; one already waiting at
        # this same level runs at the same commit (and is dropped with it on a rollback).
        level = set(connection.savepoint_ids)
        if any(sids == level and func is bump for sids, func, *_ in connection.run_on_commit):
            return
    transaction.on_commit(bump, using=using)


def generation_key(base: str) -> str:
    """`base` suffixed with the content generation: for fragments cached inside a page."""
    return f"{base}:{content_generation()}"


# --- what moves it ------------------------------------------------------------------------------


def _public_models() -> set[str]:
    return {*registry.watched_models(), *VOCABULARY_MODELS}


def _on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance._meta.label_lower in _public_models():
        bump_on_commit(kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_vocabulary_delete(sender: Any, **kwargs: Any) -> None:
    bump_on_commit(kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_m2m(sender: Any, action: str, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if registry.link_owner(getattr(getattr(sender, "_meta", None), "label_lower", "")):
        bump_on_commit(kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_bulk_written(sender: Any, **kwargs: Any) -> None:
    bump_on_commit()


def connect() -> None:
    """Called from CoreConfig.ready(), before the record apps register their types: the save
    and link receivers listen to every model and look the registry up when they fire (a dict
    lookup). Deletes of records are not listened to here (a receiver for every model would cost
    every model its fast delete): the search app reindexes on them, and its index writes move
    the generation (`portolan.search.services`)."""
    post_save.connect(_on_save, dispatch_uid="pagecache-save")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")
    records_bulk_written.connect(_on_bulk_written, dispatch_uid="pagecache-bulk")
    for label in VOCABULARY_MODELS:
        post_delete.connect(
            _on_vocabulary_delete, sender=label, dispatch_uid=f"pagecache-delete-{label}"
        )


# --- the views' side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    # Anything else the page depends on, read before rendering: keys of the default cache
    # whose values stamp the page (read in the same round trip as the page), or a callable.
    vary_on_keys: tuple[str, ...] = ()
    vary_on: Callable[[], object] | None = None


@overload
def public_page(view: _View) -> _View: ...
@overload
def public_page(
    *, vary_on_keys: tuple[str, ...] = (), vary_on: Callable[[], object] | None = None
) -> Callable[[_View], _View]: ...
def public_page(
    view: Any = None,
    *,
    vary_on_keys: tuple[str, ...] = (),
    vary_on: Callable[[], object] | None = None,
) -> Any:
    """Mark a view whose anonymous GET answer is the same for every visitor (given the URL and
    language), so that PageCacheMiddleware may share it. `vary_on_keys`: cache keys (such as
    the search index generation) whose change must make the page stale."""

    def mark(func: _View) -> _View:
        func.page_cache = Policy(vary_on_keys=vary_on_keys, vary_on=vary_on)  # type: ignore[attr-defined]
        return func

    return mark(view) if view is not None else mark


def page_store() -> BaseCache:
    """Where pages go: the `pages` cache when configured (so that pages never push the other
    cached values out of a local-memory cache), else the default one (with Redis: then a page
    and its stamp come in one round trip). The generation always
    lives in the default cache, next to the fragments keyed by it."""
    return caches["pages"] if "pages" in settings.CACHES else cache


def enabled() -> bool:
    return bool(getattr(settings, "PORTOLAN_PAGE_CACHE", True))


def _has_visitor_state(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
    )


def page_key(request: HttpRequest) -> str:
    """Language, scheme, host, path and the query string with its parameters sorted (the order
    of one parameter's values kept) and re-encoded."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    query = urlencode(sorted(pairs, key=lambda pair: pair[0]))
    raw = "|".join(
        (get_language() or "", request.scheme or "", request.get_host(), request.path, query)
    )
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()[:40]


@dataclass
class _Pending:
    key: str
    stamp: tuple[object, ...]


def _anonymous_headers(response: HttpResponseBase) -> None:
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=settings.PORTOLAN_PAGE_MAX_AGE)
    patch_vary_headers(response, ("Cookie",))


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_USED"):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


class PageCacheMiddleware:
    """Placed after WhiteNoise and before SessionMiddleware: the lookup runs in `process_view`
    (the view is known, the language active), the store after every inner middleware has had
    its say (so a cookie set by the session, CSRF or messages middleware is seen)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        status = getattr(request, "_page_cache_status", None)
        if status == "private":
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ("Cookie",))
        elif (
            isinstance(status, _Pending)
            and isinstance(response, HttpResponse)
            and _storable(request, response)
        ):
            _anonymous_headers(response)
            self._store(status, response)
            response[STATUS_HEADER] = "miss"
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if conditional is not None:
                return conditional
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        policy = getattr(view_func, "page_cache", None)
        if not isinstance(policy, Policy) or not enabled():
            return None
        if _has_visitor_state(request):
            request._page_cache_status = "private"  # type: ignore[attr-defined]
            return None
        if request.method not in ("GET", "HEAD"):
            return None
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_CHARS:
            return None
        key = page_key(request)
        entry, stamp = self._lookup(key, policy)
        if entry is not None and entry[0] == stamp:
            return self._replay(request, entry)
        if request.method == "GET":
            request._page_cache_status = _Pending(key, stamp)  # type: ignore[attr-defined]
        return None

    @staticmethod
    def _lookup(key: str, policy: Policy) -> tuple[Any, tuple[object, ...]]:
        """The entry and the current stamp, in one round trip when pages share the default
        cache (each Redis call costs a client of its own in Django's backend)."""
        store = page_store()
        wanted = [GENERATION_KEY, *policy.vary_on_keys]
        if store is cache:
            found = cache.get_many([*wanted, key])
            entry = found.get(key)
        else:
            found = cache.get_many(wanted)
            entry = store.get(key)
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = content_generation()
        stamp = (
            int(generation),
            *(found.get(name) for name in policy.vary_on_keys),
            policy.vary_on() if policy.vary_on else None,
        )
        return entry, stamp

    @staticmethod
    def _store(pending: _Pending, response: HttpResponse) -> None:
        body = response.content
        response["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = [(name, value) for name, value in response.items() if name != STATUS_HEADER]
        entry = (pending.stamp, response.status_code, headers, body)
        page_store().set(pending.key, entry, settings.PORTOLAN_PAGE_CACHE_SECONDS)

    @staticmethod
    def _replay(request: HttpRequest, entry: Any) -> HttpResponseBase:
        _stamp, status, headers, body = entry
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        response[STATUS_HEADER] = "hit"
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        return conditional if conditional is not None else response
