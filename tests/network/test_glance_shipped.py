"""Views that answer at a glance, on the shipped data (issue 11): the concept map opens with the
labels of its hubs readable and apart, and can be coloured by theme or community (and folded
into one node per group); the theme page of eenzaamheid lists its programme; /pad reads from left
to right with every label whole and readable. In Chromium at 1366x900 and 390x844: no sideways
scrolling on a phone, no serious axe violation; a screenshot per test under test-artifacts/."""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from tests.browse.test_a11y_browse import serious_violations
from tests.conftest import LiveServer, screenshot

pytestmark = pytest.mark.slow

ID = "https://w3id.org/sociale-basis/id/"
GALA = ID + "programma/gala"
EENZAAMHEID_PROGRAMME = ID + "programma/een-tegen-eenzaamheid"
SIZES = [(1366, 900, "desktop"), (390, 844, "phone")]

# The label boxes of the `k` best connected nodes drawn, in pixels of the canvas, and their size on screen.
LABEL_BOXES = """([k, nodes]) => {
  const v = SBNet.map ? SBNet.map.view : SBNet.paths.view, net = v.network;
  const scale = net.getScale();
  let ids = nodes || Object.keys(v.meta).filter(id => net.body.nodes[id])
    .sort((a, b) => (v.meta[b].value - v.meta[a].value) || (a < b ? -1 : 1)).slice(0, k);
  return {width: v.container.clientWidth, height: v.container.clientHeight, boxes: ids.map(id => {
    const node = net.body.nodes[id], size = node.labelModule.size;
    const top = size.top + (node.labelModule.fontOptions.vadjust || 0);
    const a = net.canvasToDOM({x: size.left, y: top}), b = net.canvasToDOM({x: size.left + size.width, y: top + size.height});
    const centre = net.canvasToDOM(net.getPositions([id])[id]);
    return {id, label: v.meta[id].label, px: node.labelModule.fontOptions.size * scale, left: a.x, top: a.y, right: b.x,
            bottom: b.y, x: centre.x};
  })};
}"""


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The share of the smaller label box that the other covers."""
    width = max(0.0, min(a["right"], b["right"]) - max(a["left"], b["left"]))
    height = max(0.0, min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))
    smaller = min((a["right"] - a["left"]) * (a["bottom"] - a["top"]), (b["right"] - b["left"]) * (b["bottom"] - b["top"]))
    return width * height / max(smaller, 1.0)


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory) -> Iterator[Any]:
    from webapp import create_app
    from webapp.state import get_store

    application = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("glance")), "SECRET_KEY": "x"})
    yield application
    with application.app_context():
        get_store().close()


@pytest.fixture(scope="module")
def server(shipped_app) -> Iterator[LiveServer]:
    with LiveServer(shipped_app) as live:
        yield live


@pytest.fixture(params=SIZES, ids=[s[2] for s in SIZES])
def sized(request, browser) -> Iterator[tuple[Any, str, list[str]]]:
    """(page, size name, page errors) at one of the two sizes; axe runs in it (CSP bypassed for axe only)."""
    width, height, name = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield page, name, problems
    context.close()


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def check_axe(page) -> None:  # type: ignore[no-untyped-def]
    found = serious_violations(page)
    assert not found, json.dumps(found, indent=1)


# -- the twin -----------------------------------------------------------------------------------

def test_the_twin_carries_each_nodes_group_and_the_legend_names_the_groups(shipped_app):
    client = shipped_app.test_client()
    plain = client.get("/verkennen.json").get_json()
    assert "grouping" not in plain and all("group" not in n for n in plain["nodes"])

    themed = client.get("/verkennen.json?groep=thema").get_json()
    groups = {g["id"]: g for g in themed["grouping"]["groups"]}
    assert themed["grouping"]["by"] == "theme" and themed["view"]["group"] == "theme"
    assert {n["id"] for n in themed["nodes"]} == {n["id"] for n in plain["nodes"]}
    assert all(n["group"] in groups for n in themed["nodes"])
    node = {n["id"]: n for n in themed["nodes"]}
    # Eén tegen eenzaamheid is about loneliness, a theme under social connectedness
    assert node[EENZAAMHEID_PROGRAMME]["group"] == "theme-verbondenheid"
    assert groups["theme-verbondenheid"]["label"] == "Sociale verbondenheid"
    assert node[EENZAAMHEID_PROGRAMME]["themeAssignment"] in ("stated", "editorial")
    assert sum(g["count"] for g in groups.values()) == len(themed["nodes"])
    assert all(gid in themed["options"]["groups"] for gid in groups)  # vis-network's own groups colour them
    assert len({g["color"] for g in groups.values()}) == len(groups)
    english = client.get("/verkennen.json?groep=thema&lang=en").get_json()
    assert {g["label"] for g in english["grouping"]["groups"]} >= {"Social connectedness"}

    communities = client.get("/verkennen.json?groep=gemeenschap").get_json()
    groups = {g["id"]: g for g in communities["grouping"]["groups"]}
    members: dict[str, list[str]] = {}
    for n in communities["nodes"]:
        members.setdefault(n["group"], []).append(n["id"])
    named = [g for g in groups.values() if g["iri"]]
    assert len(named) >= 3
    for group in named:  # named after a member, the best connected one within the map
        degree = {m: sum(1 for e in communities["edges"] if m in (e["from"], e["to"])) for m in members[group["id"]]}
        assert group["iri"] in members[group["id"]] and degree[group["iri"]] == max(degree.values())
    assert client.get("/verkennen.json?groep=gemeenschap").get_json()["grouping"] == communities["grouping"]  # seeded

    wrong = client.get("/verkennen.json?groep=kleur")
    assert wrong.status_code == 400 and "kleur" in wrong.get_json()["error"]
    graphml = client.get("/verkennen.graphml?groep=thema").get_data(as_text=True)
    assert "theme-verbondenheid" in graphml


# -- in the browser -----------------------------------------------------------------------------

@pytest.mark.browser
def test_the_concept_map_opens_with_the_hubs_labels_readable_and_apart(sized, server):
    page, name, problems = sized
    page.goto(server.url + "/verkennen")
    page.wait_for_selector("#network[data-framed]", timeout=20_000)
    page.wait_for_timeout(300)
    found = page.evaluate(LABEL_BOXES, [6, None])
    boxes = found["boxes"]
    assert len(boxes) == 6
    for box in boxes:  # whole, inside the canvas, and big enough to read
        assert box["left"] >= -1 and box["right"] <= found["width"] + 1, box
        assert box["top"] >= -1 and box["bottom"] <= found["height"] + 1, box
        assert box["px"] >= 9, box
    assert max(b["px"] for b in boxes) >= 10.5
    crowded = [(a["label"], b["label"]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlap(a, b) > 0.25]
    assert len(crowded) <= 1, crowded
    assert no_sideways_scroll(page)
    screenshot(page, f"glance-map-{name}")
    check_axe(page)
    assert problems == []


@pytest.mark.browser
def test_the_map_can_be_coloured_by_theme_or_community_and_folded_per_group(sized, server):
    page, name, problems = sized
    page.goto(server.url + "/verkennen")
    page.wait_for_selector("#network[data-framed]", timeout=20_000)
    assert page.locator("#map-groups").count() == 0

    page.select_option("#f-groep", "thema")
    page.wait_for_url("**/verkennen?groep=thema")
    page.wait_for_selector("#network[data-framed]", timeout=20_000)
    groups = page.evaluate("SBNet.map.view.nodes.get().map(n => n.group)")
    assert groups and all(g.startswith("theme-") or g in ("none", "other") for g in groups)
    legend = page.locator("#map-groups[data-group-by=theme]")
    assert "Sociale verbondenheid" in legend.inner_text()
    # the programme is drawn in its theme's colour, with its kind's shape
    drawn = page.evaluate(f"""(() => {{ const n = SBNet.map.view.network.body.nodes['{EENZAAMHEID_PROGRAMME}'];
        return [n.options.color.background, n.options.shape]; }})()""")
    colour = page.get_attribute("#map-groups li[data-group=theme-verbondenheid] circle", "fill")
    assert drawn == [colour, "diamond"]
    assert no_sideways_scroll(page)
    screenshot(page, f"glance-map-theme-{name}")
    check_axe(page)

    # one node per group (vis-network's clustering), and back
    before = page.evaluate("SBNet.map.view.network.body.nodeIndices.length")
    page.click("#map-cluster")
    assert page.get_attribute("#map-cluster", "aria-pressed") == "true"
    clustered = page.evaluate("SBNet.map.view.network.body.nodeIndices.filter(id => id.startsWith('groep:')).length")
    after = page.evaluate("SBNet.map.view.network.body.nodeIndices.length")
    sizes = {g: groups.count(g) for g in set(groups)}
    assert clustered == sum(1 for n in sizes.values() if n > 1)  # vis-network makes no cluster of one node
    assert after == clustered + sum(1 for n in sizes.values() if n == 1) < before
    page.click("#map-cluster")
    assert page.evaluate("SBNet.map.view.network.body.nodeIndices.length") == before

    page.select_option("#f-groep", "gemeenschap")
    page.wait_for_url("**/verkennen?groep=gemeenschap")
    page.wait_for_selector("#network[data-framed]", timeout=20_000)
    twin = json.loads(page.inner_text("#network-data"))
    first = twin["grouping"]["groups"][0]
    assert first["id"] == "community-0"
    assert first["label"] in page.inner_text("#map-groups[data-group-by=community] li[data-group=community-0]")
    assert set(page.evaluate("SBNet.map.view.nodes.get().map(n => n.group)")) == {n["group"] for n in twin["nodes"]}
    assert no_sideways_scroll(page)
    screenshot(page, f"glance-map-community-{name}")
    check_axe(page)
    assert problems == []


@pytest.mark.browser
def test_the_theme_page_of_eenzaamheid_lists_een_tegen_eenzaamheid(sized, server):
    page, name, problems = sized
    page.goto(server.url + "/id/begrip/eenzaamheid")
    section = page.locator("#thema")
    link = section.locator("a[href='/id/programma/een-tegen-eenzaamheid']").first
    assert link.inner_text().strip() == "Eén tegen eenzaamheid"
    assert link.is_visible()
    assert no_sideways_scroll(page)
    screenshot(page, f"glance-theme-eenzaamheid-{name}")
    check_axe(page)
    assert problems == []


@pytest.mark.browser
@pytest.mark.parametrize("target, k", [("programma/een-tegen-eenzaamheid", 3), ("initiatief/buurtmoeders-amsterdam", 3)])
def test_paths_read_left_to_right_with_whole_readable_labels(sized, server, target, k):
    page, name, problems = sized
    page.goto(server.url + f"/pad?van=programma/gala&naar={target}&k={k}")
    page.wait_for_selector("#network[data-framed]", timeout=20_000)
    page.wait_for_timeout(300)
    twin = json.loads(page.inner_text("#network-data"))
    assert twin["view"]["avoidHubs"] is True  # by default
    assert twin["paths"]
    found = page.evaluate(LABEL_BOXES, [0, [n["id"] for n in twin["nodes"]]])
    boxes = {b["id"]: b for b in found["boxes"]}
    for box in boxes.values():  # every label whole inside the canvas, none cut off at the left edge
        assert box["left"] >= 0 and box["right"] <= found["width"], box
        assert box["top"] >= 0 and box["bottom"] <= found["height"], box
        assert box["px"] >= 10.5, box
    source, end = boxes[GALA], boxes[ID + target]
    for path in twin["paths"]:  # left to right, step by step
        xs = [boxes[n["iri"]]["x"] for n in path["nodes"]]
        assert xs[0] == source["x"] and xs[-1] == end["x"] and xs == sorted(xs), path["sentence"]
    labels = list(boxes.values())
    crowded = [(a["label"], b["label"]) for i, a in enumerate(labels) for b in labels[i + 1:] if overlap(a, b) > 0.05]
    assert crowded == []
    assert no_sideways_scroll(page)
    screenshot(page, f"glance-path-{target.split('/')[1]}-{name}")
    check_axe(page)
    assert problems == []
