"""On a phone (375×812) the results come first, the filters fold away and still work, and no
page scrolls sideways."""

import re

import pytest

from tests.browser.conftest import new_context, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def horizontal_overflow(pg) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return pg.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def phone(browser, live_server):
    context = new_context(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    yield open_page(context)
    context.close()


def test_search_filters_fold_on_a_phone_and_still_filter(phone, catalogue):
    pg = phone
    pg.goto("/en/search/?q=harbour")
    filters = pg.locator("#search-filters")
    results = pg.locator("ol.hits")
    # Folded: the panel's links are hidden and the results sit near the top of the screen.
    assert filters.get_attribute("open") is None
    assert not pg.locator("#search-filters a.facet__link").first.is_visible()
    assert results.bounding_box()["y"] < 2 * PHONE["height"]
    assert horizontal_overflow(pg) == 0
    screenshot(pg, "mobile-search-folded")

    summary = pg.locator("#search-filters > summary")
    box = summary.bounding_box()
    assert box["height"] >= 24, "the filters toggle is too small to tap"
    summary.tap()
    assert filters.get_attribute("open") is not None
    pg.locator("#search-filters .facet summary", has_text="Country").tap()
    canada = pg.locator("a.facet__link", has=pg.locator(".facet__label", has_text="Canada")).first
    assert canada.is_visible()
    screenshot(pg, "mobile-search-filters-open")
    canada.tap()
    pg.wait_for_url(re.compile(r"country=CA"))
    assert [t.strip() for t in pg.locator("ol.hits .hit__title").all_inner_texts()] == [
        "Harbour night tours"
    ]
    # After filtering the panel folds again, and says a filter is on.
    assert pg.locator("#search-filters").get_attribute("open") is None
    assert pg.locator("ul.chips .chip").count() == 1
    assert horizontal_overflow(pg) == 0
    assert pg.js_errors == []


def test_main_pages_fit_a_phone_screen(phone, catalogue):
    wide = {}
    for name, url in {
        "home": "/en/",
        "initiative": "/en/catalogue/initiatives/harbour-school-programme/",
        "port-center": "/en/catalogue/port-centers/le-havre-port-center/",
        "login": "/en/accounts/login/",
    }.items():
        phone.goto(url)
        screenshot(phone, f"mobile-{name}")
        overflow = horizontal_overflow(phone)
        if overflow:
            wide[name] = overflow
    assert not wide, f"pages wider than the phone screen (px): {wide}"
    assert phone.js_errors == []
