"""In Chromium at 1366x900 and 390x844: a typo suggests its word, results come above the fold on a
phone with the filters in a drawer, no page scrolls sideways on a phone, and axe finds no serious
or critical violation on the search page, the concept trees and a source page. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import json
from typing import Iterator

import pytest

from tests.browse.test_a11y_browse import serious_violations
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(params=list(SIZES))
def sized(request, browser) -> Iterator[tuple[str, object]]:
    """A page at one of the two sizes; axe is injected through DevTools, so the strict CSP stays."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield request.param, page
    context.close()
    assert not errors, errors


def test_a_typo_suggests_its_word(sized, live_server):
    size, page = sized
    page.goto(live_server.url + "/search")
    page.fill("#q", "eenzamheid")
    page.locator("form.search-form.big button[type=submit]").click()
    page.wait_for_selector(".did-you-mean")
    notice = page.locator(".did-you-mean")
    assert "Bedoelde u" in notice.inner_text()
    assert notice.locator("a").inner_text() == "‘eenzaamheid’"
    assert page.locator(".result-title").first.inner_text() == "Eén tegen eenzaamheid"
    screenshot(page, f"search-did-you-mean-{size}")
    notice.locator("a").click()
    page.wait_for_selector(".result-title")
    assert page.locator(".did-you-mean").count() == 0  # the suggestion itself is spelt right


def test_results_above_the_fold_on_a_phone_with_filters_in_a_drawer(sized, live_server):
    size, page = sized
    page.goto(live_server.url + "/search?q=eenzaamheid")
    first = page.locator(".result").first.bounding_box()
    height = SIZES[size][1]
    assert first is not None and first["y"] + 40 < height, first  # the first result's title is on screen
    facet = page.locator(".facet").first
    if size == "phone":
        assert not page.locator(".facets-drawer").evaluate("d => d.open")
        assert not facet.is_visible()
        screenshot(page, "search-phone-closed")
        page.locator(".facets-summary").click()
        assert facet.is_visible()
        page.locator(".facet a").first.click()  # choose a filter from the drawer
        page.wait_for_selector(".chosen .chip")  # the chosen filter shows outside the closed drawer
        assert page.locator(".result").count() > 0
        screenshot(page, "search-phone-filtered")
    else:
        assert facet.is_visible()  # always open beside the results on a wide screen
        screenshot(page, "search-desktop")


PHONE_PAGES = [
    "/", "/search?q=eenzaamheid", "/search?q=eenzamheid", "/begrippen", "/id/begrip/sociale-cohesie",
    "/id/bron/toets-a", "/id/programma/alfa", "/bibliotheek",
    "/vergelijk?programma=prog:alfa&programma=prog:gamma&programma=prog:een-tegen-eenzaamheid",
]


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    wide = {}
    for path in PHONE_PAGES:
        page.goto(live_server.url + path)
        page.evaluate("window.scrollTo(10000, 0)")
        scrolled, width = page.evaluate("[window.scrollX, document.documentElement.scrollWidth]")
        if scrolled or width > 390:
            wide[path] = width
    screenshot(page, "phone-compare")
    context.close()
    assert not wide, wide


@pytest.mark.parametrize("path,name", [
    ("/search?q=eenzaamheid", "search"), ("/search?q=eenzamheid", "search-typo"), ("/begrippen", "concept-trees"),
    ("/id/bron/toets-a", "source"),
])
def test_axe_no_serious_violations(sized, live_server, path, name):
    size, page = sized
    page.goto(live_server.url + path)
    if size == "phone" and path.startswith("/search"):
        page.locator(".facets-summary").click()  # check the drawer's content too
    found = serious_violations(page)
    screenshot(page, f"axe-{name}-{size}")
    assert not found, json.dumps(found, indent=1)
