"""The search service against the real database backend (run on SQLite and PostgreSQL), once
with each engine: the database's full-text index and the embedded library's."""

from datetime import timedelta

import pytest

from portolan.catalogue.models import PublicationStatus
from portolan.search.selectors import SearchParams, parse_params, result_refs, search
from portolan.search.tests.factories import audience_slugs, index, initiative, theme_slugs
from portolan.search.tests.test_text import HOSTILE
from portolan.testing.factories import (
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def _find(q="", **filters):
    data = {"q": q, **filters}
    params, _ = parse_params(data)
    return search(params)


def _refs(results):
    return {(hit.record_type, hit.record_id) for hit in results.hits}


def test_search_is_accent_and_case_insensitive():
    genoa = initiative(title="Porto di Génova open days", summary="Visits of the harbour.")
    genes = initiative(title="Visites du port de Gênes", summary="Des écoles au port.")
    index()
    assert ("initiative", genoa.pk) in _refs(_find("genova"))
    assert ("initiative", genoa.pk) in _refs(_find("GÉNOVA"))
    assert ("initiative", genes.pk) in _refs(_find("genes"))


def test_stemmed_words_match_in_english_french_and_spanish():
    english = initiative(title="Schools discover the port", summary="Pupils on boats.")
    french = initiative(title="Les écoles découvrent les métiers portuaires", summary="Visites.")
    spanish = initiative(title="Ciudades portuarias y escuelas", summary="Visitas.")
    index()
    assert ("initiative", english.pk) in _refs(_find("school"))
    assert ("initiative", french.pk) in _refs(_find("école portuaire"))
    assert ("initiative", spanish.pk) in _refs(_find("ciudad portuaria"))


def test_every_query_word_must_match():
    both = initiative(title="Harbour festival", summary="Music on the quays.")
    initiative(title="Harbour tours", summary="Boats.")
    index()
    results = _find("harbour music")
    assert _refs(results) == {("initiative", both.pk)}


def test_translation_makes_a_record_findable_in_another_language():
    record = initiative(
        title="Port discovery days",
        summary="Families visit the terminals.",
        translations=[
            ("fr", "Journées de découverte du port", "Les familles visitent les terminaux."),
            ("es", "Jornadas de descubrimiento del puerto", "Las familias visitan las terminales."),
        ],
    )
    index()
    assert ("initiative", record.pk) in _refs(_find("familles terminaux"))
    assert ("initiative", record.pk) in _refs(_find("jornadas descubrimiento"))
    assert ("initiative", record.pk) in _refs(_find("discovery"))


def test_the_hit_uses_the_visitors_language_when_a_translation_exists(settings):
    from django.utils import translation

    record = initiative(
        title="Port discovery days",
        summary="Families visit.",
        translations=[("fr", "Journées du port", "Les familles visitent.")],
    )
    index()
    with translation.override("fr"):
        hit = _find("familles").hits[0]
    assert hit.record_id == record.pk
    assert hit.title == "Journées du port"
    assert hit.language == "fr"
    assert "<mark>familles</mark>" in hit.snippet_html.lower()
    hit_en = _find("familles").hits[0]
    assert hit_en.title == "Port discovery days"
    assert hit_en.language == "en"


@pytest.mark.parametrize(
    "status",
    [
        PublicationStatus.DRAFT,
        PublicationStatus.SUBMITTED,
        PublicationStatus.CHANGES_REQUESTED,
        PublicationStatus.REJECTED,
    ],
)
def test_unpublished_records_are_never_found(status):
    initiative(title="Secret draft lighthouse", publication_status=status, published_at=None)
    PortCenterFactory(name="Secret lighthouse center", publication_status=status)
    index()
    assert _find("lighthouse").total == 0
    everything = result_refs(SearchParams(types=("initiative", "port_center")), limit=100)
    assert everything == []


def test_all_record_types_are_searchable():
    city = PortCityFactory(name="Valparaíso", country="CL", region="SA")
    organisation = OrganisationFactory(name="Autoridad Portuaria Valparaíso", port_city=city)
    center = PortCenterFactory(name="Valparaíso Port Center", organisation=organisation)
    record = initiative(title="Valparaíso harbour walks", organisation=organisation)
    index()
    refs = _refs(_find("valparaiso"))
    assert {
        ("port_city", city.pk),
        ("organisation", organisation.pk),
        ("port_center", center.pk),
        ("initiative", record.pk),
    } <= refs


def test_country_names_are_searchable_in_three_languages():
    city = PortCityFactory(name="Algeciras", country="ES", region="EU")
    index()
    for word in ("Spain", "Espagne", "España"):
        assert ("port_city", city.pk) in _refs(_find(word)), word


def test_facet_counts_follow_the_matched_set():
    themes = theme_slugs(2)
    audiences = audience_slugs(1)
    europe = PortCityFactory(country="FR", region="EU")
    asia = PortCityFactory(country="JP", region="AS")
    organisation_eu = OrganisationFactory(port_city=europe)
    organisation_as = OrganisationFactory(port_city=asia)
    initiative(
        title="Water festival one",
        organisation=organisation_eu,
        themes=themes[:1],
        goals=[3],
        start_year=1995,
    )
    initiative(
        title="Water festival two",
        organisation=organisation_eu,
        themes=themes,
        goals=[3, 5],
        audiences=audiences,
        start_year=2012,
        end_year=2014,
    )
    initiative(
        title="Water festival three",
        organisation=organisation_as,
        themes=themes[1:],
        status="completed",
        start_year=2019,
    )
    initiative(title="Unrelated record", organisation=organisation_as, themes=themes)
    index()
    results = _find("water festival")
    assert results.total == 3
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["type"] == {"initiative": 3}
    assert facets["region"] == {"EU": 2, "AS": 1}
    assert facets["country"] == {"FR": 2, "JP": 1}
    assert facets["theme"] == {themes[0]: 2, themes[1]: 2}
    assert facets["goal"] == {"3": 2, "5": 1}
    assert facets["audience"] == {audiences[0]: 1}
    assert facets["status"] == {"ongoing": 2, "completed": 1}
    # Counted in every decade its years overlap: 1995-open, 2012-2014, 2019-open.
    assert facets["decade"] == {"1990": 1, "2000": 1, "2010": 3, "2020": 2}
    assert facets["kind"] == {"port_authority": 3}


def test_filters_combine_and_a_facet_keeps_counts_of_its_other_values():
    europe = PortCityFactory(country="FR", region="EU")
    asia = PortCityFactory(country="JP", region="AS")
    themes = theme_slugs(1)
    initiative(title="Quay one", organisation=OrganisationFactory(port_city=europe), themes=themes)
    initiative(title="Quay two", organisation=OrganisationFactory(port_city=asia), themes=themes)
    initiative(title="Quay three", organisation=OrganisationFactory(port_city=asia))
    index()
    results = _find("quay", region="EU", theme=themes[0])
    assert results.total == 1
    region = {v.value: (v.count, v.selected) for v in results.facets["region"]}
    # Counted without the region filter: choosing Asia too would add one more.
    assert region == {"EU": (1, True), "AS": (1, False)}
    both = _find("quay", region=["EU", "AS"])
    assert both.total == 3


def test_year_range_filter():
    initiative(title="Dock early", start_year=1990)
    initiative(title="Dock middle", start_year=2005)
    initiative(title="Dock late", start_year=2021)
    index()
    # Without an end year an initiative is still running: "Dock early" reaches 2000 too.
    assert _find("dock", year_from="2000", year_to="2010").total == 2
    assert _find("dock", year_from="2000").total == 3
    assert _find("dock", year_to="2000").total == 1
    decade = {
        v.value: v.selected
        for v in _find("dock", year_from="2000", year_to="2009").facets["decade"]
    }
    assert decade["2000"] is True


def test_sort_by_name_and_newest():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    initiative(title="Bravo pier", published_at=now - timedelta(days=3))
    initiative(title="Alpha pier", published_at=now - timedelta(days=1))
    initiative(title="Charlie pier", published_at=now - timedelta(days=2))
    index()
    by_name = [h.title for h in _find("pier", sort="name").hits]
    assert by_name == ["Alpha pier", "Bravo pier", "Charlie pier"]
    newest = [h.title for h in _find("pier", sort="newest").hits]
    assert newest == ["Alpha pier", "Charlie pier", "Bravo pier"]


def test_relevance_puts_title_matches_first():
    body_only = initiative(title="Harbour news", summary="Something about a lighthouse.")
    title_match = initiative(title="Lighthouse restoration", summary="Old stones.")
    index()
    hits = _find("lighthouse").hits
    assert [h.record_id for h in hits] == [title_match.pk, body_only.pk]


def test_pagination_and_page_beyond_the_end():
    for number in range(25):
        initiative(title=f"Crane number {number}")
    index()
    first = search(SearchParams(q="crane"), page_size=10)
    assert first.total == 25 and len(first.hits) == 10 and first.num_pages == 3
    last = search(SearchParams(q="crane", page=99), page_size=10)
    assert last.page == 3 and len(last.hits) == 5
    pages = [search(SearchParams(q="crane", page=p), page_size=10) for p in (1, 2, 3)]
    seen = [h.record_id for page in pages for h in page.hits]
    assert len(seen) == len(set(seen)) == 25


def test_result_refs_follow_the_result_order_up_to_the_limit():
    for number in range(5):
        initiative(title=f"Berth {number}")
    index()
    refs = result_refs(SearchParams(q="berth", sort="name"), limit=3)
    assert [r[0] for r in refs] == ["initiative"] * 3
    assert len(refs) == 3
    assert result_refs(SearchParams(q="berth"), limit=0) == []


def test_snippets_are_escaped_and_highlighted():
    initiative(title="Harbour <script>", summary="<img src=x onerror=alert(1)> the harbour lights")
    index()
    hit = _find("harbour").hits[0]
    assert "<img" not in hit.snippet_html
    assert "&lt;img" in hit.snippet_html
    assert "<mark>harbour</mark>" in hit.snippet_html


def test_spelling_suggestion_when_nothing_matches():
    initiative(title="Biodiversity in the port", summary="Birds and fish.")
    index()
    results = _find("biodivresity")
    assert results.total == 0
    spelling = [s for s in results.suggestions if s.kind == "spelling"]
    assert spelling and spelling[0].label == "biodiversity"
    assert "q=biodiversity" in spelling[0].query


def test_remove_filter_suggestions_when_filters_empty_the_results():
    initiative(title="Ferry terminal")
    index()
    results = _find("ferry", region="OC")
    assert results.total == 0
    kinds = {s.kind for s in results.suggestions}
    assert "remove_filter" in kinds
    assert any("region" not in s.query for s in results.suggestions)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_return_results_never_errors(query):
    initiative(title="Port near the city", summary="AND OR NOT schools")
    index()
    params, _ = parse_params({"q": query, "sort": "relevance"})
    results = search(params)
    assert results.total >= 0
    assert result_refs(params, limit=5) is not None


def test_query_with_only_punctuation_lists_everything_newest_first():
    initiative(title="Anything")
    index()
    results = _find("!!! ??? ***")
    assert results.total >= 1


def test_real_records_come_before_demo_ones_on_the_landing_and_at_equal_relevance():
    real = initiative(title="Cruise terminal open day", summary="Visits of the terminal.")
    demo = initiative(
        title="Cruise terminal open day",
        summary="Visits of the terminal.",
        is_demo=True,
        published_at=real.published_at + timedelta(days=30),
    )
    index()
    landing = [h.record_id for h in search(SearchParams(types=("initiative",))).hits]
    assert landing == [real.pk, demo.pk]
    found = [h.record_id for h in _find("cruise terminal").hits]
    assert found == [real.pk, demo.pk]
