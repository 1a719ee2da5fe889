"""One set of filters, one set of records, whichever path asks: the search service (the search
page), the JSON API list endpoints, the JSON export of a search and the initiatives feed. The
rule is stated once, in portolan/core/filterspec.py; this runs the same filter sets through the
four paths and compares the record ids with each other and with what the rule says."""

from __future__ import annotations

import json
import re

import pytest
from django.http import QueryDict
from django.test import TestCase

from portolan.catalogue.models import Initiative
from portolan.core.models import Goal, Theme
from portolan.search import services as search_services
from portolan.search.selectors import parse_params, result_refs, search
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

pytestmark = pytest.mark.django_db

# Facets only initiatives have: a Port Center never matches them, so the Port Center endpoint,
# which does not take them, is not asked.
INITIATIVE_ONLY = {"theme", "goal"}


@pytest.fixture
def catalogue(search_engine):
    first, second = Theme.objects.order_by("slug")[:2]
    goal3, goal5 = Goal.objects.get(number=3), Goal.objects.get(number=5)
    france = OrganisationFactory(port_city=PortCityFactory(country="FR", region="EU"))
    japan = OrganisationFactory(port_city=PortCityFactory(country="JP", region="AS"))
    records = {
        "2015-2022": InitiativeFactory(organisation=france, start_year=2015, end_year=2022),
        "2021-open": InitiativeFactory(organisation=japan, start_year=2021, end_year=None),
        "2010-2012": InitiativeFactory(organisation=france, start_year=2010, end_year=2012),
        "no years": InitiativeFactory(organisation=japan, start_year=None, end_year=None),
        "center 1990": PortCenterFactory(organisation=france, opening_year=1990, status="closed"),
        "center 2021": PortCenterFactory(organisation=japan, opening_year=2021),
    }
    records["2015-2022"].themes.set([first])
    records["2015-2022"].goals.set([goal3])
    records["2021-open"].themes.set([second])
    records["2021-open"].goals.set([goal5])
    records["2010-2012"].themes.set([second])
    records["no years"].themes.set([first])
    records["no years"].goals.set([goal3])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the library swaps in on commit
        search_services.rebuild_index()
    return records, {"first": first.slug, "second": second.slug}


# (query, records the rule says match: organisations and port cities have no years, themes
# or goals, so the country+type set is the only one where their type could come in)
CASES = [
    ("year_from=2020", {"2015-2022", "2021-open", "center 1990", "center 2021"}),
    ("year_to=2012", {"2010-2012", "center 1990"}),
    ("year_from=2016&year_to=2020", {"2015-2022", "center 1990"}),
    ("year_from=2013&year_to=2014", {"center 1990"}),
    ("year_from=2020&theme={second}", {"2021-open"}),
    ("country=FR&type=initiative", {"2015-2022", "2010-2012"}),
    ("country=JP&type=port_center", {"center 2021"}),
    ("goal=3", {"2015-2022", "no years"}),
]


def _refs(records, names):
    return {(_type(records[n]), records[n].pk) for n in names}


def _is_initiative(record):
    return isinstance(record, Initiative)


def _type(record):
    return "initiative" if _is_initiative(record) else "port_center"


def _through_search(query):
    params, errors = parse_params(QueryDict(query))
    assert errors == {}
    return {
        ref for ref in result_refs(params, limit=1000) if ref[0] in ("initiative", "port_center")
    }


def _through_api(client, query):
    data = QueryDict(query, mutable=True)
    types = data.pop("type", ["initiative", "port_center"])
    found = set()
    for record_type, endpoint in (("initiative", "initiatives"), ("port_center", "port-centers")):
        if record_type not in types or (
            record_type == "port_center" and INITIATIVE_ONLY & set(data)
        ):
            continue
        response = client.get(f"/api/v1/{endpoint}?{data.urlencode()}&page_size=100")
        assert response.status_code == 200, response.content
        found |= {(record_type, item["id"]) for item in response.json()["results"]}
    return found


def _through_export(client, query):
    response = client.get(f"/en/open-data/export.json?{query}")
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))["records"]
    return {(r["type"], r["id"]) for r in records if r["type"] in ("initiative", "port_center")}


def _through_feed(client, query, records):
    response = client.get(f"/feeds/initiatives.rss?{query}")
    assert response.status_code == 200
    slugs = set(re.findall(r"<link>[^<]*/initiatives/([-\w]+)/?</link>", response.content.decode()))
    return {("initiative", r.pk) for r in records.values() if _is_initiative(r) and r.slug in slugs}


@pytest.mark.parametrize(("query", "names"), CASES, ids=[c[0] for c in CASES])
def test_every_path_finds_the_records_the_rule_says(client, catalogue, query, names):
    records, themes = catalogue
    query = query.format(**themes)
    expected = _refs(records, names)
    assert _through_search(query) == expected
    assert _through_api(client, query) == expected
    assert _through_export(client, query) == expected
    initiatives = {ref for ref in expected if ref[0] == "initiative"}
    if "type=port_center" not in query:
        assert _through_feed(client, query, records) == initiatives


def test_each_decade_facet_count_is_what_clicking_it_finds(catalogue):
    results = _search("")
    decades = {v.value: v.count for v in results.facets["decade"]}
    assert decades["1990"] == 1 and decades["2010"] == 3 and decades["2020"] == 4
    for decade, count in decades.items():
        clicked = _search(f"year_from={decade}&year_to={int(decade) + 9}")
        assert clicked.total == count, decade


def _search(query):
    params, _errors = parse_params(QueryDict(query))
    return search(params)


def test_a_reversed_year_range_is_refused_on_every_path(client, catalogue):
    query = "year_from=2021&year_to=2020"
    page = client.get(f"/en/search/?{query}")
    assert page.status_code == 200
    assert "first year is after the last" in page.content.decode()
    api = client.get(f"/api/v1/initiatives?{query}")
    assert api.status_code == 400
    assert [e["field"] for e in api.json()["errors"]] == ["year_from"]
    assert client.get(f"/api/v1/port-centers?{query}").status_code == 400
    assert client.get(f"/en/open-data/export.json?{query}").status_code == 400
    assert client.get(f"/feeds/initiatives.rss?{query}").status_code == 400


# (parameter, value in its one spelling, values no path accepts)
VALUE_RULES = [
    ("country", "FR", ["FRA", "F1", "F"]),
    ("theme", "{first}", ["a" * 81, "a b", "<b>"]),
    ("goal", "3", ["0", "100", "three"]),
    ("year_from", "2020", ["999", "2201", "abc"]),
]


@pytest.mark.parametrize(("param", "good", "bad"), VALUE_RULES, ids=[r[0] for r in VALUE_RULES])
def test_the_page_and_the_api_accept_and_refuse_the_same_values(
    client, catalogue, param, good, bad
):
    _records, themes = catalogue
    good = good.format(**themes)
    _params, errors = parse_params(QueryDict(f"{param}={good}"))
    assert param not in errors
    assert client.get(f"/api/v1/initiatives?{param}={good}").status_code == 200
    for value in bad:
        _params, errors = parse_params(QueryDict(f"{param}={value}"))
        assert param in errors, value
        response = client.get(f"/api/v1/initiatives?{param}={value}")
        assert response.status_code == 400, value


def test_the_page_folds_the_case_the_api_asks_for(client, catalogue):
    """A person typing `country=fr` on the page means FR; the API, for programs, takes one
    spelling and says which."""
    params, errors = parse_params(QueryDict("country=fr"))
    assert errors == {} and params.countries == ("FR",)
    response = client.get("/api/v1/initiatives?country=fr")
    assert response.status_code == 400
    assert "two capital letters" in response.json()["errors"][0]["message"]
