"""Search that ranks: entities before source records, label matches on the main kinds first, and
typo tolerance ('did you mean …?') from the index vocabulary, on the test dataset."""

from __future__ import annotations

import numpy as np
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from graph.namespaces import ID, SB
from graph.search.match import MAIN, OTHER, RECORD, Match, first, kind_class
from graph.search.spelling import Spelling


def search(client, q: str, **params):
    return client.get("/search.json", query_string={"q": q, **params}).get_json()


def test_kind_classes():
    assert [kind_class(k) for k in ("programma", "initiatief", "publicatie", "organisatie", "begrip")] == [MAIN] * 5
    assert [kind_class(k) for k in ("onderdeel", "persoon", "plaats")] == [OTHER] * 3
    assert kind_class("bron") == RECORD


def test_rank_groups_order_exact_main_other_text_records():
    # doc: 0 record label (high score), 1 other label, 2 main label, 3 main text, 4 record text, 5 main exact
    found = Match(ids=np.arange(6), label=np.array([True, True, True, False, False, True]),
                  score=np.array([50.0, 40.0, 1.0, 30.0, 60.0, 0.5]))
    classes = np.array([RECORD, OTHER, MAIN, MAIN, RECORD, MAIN], dtype=np.int8)
    assert first(found, [5], 10, classes) == [(5, "exact"), (2, "label"), (1, "label"), (3, "text"), (0, "label"), (4, "text")]
    assert first(found, [5], 3, classes) == [(5, "exact"), (2, "label"), (1, "label")]  # a partial page is the same prefix
    # within a group: BM25 first, then document id
    same = Match(ids=np.array([3, 7, 9]), label=np.ones(3, bool), score=np.array([1.0, 2.0, 1.0]))
    assert [d for d, _ in first(same, [], 3, np.zeros(10, np.int8))] == [7, 3, 9]


def test_source_records_come_after_every_entity(fresh_app):
    from webapp.state import get_store

    record = URIRef(ID + "bron/nieuws-eenzaamheid")
    with fresh_app.app_context():
        get_store().replace_graph(URIRef(ID + "bron/nieuws-eenzaamheid"), [
            (record, RDF.type, SB.Source),
            (record, RDFS.label, Literal("Eenzaamheid", lang="nl")),  # even an exact label match
            (record, DCTERMS.title, Literal("Nieuws over eenzaamheid en eenzaamheid")),
        ])
    data = search(fresh_app.test_client(), "eenzaamheid")
    kinds = [h["kind"] for h in data["hits"]]
    assert data["hits"][0]["iri"] == ID + "programma/een-tegen-eenzaamheid"
    assert "bron" in kinds and kinds.index("bron") == len(kinds) - 1
    assert "text" in [h["match"] for h in data["hits"][: kinds.index("bron")]]  # description matches of entities come before


def test_typo_finds_its_target_and_says_so(client):
    data = search(client, "eenzamheid")  # one letter left out
    assert data["corrected"] is True and data["suggestion"] == "eenzaamheid"
    assert data["hits"][0]["iri"] == ID + "programma/een-tegen-eenzaamheid"
    typed = search(client, "Eén tegen eenzamheid")  # the corrected query is the label itself
    assert typed["suggestion"] == "Eén tegen eenzaamheid"  # the query as typed, the misspelt word replaced
    exact = typed["hits"][0]
    assert exact["iri"] == ID + "programma/een-tegen-eenzaamheid" and exact["match"] == "exact"
    assert search(client, "eenzamhied")["suggestion"] == "eenzaamheid"  # two edits: a letter left out, two swapped
    assert search(client, "EENZAAMHIEDD")["suggestion"] == "eenzaamheid"
    html = client.get("/search?q=eenzamheid").get_data(as_text=True)
    assert "Bedoelde u" in html and 'href="/search?q=eenzaamheid">‘eenzaamheid’</a>?' in html
    assert "Niets gevonden voor ‘eenzamheid’" in html
    english = client.get("/search?q=eenzamheid&lang=en").get_data(as_text=True)
    assert "Did you mean" in english and "Nothing was found for ‘eenzamheid’" in english


def test_no_suggestion_for_known_short_or_far_words(client):
    assert search(client, "eenzaamheid")["suggestion"] is None
    assert search(client, "buurt")["suggestion"] is None
    assert search(client, "zorgg")["suggestion"] is None  # fewer than six letters: too many neighbours
    assert search(client, "eenzxxxheid")["suggestion"] is None  # three edits away
    assert search(client, "xyzzyq")["total"] == 0


def test_a_typo_beside_a_known_word(client):
    data = search(client, "eenzaamheid buurtkamr")
    assert data["suggestion"] == "eenzaamheid buurtkamer" and data["corrected"] is True
    assert data["hits"][0]["iri"] == ID + "initiatief/buurtkamer"


def test_spelling_prefers_the_nearest_then_the_most_frequent_word():
    spelling = Spelling.of({"buurten": 5, "buurman": 1, "buurtjes": 9, "buurtem": 0} | {"wijkje": 1})
    assert spelling.nearest("vuurten") == "buurten"  # the first letter wrong: found through the last one
    assert spelling.nearest("buurtam") == "buurtem"  # the nearest wins over the more frequent
    assert spelling.nearest("buurtex") == "buurten"  # a tie (one edit from both): the word in more documents
    assert spelling.nearest("buurtenn") == "buurten"
    assert spelling.nearest("buurtne") == "buurten"  # a swap is one edit
    assert spelling.nearest("buurten") is None  # known
    assert spelling.nearest("buurt") is None  # too short


def test_themes_are_a_facet_stated_apart_from_editorial(fresh_app):
    from webapp.state import get_store

    client = fresh_app.test_client()
    assert "theme" not in {f["name"] for f in search(client, "eenzaamheid")["facets"]}  # no theme triples yet
    theme = URIRef(ID + "begrip/ontmoeting")
    with fresh_app.app_context():
        get_store().replace_graph(URIRef(ID + "bron/toets-themas"), [
            (URIRef(ID + "programma/een-tegen-eenzaamheid"), SB.theme, theme),
            (URIRef(ID + "initiatief/buurtkamer"), SB.editorialTheme, theme),
        ])
    facets = {f["name"]: f for f in search(client, "eenzaamheid")["facets"]}
    assert [(v["value"], v["count"]) for v in facets["theme"]["values"]] == [("ontmoeting", 1)]
    assert "editorial_theme" not in facets
    editorial = {f["name"]: f for f in search(client, "buurtkamer")["facets"]}
    assert [(v["value"], v["count"]) for v in editorial["editorial_theme"]["values"]] == [("ontmoeting", 1)]
    assert facets["theme"]["label"] == "Thema" and editorial["editorial_theme"]["label"] == "Thema (redactioneel)"
    assert facets["theme"]["values"][0]["label"] == "Ontmoeting in de buurt"
    chosen = search(client, "", theme="ontmoeting")
    assert [h["iri"] for h in chosen["hits"]] == [ID + "programma/een-tegen-eenzaamheid"]
    html = client.get("/search?q=&theme=ontmoeting").get_data(as_text=True)
    assert "Thema" in html and "Ontmoeting in de buurt" in html
