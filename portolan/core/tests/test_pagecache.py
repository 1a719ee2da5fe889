"""The whole-page cache of anonymous pages: what it serves, to whom, and that no write is ever
hidden by it (portolan/core/pagecache.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client

from portolan.catalogue.models import PublicationStatus
from portolan.catalogue.services import workflow
from portolan.core import pagecache
from portolan.core.models import Theme
from portolan.search.services import rebuild_index
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
    StaffFactory,
    UserFactory,
)

# Not 15, which the benchmark empties.
REDIS_URL = "redis://127.0.0.1:6379/13"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTOLAN_PAGE_CACHE = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed (the test's own transaction never does)."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return write(*args, **kwargs)

    return run


@pytest.fixture
def city():
    return PortCityFactory(name="Le Havre", slug="le-havre", country="FR", region="EU")


@pytest.fixture
def organisation(city):
    return OrganisationFactory(name="Havre Port Authority", slug="havre-pa", port_city=city)


@pytest.fixture
def school(organisation, commit):
    record = InitiativeFactory(
        title="Harbour school programme",
        slug="harbour-school-programme",
        summary="Pupils visit the harbour terminals.",
        organisation=organisation,
    )
    commit(rebuild_index)  # the library engine swaps its index in after commit
    return record


def cached(client: Client, url: str, **extra):
    """GET twice; the second answer must come from the cache."""
    first = client.get(url, **extra)
    second = client.get(url, **extra)
    return first, second


# --- what is cached, and how it is answered --------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/about/",
        "/en/catalogue/",
        "/en/catalogue/initiatives/harbour-school-programme/",
        "/en/catalogue/port-centers/le-havre-center/",
        "/en/catalogue/organisations/havre-pa/",
        "/en/places/",
        "/en/places/le-havre/",
        "/en/search/?q=harbour",
        "/en/search/map.json?q=harbour",
    ],
)
def test_anonymous_pages_are_served_from_the_cache_without_a_query_or_a_cookie(
    client, school, organisation, django_assert_num_queries, url
):
    PortCenterFactory(name="Le Havre Center", slug="le-havre-center", organisation=organisation)
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    for response in (first, second):
        assert not response.cookies
        assert "public" in response["Cache-Control"]
        assert "max-age=" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert response["ETag"]


def test_a_conditional_request_with_the_same_etag_gets_304(client, school):
    url = "/en/catalogue/initiatives/harbour-school-programme/"
    first, second = cached(client, url)
    again = client.get(url, HTTP_IF_NONE_MATCH=second["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_pages_carry_no_csrf_token_and_the_language_switch_is_plain_links(client, school):
    response = client.get("/en/search/?q=harbour&type=initiative")
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'href="/fr/search/?q=harbour&amp;type=initiative" hreflang="fr" lang="fr"' in html
    assert 'href="/es/search/?q=harbour&amp;type=initiative" hreflang="es" lang="es"' in html
    assert 'aria-current="page">English</a>' in html
    assert "csrftoken" not in response.cookies


def test_the_language_links_lead_to_the_same_page_in_that_language(client, school):
    english = client.get("/en/catalogue/initiatives/harbour-school-programme/")
    french = client.get("/fr/catalogue/initiatives/harbour-school-programme/")
    spanish = client.get("/es/catalogue/initiatives/harbour-school-programme/")
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="fr">' in french.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    assert french["X-Page-Cache"] == spanish["X-Page-Cache"] == "miss"  # not the English entry
    assert client.get("/fr/catalogue/initiatives/harbour-school-programme/").content == (
        french.content
    )


def test_the_query_string_is_keyed_in_a_normal_order_and_not_confused(client, school):
    client.get("/en/search/?q=harbour&type=initiative")
    same = client.get("/en/search/?type=initiative&q=harbour")
    assert same["X-Page-Cache"] == "hit"
    other = client.get("/en/search/?q=school&type=initiative")
    assert other["X-Page-Cache"] == "miss"


def test_not_found_and_other_methods_are_not_cached(client, school):
    assert client.get("/en/catalogue/initiatives/nope/").status_code == 404
    missing = client.get("/en/catalogue/initiatives/nope/")
    assert "X-Page-Cache" not in missing
    url = "/en/catalogue/initiatives/harbour-school-programme/"
    posted = client.post(url)
    assert "X-Page-Cache" not in posted
    assert client.get(url)["X-Page-Cache"] == "miss"  # the POST stored nothing


def test_a_visitor_with_a_message_waiting_bypasses_the_cache(client, school):
    url = "/en/catalogue/initiatives/harbour-school-programme/"
    cached(client, url)
    client.cookies["messages"] = "anything"
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_a_page_that_sets_a_cookie_is_not_stored(rf, school):
    from django.http import HttpResponse

    request = rf.get("/en/")
    response = HttpResponse("x")
    response.set_cookie("csrftoken", "abc")
    assert not pagecache._storable(request, response)


# --- who gets a cached page ---------------------------------------------------------------------


def test_a_signed_in_user_never_receives_the_cached_anonymous_page(client, school):
    url = "/en/catalogue/initiatives/harbour-school-programme/"
    anonymous, again = cached(client, url)
    assert again["X-Page-Cache"] == "hit"
    member = Client()
    member.force_login(UserFactory())
    response = member.get(url)
    html = response.content.decode()
    assert "Sign out" in html
    assert "Sign in" not in html
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_the_anonymous_visitor_never_receives_a_signed_in_page(client, school):
    url = "/en/catalogue/initiatives/harbour-school-programme/"
    staff = Client()
    staff.force_login(StaffFactory())
    for _ in range(2):
        assert "Sign out" in staff.get(url).content.decode()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Sign in" in response.content.decode()
    assert "Sign out" not in response.content.decode()
    assert "Edit" not in response.content.decode()


# --- writes show at once ------------------------------------------------------------------------


def test_a_publish_appears_at_once_on_every_cached_page(
    search_engine, client, commit, organisation, school
):
    staff = StaffFactory()
    draft = InitiativeFactory(
        title="Dockers' oral history",
        slug="dockers-oral-history",
        organisation=organisation,
        publication_status=PublicationStatus.SUBMITTED,
        published_at=None,
    )
    pages = ["/en/", "/en/catalogue/organisations/havre-pa/", "/en/search/?q=dockers"]
    for url in pages:
        cached(client, url)
        assert "Dockers&#x27; oral history" not in client.get(url).content.decode()
    detail = "/en/catalogue/initiatives/dockers-oral-history/"
    assert client.get(detail).status_code == 404

    commit(workflow.record_approve, actor=staff, record=draft)

    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Dockers&#x27; oral history" in response.content.decode(), url
    assert client.get(detail).status_code == 200


def test_an_unpublish_removes_the_record_from_cached_pages_and_from_search_at_once(
    search_engine, client, commit, school
):
    pages = [
        "/en/catalogue/initiatives/harbour-school-programme/",
        "/en/",
        "/en/search/?q=harbour",
        "/en/search/map.json?q=harbour",
        "/en/places/le-havre/",
    ]
    for url in pages:
        first, second = cached(client, url)
        assert second["X-Page-Cache"] == "hit"
    assert "Harbour school programme" in client.get("/en/search/?q=harbour").content.decode()

    def unpublish():
        school.publication_status = PublicationStatus.DRAFT
        school.save()

    commit(unpublish)

    assert client.get(pages[0]).status_code == 404
    for url in pages[1:]:
        response = client.get(url)
        assert "Harbour school programme" not in response.content.decode(), url


def test_a_draft_or_rejected_record_never_appears_on_a_cached_page(
    search_engine, client, commit, organisation
):
    def write():
        InitiativeFactory(
            title="Secret draft plan",
            slug="secret-draft-plan",
            organisation=organisation,
            publication_status=PublicationStatus.DRAFT,
        )
        InitiativeFactory(
            title="Refused harbour idea",
            slug="refused-harbour-idea",
            organisation=organisation,
            publication_status=PublicationStatus.REJECTED,
        )

    commit(write)
    commit(rebuild_index)
    for url in [
        "/en/",
        "/en/catalogue/",
        "/en/catalogue/organisations/havre-pa/",
        "/en/places/le-havre/",
        "/en/search/?q=secret",
        "/en/search/?q=refused",
        "/en/search/map.json?q=harbour",
    ]:
        for response in cached(client, url):
            html = response.content.decode()
            assert "Secret draft plan" not in html, url
            assert "Refused harbour idea" not in html, url
    for slug in ("secret-draft-plan", "refused-harbour-idea"):
        for response in cached(client, f"/en/catalogue/initiatives/{slug}/"):
            assert response.status_code == 404


def test_a_change_of_links_or_vocabulary_moves_the_generation(commit, school):
    before = pagecache.content_generation()
    theme = Theme.objects.first()
    commit(school.themes.add, theme)
    after_link = pagecache.content_generation()
    assert after_link > before

    def rename():
        theme.name_en = "Renamed theme"
        theme.save()

    commit(rename)
    assert pagecache.content_generation() > after_link


def test_writes_in_one_transaction_move_the_generation_once(
    django_capture_on_commit_callbacks, organisation
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for number in range(5):
            InitiativeFactory(slug=f"many-{number}", organisation=organisation)
    assert [callback for callback in callbacks if callback is pagecache.bump] == [pagecache.bump]


def test_a_rolled_back_write_does_not_stop_later_writes_moving_the_generation(commit, organisation):
    before = pagecache.content_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        InitiativeFactory(slug="rolled-back", organisation=organisation)
        raise RuntimeError
    commit(InitiativeFactory, slug="kept", organisation=organisation)
    assert pagecache.content_generation() > before


def test_a_lost_generation_never_comes_back_to_an_old_number():
    first = pagecache.content_generation()
    pagecache.bump()
    pagecache.cache.delete(pagecache.GENERATION_KEY)
    assert pagecache.content_generation() > first + 1


# --- two workers, one shared cache ----------------------------------------------------------------


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings) -> Iterator[None]:
    """The default cache shared by the two simulated workers: one process's local memory, or
    Redis (skipped when none answers), under a key prefix of this test's own."""
    if request.param == "redis":
        if not _redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}")
        backend = "django.core.cache.backends.redis.RedisCache"
    else:
        backend = "django.core.cache.backends.locmem.LocMemCache"
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": REDIS_URL if request.param == "redis" else "two-workers",
            "KEY_PREFIX": prefix,
        }
    }
    yield
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
    else:
        caches["default"].clear()


class Worker:
    """A web worker: its own client and its own connection to the shared cache."""

    def __init__(self) -> None:
        self.client = Client()
        self.cache = caches.create_connection("default")

    def __enter__(self) -> Worker:
        caches["default"] = self.cache
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def get(self, url: str):
        with self:
            return self.client.get(url)


def test_a_publish_through_one_worker_shows_at_once_on_another_sharing_the_cache(
    shared_cache, commit, organisation, school
):
    staff = StaffFactory()
    draft = InitiativeFactory(
        title="Night shift stories",
        slug="night-shift-stories",
        organisation=organisation,
        publication_status=PublicationStatus.SUBMITTED,
        published_at=None,
    )
    first, second = Worker(), Worker()
    urls = ["/en/", "/en/search/?q=night", "/en/catalogue/organisations/havre-pa/"]
    for url in urls:
        first.get(url)
        assert second.get(url)["X-Page-Cache"] == "hit"  # the cache is shared
        assert "Night shift stories" not in second.get(url).content.decode()

    with first:
        commit(workflow.record_approve, actor=staff, record=draft)

    for url in urls:
        response = second.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Night shift stories" in response.content.decode(), url
        assert first.get(url)["X-Page-Cache"] == "hit"  # and the new page is shared too


def test_a_vocabulary_rename_shows_at_once_on_cached_record_pages(client, commit, school):
    theme = Theme.objects.first()
    commit(school.themes.add, theme)
    url = "/en/catalogue/initiatives/harbour-school-programme/"
    first, second = cached(client, url)
    assert theme.name in second.content.decode()

    def rename():
        theme.name_en = "Harbour ecology renamed"
        theme.save()

    commit(rename)
    assert "Harbour ecology renamed" in client.get(url).content.decode()
