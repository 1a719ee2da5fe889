"""axe-core finds no serious or critical violation, and no script error happens, on the main
pages: public, member editor and secretariat, in English and in French.

Each test walks several pages in one browser context (one database set-up per test keeps the
suite fast) and reports every failing page at once rather than stopping at the first. axe-core
takes seconds a page on a small machine, so the list holds the main pages, not every page."""

import pytest

from tests.browser.conftest import screenshot, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = {
    "home": "/en/",
    "search-results": "/en/search/?q=harbour",
    "search-no-results": "/en/search/?q=harbuor",
    "initiative": "/en/catalogue/initiatives/harbour-school-programme/",
    "port-center": "/en/catalogue/port-centers/le-havre-port-center/",
    "organisation": "/en/catalogue/organisations/havre-port-authority/",
    "port-city": "/en/places/le-havre/",
    "login": "/en/accounts/login/",
    "open-data": "/en/open-data/",
    "about": "/en/about/",
    "fr-search-results": "/fr/search/?q=harbour",
}


def audit(pg, pages: dict[str, str]) -> list[str]:
    """Visit each page; return one block of text per page that has a problem."""
    problems = []
    for name, url in pages.items():
        pg.js_errors.clear()
        response = pg.goto(url)
        status = response.status if response else None
        found = [] if status == 200 else [f"HTTP {status}"]
        found += serious_violations(pg)
        found += [f"JavaScript error: {error}" for error in pg.js_errors]
        if found:
            problems.append(f"{name} ({url}):\n  " + "\n  ".join(found))
    return problems


def test_public_pages_are_accessible_and_error_free(page, catalogue):
    problems = audit(page, PUBLIC_PAGES)
    assert not problems, "\n".join(problems)


def test_editor_pages_are_accessible_and_error_free(page, catalogue):
    from portolan.testing import factories as f

    editor = f.MembershipFactory(organisation=catalogue["port_authority"]).user
    f.InitiativeFactory(
        title="Draft quay walk",
        slug="draft-quay-walk",
        organisation=catalogue["port_authority"],
        publication_status="draft",
        published_at=None,
    )
    sign_in(page, editor.email)
    problems = audit(
        page,
        {
            "dashboard": "/en/catalogue/dashboard/",
            "new-initiative": "/en/catalogue/editor/initiatives/new/",
        },
    )
    # A form sent back with errors must say so accessibly too.
    page.goto("/en/catalogue/editor/initiatives/new/")
    page.fill("#id_title", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft").click()
    assert page.locator(".form-errors").count() == 1
    screenshot(page, "editor-form-errors")
    problems += [f"form with errors: {v}" for v in serious_violations(page)]
    assert not problems, "\n".join(problems)


def test_staff_pages_are_accessible_and_error_free(page, catalogue):
    from portolan.testing import factories as f

    staff = f.StaffFactory()
    f.InitiativeFactory(
        title="Submitted crane visit",
        slug="submitted-crane-visit",
        organisation=catalogue["city"],
        publication_status="submitted",
        published_at=None,
    )
    sign_in(page, staff.email)
    problems = audit(
        page,
        {
            "moderation": "/en/catalogue/staff/moderation/",
        },
    )
    screenshot(page, "moderation-queue")
    assert not problems, "\n".join(problems)
