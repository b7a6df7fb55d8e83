"""The municipality lens on the shipped data: the list and its JSON twin, the lenses and a
programme's reach, and in Chromium the map of all 342 municipalities, a click that reaches a
municipality's page, no sideways scrolling on a phone, and no serious axe violations."""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from tests.browse.test_a11y_browse import serious_violations
from tests.conftest import CHROMIUM_ARGS, LiveServer, screenshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory) -> Iterator[Any]:
    from webapp import create_app
    from webapp.state import get_store

    application = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("lens")), "SECRET_KEY": "x"})
    yield application
    with application.app_context():
        get_store().close()


def test_the_twin_lists_all_municipalities_with_their_counts(shipped_app):
    client = shipped_app.test_client()
    data = client.get("/gemeenten.json").get_json()
    assert len(data["municipalities"]) == 342
    amsterdam = next(m for m in data["municipalities"] if m["code"] == "GM0363")
    assert amsterdam["url"] == "/id/plaats/amsterdam" and amsterdam["province_label"] == "Noord-Holland"
    assert amsterdam["counts"]["all"] >= amsterdam["counts"]["initiatives"] >= 1
    assert data["with_value"] == sum(1 for m in data["municipalities"] if m["value"])
    focus = client.get("/gemeenten.json?lens=focus").get_json()
    assert {m["code"] for m in focus["municipalities"] if m["value"]} <= {m["code"] for m in data["municipalities"] if m["value"]}
    reach = client.get("/gemeenten.json?programma=nplv").get_json()
    assert reach["programme"].endswith("/programma/nplv") and reach["with_value"] >= 10  # the NPLV focus areas


# The single query the overview used to be (1.3 s on the shipped data): the reference its four
# simple queries must agree with, count for count.
REFERENCE = """
SELECT ?m (COUNT(DISTINCT ?x) AS ?linked) (COUNT(DISTINCT ?init) AS ?initiatives) (COUNT(DISTINCT ?focus) AS ?focusAreas)
WHERE {
  ?m sb:cbsCode ?code .
  OPTIONAL {
    ?part (sb:locatedIn|schema:containedInPlace)* ?m .
    ?x ?p ?part .
    FILTER(isIRI(?x) && STRSTARTS(STR(?x), "ID") && ?p != sb:governs && !STRSTARTS(STR(?x), "IDplaats/")
           && !STRSTARTS(STR(?x), "IDbron/"))
    BIND(IF(EXISTS { ?x a/rdfs:subClassOf* sb:Initiative }, ?x, ?none) AS ?init)
  }
  OPTIONAL { ?focus a sb:FocusArea ; (sb:locatedIn|schema:containedInPlace)+ ?m }
}
GROUP BY ?m
"""


def test_the_overview_counts_what_the_single_reference_query_counts(shipped_app):
    from graph.browse.municipalities import _overview
    from graph.namespaces import ID
    from webapp.state import get_store

    with shipped_app.app_context():
        store = get_store()
        expected = {str(r["m"]): (int(r["linked"]), int(r["initiatives"]), int(r["focusAreas"]))
                    for r in store.select(REFERENCE.replace('"ID', '"' + ID))}
        got = {m.iri: (m.counts["all"], m.counts["initiatives"], m.counts["focus"]) for m in _overview(store)}
    assert len(got) == 342 and got == expected
    assert sum(n for n, _i, _f in got.values()) > 50 and sum(f for _n, _i, f in got.values()) > 10


def test_bad_choices_are_explained(shipped_app):
    client = shipped_app.test_client()
    wrong = client.get("/gemeenten.json?lens=bogus")
    assert wrong.status_code == 400 and "bogus" in wrong.get_json()["error"]
    missing = client.get("/gemeenten.json?programma=bestaat-niet")
    assert missing.status_code == 404 and "bestaat-niet" in missing.get_json()["error"]
    assert client.get("/gemeenten.xml").status_code == 404


@pytest.fixture(scope="module")
def lens_server(shipped_app) -> Iterator[LiveServer]:
    with LiveServer(shipped_app) as server:
        yield server


@pytest.mark.browser
@pytest.mark.parametrize("width, height, name", [(1366, 900, "desktop"), (390, 844, "phone")])
def test_the_map_draws_every_municipality_and_a_click_opens_its_page(browser, lens_server, width, height, name):
    assert CHROMIUM_ARGS  # the session browser is Debian's Chromium (conftest)
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=False)
    page = context.new_page()
    problems: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(lens_server.url) else None)
    try:
        page.goto(lens_server.url + "/gemeenten")
        page.wait_for_selector("#nl-map[data-drawn]")
        assert page.get_attribute("#nl-map", "data-drawn") == "342"
        assert page.locator("#nl-map svg a path.muni").count() == 342
        assert page.locator("#nl-map path.step-0").count() < 342  # some municipalities are coloured
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"gemeenten-map-{name}")
        page.locator("#nl-map path[data-code='GM0363']").click()
        page.wait_for_url("**/id/plaats/amsterdam")
        assert "Amsterdam" in page.locator("h1").inner_text()
        assert problems == [] and outside == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_lens_page_has_no_serious_axe_violations(browser, lens_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(lens_server.url + "/gemeenten?programma=nplv")
        page.wait_for_selector("#nl-map[data-drawn]")
        found = serious_violations(page)
        screenshot(page, "gemeenten-nplv")
        assert not found, json.dumps(found, indent=1)
    finally:
        context.close()
