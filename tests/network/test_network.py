"""Network views: the concept map and its filters, ego networks, JSON twins, GraphML and Turtle
exports, the cache that follows store changes, the precomputed layout of big views, the ego
embed for resource pages, and the Content-Security-Policy of every network page."""

from __future__ import annotations

import io
import json
import math
import random
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.network import visdata
from graph.network.cache import network_data, resolve, search
from graph.network.layout import fast_layout

ID = "https://w3id.org/sociale-basis/id/"
SB = "https://w3id.org/sociale-basis/def/"
ALFA = ID + "programma/alfa"
EEN = ID + "programma/een-tegen-eenzaamheid"
GAMMA = ID + "programma/gamma"
VNG = ID + "organisatie/vng"
VWS = ID + "organisatie/ministerie-vws"
RAPPORT = ID + "publicatie/rapport-a"
ESSAY = ID + "publicatie/essay-b"
BUURTKAMER = ID + "initiatief/buurtkamer"
COHESIE = ID + "begrip/sociale-cohesie"
XSS = ID + "initiatief/toets-xss"
NETWORK_PAGES = [
    "/verkennen", "/verkennen/programma/alfa", "/pad", "/pad?van=prog:alfa&naar=prog:gamma",
    "/vergelijk", "/vergelijk?programma=prog:alfa&programma=prog:gamma", "/matrix", "/metrieken",
]


class MarkupCheck(HTMLParser):
    """What a strict CSP would refuse or what would load from elsewhere, found in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.foreign: list[str] = []

    @classmethod
    def of(cls, html: str) -> "MarkupCheck":
        check = cls()
        check.feed(html)
        return check

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        values = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name == "style":
                self.styles.append(tag)
        if tag == "style":
            self.styles.append("<style>")
        if tag == "script" and "src" not in values and values.get("type") != "application/json":
            self.inline_scripts.append(values)
        for name in ("src", "href"):
            url = values.get(name) or ""
            if tag in ("script", "link", "img") and url.startswith(("http:", "https:", "//")):
                self.foreign.append(url)


def ids(payload) -> set[str]:
    return {n["id"] for n in payload["nodes"]}


# -- concept map ----------------------------------------------------------------------------------

def test_the_concept_map_opens_on_the_overview(client, store):
    payload = client.get("/verkennen.json").get_json()
    assert payload["view"]["shown"] == "overview"
    kinds = {n["kind"] for n in payload["nodes"]}
    assert kinds <= {"programma", "initiatief", "organisatie"}
    assert ID + "programma/alfa" in ids(payload) and ID + "publicatie/rapport-a" not in ids(payload)
    assert payload["options"]["nodes"]["scaling"]["label"]["enabled"] is True
    # opening a node grows the overview with its neighbours
    opened = client.get("/verkennen.json?open=prog:alfa").get_json()
    assert opened["view"]["shown"] == "overview" and ids(opened) > ids(payload)


def test_concept_map_twin_holds_every_entity_and_relation(client, store):
    r = client.get("/verkennen.json?alles=1")
    assert r.status_code == 200 and r.mimetype == "application/json"
    payload = r.get_json()
    g = network_data(store).graph
    assert ids(payload) == set(g.nodes)
    assert sum(len(e["relations"]) for e in payload["edges"]) == g.number_of_edges()
    assert payload["layout"] == "physics"  # small: the browser lays it out
    node = next(n for n in payload["nodes"] if n["id"] == ALFA)
    assert node["label"] == "Alfa-akkoord" and node["kind"] == "programma" and node["url"] == "/id/programma/alfa"
    assert node["value"] == 5  # sized by degree
    assert node["editorialPillars"] == ["sociale-cohesie"] and "pillars" not in node
    assert all("title" not in n for n in payload["nodes"])  # no (HTML) tooltips
    assert "configure" not in payload["options"]
    kinds = [item["kind"] for item in payload["legend"]]
    assert kinds[:3] == ["programma", "initiatief", "publicatie"]
    signs = next(e for e in payload["edges"] if e["from"] == ALFA and e["to"] == VNG)
    rel = signs["relations"][0]
    assert payload["predicates"][rel["predicate"]] == {"iri": SB + "signatory", "label": "ondertekenaar"}
    assert [payload["sources"][i]["label"] for i in rel["sources"]] == ["Toetsbron A", "Toetsbron B"]


def test_content_negotiation_and_unknown_suffixes(client):
    r = client.get("/verkennen", headers={"Accept": "application/json"})
    assert r.mimetype == "application/json" and r.headers["Vary"] == "Accept"
    assert client.get("/verkennen", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    assert client.get("/verkennen.csv").status_code == 404
    assert client.get("/verkennen", headers={"Accept": "image/gif"}).status_code == 406


@pytest.mark.parametrize("query,expected", [
    ("soort=programma", {ALFA, EEN, GAMMA}),
    ("soort=programma&soort=organisatie&soort=persoon", {ALFA, EEN, GAMMA, VNG, VWS, ID + "organisatie/kennisinstituut",
                                                         ID + "organisatie/welzijn-west", ID + "persoon/an-onderzoeker"}),
    ("pijler=sociale-cohesie", {COHESIE, RAPPORT, BUURTKAMER, ALFA, EEN}),
    ("pijler=sociale-cohesie&gesteld=1", {COHESIE, RAPPORT, BUURTKAMER}),
    ("pijler=sociale-cohesie&soort=programma", {ALFA, EEN}),
    ("sfeer=persoonlijke-sfeer", {ID + "begrip/persoonlijke-sfeer", ESSAY, XSS}),
    ("bron=toets-b", {ESSAY, ID + "organisatie/kennisinstituut", BUURTKAMER, ID + "begrip/sociale-empowerment",
                      ID + "begrip/persoonlijke-sfeer", ALFA, VNG}),
])
def test_concept_map_filters_on_the_server(client, query, expected):
    payload = client.get("/verkennen.json?" + query).get_json()
    assert ids(payload) == expected


def test_source_filter_keeps_only_that_sources_relations(client):
    payload = client.get("/verkennen.json?bron=toets-b").get_json()
    pairs = {(e["from"], e["to"]) for e in payload["edges"]}
    assert (ALFA, VNG) in pairs  # toets-b states alfa signatory vng
    assert (ESSAY, ID + "organisatie/kennisinstituut") in pairs
    assert len(pairs) == 5
    # every relation shown is stated by toets-b (and lists all the sources that state it)
    assert all(
        ID + "bron/toets-b" in [payload["sources"][i]["iri"] for i in r["sources"]]
        for e in payload["edges"]
        for r in e["relations"]
    )


def test_expanding_a_node_shows_its_neighbours_whatever_the_filters(client):
    payload = client.get("/verkennen.json?soort=programma&open=prog:gamma").get_json()
    assert ids(payload) == {ALFA, EEN, GAMMA, VWS, ID + "organisatie/welzijn-west", BUURTKAMER, XSS}


def test_bad_filters_are_400(client):
    for query in ("soort=dier", "pijler=geluk", "sfeer=buiten", "bron=bestaat-niet", "open=prog:nergens"):
        assert client.get("/verkennen.json?" + query).status_code == 400, query
    assert client.get("/verkennen?pijler=geluk").status_code == 400


def test_concept_map_page_carries_the_whole_map_and_the_filter_state(client):
    html = client.get("/verkennen?soort=programma&pijler=sociale-cohesie&alles=1").get_data(as_text=True)
    assert '<script type="application/json" id="network-data">' in html
    assert 'value="programma" checked' in html
    assert '<option value="sociale-cohesie" selected>' in html
    # the whole network's page applies filters in the browser, so it holds every node
    block = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', html, re.S).group(1)
    assert len(json.loads(block)["nodes"]) == len(client.get("/verkennen.json?alles=1").get_json()["nodes"])
    # the overview's page asks the server: it holds what the filters let through
    filtered = client.get("/verkennen?soort=programma&pijler=sociale-cohesie").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', filtered, re.S).group(1)
    assert {n["id"] for n in json.loads(block)["nodes"]} == {ALFA, EEN}


def test_search_and_resolve(store, client):
    data = network_data(store)
    assert resolve(data, "prog:alfa") == ALFA
    assert resolve(data, "programma/alfa") == ALFA
    assert resolve(data, "/id/programma/alfa") == ALFA
    assert resolve(data, "ALFA") == ALFA          # alternative label
    assert resolve(data, "vng") == VNG
    assert resolve(data, "zzz") is None
    assert resolve(data, "een tegen eenzaamheid") == EEN  # accents folded
    hits = search(data, "sterke")
    assert hits[0]["iri"] == RAPPORT  # a label starting with the query comes first
    assert {h["iri"] for h in search(data, "eenzaam")} == {EEN, ESSAY}
    assert [h["iri"] for h in search(data, "een", kind="programma")] == [EEN]  # 'Eén …' starts with it
    assert search(data, "") == []
    api = client.get("/api/netwerk/zoek?q=vng").get_json()
    assert api[0] == {
        "iri": VNG, "label": "Vereniging van Nederlandse Gemeenten", "kind": "organisatie", "url": "/id/organisatie/vng",
    }


def test_card_api(client):
    card = client.get("/api/netwerk/kaartje?iri=" + RAPPORT).get_json()
    assert card["label"] == "Sterke buurten, sterke basis" and card["kindLabel"] == "publicatie"
    assert card["description"].startswith("Onderzoek naar ontmoeting")
    assert card["resourceUrl"] == "/id/publicatie/rapport-a"
    assert card["egoUrl"] == "/verkennen/publicatie/rapport-a"
    assert [s["label"] for s in card["sources"]] == ["Toetsbron A"]
    assert client.get("/api/netwerk/kaartje?iri=prog:nergens").status_code == 404


# -- ego views ------------------------------------------------------------------------------------

def test_the_ego_page_offers_to_expand_by_one_step(client):
    page = client.get("/verkennen/programma/alfa").get_data(as_text=True)
    assert 'class="expand-link" href="/verkennen/programma/alfa?diepte=2"' in page
    deepest = client.get("/verkennen/programma/alfa?diepte=4").get_data(as_text=True)
    assert "expand-link" not in deepest


def test_ego_view_one_and_two_steps(client):
    one = client.get("/verkennen/programma/alfa.json?diepte=1").get_json()
    assert ids(one) == {ALFA, VNG, VWS, RAPPORT, COHESIE, GAMMA}
    assert one["view"]["focus"]["iri"] == ALFA and one["view"]["reached"] == 1
    assert {n["id"]: n.get("role") for n in one["nodes"]}[ALFA] == "focus"
    default = client.get("/verkennen/programma/alfa.json").get_json()  # default: one step
    assert default["view"]["depth"] == 1 and ids(default) == ids(one)
    two = client.get("/verkennen/programma/alfa.json?diepte=2").get_json()
    assert two["view"]["depth"] == 2
    assert ids(one) < ids(two) and EEN in ids(two) and BUURTKAMER in ids(two)
    assert ID + "persoon/an-onderzoeker" in ids(two) and ID + "begrip/persoonlijke-sfeer" not in ids(two)
    phrases = {(r["phrase"], r["other"]["iri"]) for r in one["neighbours"]}
    assert ("wordt ondertekend door", VNG) in phrases and ("is onderwerp van", RAPPORT) in phrases
    assert ("wordt uitgewerkt in", GAMMA) in phrases


def test_ego_view_page_and_errors(client):
    r = client.get("/verkennen/organisatie/vng?diepte=1")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Netwerk rond" in html and "Directe relaties" in html and "is partner in" in html
    assert client.get("/verkennen/organisatie/bestaat-niet").status_code == 404
    assert client.get("/verkennen/programma/alfa?diepte=9").status_code == 400
    assert client.get("/verkennen/programma/alfa.json?diepte=nul").status_code == 400


def test_ego_view_is_cut_at_the_node_limit(store, monkeypatch):
    from graph.network import views as netviews

    monkeypatch.setattr(netviews, "MAX_EGO_NODES", 4)
    data = network_data(store)
    payload = netviews.ego(data, ALFA, depth=2, lang="nl", url_of=str, wording=lambda reading, lang: reading.phrase or reading.name)
    assert payload["view"]["truncated"] and len(payload["nodes"]) == 4
    assert payload["nodes"][0]["id"] == ALFA


# -- exports --------------------------------------------------------------------------------------

def test_graphml_export(client):
    r = client.get("/verkennen/programma/alfa.graphml?diepte=1")
    assert r.status_code == 200 and r.mimetype == "application/graphml+xml"
    g = nx.read_graphml(io.BytesIO(r.data))
    assert set(g.nodes) == {ALFA, VNG, VWS, RAPPORT, COHESIE, GAMMA}
    assert g.nodes[ALFA]["label"] == "Alfa-akkoord" and g.nodes[ALFA]["kind"] == "programma"
    signs = [d for u, v, d in g.edges(data=True) if u == ALFA and v == VNG]
    assert signs[0]["predicate"] == SB + "signatory"
    assert signs[0]["sources"] == f"{ID}bron/toets-a {ID}bron/toets-b"


def test_turtle_export_holds_the_triples_behind_the_drawn_edges(client):
    r = client.get("/pad.ttl?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1&k=1")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = Graph().parse(data=r.get_data(as_text=True), format="turtle")
    assert (URIRef(ALFA), URIRef(SB + "signatory"), URIRef(VNG)) in g
    assert (URIRef(EEN), URIRef(SB + "partner"), URIRef(VNG)) in g
    assert (URIRef(ALFA), RDFS.label, Literal("Alfa-akkoord", lang="nl")) in g
    assert (URIRef(VNG), RDF.type, URIRef(SB + "Association")) in g
    # nothing beyond the drawn relations and the nodes' types and labels
    assert {p for p in g.predicates()} == {URIRef(SB + "signatory"), URIRef(SB + "partner"), RDF.type, RDFS.label}


@pytest.mark.parametrize("path", [
    "/verkennen.json", "/verkennen/programma/alfa.json", "/pad.json?van=prog:alfa&naar=prog:gamma",
    "/vergelijk.json?programma=prog:alfa&programma=prog:gamma", "/matrix.json",
])
def test_every_network_view_has_a_twin_with_nodes_and_edges(client, path):
    payload = client.get(path).get_json()
    assert payload["nodes"] and "edges" in payload and payload["counts"]["nodes"] == len(payload["nodes"])
    for edge in payload["edges"]:
        assert edge["from"] in ids(payload) and edge["to"] in ids(payload)
    for fmt in ("graphml", "ttl"):
        base, _, query = path.partition("?")
        r = client.get(base.replace(".json", "." + fmt) + ("?" + query if query else ""))
        assert r.status_code == 200, (path, fmt)


# -- security headers and markup -------------------------------------------------------------------

@pytest.mark.parametrize("path", NETWORK_PAGES)
def test_network_pages_send_a_strict_csp_and_have_no_inline_script(client, path):
    r = client.get(path)
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    found = MarkupCheck.of(r.get_data(as_text=True))
    assert found.inline_scripts == [], "inline script"
    assert found.handlers == [], "inline event handler"
    assert found.styles == [], "inline style"
    assert found.foreign == [], "asset from another host"


def test_vis_network_is_served_by_the_app(client):
    with client.get("/static/vendor/vis-network/vis-network.min.js") as r:  # closes the file it sends
        assert r.status_code == 200 and len(r.data) > 100_000
    html = client.get("/verkennen").get_data(as_text=True)
    assert '/static/vendor/vis-network/vis-network.min.js' in html


def test_ego_embed_partial_for_resource_pages(app):
    from flask import render_template_string

    with app.test_request_context("/id/programma/alfa"):
        html = render_template_string('{% with iri=iri %}{% include "network/_ego_embed.html" %}{% endwith %}', iri=ALFA)
        assert 'data-ego-src="/verkennen/programma/alfa.json?diepte=1"' in html
        assert "/static/network/embed.js" in html and "/verkennen/programma/alfa" in html
        assert not re.search(r"<script(?![^>]*src=)", html)
        source = render_template_string(
            '{% with iri=iri %}{% include "network/_ego_embed.html" %}{% endwith %}', iri=ID + "bron/toets-a"
        )
        assert source.strip() == ""  # sources have no network view
        deeper = render_template_string(
            '{% with iri=iri, ego_depth=2 %}{% include "network/_ego_embed.html" %}{% endwith %}', iri=ALFA
        )
        assert "diepte=2" in deeper


# -- cache, layout, size ------------------------------------------------------------------------------

def test_the_network_is_rebuilt_when_the_store_changes(fresh_app):
    from webapp.state import get_store

    client = fresh_app.test_client()
    assert ID + "initiatief/nieuw" not in ids(client.get("/verkennen.json").get_json())
    with fresh_app.app_context():
        store = get_store()
        before = network_data(store)
        assert network_data(store) is before  # cached while nothing changes
        new = URIRef(ID + "initiatief/nieuw")
        store.replace_graph(URIRef(ID + "bron/inzending-1"), [
            (new, RDF.type, URIRef(SB + "Initiative")),
            (new, RDFS.label, Literal("Nieuw initiatief", lang="nl")),
            (new, URIRef(SB + "runBy"), URIRef(VNG)),
        ])
        assert network_data(store) is not before
    payload = client.get("/verkennen.json").get_json()
    assert ID + "initiatief/nieuw" in ids(payload)
    assert any(e["from"] == ID + "initiatief/nieuw" and e["to"] == VNG for e in payload["edges"])
    assert client.get("/pad.json?van=initiatief/nieuw&naar=prog:alfa").get_json()["paths"][0]["length"] == 2


def synthetic(n: int, seed: int = 3) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"{ID}initiatief/n{i}", kind="initiatief", types=[], label_nl=f"knoop {i}", label_en=f"node {i}")
    for i in range(1, n):
        for _ in range(2):
            j = rng.randrange(i)
            g.add_edge(f"{ID}initiatief/n{i}", f"{ID}initiatief/n{j}", key=SB + "relatedTo", sources=[])
    return g


def test_big_views_get_a_precomputed_layout_with_physics_off():
    g = synthetic(visdata.LAYOUT_THRESHOLD + 200)
    payload = visdata.build(g, values={})
    assert payload["layout"] == "precomputed"
    assert payload["options"]["physics"]["enabled"] is False
    assert payload["options"]["edges"]["smooth"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in payload["nodes"])
    assert "label" not in payload["edges"][0]  # no edge labels on big views
    small = visdata.build(synthetic(50), values={})
    assert small["layout"] == "physics" and "x" not in small["nodes"][0]
    assert small["options"]["physics"]["enabled"] is True


def test_fast_layout_is_deterministic_spread_and_handles_isolated_nodes():
    edges = [(i, (i * 7 + 3) % 400) for i in range(400)] + [(i, i + 1) for i in range(0, 398, 2)]
    first = fast_layout(450, edges)  # 400..449 have no edges
    assert first == fast_layout(450, edges)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first)
    assert len({(round(x), round(y)) for x, y in first}) == 450  # no two nodes on one spot
    isolated_top = min(y for x, y in first[400:])
    assert isolated_top > max(y for x, y in first[:400])  # the isolated block sits below
    assert fast_layout(0, []) == []
    assert len(fast_layout(1, [])) == 1
