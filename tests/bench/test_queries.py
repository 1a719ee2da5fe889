"""The benchmark's query draw, without a database."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.queries import SORTS, cold_queries, make_query, query_shape, warm_queries

VOCABULARY = [
    ("port", 9000),
    ("demo", 9500),
    ("city", 7000),
    ("school", 3000),
    ("heritage", 2500),
    ("cruise", 1200),
    ("museum", 800),
    ("crane", 500),
    ("quay", 300),
    ("festival", 200),
    ("puerto", 150),
    ("visite", 100),
    ("lighthouse", 40),
    ("wetland", 10),
    ("never", 0),
]
FACETS = {
    "theme": ["education", "heritage", "energy"],
    "region": ["EU", "AF", "AS"],
    "country": ["FR", "ES", "CL"],
    "goal": ["4", "11", "14"],
    "audience": ["schools", "families"],
    "type": ["initiative", "port_center"],
    "status": ["ongoing", "completed"],
    "year": ["2010", "2015", "2020", "2024"],
}


@pytest.fixture(scope="module")
def cold():
    return cold_queries(VOCABULARY, FACETS, count=200, seed=1)


def test_count_and_distinct(cold):
    assert len(cold) == 200
    assert len(set(cold)) == 200


def test_commonest_words_come_first_alone(cold):
    assert cold[0] == "q=demo"
    assert cold[1] == "q=port"
    assert cold[2] == "q=city"
    assert [query_shape(q)["words"] for q in cold[:3]] == [["demo"], ["port"], ["city"]]


def test_one_to_three_known_words_with_zero_to_two_facets(cold):
    known = {w for w, df in VOCABULARY if df}
    for query in cold:
        shape = query_shape(query)
        assert 1 <= len(shape["words"]) <= 3
        assert set(shape["words"]) <= known
        assert len(shape["facets"]) <= 2
    facet_counts = Counter(len(query_shape(q)["facets"]) for q in cold)
    assert facet_counts[0] and facet_counts[1] and facet_counts[2]
    assert "never" not in " ".join(cold)


def test_every_sort_every_facet_and_deep_pages(cold):
    shapes = [query_shape(q) for q in cold]
    assert {s["sort"] for s in shapes} == set(SORTS)
    used = {f for s in shapes for f in s["facets"]}
    assert used == set(FACETS)
    deep = [s for s in shapes if s["page"] > 1]
    assert 10 <= len(deep) <= 60


def test_frequent_words_are_drawn_more_often(cold):
    words = Counter(w for q in cold[10:] for w in query_shape(q)["words"])
    assert words["port"] > words["museum"] > words["wetland"]


def test_draw_is_reproducible_and_seeded(cold):
    assert cold_queries(VOCABULARY, FACETS, count=200, seed=1) == cold
    assert cold_queries(VOCABULARY, FACETS, count=200, seed=2) != cold


def test_warm_queries_never_repeat_cold_ones(cold):
    warm = warm_queries(VOCABULARY, FACETS, count=50, seed=1, exclude=cold)
    assert len(warm) == 50
    assert not set(warm) & set(cold)


def test_make_query_writes_a_canonical_order():
    query = make_query(["port", "city"], [("region", "EU"), ("theme", "energy")], "name", 3)
    assert query == "q=port+city&theme=energy&region=EU&sort=name&page=3"
    assert make_query(["port"], [("year_to", 2020), ("year_from", 2010)]) == (
        "q=port&year_from=2010&year_to=2020"
    )


def test_an_empty_vocabulary_is_refused():
    with pytest.raises(ValueError):
        cold_queries([("never", 0)], FACETS, count=5)


def test_too_small_a_vocabulary_for_the_count_is_refused():
    with pytest.raises(ValueError):
        cold_queries([("port", 10)], {}, count=50)
