"""In a real browser: search, open a result, follow a relation, switch to English, use the library
filters and the search-box completion; axe-core finds no serious or critical violations on the
home, search, resource and library pages. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, screenshot

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def serious_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {resultTypes: ['violations']})""")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path,name", [
    ("/", "home"), ("/search?q=eenzaamheid", "search"), ("/id/programma/alfa", "resource"),
    ("/bibliotheek?pillar=sociale-cohesie", "library"), ("/begrippen", "concepts"), ("/id/programma/alfa?lang=en", "resource-en"),
])
def test_axe_no_serious_violations(axe_page, live_server, path, name):
    axe_page.goto(live_server.url + path)
    found = serious_violations(axe_page)
    screenshot(axe_page, f"browse-axe-{name}")
    assert not found, json.dumps(found, indent=1)


def test_visitor_flow(page, live_server):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"

    # search from the home page, with completion
    box = page.locator("#home-q")
    box.fill("eenzaamh")
    page.wait_for_selector("#home-q[aria-expanded=true]")
    assert page.locator(".suggest-list [role=option]").count() >= 1
    box.press("Escape")
    assert page.locator("#home-q").get_attribute("aria-expanded") == "false"
    assert box.input_value() == "eenzaamh"  # Escape closes the list, keeps the text
    box.fill("eenzaamheid")
    box.press("Enter")
    page.wait_for_url(lambda url: "/search" in url and "q=eenzaamheid" in url)
    screenshot(page, "browse-flow-1-search")
    first = page.locator(".result-title a").first
    assert "Eén tegen eenzaamheid" in first.inner_text()

    # open the result and follow a relation
    first.click()
    page.wait_for_url("**/id/programma/een-tegen-eenzaamheid")
    screenshot(page, "browse-flow-2-resource")
    page.get_by_role("link", name="Vereniging van Nederlandse Gemeenten").first.click()
    page.wait_for_url("**/id/organisatie/vng")
    assert page.locator("h1").inner_text() == "Vereniging van Nederlandse Gemeenten"

    # switch to English: same page
    page.get_by_role("link", name="English").click()
    page.wait_for_url(lambda url: url.endswith("/id/organisatie/vng?lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Association of Netherlands Municipalities"
    screenshot(page, "browse-flow-3-english")

    # the library with filters (still in English, remembered)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Library").click()
    page.wait_for_url("**/bibliotheek")
    assert page.locator(".library-list .result").count() == 2
    page.locator(".facets a", has_text="Social empowerment").first.click()
    page.wait_for_url(lambda url: "pillar=sociale-empowerment" in url)
    assert page.locator(".library-list .result").count() == 1
    assert "On being lonely" in page.locator(".library-list .result-title").inner_text()
    screenshot(page, "browse-flow-4-library-filtered")

    # keyboard: the skip link leads to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert errors == []


def test_phone_layout(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/id/programma/alfa")
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "browse-phone-resource")
    page.goto(live_server.url + "/search?q=eenzaam")
    search_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375 and search_width <= 375
