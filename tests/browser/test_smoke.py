import pytest

from tests.browser.conftest import assert_accessible, new_context, open_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_without_script_errors_and_is_accessible(page):
    page.goto("/en/")
    assert page.locator("h1").first.is_visible()
    screenshot(page, "home")
    assert_accessible(page)
    assert page.js_errors == []


def test_language_switcher_remembers_the_choice(page):
    page.goto("/en/about/")
    page.locator(".lang-switch a", has_text="Français").click()
    page.wait_for_url("**/fr/about/")
    page.goto("/")
    assert "/fr/" in page.url


def test_language_switcher_works_without_javascript(browser, live_server):
    context = new_context(browser, live_server.url, java_script_enabled=False)
    pg = open_page(context)
    try:
        pg.goto("/en/search/?q=harbour")
        link = pg.locator(".lang-switch a", has_text="Español")
        assert link.get_attribute("hreflang") == "es"
        link.click()
        pg.wait_for_url("**/es/search/?q=harbour")
        assert pg.locator("html").get_attribute("lang") == "es"
        current = pg.locator(".lang-switch a[aria-current=page]")
        assert current.inner_text() == "Español"
    finally:
        context.close()
