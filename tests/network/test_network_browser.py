"""The network views in a real browser (headless Chromium): open the concept map, filter to
programmes, expand a node, find a path between two programmes, open the matrix; PNG export;
the ego embed on a page of its own; axe-core finds no serious accessibility violations.
Screenshots go to test-artifacts/network-*.png."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, LiveServer, make_settings, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ID = "https://w3id.org/sociale-basis/id/"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
GAMMA = ID + "programma/gamma"


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Page errors and CSP refusals, collected while the test runs."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" and (
        "Content Security Policy" in msg.text or "Refused" in msg.text) else None)
    return problems


def visible_count(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("SBNet.map.view.nodeView.length")


def settled_position(page, node_id: str) -> dict:  # type: ignore[no-untyped-def]
    """The node's position on screen once the physics has come to rest."""
    script = """([id]) => {
      const net = SBNet.map.view.network;
      const p = net.canvasToDOM(net.getPositions([id])[id]);
      const box = document.querySelector('#network canvas').getBoundingClientRect();
      return {x: Math.round(box.left + p.x), y: Math.round(box.top + p.y)};
    }"""
    last = None
    for _ in range(40):
        now = page.evaluate(script, [node_id])
        if now == last:
            return now
        last = now
        page.wait_for_timeout(150)
    return last


def test_the_map_opens_on_an_overview_with_readable_labels(page, live_server):
    """The map opens on programmes, their organisations and the initiatives; labels grow with a
    node's links; a filter asks the server, which holds the rest of the network."""
    problems = watch(page)
    page.goto(live_server.url + "/verkennen")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    shown = page.evaluate("SBNet.map.view.nodes.length")
    kinds = set(page.evaluate("SBNet.map.view.nodes.get().map(function (n) { return SBNet.map.view.meta[n.id].kind; })"))
    assert kinds <= {"programma", "initiatief", "organisatie"} and "programma" in kinds
    assert shown < page.evaluate("JSON.parse(document.getElementById('network-data').textContent).view.total")
    assert page.evaluate("SBNet.map.view.network.body.nodes[Object.keys(SBNet.map.view.network.body.nodes)[0]].options.scaling.label.enabled")
    assert "Toon het hele netwerk" in page.inner_text(".net-shown")
    screenshot(page, "network-0-overview")
    # search finds what the overview does not draw, and opens it with its neighbours
    page.fill("#map-search", "Sterke buurten")
    page.wait_for_selector("#map-search-list li")
    page.keyboard.press("Enter")
    page.wait_for_url("**open=**")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    assert page.evaluate("!!SBNet.map.view.meta['%s']" % (ID + "publicatie/rapport-a"))
    page.goto(live_server.url + "/verkennen")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    page.check("input[name=soort][value=publicatie]")
    page.wait_for_url("**soort=publicatie**")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    assert set(page.evaluate("SBNet.map.view.nodes.get().map(function (n) { return SBNet.map.view.meta[n.id].kind; })")) == {"publicatie"}
    assert not problems, problems


def test_policymaker_flow(page, live_server):
    problems = watch(page)
    page.goto(live_server.url + "/verkennen?alles=1")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    total = visible_count(page)
    assert total == page.evaluate("SBNet.map.view.nodes.length") > 20
    screenshot(page, "network-1-map")

    # filter to programmes
    page.check("input[name=soort][value=programma]")
    page.wait_for_function("SBNet.map.view.nodeView.length === 3")
    assert "3 van" in page.inner_text("#net-status")
    assert "soort=programma" in page.url
    assert "soort=programma" in page.get_attribute("[data-export=json]", "href")
    screenshot(page, "network-2-programmes")

    # click a programme: its card; double-click: its neighbours appear
    spot = settled_position(page, GAMMA)
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_selector("#net-card h3")
    assert page.inner_text("#net-card h3") == "Gamma-programma"
    spot = settled_position(page, GAMMA)
    page.mouse.dblclick(spot["x"], spot["y"])
    page.wait_for_function("SBNet.map.view.nodeView.length > 3")
    assert visible_count(page) == 3 + 4  # VWS, Welzijn West, Buurtkamer West and the XSS test initiative
    assert "open=" in page.url
    screenshot(page, "network-3-expanded")

    # the search box focuses a node hidden by the filter
    page.fill("#map-search", "Sterke buurten")
    page.wait_for_selector("#map-search-list li")
    page.keyboard.press("Enter")
    page.wait_for_selector("#net-card h3:has-text('Sterke buurten, sterke basis')")

    # PNG export of the picture
    with page.expect_download() as download:
        page.click(".net-png")
    assert download.value.suggested_filename == "verkennen.png"

    # how are two programmes connected?
    page.goto(live_server.url + "/pad")
    page.fill("#van-tekst", "alfa")
    page.wait_for_selector("#van-lijst li")
    page.keyboard.press("Enter")
    assert page.input_value("input[name=van]") == ID + "programma/alfa"
    page.fill("#naar-tekst", "een tegen")
    page.wait_for_selector("#naar-lijst li")
    page.keyboard.press("Enter")
    assert page.input_value("input[name=naar]") == ID + "programma/een-tegen-eenzaamheid"
    page.check("input[type=checkbox][name=vermijd]")
    page.click(".net-path-form button[type=submit]")
    page.wait_for_selector(".net-sentence")
    sentences = page.locator(".net-sentence").all_inner_texts()
    assert "Alfa-akkoord — wordt ondertekend door — Vereniging van Nederlandse Gemeenten — is partner in — Eén tegen eenzaamheid" in sentences
    assert "Toetsbron B" in page.inner_text(".net-steps")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    page.click("[data-show-path='0']")
    screenshot(page, "network-4-path")

    # the matrix: a cell opens the entities behind it
    page.goto(live_server.url + "/matrix")
    page.wait_for_selector("#matrix-table[data-ready='1']")
    page.click("td[data-pillar='sociale-cohesie'][data-sphere='gemeenschappelijke-sfeer'] a")
    page.wait_for_selector("#cel")
    assert "Buurtkamer West" in page.inner_text("#cel")
    with page.expect_download() as download:
        page.click(".net-png")
    assert download.value.suggested_filename == "matrix.png"
    screenshot(page, "network-5-matrix")

    # compare and ego views draw as well
    page.goto(live_server.url + "/vergelijk?programma=prog:alfa&programma=prog:gamma")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    screenshot(page, "network-6-compare")
    page.goto(live_server.url + "/verkennen/programma/alfa")
    page.wait_for_selector("#network[data-stable='1']", timeout=15_000)
    before = page.evaluate("SBNet.ego.view.nodes.length")
    page.evaluate("SBNet.ego.expand('%s')" % (ID + "persoon/an-onderzoeker"))
    page.wait_for_function(f"SBNet.ego.view.nodes.length >= {before}")
    screenshot(page, "network-7-ego")
    assert problems == []


def test_english_labels_in_the_browser(page, live_server):
    page.goto(live_server.url + "/pad?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1&lang=en")
    page.wait_for_selector(".net-sentence")
    assert "Alpha Agreement — is signed by — Association of Netherlands Municipalities" in page.inner_text(".net-paths")
    page.goto(live_server.url + "/verkennen?lang=en")
    page.wait_for_selector("#network[data-ready='1']", timeout=15_000)
    assert page.evaluate("SBNet.map.view.nodes.get('%s').label" % (ID + "programma/alfa")) == "Alpha Agreement"


@pytest.fixture(scope="module")
def embed_server(tmp_path_factory):
    """An app with one extra page that includes the ego embed, as a resource page would."""
    from flask import render_template_string

    from webapp import create_app

    app = create_app(make_settings(tmp_path_factory.mktemp("embed-data")))
    page_source = (
        '{% extends "base.html" %}{% block content %}<h1>Alfa</h1>'
        '{% with iri=iri %}{% include "network/_ego_embed.html" %}{% endwith %}{% endblock %}'
    )
    app.add_url_rule("/_embed", "embed_test", lambda: render_template_string(page_source, iri=ID + "programma/alfa"))
    with LiveServer(app) as server:
        yield server
    from webapp.state import get_store

    with app.app_context():
        get_store().close()


def test_ego_embed_draws_under_the_csp(page, embed_server):
    problems = watch(page)
    page.goto(embed_server.url + "/_embed")
    page.wait_for_selector("[data-ego-src][data-ready='1']", timeout=15_000)
    assert "knopen" in page.inner_text(".net-embed-caption")
    screenshot(page, "network-8-embed")
    assert problems == []


FRAMED = """() => {
  const net = SBNet.views[0].network, canvas = net.canvas.frame.canvas;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  return net.body.nodeIndices.map(id => {
    const b = net.getBoundingBox(id);
    const tl = net.canvasToDOM({x: b.left, y: b.top}), br = net.canvasToDOM({x: b.right, y: b.bottom});
    return [id, tl.x >= -1 && tl.y >= -1 && br.x <= w + 1 && br.y <= h + 1, (tl.x + br.x) / 2 / w];
  });
}"""


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_the_small_network_is_centred_with_every_label_inside(browser, embed_server, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(embed_server.url + "/_embed")
        page.wait_for_selector("[data-ego-src][data-fitted='1']", timeout=15_000)
        page.wait_for_timeout(300)
        boxes = page.evaluate(FRAMED)
        assert len(boxes) > 2
        assert [b[0] for b in boxes if not b[1]] == []  # no node or label cut off at an edge
        xs = [b[2] for b in boxes]
        assert abs((min(xs) + max(xs)) / 2 - 0.5) < 0.15  # the drawing sits in the middle
        screenshot(page, f"network-8-embed-{width}")
    finally:
        page.close()



@pytest.mark.parametrize("path,name", [
    ("/verkennen", "map"), ("/verkennen/programma/alfa", "ego"),
    ("/pad?van=prog:alfa&naar=prog:een-tegen-eenzaamheid", "path"),
    ("/vergelijk?programma=prog:alfa&programma=prog:gamma", "compare"), ("/matrix?pijler=sociale-cohesie&sfeer=geen", "matrix"),
    ("/metrieken", "metrics"),
])
def test_axe_finds_no_serious_violations(browser, live_server, path, name):
    # axe is injected through the DevTools protocol, so the site's CSP stays as it is
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        if name not in ("matrix", "metrics"):
            page.wait_for_selector("#network[data-ready='1']", timeout=15_000)
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not serious, serious
    finally:
        context.close()
