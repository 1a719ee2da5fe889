import pytest

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_without_script_errors_and_is_accessible(page):
    page.goto("/en/")
    assert page.locator("h1").first.is_visible()
    screenshot(page, "home")
    assert_accessible(page)
    assert page.js_errors == []


def test_language_switcher_remembers_the_choice(page):
    page.goto("/en/about/")
    page.select_option("#lang-select", "fr")
    page.locator("form.lang-switch button").click()
    page.wait_for_url("**/fr/about/")
    page.goto("/")
    assert "/fr/" in page.url
