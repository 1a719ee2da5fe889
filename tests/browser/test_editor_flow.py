"""A member editor writes an initiative, submits it; the secretariat approves it; a visitor finds
it by search. The dashboard tells the editor where the record stands at each step."""

import re

import pytest

from tests.browser.conftest import screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Dockside apprenticeship fair"


def dashboard_status(pg, title: str) -> str:
    pg.goto("/en/catalogue/dashboard/")
    row = pg.locator("table.records-table tbody tr", has=pg.locator("th", has_text=title))
    return row.locator(".badge").first.inner_text().strip()


def test_editor_submits_staff_approve_and_visitors_find_the_initiative(page, catalogue):
    from portolan.testing import factories as f

    editor = f.MembershipFactory(
        user=f.UserFactory(email="editor@example.org"), organisation=catalogue["port_authority"]
    ).user
    staff = f.StaffFactory(email="staff@example.org")

    sign_in(page, editor.email)
    page.goto("/en/catalogue/dashboard/")
    page.get_by_role("link", name="New initiative").click()
    page.wait_for_url("**/editor/initiatives/new/")
    # One organisation: it is preselected, and so is its port city.
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Young people meet the port's employers and try the trades for a day.")
    page.fill("#id_start_year", "2024")
    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft").click()
    assert page.locator(".form-errors").count() == 0, page.locator("main").inner_text()
    assert dashboard_status(page, TITLE) == "Draft"

    # A draft is not public yet.
    page.goto(f"/en/search/?q={TITLE.split()[0]}")
    assert page.locator("ol.hits .hit__title", has_text=TITLE).count() == 0

    page.goto("/en/catalogue/dashboard/")
    row = page.locator("table.records-table tbody tr", has=page.locator("th", has_text=TITLE))
    with page.expect_navigation():
        row.get_by_role("button", name=re.compile("Submit for review")).click()
    assert dashboard_status(page, TITLE) == "Submitted"
    screenshot(page, "editor-dashboard-submitted")
    sign_out(page)

    sign_in(page, staff.email)
    page.goto("/en/catalogue/staff/moderation/")
    item = page.locator("article.moderation-item", has=page.locator("h2", has_text=TITLE))
    assert item.count() == 1
    with page.expect_navigation():
        item.get_by_role("button", name="Approve and publish").click()
    assert page.locator("article.moderation-item", has_text=TITLE).count() == 0
    sign_out(page)

    sign_in(page, editor.email)
    assert dashboard_status(page, TITLE) == "Published"
    sign_out(page)

    # Anonymous visitors find it by its words and open it.
    page.goto("/en/")
    page.fill("#home-q", "apprenticeship")
    page.locator("form.search-box button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=apprenticeship"))
    hit = page.locator("ol.hits .hit__title a", has_text=TITLE)
    assert hit.count() == 1
    hit.click()
    assert page.locator("h1").inner_text().strip() == TITLE
    assert page.js_errors == []
