"""A visitor searches, narrows by a facet, opens a record, comes back and looks at the map; the
same journey works with JavaScript switched off."""

import re

import pytest

from tests.browser.conftest import new_context, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hit_titles(pg) -> list[str]:
    return [t.strip() for t in pg.locator("ol.hits .hit__title").all_inner_texts()]


def facet_link(pg, label: str):
    return pg.locator("a.facet__link", has=pg.locator(".facet__label", has_text=label)).first


def test_visitor_searches_filters_opens_a_record_and_sees_the_map(page, catalogue):
    page.goto("/en/")
    page.fill("#home-q", "harbour")
    page.locator("form.search-box button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/search/\?q=harbour"))

    assert sorted(hit_titles(page)) == ["Harbour night tours", "Harbour school programme"]
    assert "2 results" in page.locator("#results-heading").inner_text()
    marks = page.locator("ol.hits .hit__snippet mark")
    assert marks.count() >= 2
    assert all(text.lower().startswith("harbour") for text in marks.all_inner_texts())

    # Narrow to one country: the count follows, the URL carries the filter.
    page.locator("#search-filters .facet summary", has_text="Country").click()
    canada = facet_link(page, "Canada")
    assert canada.locator(".facet__count").inner_text() == "1"
    canada.click()
    page.wait_for_url(re.compile(r"country=CA"))
    assert hit_titles(page) == ["Harbour night tours"]
    assert "1 result" in page.locator("#results-heading").inner_text()
    assert facet_link(page, "Canada").get_attribute("aria-current") == "true"
    screenshot(page, "search-filtered")

    # The URL is the search: reloading it, or opening it elsewhere, gives the same results.
    shared = page.url
    page.reload()
    assert hit_titles(page) == ["Harbour night tours"]
    other = open_page(page.context)
    other.goto(shared)
    assert hit_titles(other) == ["Harbour night tours"]
    assert page.locator("#share-url").input_value().endswith(shared.split("/en/", 1)[1])
    other.close()

    # Open the record, then come back to the same filtered results.
    page.locator("ol.hits .hit__title a", has_text="Harbour night tours").click()
    page.wait_for_url("**/catalogue/initiatives/harbour-night-tours/")
    assert page.locator("h1").inner_text().strip() == "Harbour night tours"
    page.go_back()
    page.wait_for_url(shared)
    assert hit_titles(page) == ["Harbour night tours"]

    # The map of the current results: Leaflet draws one marker per located result.
    page.goto("/en/search/?q=harbour")
    toggle = page.locator("#search-map button.search-map__toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    markers = page.locator("#search-map .leaflet-interactive")
    markers.first.wait_for()
    assert markers.count() == 2
    markers.first.click()
    popup = page.locator(".leaflet-popup-content a")
    assert popup.inner_text() in {"Harbour night tours", "Harbour school programme"}
    screenshot(page, "search-map")
    assert page.js_errors == []


def test_home_map_lists_port_centers_without_javascript_and_draws_them_with_it(
    browser, live_server, catalogue
):
    context = new_context(browser, live_server.url, java_script_enabled=False)
    pg = open_page(context)
    pg.goto("/en/")
    fallback = pg.locator(".home-map .map__fallback")
    assert fallback.is_visible()
    assert fallback.locator("a", has_text="Le Havre Port Center").count() == 1
    context.close()

    context = new_context(browser, live_server.url)
    pg = open_page(context)
    pg.goto("/en/")
    pg.locator(".home-map .leaflet-interactive").first.wait_for()
    assert pg.locator(".home-map .leaflet-interactive").count() == 1
    assert not pg.locator(".home-map .map__fallback").is_visible()
    assert pg.js_errors == []
    context.close()


def test_search_filter_and_record_work_without_javascript(browser, live_server, catalogue):
    context = new_context(browser, live_server.url, java_script_enabled=False)
    pg = open_page(context)
    pg.goto("/en/search/")
    pg.fill("#search-q", "harbour")
    pg.locator("form.search-form button[type=submit]").click()
    pg.wait_for_url(re.compile(r"\?q=harbour"))
    assert sorted(hit_titles(pg)) == ["Harbour night tours", "Harbour school programme"]
    # Without script the filters stay open and are plain links.
    assert pg.locator("#search-filters").get_attribute("open") is not None
    # Nothing to toggle a map: the GeoJSON link is the no-script fallback.
    assert pg.locator("#search-map button").count() == 0
    assert pg.locator("#search-map figcaption a[href*='map.json']").count() == 1

    pg.locator("#search-filters .facet summary", has_text="Country").click()
    facet_link(pg, "France").click()
    pg.wait_for_url(re.compile(r"country=FR"))
    assert hit_titles(pg) == ["Harbour school programme"]

    pg.locator("ol.hits .hit__title a").first.click()
    pg.wait_for_url("**/catalogue/initiatives/harbour-school-programme/")
    assert "Pupils visit the harbour terminals" in pg.locator("main").inner_text()
    screenshot(pg, "initiative-no-js")
    context.close()
