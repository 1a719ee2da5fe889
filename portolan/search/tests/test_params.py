"""Reading search parameters: never raises, explains what it dropped, round-trips."""

import pytest
from django.http import QueryDict

from portolan.search.selectors import SearchParams, params_to_query, parse_params


def test_parse_reads_repeated_and_comma_separated_values():
    params, errors = parse_params(
        QueryDict("q=port&type=initiative&type=port_center&region=eu,AS&goal=3&goal=12")
    )
    assert errors == {}
    assert params.q == "port"
    assert params.types == ("initiative", "port_center")
    assert params.regions == ("EU", "AS")
    assert params.goals == (3, 12)


def test_parse_accepts_a_plain_mapping():
    params, errors = parse_params({"q": "genoa", "country": ["it", "fr"], "sort": "name"})
    assert errors == {}
    assert params.countries == ("IT", "FR")
    assert params.sort == "name"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=nonsense", "type"),
        ("region=XX", "region"),
        ("country=France", "country"),
        ("goal=abc", "goal"),
        ("goal=0", "goal"),
        ("theme=Not%20A%20Slug!", "theme"),
        ("kind=pirates", "kind"),
        ("status=sunk", "status"),
        ("year_from=19x0", "year_from"),
        ("year_to=99999", "year_to"),
        ("sort=random", "sort"),
        ("page=-1", "page"),
        ("page=abc", "page"),
    ],
)
def test_bad_values_are_dropped_with_a_message(query, field):
    params, errors = parse_params(QueryDict(query))
    assert field in errors
    assert params == SearchParams()


def test_too_long_query_is_shortened_with_a_message():
    params, errors = parse_params({"q": "port " * 1000})
    assert len(params.q) <= 500
    assert "q" in errors


def test_nul_bytes_and_controls_are_removed():
    params, _ = parse_params({"q": "port\x00city\x07"})
    assert params.q == "port city"


def test_reversed_years_are_an_error_not_a_guess():
    params, errors = parse_params({"year_from": "2020", "year_to": "2010"})
    assert (params.year_from, params.year_to) == (None, None)
    assert "first year is after the last" in errors["year_from"]


def test_huge_page_numbers_are_capped():
    params, _ = parse_params({"page": "99999999999999999999"})
    assert params.page == 500


def test_canonical_query_is_sorted_and_round_trips():
    params, _ = parse_params(
        QueryDict("type=port_center&type=initiative&q=port+city&sort=newest&page=2&year_from=1990")
    )
    query = params_to_query(params)
    assert query == "q=port+city&type=initiative&type=port_center&year_from=1990&sort=newest&page=2"
    again, errors = parse_params(QueryDict(query))
    assert errors == {}
    assert again.q == params.q
    assert set(again.types) == set(params.types)
    assert params_to_query(again) == query


def test_default_search_has_an_empty_query():
    assert params_to_query(SearchParams()) == ""
