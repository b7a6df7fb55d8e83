"""Programme comparison: shared and distinct pillars (stated and derived apart), organisations,
initiatives and publications, as tables and as a network."""

from __future__ import annotations

import networkx as nx

from graph.network.compare import compare, comparison_nodes, programme_scope, related

ID = "https://w3id.org/sociale-basis/id/"
SB = "https://w3id.org/sociale-basis/def/"
ALFA = ID + "programma/alfa"
EEN = ID + "programma/een-tegen-eenzaamheid"
GAMMA = ID + "programma/gamma"
VNG = ID + "organisatie/vng"
VWS = ID + "organisatie/ministerie-vws"
WEST = ID + "organisatie/welzijn-west"
BUURTKAMER = ID + "initiatief/buurtkamer"
XSS = ID + "initiatief/toets-xss"
RAPPORT = ID + "publicatie/rapport-a"
COHESIE = ID + "begrip/sociale-cohesie"
INCLUSIE = ID + "begrip/sociale-inclusie"


def small() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    kinds = {"p1": "programma", "p2": "programma", "c1": "onderdeel", "c2": "onderdeel", "o1": "organisatie",
             "o2": "organisatie", "i1": "initiatief", "pub": "publicatie", COHESIE: "begrip", INCLUSIE: "begrip"}
    for node, kind in kinds.items():
        g.add_node(node, kind=kind)
    g.add_edge("c1", "p1", key=SB + "partOf")
    g.add_edge("c2", "c1", key=SB + "partOf")       # a component of a component
    g.add_edge("c1", "o1", key=SB + "partner")      # reached through the component
    g.add_edge("p2", "o1", key=SB + "partner")
    g.add_edge("p2", "o2", key=SB + "signatory")
    g.add_edge("i1", "c2", key=SB + "partOf")        # initiative of the nested component
    g.add_edge("pub", "p2", key=SB + "about")
    g.add_edge("p1", COHESIE, key=SB + "addressesPillar")
    g.add_edge("p2", COHESIE, key=SB + "editorialPillar")
    g.add_edge("p2", INCLUSIE, key=SB + "addressesPillar")
    return g


def test_scope_includes_nested_components():
    assert programme_scope(small(), "p1") == {"p1", "c1", "c2"}
    assert related(small(), "p1")["initiatives"] == {"i1"}


def test_overlap_on_a_small_graph():
    result = compare(small(), ["p1", "p2"])
    cats = result["categories"]
    assert cats["organisations"]["shared"] == ["o1"]
    assert cats["organisations"]["only"] == {"p1": [], "p2": ["o2"]}
    assert cats["initiatives"]["only"] == {"p1": ["i1"], "p2": []}
    assert cats["publications"]["only"] == {"p1": [], "p2": ["pub"]}
    # stated and editorial pillars are never mixed: cohesie is stated for p1, only editorial for p2
    assert cats["pillars"]["only"] == {"p1": [COHESIE], "p2": [INCLUSIE]}
    assert cats["pillars"]["shared"] == []
    assert cats["editorial_pillars"]["only"] == {"p1": [], "p2": [COHESIE]}
    assert result["scopes"]["p1"] == ["c1", "c2"]
    assert comparison_nodes(result) == {"p1", "p2", "c1", "c2", "o1", "o2", "i1", "pub", COHESIE, INCLUSIE}


def test_three_programmes_have_a_some_column():
    g = small()
    g.add_node("p3", kind="programma")
    g.add_edge("p3", "o2", key=SB + "partner")
    result = compare(g, ["p1", "p2", "p3"])
    assert result["categories"]["organisations"]["some"] == ["o1", "o2"]
    assert result["categories"]["organisations"]["shared"] == []


def test_fixture_alfa_and_een_tegen_eenzaamheid(client):
    r = client.get("/vergelijk.json?programma=prog:alfa&programma=prog:een-tegen-eenzaamheid")
    assert r.status_code == 200
    cats = r.get_json()["categories"]
    assert set(cats["organisations"]["shared"]) == {VNG, VWS}
    assert cats["publications"]["shared"] == [RAPPORT]
    assert cats["initiatives"]["rows"] == []
    assert cats["pillars"]["rows"] == []  # neither states a pillar
    assert cats["editorial_pillars"]["shared"] == [COHESIE]
    assert cats["editorial_pillars"]["only"] == {ALFA: [], EEN: [INCLUSIE]}


def test_fixture_alfa_and_gamma(client):
    payload = client.get("/vergelijk.json?programma=prog:alfa&programma=prog:gamma").get_json()
    cats = payload["categories"]
    assert cats["organisations"]["shared"] == [VWS]
    assert cats["organisations"]["only"] == {ALFA: [VNG], GAMMA: [WEST]}
    assert cats["initiatives"]["only"] == {ALFA: [], GAMMA: [BUURTKAMER, XSS]}
    assert cats["publications"]["only"] == {ALFA: [RAPPORT], GAMMA: []}
    rows = {row["iri"]: row for row in cats["organisations"]["rows"]}
    assert rows[VWS]["in"] == [True, True] and rows[VWS]["shared"]
    assert rows[VNG]["in"] == [True, False] and rows[VNG]["label"] == "Vereniging van Nederlandse Gemeenten"
    # the network: both programmes and everything compared, edges touching a programme only
    ids = {n["id"] for n in payload["nodes"]}
    assert ids == {ALFA, GAMMA, VWS, VNG, WEST, BUURTKAMER, XSS, RAPPORT, COHESIE}
    assert all(ALFA in (e["from"], e["to"]) or GAMMA in (e["from"], e["to"]) for e in payload["edges"])
    assert {n["id"]: n.get("role") for n in payload["nodes"]}[ALFA] == "focus"


def test_the_page_shows_overlap_tables_and_the_network(client):
    r = client.get("/vergelijk?programma=prog:alfa&programma=prog:gamma")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Gedeeld door alle" in html and "Redactionele pijlers" in html
    assert 'class="shared"' in html and "Ministerie van VWS" in html
    assert 'id="network-data"' in html


def test_choosing_fewer_than_two_or_a_non_programme(client):
    assert client.get("/vergelijk.json?programma=prog:alfa").status_code == 400
    assert client.get("/vergelijk.json?programma=prog:alfa&programma=orgn:vng").status_code == 400
    assert client.get("/vergelijk.json?programma=prog:alfa&programma=prog:onbekend").status_code == 400
    form = client.get("/vergelijk")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert html.count('name="programma"') == 3  # one checkbox per fixture programme
    assert client.get("/vergelijk?programma=prog:alfa").status_code == 200
