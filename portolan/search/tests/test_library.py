"""The embedded library's index against the plain references: the database engine (exact SQL
counts, every match) and the library's own exhaustive ranking (every match scored, no early
stop). Run on SQLite and PostgreSQL, on a generated data set of 3,000 initiatives (with their
organisations, cities and Port Centers)."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest
import tantivy
from django.db import connection
from django.test import TestCase

from portolan.catalogue.demo import generate_demo
from portolan.catalogue.models import PublicationStatus
from portolan.search import library
from portolan.search.selectors import SearchParams, result_refs, search
from portolan.search.tests.factories import index, initiative

pytestmark = pytest.mark.django_db

SORTS = ("relevance", "newest", "name")


def _with_engine(settings, engine, params, **kwargs):
    settings.SEARCH_ENGINE = engine
    try:
        return search(params, **kwargs)
    finally:
        settings.SEARCH_ENGINE = "tantivy"


def _counts(results):
    return {name: {v.value: v.count for v in values} for name, values in results.facets.items()}


def _vocabulary(count: int) -> list[str]:
    """Words of the index's own vocabulary, commonest first ("port" among them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM search_searchterm ORDER BY term")
        terms = [row[0] for row in cursor.fetchall()]
    rng = random.Random(5)
    return ["port", *rng.sample(terms, min(count, len(terms)))]


def _query_set() -> list[SearchParams]:
    rng = random.Random(9)
    words = _vocabulary(30)
    facets = [
        {},
        {"themes": ("education",)},
        {"regions": ("EU",)},
        {"themes": ("heritage", "education"), "regions": ("EU", "AF")},
        {"year_from": 2015, "year_to": 2020},
        {"year_from": 2021},
        {"types": ("initiative",), "goals": (4,)},
        {"statuses": ("running",), "audiences": ("schools",)},
    ]
    queries = []
    for _ in range(40):
        q = " ".join(rng.sample(words, rng.choice((1, 1, 2))))
        queries.append(SearchParams(q=q, sort=rng.choice(SORTS), **rng.choice(facets)))
    queries += [SearchParams(sort=sort, **f) for sort in ("newest", "name") for f in facets[:3]]
    return queries


@pytest.fixture
def generated(library_engine):
    generate_demo(size=3000, rebuild_index=False)
    index()
    return library_engine


def test_library_finds_and_counts_what_the_database_engine_does(settings, generated):
    compared = 0
    for params in _query_set():
        plain = _with_engine(settings, "database", params)
        fast = search(params)
        assert fast.total == plain.total, params
        assert not fast.facets_estimated
        assert _counts(fast) == _counts(plain), params
        if params.effective_sort != "relevance" or not params.q:
            # Same keys on both engines: the same first page.
            assert [h.record_id for h in fast.hits] == [h.record_id for h in plain.hits], params
        everything = replace(params, sort="name")
        settings.SEARCH_ENGINE = "database"
        expected = set(result_refs(everything, limit=10_000))
        settings.SEARCH_ENGINE = "tantivy"
        assert set(result_refs(everything, limit=10_000)) == expected, params
        compared += 1
    assert compared >= 40


def test_first_pages_equal_the_exhaustive_ranking(generated):
    for params in _query_set():
        sort = params.effective_sort if params.q else "newest"
        total = search(params).total
        every = library.page_ids(params, sort=sort, limit=max(total, 1), offset=0)
        assert len(every) == total
        assert library.page_ids(params, sort=sort, limit=20, offset=0) == every[:20], params
        assert library.page_ids(params, sort=sort, limit=20, offset=40) == every[40:60], params


def test_estimated_facet_counts_stay_within_the_stated_error(settings, generated, monkeypatch):
    # Lower the thresholds so a 2,000-record set is "large": counts come from a sample.
    monkeypatch.setattr(library, "ESTIMATE_ABOVE", 300)
    monkeypatch.setattr(library, "SAMPLE_TARGET", 600)
    # A selected facet is counted without its own filter, over a larger set: the smallest
    # sampling fraction is the whole index's.
    fraction = min(1.0, 600 / search(SearchParams()).total)
    for params in (SearchParams(), SearchParams(q="port"), SearchParams(regions=("EU",))):
        plain = _with_engine(settings, "database", params)
        fast = search(params)
        assert fast.total == plain.total  # the total is always exact
        if plain.total <= 300:
            continue
        assert fast.facets_estimated
        exact, estimated = _counts(plain), _counts(fast)
        for name, values in exact.items():
            for value, count in values.items():
                # Four standard errors of a sampled proportion, plus rounding.
                error = 4 * math.sqrt(count * (1 - fraction) / fraction) + 2
                assert abs(estimated[name].get(value, 0) - count) <= error, (name, value)


def test_search_page_says_when_counts_are_estimates(client, generated, monkeypatch):
    monkeypatch.setattr(library, "ESTIMATE_ABOVE", 300)
    monkeypatch.setattr(library, "SAMPLE_TARGET", 600)
    page = client.get("/en/search/").content.decode()
    assert "are estimated from a sample" in page
    rare = next(w for w in _vocabulary(200) if 0 < search(SearchParams(q=w)).total <= 300)
    small = client.get(f"/en/search/?q={rare}").content.decode()
    assert "facet__count" in small
    assert "are estimated from a sample" not in small


def test_publishing_and_unpublishing_reach_the_library_at_once(
    library_engine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = initiative(title="Lightship restoration")
    assert [h.record_id for h in search(SearchParams(q="lightship")).hits] == [record.pk]
    with django_capture_on_commit_callbacks(execute=True):
        record.publication_status = PublicationStatus.CHANGES_REQUESTED
        record.save()
    assert search(SearchParams(q="lightship")).total == 0
    assert result_refs(SearchParams(q="lightship"), limit=10) == []


def test_a_commit_by_another_process_is_seen_by_the_next_search(library_engine):
    assert search(SearchParams(q="zeppelin")).total == 0
    record = initiative(title="Zeppelin hangar")
    with TestCase.captureOnCommitCallbacks(execute=True):
        from portolan.search import services

        services.reindex(record_type="initiative", ids=[record.pk])
    # Another process has its own Index object on the same directory: it sees the commit.
    other = tantivy.Index.open(str(library_engine))
    other.reload()
    found = other.searcher().search(
        tantivy.Query.term_query(other.schema, "title", "zeppelin"), limit=5
    )
    assert len(found.hits) == 1
    assert search(SearchParams(q="zeppelin")).total == 1


def test_search_falls_back_to_the_database_without_a_library_index(settings, tmp_path):
    settings.SEARCH_ENGINE = "tantivy"
    settings.SEARCH_INDEX_DIR = tmp_path / "nowhere"
    library.forget_handles()
    record = initiative(title="Harbour ferry museum")
    index_without_library = settings.SEARCH_INDEX_DIR
    settings.SEARCH_ENGINE = "database"
    index()
    settings.SEARCH_ENGINE = "tantivy"
    assert not index_without_library.exists()
    assert [h.record_id for h in search(SearchParams(q="ferry")).hits] == [record.pk]


def test_an_index_built_for_another_database_is_not_used(settings, library_engine):
    marker = library_engine / library.MARKER
    marker.write_text('{"format": 1, "vendor": "other", "name": "elsewhere"}', encoding="utf-8")
    library.forget_handles()
    assert not library.available()
    record = initiative(title="Tugboat regatta")
    settings.SEARCH_ENGINE = "database"
    index()
    settings.SEARCH_ENGINE = "tantivy"
    assert [h.record_id for h in search(SearchParams(q="tugboat")).hits] == [record.pk]


def test_rebuilding_one_type_keeps_the_others(generated):
    before = search(SearchParams(types=("organisation",))).total
    assert before > 0
    from portolan.search import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.rebuild_index(record_types=["initiative"])
    assert search(SearchParams(types=("organisation",))).total == before
    assert search(SearchParams(types=("initiative",))).total > 0
