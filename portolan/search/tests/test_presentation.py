"""Facet links built per facet give the canonical querystring of the toggled search. No
database."""

from __future__ import annotations

import itertools

import pytest

from portolan.search.presentation import FACET_ATTRS, _link_maker, _toggled
from portolan.search.query import SearchParams, params_to_query

PARAMS = [
    SearchParams(),
    SearchParams(q="port city", sort="name", page=4),
    SearchParams(q="école", themes=("heritage", "education"), regions=("EU",), goals=(4, 11)),
    SearchParams(types=("initiative",), countries=("FR", "ES"), year_from=2010, year_to=2019),
    SearchParams(q="a&b=c", audiences=("schools",), kinds=("city",), statuses=("running",)),
]
VALUES = {
    "type": ["initiative", "port_center"],
    "region": ["EU", "AF"],
    "country": ["FR", "JP"],
    "theme": ["heritage", "jobs-skills"],
    "goal": ["4", "10"],
    "audience": ["schools", "families"],
    "kind": ["city"],
    "status": ["running", "completed"],
    "decade": ["2010", "1990"],
}


@pytest.mark.parametrize(("params", "name"), itertools.product(PARAMS, [*FACET_ATTRS, "decade"]))
def test_facet_links_equal_the_canonical_query_of_the_toggled_search(params, name):
    link = _link_maker(params, name)
    for value in VALUES[name]:
        assert link(value) == params_to_query(_toggled(params, name, value))
