"""Playwright driving Debian's Chromium (/usr/bin/chromium), never a downloaded browser.

Without Chromium on the machine the browser tests are skipped (and say so); the rest runs."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PORTOLAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# The live server runs in a thread of this process while Playwright's sync API keeps an event
# loop in the test thread; Django's async-safety guard would otherwise refuse the ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not Path(CHROMIUM).exists():
        terminalreporter.write_line(
            f"NOTE: Chromium not found at {CHROMIUM}; the browser tests were skipped "
            "(apt-get install chromium to run them)."
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright refuses --user-data-dir on launch(); it gives every launch a fresh temporary
    # profile of its own, which is what we want. TMPDIR points it at a folder we remove after.
    tmp = tempfile.mkdtemp(prefix="portolan-chromium-")
    old_tmp = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = tmp
    try:
        with sync_playwright() as pw:
            instance = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield instance
            instance.close()
    finally:
        if old_tmp is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_tmp
        shutil.rmtree(tmp, ignore_errors=True)


# Anything that is not the live server (map tiles) is refused, so the tests never wait on the
# network and never depend on it.
ELSEWHERE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]).+", re.IGNORECASE)


def new_context(browser, base_url: str, **options):
    """A browser context on the live server, with the page fixture's defaults."""
    # bypass_csp lets axe-core inject its script; the app's own pages never need it.
    options.setdefault("bypass_csp", True)
    options.setdefault("locale", "en-GB")
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(15_000)
    context.route(ELSEWHERE, lambda route: route.abort())
    return context


def open_page(context):
    """A page that records its uncaught JavaScript errors in `page.js_errors`."""
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    return pg


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = new_context(browser, live_server.url)
    yield open_page(context)
    context.close()


def sign_in(pg, email: str, password: str = "correct-horse-battery") -> None:
    pg.goto("/en/accounts/login/")
    pg.fill("input[name=username]", email)
    pg.fill("input[name=password]", password)
    with pg.expect_navigation():
        pg.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in pg.url, f"sign-in failed for {email}"


def sign_out(pg) -> None:
    with pg.expect_navigation():
        pg.locator(".account-nav form button[type=submit]").click()
    assert pg.locator(".account-nav a", has_text="Sign in").count() == 1


def screenshot(pg, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def serious_violations(pg) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(pg)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def assert_accessible(pg) -> None:
    """Zero serious or critical axe-core violations on the current page."""
    bad = serious_violations(pg)
    assert not bad, f"{pg.url}\n" + "\n".join(bad)


@pytest.fixture
def catalogue(db) -> dict[str, object]:
    """A small published catalogue on two continents, indexed for search.

    Transactional tests empty every table afterwards, the vocabulary loaded by the migration
    included, so it is loaded again here."""
    from django.apps import apps

    from portolan.core.models import Theme
    from portolan.core.vocabulary import load_vocabulary
    from portolan.search.services import rebuild_index
    from portolan.testing import factories as f

    load_vocabulary(lambda name: apps.get_model("core", name))
    themes = list(Theme.objects.order_by("pk")[:2])
    havre = f.PortCityFactory(
        name="Le Havre", slug="le-havre", country="FR", region="EU", latitude=49.49, longitude=0.107
    )
    montreal = f.PortCityFactory(
        name="Montréal", slug="montreal", country="CA", region="NA", latitude=45.5, longitude=-73.55
    )
    port_authority = f.OrganisationFactory(
        name="Havre Port Authority", slug="havre-port-authority", port_city=havre
    )
    city = f.OrganisationFactory(
        name="Ville de Montréal", slug="ville-de-montreal", kind="city", port_city=montreal
    )
    school = f.InitiativeFactory(
        title="Harbour school programme",
        slug="harbour-school-programme",
        summary="Pupils visit the harbour terminals and meet dockers.",
        organisation=port_authority,
    )
    school.themes.set(themes[:1])
    tours = f.InitiativeFactory(
        title="Harbour night tours",
        slug="harbour-night-tours",
        summary="Evening boat tours of the harbour for residents.",
        organisation=city,
        start_year=2022,
    )
    tours.themes.set(themes[1:2])
    f.InitiativeFactory(
        title="Waterfront festival",
        slug="waterfront-festival",
        summary="A summer festival on the old quays.",
        organisation=city,
    )
    center = f.PortCenterFactory(
        name="Le Havre Port Center", slug="le-havre-port-center", organisation=port_authority
    )
    rebuild_index()
    return {
        "havre": havre,
        "montreal": montreal,
        "port_authority": port_authority,
        "city": city,
        "school": school,
        "tours": tours,
        "center": center,
    }
