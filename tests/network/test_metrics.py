"""Network metrics: degree, betweenness and communities, per entity and as a ranked table, with
the plain-language caveat, and CSV and JSON downloads."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from graph.network.analytics import betweenness, communities, degree, metrics_table, ranks
from webapp.network.respond import _cell

ID = "https://w3id.org/sociale-basis/id/"
RAPPORT = ID + "publicatie/rapport-a"
BUURTKAMER = ID + "initiatief/buurtkamer"
ALFA = ID + "programma/alfa"


def test_degree_counts_distinct_neighbours_in_either_direction():
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", key="p")
    g.add_edge("a", "b", key="q")   # a second relation: still one neighbour
    g.add_edge("c", "a", key="p")   # incoming counts too
    g.add_edge("a", "a", key="p")   # a self-loop does not
    g.add_node("lonely")
    assert degree(g) == {"a": 2, "b": 1, "c": 1, "lonely": 0}


def test_betweenness_of_a_star_and_a_path():
    star = nx.star_graph(4)  # centre 0
    values = betweenness(star)
    assert values[0] == pytest.approx(1.0)
    assert all(values[i] == 0 for i in range(1, 5))
    path = nx.path_graph(["a", "b", "c"])
    assert betweenness(path) == {"a": 0.0, "b": pytest.approx(1.0), "c": 0.0}


def test_sampled_betweenness_on_big_graphs_is_seeded():
    g = nx.barabasi_albert_graph(300, 2, seed=1)
    assert betweenness(g, sample=50) == betweenness(g, sample=50)


def test_communities_of_two_cliques_joined_by_a_bridge():
    g = nx.Graph()
    g.add_edges_from((a, b) for a in "abcd" for b in "abcd" if a < b)
    g.add_edges_from((a, b) for a in "vwxyz" for b in "vwxyz" if a < b)
    g.add_edge("d", "v")
    result = communities(g)
    assert {n: result[n] for n in "vwxyz"} == dict.fromkeys("vwxyz", 0)  # the larger is number 0
    assert {n: result[n] for n in "abcd"} == dict.fromkeys("abcd", 1)


def test_ranks_share_ties():
    assert ranks({"a": 5, "b": 3, "c": 3, "d": 1}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_metrics_table_ranks_and_sorts():
    g = nx.path_graph(["a", "b", "c", "d"])
    for n in g:
        g.nodes[n].update(kind="begrip", label_nl=n.upper(), label_en=n)
    rows = metrics_table(g, degrees=degree(g), betweenness_values=betweenness(g), community_of=communities(g), sort="betweenness")
    assert [r["iri"] for r in rows][:2] == ["b", "c"]
    assert rows[0]["degree"] == 2 and rows[0]["degree_rank"] == 1 and rows[0]["label"] == "B"
    by_label = metrics_table(g, degrees=degree(g), betweenness_values=betweenness(g), community_of=communities(g), sort="label", lang="en")
    assert [r["label"] for r in by_label] == ["a", "b", "c", "d"]


def test_fixture_metrics_json(client):
    r = client.get("/metrieken.json")
    assert r.status_code == 200
    payload = r.get_json()
    rows = {row["iri"]: row for row in payload["rows"]}
    assert rows[RAPPORT]["degree"] == 9 and rows[RAPPORT]["degree_rank"] == 1
    assert rows[BUURTKAMER]["degree"] == 7
    assert rows[ALFA]["degree"] == 5
    assert payload["rows"][0]["iri"] == RAPPORT  # sorted by degree
    assert payload["network"]["betweenness"] == "exact"
    assert 0 < rows[BUURTKAMER]["betweenness"] <= 1
    between = client.get("/metrieken.json?sorteer=betweenness").get_json()["rows"]
    assert between[0]["betweenness"] == max(r["betweenness"] for r in between)
    programmes = client.get("/metrieken.json?soort=programma").get_json()["rows"]
    assert {r["kind"] for r in programmes} == {"programma"} and len(programmes) == 3
    assert client.get("/metrieken.json?sorteer=geld").status_code == 400
    assert client.get("/metrieken.json?soort=dier").status_code == 400


def test_fixture_metrics_csv(client):
    r = client.get("/metrieken.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0]["iri"] == RAPPORT and rows[0]["degree"] == "9"
    assert set(rows[0]) >= {"label", "kind", "degree", "betweenness", "community", "degree_rank", "betweenness_rank"}


def test_spreadsheet_formulas_are_defused():
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("Gewoon") == "Gewoon"
    assert _cell(3) == 3


def test_the_page_explains_what_the_metrics_do_not_mean(client):
    html = client.get("/metrieken").get_data(as_text=True)
    assert "Wat deze maten wel en niet zeggen" in html
    assert "niet dat ze belangrijker is" in html
    assert "Sterke buurten, sterke basis" in html
    assert "/metrieken.csv" in html and "/metrieken.json" in html
    english = client.get("/metrieken?lang=en").get_data(as_text=True)
    assert "not that it matters more" in english


def test_per_entity_metrics_on_the_ego_view(client):
    payload = client.get("/verkennen/publicatie/rapport-a.json").get_json()
    assert payload["metrics"]["degree"] == 9 and payload["metrics"]["degree_rank"] == 1
    html = client.get("/verkennen/publicatie/rapport-a").get_data(as_text=True)
    assert "Tussenpositie" in html
