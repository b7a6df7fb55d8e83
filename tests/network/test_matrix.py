"""The pillar x sphere matrix: counts per cell with stated and editorial assignments apart (both
shown by default, stated only on request), gaps, the share of stated and editorial, clickable
cells, and its JSON and CSV twins.

Fixture answers (stated pillars): rapport-a (publication; cohesie + inclusie; communal sphere),
buurtkamer (initiative; cohesie; communal), essay-b (publication; empowerment; personal) and the
XSS test initiative (empowerment; personal). Programmes state no pillar: alfa (derived cohesie)
and een-tegen-eenzaamheid (derived inclusie + cohesie) have derived pillars only, and no sphere."""

from __future__ import annotations

import csv
import io

import networkx as nx

from graph.network.matrix import cell, classify, pillar_sphere_matrix

ID = "https://w3id.org/sociale-basis/id/"
SB = "https://w3id.org/sociale-basis/def/"
C = ID + "begrip/"
ALFA = ID + "programma/alfa"
EEN = ID + "programma/een-tegen-eenzaamheid"


def test_classify_keeps_stated_and_derived_apart():
    g = nx.MultiDiGraph()
    g.add_node("x", kind="initiatief")
    g.add_edge("x", C + "sociale-cohesie", key=SB + "addressesPillar")
    g.add_edge("x", C + "sociale-cohesie", key=SB + "editorialPillar")   # also stated: not derived-only
    g.add_edge("x", C + "sociale-inclusie", key=SB + "editorialPillar")
    g.add_edge("x", C + "persoonlijke-sfeer", key=SB + "sphere")
    g.add_edge("x", C + "ontmoeting", key=SB + "addressesPillar")      # not one of the four pillars
    g.add_edge("x", C + "persoonlijke-sfeer", key=SB + "editorialSphere")  # also stated
    g.add_edge("x", C + "institutionele-sfeer", key=SB + "editorialSphere")
    stated, derived, spheres, derived_spheres = classify(g, "x")
    assert stated == {C + "sociale-cohesie"}
    assert derived == {C + "sociale-inclusie"}
    assert spheres == {C + "persoonlijke-sfeer"}
    assert derived_spheres == {C + "institutionele-sfeer"}


def test_an_editorial_sphere_puts_an_entity_in_a_cell_as_editorial_only():
    g = nx.MultiDiGraph()
    g.add_node("i", kind="initiatief")
    g.add_edge("i", C + "sociale-cohesie", key=SB + "addressesPillar")
    g.add_edge("i", C + "gemeenschappelijke-sfeer", key=SB + "editorialSphere")
    m = pillar_sphere_matrix(g)
    there = cell(m, C + "sociale-cohesie", C + "gemeenschappelijke-sfeer")
    assert there["counts"]["total"] == 0 and there["derived"]["initiatief"] == ["i"]
    assert there["gap"] and not there["gap_all"]  # no stated entity, but an editorial one
    assert cell(m, C + "sociale-cohesie", None)["stated"]["initiatief"] == ["i"]
    assert m["shares"] == {"stated": 1, "editorial": 1}
    assert len(m["gaps_all"]) == 11


def test_an_entity_counts_in_every_cell_of_its_pillars_and_spheres():
    g = nx.MultiDiGraph()
    g.add_node("pub", kind="publicatie")
    g.add_node("org", kind="organisatie")  # not counted
    for pillar in ("sociale-cohesie", "sociale-inclusie"):
        g.add_edge("pub", C + pillar, key=SB + "addressesPillar")
        g.add_edge("org", C + pillar, key=SB + "addressesPillar")
    for sphere in ("persoonlijke-sfeer", "institutionele-sfeer"):
        g.add_edge("pub", C + sphere, key=SB + "sphere")
    m = pillar_sphere_matrix(g)
    hits = [(c["pillar"], c["sphere"]) for c in m["cells"] if c["counts"]["total"]]
    assert sorted(hits) == sorted(
        (C + p, C + s) for p in ("sociale-cohesie", "sociale-inclusie") for s in ("persoonlijke-sfeer", "institutionele-sfeer")
    )
    assert len(m["gaps"]) == 12 - 4
    assert m["max"] == 1


def test_fixture_counts(store):
    from graph.network.projection import project

    m = pillar_sphere_matrix(project(store))
    def counts(p, s):  # noqa: E306
        return cell(m, p and C + p, s and C + s)["counts"]
    assert counts("sociale-cohesie", "gemeenschappelijke-sfeer") == {"programma": 0, "initiatief": 1, "publicatie": 1, "total": 2}
    assert counts("sociale-inclusie", "gemeenschappelijke-sfeer") == {"programma": 0, "initiatief": 0, "publicatie": 1, "total": 1}
    assert counts("sociale-empowerment", "persoonlijke-sfeer") == {"programma": 0, "initiatief": 1, "publicatie": 1, "total": 2}
    assert counts(None, None)["programma"] == 3  # no programme states a pillar or sphere
    assert counts("sociale-cohesie", None)["total"] == 0
    derived = cell(m, C + "sociale-cohesie", None)
    assert derived["derived"]["programma"] == [ALFA, EEN]
    assert cell(m, C + "sociale-inclusie", None)["derived"]["programma"] == [EEN]
    # 12 cells of four pillars x three spheres, 3 of them filled
    assert len(m["gaps"]) == 9
    assert {"pillar": C + "sociaaleconomische-zekerheid", "sphere": C + "institutionele-sfeer"} in m["gaps"]


def test_the_json_twin(client):
    r = client.get("/matrix.json")
    assert r.status_code == 200
    payload = r.get_json()
    assert [p["slug"] for p in payload["pillars"]] == ["sociaaleconomische-zekerheid", "sociale-inclusie", "sociale-cohesie", "sociale-empowerment"]
    assert [s["slug"] for s in payload["spheres"]] == ["persoonlijke-sfeer", "gemeenschappelijke-sfeer", "institutionele-sfeer"]
    assert len(payload["cells"]) == 5 * 4
    filled = {(c["pillar"], c["sphere"]): c["counts"]["total"] for c in payload["cells"] if c["counts"]["total"]}
    assert filled == {("sociale-inclusie", "gemeenschappelijke-sfeer"): 1, ("sociale-cohesie", "gemeenschappelijke-sfeer"): 2,
                      ("sociale-empowerment", "persoonlijke-sfeer"): 2, (None, None): 3}
    cohesie = next(c for c in payload["cells"] if c["pillar"] == "sociale-cohesie" and c["sphere"] == "gemeenschappelijke-sfeer")
    assert [e["label"] for e in cohesie["stated"]["initiatief"]] == ["Buurtkamer West"]
    assert len(payload["gaps"]) == 9
    # its network: the counted entities with the pillars and spheres they address
    assert ALFA in {n["id"] for n in payload["nodes"]}
    predicates = {p["iri"] for p in payload["predicates"]}
    assert predicates <= {SB + "addressesPillar", SB + "editorialPillar", SB + "sphere", SB + "editorialSphere"}
    assert payload["shares"]["editorial"] == 3 and payload["shares"]["stated"] > 0


def test_the_csv_twin(client):
    r = client.get("/matrix.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert len(rows) == 20 * 3
    row = next(x for x in rows if x["pillar"] == "sociale-cohesie" and x["sphere"] == "geen" and x["kind"] == "programma")
    assert row["stated"] == "0" and row["derived"] == "2"
    assert sum(1 for x in rows if x["gap"] == "ja") == 9 * 3


def test_the_heat_map_page(client):
    html = client.get("/matrix").get_data(as_text=True)
    assert html.count('<td class="net-heat') == 20
    assert html.count("leemte") >= 9
    assert "matrix?pijler=sociale-cohesie&amp;sfeer=gemeenschappelijke-sfeer#cel" in html
    assert "gesteld=1" in html  # the choice "stated only" is offered
    # editorial assignments count by default: alfa and een-tegen-eenzaamheid have an editorial cohesie
    # pillar and no sphere, so the margin "cohesie, no sphere" holds them; stated only, it is empty
    margin = 'data-pillar="sociale-cohesie" data-sphere="" data-total="%s"'
    assert margin % 2 in html and "geen sfeer" in html
    stated = client.get("/matrix?gesteld=1").get_data(as_text=True)
    assert margin % 0 in stated and "redactionele toekenningen" in stated and "geen sfeer genoemd" in stated


def test_a_cell_lists_the_entities_behind_it(client):
    html = client.get("/matrix?pijler=sociale-cohesie&sfeer=gemeenschappelijke-sfeer").get_data(as_text=True)
    assert 'id="cel"' in html and "Buurtkamer West" in html and "Sterke buurten, sterke basis" in html
    gap = client.get("/matrix?pijler=sociaaleconomische-zekerheid&sfeer=persoonlijke-sfeer").get_data(as_text=True)
    assert "Leemte: geen bron onderbouwt" in gap
    derived = client.get("/matrix?pijler=sociale-cohesie&sfeer=geen").get_data(as_text=True)
    assert "redactionele toekenning" in derived and "Alfa-akkoord" in derived
    stated_only = client.get("/matrix?pijler=sociale-cohesie&sfeer=geen&gesteld=1").get_data(as_text=True)
    assert "hier door een redactionele toekenning" not in stated_only and "Geen entiteiten" in stated_only
    assert client.get("/matrix?pijler=bestaat-niet&sfeer=geen").status_code == 404


def test_a_matrix_without_any_classified_entity_still_renders(app):
    """Real data may state no sphere at all: every cell of the matrix is then a gap (and nothing divides by zero)."""
    from flask import render_template

    from graph.network.cache import NetworkData
    from graph.network.reports import matrix

    g = nx.MultiDiGraph()
    g.add_node(ALFA, kind="programma", types=[], label_nl="Alfa", label_en="Alpha")
    g.add_edge(ALFA, C + "sociale-cohesie", key=SB + "editorialPillar", sources=[])
    g.add_node(C + "sociale-cohesie", kind="begrip", types=[], label_nl="Sociale cohesie", label_en="Social cohesion")
    data = NetworkData(version=0, graph=g, relations={}, sources={}, node_sources={}, alt_labels={})
    payload = matrix(data, lang="nl", url_of=str)
    assert len(payload["gaps"]) == 12 and payload["max"] == 0
    with app.test_request_context("/matrix"):
        for derived in (False, True):
            html = render_template("network/matrix.html", payload=payload, derived=derived, selected=None, data_json="{}")
            assert html.count("leemte</span>") == 12
