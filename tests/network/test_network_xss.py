"""A label that is markup stays text in every network view.

tests/fixtures/data/network-xss.trig adds one initiative, init:toets-xss, labelled
`<img src=x onerror=alert(1)> href` (the "href" once made pyvis render every tooltip as HTML),
with a description holding a <script>. It is part of gamma, run by welzijn-west, and addresses
a pillar in a sphere, so it shows up in the concept map, ego views, paths, the comparison of
gamma, the matrix and the metrics."""

from __future__ import annotations

import pytest

from tests.conftest import screenshot

LABEL = "<img src=x onerror=alert(1)> href"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt; href"
XSS = "https://w3id.org/sociale-basis/id/initiatief/toets-xss"
VIEWS = {
    "map": "/verkennen",
    "ego": "/verkennen/initiatief/toets-xss",
    "ego-gamma": "/verkennen/programma/gamma?diepte=1",
    "path": "/pad?van=initiatief/toets-xss&naar=prog:alfa",
    "compare": "/vergelijk?programma=prog:gamma&programma=prog:alfa",
    "matrix": "/matrix?pijler=sociale-empowerment&sfeer=persoonlijke-sfeer",
    "metrics": "/metrieken",
}
# where the label is written into the page as text (the map and ego-gamma draw it on the canvas)
SHOWN_AS_TEXT = {"ego", "path", "compare", "matrix", "metrics"}


@pytest.mark.parametrize("name", VIEWS)
def test_the_label_is_escaped_in_every_page(client, name):
    r = client.get(VIEWS[name])
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<img src=x" not in html and "<script>alert" not in html
    if name in SHOWN_AS_TEXT:
        assert ESCAPED in html
    if name == "metrics":
        # the metrics table is plain HTML: no data block for a script
        assert 'type="application/json"' not in html
    else:
        # in the JSON data block the markup characters are escaped as \u003c … \u003e
        assert "\\u003cimg src=x onerror=alert(1)\\u003e href" in html


@pytest.mark.parametrize("path", [
    "/verkennen.json", "/verkennen/initiatief/toets-xss.json", "/pad.json?van=initiatief/toets-xss&naar=prog:alfa",
    "/vergelijk.json?programma=prog:gamma&programma=prog:alfa", "/matrix.json", "/metrieken.json",
])
def test_json_twins_carry_the_label_as_plain_text(client, path):
    text = client.get(path).get_data(as_text=True)
    assert LABEL in text  # literal: JSON needs no HTML escaping, and the scripts only use textContent


def test_card_description_is_plain_text(client):
    card = client.get("/api/netwerk/kaartje?iri=" + XSS).get_json()
    assert card["label"] == LABEL
    assert card["description"] == "<script>alert(2)</script> beschrijving"


def test_graphml_and_turtle_carry_the_label_escaped_for_their_format(client):
    graphml = client.get("/verkennen/initiatief/toets-xss.graphml?diepte=1").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt; href" in graphml and "<img" not in graphml
    turtle = client.get("/verkennen/initiatief/toets-xss.ttl?diepte=1").get_data(as_text=True)
    assert '"<img src=x onerror=alert(1)> href"@nl' in turtle


@pytest.mark.browser
@pytest.mark.slow
def test_no_script_runs_in_any_view(page, live_server):
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for name, path in VIEWS.items():
        page.goto(live_server.url + path)
        if name == "matrix":
            page.wait_for_selector("#matrix-table[data-ready='1']")
        elif name != "metrics":
            page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
        page.wait_for_timeout(300)
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0, name
        if name in SHOWN_AS_TEXT:
            assert LABEL in page.inner_text("main"), name
        if name == "map":
            # find it with the search box; its card shows label and description as text
            page.fill("#map-search", "onerror")
            page.wait_for_selector("#map-search-list li")
            assert page.inner_text("#map-search-list") .startswith(LABEL)
            page.keyboard.press("Enter")
            page.wait_for_selector("#net-card h3")
            assert page.inner_text("#net-card h3") == LABEL
            assert "<script>alert(2)</script> beschrijving" in page.inner_text("#net-card")
            # hovering shows the plain-text label
            screenshot(page, "network-xss-map")
        if name == "path":
            sentence = page.inner_text(".net-sentence")
            assert sentence.startswith(LABEL + " — ")
    assert dialogs == []
    assert errors == []
