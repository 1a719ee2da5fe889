"""The benchmark's search queries, drawn from the index's own vocabulary: plain functions, no
Django, tested in tests/bench/test_queries.py.

`cold_queries` gives distinct query strings for the cold phase (issue 6): 1-3 words sampled by
document frequency (the commonest words, such as "port", always come first, alone), 0-2 facets
among theme, region, country, goal, audience, type, status and year ranges, every sort, and a
share of deep pages. `warm_queries` gives a smaller set, disjoint from the cold one, that the warm
phase repeats."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

SORTS = ("relevance", "newest", "name")
FACETS = ("theme", "region", "country", "goal", "audience", "type", "status", "year")
DEEP_PAGES = (2, 3, 5, 10, 25, 50, 100, 200)


def _facet(name: str, values: Mapping[str, Sequence[str]], rng: random.Random) -> list[tuple]:
    if name == "year":
        years = sorted(int(y) for y in values.get("year", ()))
        if not years:
            return []
        start = rng.choice(years)
        shape = rng.randrange(3)
        if shape == 0:
            return [("year_from", start)]
        if shape == 1:
            return [("year_to", start)]
        return [("year_from", start), ("year_to", min(start + rng.randint(0, 5), years[-1]))]
    options = values.get(name) or ()
    return [(name, rng.choice(options))] if options else []


def make_query(
    words: Sequence[str],
    facets: Sequence[tuple],
    sort: str = "relevance",
    page: int = 1,
) -> str:
    """The query string of a search (what the search page's links write, in a fixed order)."""
    params: list[tuple] = [("q", " ".join(words))] if words else []
    params += sorted(facets, key=lambda kv: (FACETS.index(kv[0].split("_")[0]), kv[0]))
    if sort != "relevance":
        params.append(("sort", sort))
    if page != 1:
        params.append(("page", page))
    return urlencode(params)


class _Sampler:
    """Words weighted by document frequency, drawn without the O(n) cost per draw."""

    def __init__(self, vocabulary: Sequence[tuple[str, int]]) -> None:
        usable = [(w, int(df)) for w, df in vocabulary if w and int(df) > 0]
        if not usable:
            raise ValueError("the vocabulary has no word with a document frequency")
        usable.sort(key=lambda item: (-item[1], item[0]))
        self.words = [w for w, _ in usable]
        self.cumulative = list(itertools.accumulate(df for _, df in usable))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < min(k, len(self.words)):
            word = rng.choices(self.words, cum_weights=self.cumulative)[0]
            if word not in chosen:
                chosen.append(word)
        return chosen


def cold_queries(
    vocabulary: Sequence[tuple[str, int]],
    facet_values: Mapping[str, Sequence[str]],
    *,
    count: int = 200,
    seed: int = 2026,
    commonest: int = 10,
    deep_share: float = 0.15,
    exclude: Sequence[str] = (),
) -> list[str]:
    """`count` distinct query strings. The `commonest` words by document frequency come first,
    each alone (first page, relevance); then 1-3 weighted words with 0-2 facets, sorts in turn
    (so each sort has a third of them) and a `deep_share` of deep pages. `exclude` lists query
    strings that must not be drawn (another phase's)."""
    rng = random.Random(seed)
    sampler = _Sampler(vocabulary)
    seen = set(exclude)
    out: list[str] = []

    def add(query: str) -> None:
        if query not in seen:
            seen.add(query)
            out.append(query)

    for word in sampler.words[:commonest]:
        if len(out) >= count:
            break
        add(make_query([word], []))
    available = [f for f in FACETS if f == "year" or facet_values.get(f)]
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > count * 200:
            raise ValueError(f"could only draw {len(out)} distinct queries out of {count}")
        words = sampler.draw(rng, rng.choices((1, 2, 3), weights=(50, 35, 15))[0])
        facets: list[tuple] = []
        for name in rng.sample(available, min(len(available), rng.choice((0, 1, 1, 2)))):
            facets += _facet(name, facet_values, rng)
        sort = SORTS[len(out) % len(SORTS)]
        page = rng.choice(DEEP_PAGES) if rng.random() < deep_share else 1
        add(make_query(words, facets, sort, page))
    return out


def warm_queries(
    vocabulary: Sequence[tuple[str, int]],
    facet_values: Mapping[str, Sequence[str]],
    *,
    count: int = 50,
    seed: int = 7,
    exclude: Sequence[str] = (),
) -> list[str]:
    """Queries of the same shape for the warm phase, none of them in `exclude`."""
    return cold_queries(
        vocabulary,
        facet_values,
        count=count,
        seed=seed,
        commonest=0,
        deep_share=0.05,
        exclude=exclude,
    )


def query_shape(query: str) -> dict[str, object]:
    """What a query string holds (words, facet names, sort, page): for tests and reports."""
    from urllib.parse import parse_qsl

    pairs = parse_qsl(query)
    words = next((v for k, v in pairs if k == "q"), "").split()
    names = {k.split("_")[0] for k, _ in pairs if k not in ("q", "sort", "page")}
    return {
        "words": words,
        "facets": sorted(names),
        "sort": next((v for k, v in pairs if k == "sort"), "relevance"),
        "page": int(next((v for k, v in pairs if k == "page"), "1")),
    }
