"""Full-text search: stemming, accent folding, ranking, facets, completion, and the index kept in
step with the store."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.namespaces import ID, SB
from graph.search.index import INDEX_FILE, SearchIndex, open_index
from graph.search.searcher import Searcher
from graph.textproc import fold, query_words, stems


def search(client, q: str, **params):
    return client.get("/search.json", query_string={"q": q, **params}).get_json()


def iris(data) -> list[str]:
    return [h["iri"] for h in data["hits"]]


def test_text_processing():
    assert fold("Eén coöperatie") == "een cooperatie"
    assert stems(["buurten"], "nl") == stems(["buurt"], "nl")
    assert stems(["eenzaamheid"], "nl") == stems(["eenzaam"], "nl")
    assert query_words('de "sociale basis" buurten') == [["sociale", "basis"], ["buurten"]]


def test_dutch_stemming(client):
    assert ID + "begrip/ontmoeting" in iris(search(client, "buurten"))  # "Ontmoeting in de buurt"
    assert ID + "programma/een-tegen-eenzaamheid" in iris(search(client, "eenzaam"))


def test_accent_folding(client):
    data = search(client, "een tegen")
    assert data["hits"][0]["iri"] == ID + "programma/een-tegen-eenzaamheid"
    assert data["hits"][0]["label"] == "Eén tegen eenzaamheid"
    assert search(client, "EEN TEGEN EENZAAMHEID")["hits"][0]["match"] == "exact"


def test_english_words(client):
    assert ID + "programma/een-tegen-eenzaamheid" in iris(search(client, "loneliness"))
    assert ID + "publicatie/rapport-a" in iris(search(client, "neighbourhood"))


def test_label_matches_rank_above_description_matches(client):
    data = search(client, "eenzaamheid")
    matches = [h["match"] for h in data["hits"]]
    assert matches[0] in ("exact", "label")
    assert "text" in matches
    assert matches.index("text") > max(i for i, m in enumerate(matches) if m in ("exact", "label"))
    assert data["hits"][0]["iri"] == ID + "programma/een-tegen-eenzaamheid"
    # the report mentions loneliness only in its description
    assert ID + "publicatie/rapport-a" in [h["iri"] for h in data["hits"] if h["match"] == "text"]


def test_alternative_labels(client):
    assert search(client, "VNG")["hits"][0]["iri"] == ID + "organisatie/vng"
    assert search(client, "alfa")["hits"][0]["iri"] == ID + "programma/alfa"


def test_facet_counts(client):
    data = search(client, "", pillar="sociale-cohesie")
    assert data["total"] == 2
    assert set(iris(data)) == {ID + "initiatief/buurtkamer", ID + "publicatie/rapport-a"}
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in data["facets"]}
    assert facets["kind"] == {"initiatief": 1, "publicatie": 1}
    assert facets["sphere"] == {"gemeenschappelijke-sfeer": 2}
    assert facets["year"] == {"2023": 1}
    assert facets["pillar"]["sociale-cohesie"] == 2 and facets["pillar"]["sociale-inclusie"] == 1
    narrowed = search(client, "", pillar="sociale-cohesie", kind="publicatie")
    assert iris(narrowed) == [ID + "publicatie/rapport-a"]
    derived = search(client, "", editorial_pillar="sociale-cohesie")
    assert set(iris(derived)) == {ID + "programma/alfa", ID + "programma/een-tegen-eenzaamheid"}
    org = search(client, "", organisation="welzijn-west")
    assert set(iris(org)) >= {ID + "initiatief/buurtkamer", ID + "programma/gamma"}
    assert search(client, "", kind="bestaat-niet")["total"] == 0


def test_no_match_and_loose_match(client):
    assert search(client, "xyzzyq")["total"] == 0
    loose = search(client, "eenzaamheid xyzzyq")
    assert loose["loose"] is True and loose["total"] > 0


def test_json_twin_matches_the_html(client):
    data = search(client, "eenzaam")
    html = client.get("/search", query_string={"q": "eenzaam"}).get_data(as_text=True)
    links = re.findall(r'<h3 class="result-title"><a href="([^"]+)"', html)
    assert links == [h["url"] for h in data["hits"]]
    assert f'{data["total"]} resultaten' in html
    for facet in data["facets"]:
        for value in facet["values"]:
            assert f'<span class="count">{value["count"]}</span>' in html


def test_search_page_marks_matches_and_links_filters(client):
    html = client.get("/search?q=eenzaamheid").get_data(as_text=True)
    assert "<mark>eenzaamheid</mark>" in html
    assert "kind=publicatie" in html
    assert client.get("/search").status_code == 200
    assert client.get("/search.xml?q=x").status_code == 404


def test_prefix_completion(client):
    data = client.get("/search/suggest.json?q=buu").get_json()
    labels = [s["label"] for s in data["suggestions"]]
    assert "Buurtkamer West" in labels
    assert all(s["url"].startswith("/id/") for s in data["suggestions"])
    assert client.get("/search/suggest.json?q=een teg").get_json()["suggestions"][0]["label"] == "Eén tegen eenzaamheid"
    assert client.get("/search/suggest.json?q=").get_json()["suggestions"] == []


def test_index_follows_the_store_at_once(fresh_app):
    from webapp.state import get_searcher, get_store

    graph = URIRef(ID + "bron/toets-nieuw")
    entity = URIRef(ID + "initiatief/wijkmoestuin")
    client = fresh_app.test_client()
    assert search(client, "wijkmoestuin")["total"] == 0
    with fresh_app.app_context():
        get_store().replace_graph(graph, [
            (entity, RDF.type, SB.Initiative),
            (entity, RDFS.label, Literal("Wijkmoestuin Oost", lang="nl")),
            (entity, SB.addressesPillar, URIRef(ID + "begrip/sociale-cohesie")),
        ])
    data = search(client, "wijkmoestuinen")
    assert iris(data) == [str(entity)]
    assert client.get("/id/initiatief/wijkmoestuin").status_code == 200
    assert search(client, "", pillar="sociale-cohesie")["total"] == 3
    with fresh_app.app_context():
        get_store().replace_graph(graph, [(entity, RDFS.label, Literal("Buurtmoestuin Oost", lang="nl"))])
    assert search(client, "wijkmoestuin")["total"] == 0
    assert iris(search(client, "buurtmoestuin")) == [str(entity)]
    with fresh_app.app_context():
        get_store().drop_graph(graph)
        assert get_searcher().index.meta()["triples"] == str(get_store().triple_count())
    assert search(client, "buurtmoestuin")["total"] == 0


def test_missing_or_stale_index_is_rebuilt(fresh_app):
    from webapp.state import get_store

    with fresh_app.app_context():
        store = get_store()
        data_dir = Path(fresh_app.config["DATA_DIR"])
        path = data_dir / INDEX_FILE
        assert path.is_file()
        path.unlink()
        index = open_index(store, data_dir)
        assert path.is_file()
        hits = Searcher(index).search(store, "buurtkamer").hits
        assert hits and hits[0].iri == ID + "initiatief/buurtkamer"
        # an index of another store (or an old format) is rebuilt too
        conn = index.connection()
        conn.execute("UPDATE meta SET value = 'ander' WHERE key = 'store'")
        conn.commit()
        assert SearchIndex(path).meta()["store"] == "ander"
        open_index(store, data_dir)
        assert SearchIndex(path).meta()["store"] != "ander"
