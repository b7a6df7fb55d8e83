"""In headless Chromium: a visitor proposes a publication, an editor signs in and approves it, and the
new publication is then found through search, in the library and in the network view. Screenshots
go to test-artifacts/submit-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LiveServer, screenshot
from tests.submissions.test_submit_support import EDITOR, PASSWORD, close_app, make_app

pytestmark = pytest.mark.browser

TITLE = "Dorpshuizen als ontmoetingsplek in kleine kernen"
SUMMARY = (
    "Een verkenning van dorpshuizen in kleine dorpen: bewoners ontmoeten elkaar, vrijwilligers organiseren activiteiten "
    "en het welzijnswerk helpt bij bewonersinitiatieven. Met voorbeelden uit Zeist en aandacht voor eenzaamheid."
)


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    application = make_app(tmp_path / "data")
    with LiveServer(application) as live:
        yield live
    close_app(application)


def test_submit_approve_and_find(server, page) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    base = server.url

    # -- the visitor ---------------------------------------------------------------------------
    page.goto(base + "/bijdragen")
    page.fill("#f-title", TITLE)
    page.select_option("#f-kind", "artikel")
    page.fill("#f-date", "2024")
    page.fill("#f-url", "https://example.org/dorpshuizen-kleine-kernen")
    page.fill("#f-summary", SUMMARY)
    page.check("#f-pillars-sociale-cohesie")
    # autocomplete against the graph: typing part of a name offers the organisation
    organisation = page.locator('fieldset[data-field="organisations"] .entity-inputs input').first
    organisation.fill("Welz")
    page.wait_for_selector("#dl-organisations option", state="attached", timeout=10_000)
    assert page.locator("#dl-organisations option").first.get_attribute("value") == "Welzijn West"
    organisation.fill("Welzijn West")
    page.locator('fieldset[data-field="authors"] .entity-inputs input').first.fill("Stichting Dorpskracht")
    page.fill("#f-name", "Jet Bezoeker")
    page.fill("#f-email", "jet@example.org")
    page.check("#f-consent-ja")

    # check against the criteria first: nothing is sent yet
    page.click("button[value=check]")
    page.wait_for_selector("section.assessment")
    assert page.locator('[data-criterion="neighbourhoods"]').get_attribute("data-outcome") == "yes"
    assert page.locator('[data-criterion="collective"]').get_attribute("data-outcome") == "yes"
    # a suggested place found in the text can be taken over with one click
    use_place = page.locator('button.use-entity[data-field="places"][data-value="Zeist"]')
    use_place.click()
    assert page.locator('fieldset[data-field="places"] .entity-inputs input').first.input_value() == "Zeist"
    screenshot(page, "submit-1-check")

    page.click("button[value=submit]")
    page.wait_for_url("**/bijdragen/ontvangen/**")
    assert TITLE in page.inner_text(".submitted-title")
    screenshot(page, "submit-2-received")

    # -- the editor ------------------------------------------------------------------------------
    page.goto(base + "/redactie")
    page.wait_for_url("**/redactie/inloggen**")
    page.fill("#f-login-name", EDITOR)
    page.fill("#f-login-password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(base + "/redactie")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_selector(".review-form")
    assert "jet@example.org" in page.inner_text("dl.meta")
    screenshot(page, "submit-3-review")
    page.click("button[value=approve]")
    page.wait_for_selector("a.publication-link")
    screenshot(page, "submit-4-approved")
    publication = page.get_attribute("a.publication-link", "href")
    assert publication and publication.endswith("/id/publicatie/dorpshuizen-als-ontmoetingsplek-in-kleine-kernen")

    # -- found at once, without a restart ------------------------------------------------------------
    page.goto(base + "/search?q=dorpshuizen")
    page.wait_for_selector(f"text={TITLE}")
    screenshot(page, "submit-5-search")
    page.goto(base + "/bibliotheek")
    page.wait_for_selector(f"text={TITLE}")
    screenshot(page, "submit-6-library")
    page.goto(base + "/verkennen?alles=1")
    page.fill("#map-search", "Dorpshuizen als")
    page.wait_for_selector(f"#map-search-list >> text={TITLE}", timeout=15_000)
    screenshot(page, "submit-7-network")
    page.goto(base + publication)
    page.wait_for_selector(f"h1 >> text={TITLE}")
    assert "jet@example.org" not in page.content() and "Jet Bezoeker" not in page.content()
    screenshot(page, "submit-8-page")
    assert [f for f in failed if "favicon" not in f] == []
    assert [e for e in errors if "Failed to load resource" not in e] == []


def test_axe_on_form_and_moderation_pages(server, browser) -> None:
    """axe-core finds no serious or critical violations on the form (also with errors and the
    criteria check), the sign-in page, the queue and the review page."""
    import json

    from tests.conftest import ROOT

    axe = (ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    # axe is injected through the DevTools protocol; the site's own strict CSP is unchanged
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()

    def serious(name: str) -> list[dict]:
        page.evaluate(axe)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        screenshot(page, f"submit-axe-{name}")
        return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    try:
        base = server.url
        found: dict[str, list] = {}
        page.goto(base + "/bijdragen")
        found["form"] = serious("form")
        page.fill("#f-summary", SUMMARY)
        page.click("button[value=check]")
        page.wait_for_selector("section.assessment")
        found["check"] = serious("check")
        page.click("button[value=submit]", no_wait_after=False)
        page.wait_for_selector("#error-summary")
        found["errors"] = serious("errors")
        page.fill("#f-title", TITLE)
        page.select_option("#f-kind", "artikel")
        page.check("#f-pillars-sociale-cohesie")
        page.fill("#f-name", "Jet Bezoeker")
        page.fill("#f-email", "jet@example.org")
        page.check("#f-consent-ja")
        page.click("button[value=submit]")
        page.wait_for_url("**/bijdragen/ontvangen/**")
        found["received"] = serious("received")
        page.goto(base + "/redactie/inloggen")
        found["login"] = serious("login")
        page.fill("#f-login-name", EDITOR)
        page.fill("#f-login-password", PASSWORD)
        page.click("form.login-form button[type=submit]")
        page.wait_for_url(base + "/redactie")
        found["queue"] = serious("queue")
        page.get_by_role("link", name=TITLE).click()
        page.wait_for_selector(".review-form")
        found["review"] = serious("review")
        page.goto(base + "/bijdragen?lang=en")
        found["form-en"] = serious("form-en")
        assert not any(found.values()), json.dumps(found, indent=1)
    finally:
        context.close()
