"""The filter spec on its own, without Django's database: the year rule, its SQL and ORM forms,
and the decade counts that must agree with clicking a decade."""

from __future__ import annotations

import sqlite3

import pytest

from portolan.core import filterspec

# (start, end) spans: closed, open-ended, one year, no years, end without start.
SPANS = [(2015, 2022), (2021, None), (2010, 2012), (None, None), (2019, 2019), (None, 2018)]
RANGES = [
    (None, None),
    (2020, None),
    (None, 2012),
    (2016, 2020),
    (2012, 2012),
    (2013, 2014),
    (2023, 2030),
    (1990, 2009),
]


@pytest.mark.parametrize(
    ("span", "year_from", "year_to", "expected"),
    [
        ((2015, 2022), 2020, None, True),  # still running in 2020
        ((2015, 2022), None, 2014, False),  # had not started
        ((2015, 2022), 2022, 2022, True),  # both ends inclusive
        ((2015, 2022), 2023, None, False),  # over by then
        ((2021, None), 2100, None, True),  # open-ended runs on
        ((2021, None), None, 2020, False),
        ((None, None), 1000, None, False),  # no years never match a year filter
        ((None, 2018), None, 2200, False),
        ((None, None), None, None, True),  # no year filter, no year condition
    ],
)
def test_a_record_matches_when_its_years_overlap_the_range(span, year_from, year_to, expected):
    assert filterspec.overlaps(*span, year_from, year_to) is expected


def test_reversed_range_is_reported_and_equal_ends_are_not():
    assert filterspec.years_reversed(2021, 2020)
    assert not filterspec.years_reversed(2020, 2020)
    assert not filterspec.years_reversed(None, 1990)


@pytest.mark.parametrize(("year_from", "year_to"), RANGES)
def test_sql_form_selects_exactly_the_overlapping_spans(year_from, year_to):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE d (id INTEGER, year INTEGER, year_end INTEGER)")
    db.executemany("INSERT INTO d VALUES (?, ?, ?)", [(i, *s) for i, s in enumerate(SPANS)])
    args: list = []
    parts = filterspec.overlap_sql("year", "year_end", year_from, year_to, args)
    where = " AND ".join(parts) or "1 = 1"
    found = {
        row[0] for row in db.execute(f"SELECT id FROM d WHERE {where.replace('%s', '?')}", args)
    }  # noqa: S608
    expected = {i for i, s in enumerate(SPANS) if filterspec.overlaps(*s, year_from, year_to)}
    assert found == expected


def test_orm_form_names_the_fields_it_compares():
    condition = str(filterspec.overlap_q("start_year", "end_year", 2020, 2025))
    assert "start_year__lte" in condition and "end_year__gte" in condition
    assert "end_year__isnull" in condition
    # A record that never ends has no end to compare: only its start is tested.
    never_ends = str(filterspec.overlap_q("opening_year", None, 2020, None))
    assert "opening_year__isnull" in never_ends and "__gte" not in never_ends
    assert filterspec.overlap_q("start_year", "end_year", None, None) == filterspec.Q()


def test_each_decade_counts_what_clicking_it_finds():
    counts = filterspec.decades_of(SPANS, current_year=2026)
    for decade, count in counts.items():
        clicked = [s for s in SPANS if filterspec.overlaps(*s, decade, decade + 9)]
        assert len(clicked) == count, decade
    assert counts == {2010: 3, 2020: 2}


def test_open_ended_spans_reach_a_later_decade_some_record_starts_in():
    counts = filterspec.decades_of([(1995, None), (2041, 2043)], current_year=2026)
    assert counts == {1990: 1, 2000: 1, 2010: 1, 2020: 1, 2030: 1, 2040: 2}


def test_every_facet_parameter_is_named_once():
    assert len(filterspec.PARAMS) == len(set(filterspec.PARAMS))
    assert {"year_from", "year_to", "theme", "goal", "country"} <= set(filterspec.PARAMS)


# --- accepted values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "good", "bad"),
    [
        ("country", ["FR", "JP"], ["fr", "FRA", "F", "F1", "", "ÉS"]),
        ("theme", ["ports", "a-b_c1", "a" * 80], ["Ports", "a" * 81, "a b", "<b>", ""]),
        ("port_city", ["le-havre", "a" * 240], ["Le-Havre", "a" * 241, "le havre"]),
        ("goal", [1, "3", 99], [0, "100", "three", "-1", "3.0", True]),
        ("year_from", [1000, "2020", 2200], [999, "2201", "abc", "", "٢٠٢٠"]),
    ],
)
def test_each_facet_rule_accepts_its_one_spelling_only(param, good, bad):
    rule = filterspec.RULES[param]
    assert all(rule.accepts(value) for value in good), good
    assert not any(rule.accepts(value) for value in bad), bad


def test_a_refused_value_is_named_in_the_message():
    assert "“FRA”" in filterspec.RULES["country"].error("FRA")
    assert "“0”" in filterspec.RULES["goal"].error("0")
    assert filterspec.RULES["year_to"].error("abc") == "Enter a year between 1000 and 2200."


def test_folding_turns_typing_into_the_one_spelling():
    assert filterspec.RULES["country"].fold(" fr ") == "FR"
    assert filterspec.RULES["theme"].fold("Ports") == "ports"
    assert filterspec.RULES["goal"].fold(" 3") == "3"
