"""The editor's completion (graph.sparql.completion and /sparql/complete.json) and the parameter
pickers of the example questions (graph.sparql.saved.choices), on the fixture data."""

from __future__ import annotations

import pytest

from graph.namespaces import BASE
from graph.sparql.completion import completions, fold, split_iri
from graph.sparql.saved import choices

DEF = BASE + "def/"
PROG = BASE + "id/programma/"


def test_fold_and_split() -> None:
    assert fold("Eén-tegen  Eenzaamheid!") == "een tegen eenzaamheid"
    assert split_iri(DEF + "Programme") == (DEF, "Programme")
    assert split_iri("http://www.w3.org/2004/02/skos/core#prefLabel") == ("http://www.w3.org/2004/02/skos/core#", "prefLabel")


def test_classes_by_the_start_of_their_iri_most_used_first(store) -> None:
    found = completions(store).suggest(DEF + "Pro", "class")
    names = [s.iri[len(DEF):] for s in found]
    assert "Programme" in names and all(n.startswith("Pro") for n in names)
    counts = [s.count for s in found]
    assert counts == sorted(counts, reverse=True)
    programme = next(s for s in found if s.iri == DEF + "Programme")
    assert programme.label == "Programma" and programme.kind == "class" and programme.count > 0
    assert completions(store).suggest(DEF + "Pro", "class", lang="en")[0].label != ""


def test_positions_keep_classes_properties_and_entities_apart(store) -> None:
    properties = completions(store).suggest(DEF, "property", limit=50)
    assert properties and all(s.kind == "property" for s in properties)
    assert DEF + "responsibleMinistry" in {s.iri for s in properties}
    assert DEF + "Programme" not in {s.iri for s in properties}
    entities = completions(store).suggest(PROG, "entity", limit=50)
    assert {PROG + "alfa", PROG + "een-tegen-eenzaamheid"} <= {s.iri for s in entities}


def test_entities_by_a_word_of_their_label(store) -> None:
    found = completions(store).suggest(PROG + "eenzaam", "entity")
    assert PROG + "een-tegen-eenzaamheid" in [s.iri for s in found]
    assert completions(store).suggest(PROG + "zzzq", "entity") == []
    # the word must start a word of the label: "enzaam" is inside a word only
    assert PROG + "een-tegen-eenzaamheid" not in [s.iri for s in completions(store).suggest(PROG + "nzaam", "entity")]


def test_limit_is_bounded(store) -> None:
    assert len(completions(store).suggest(BASE, "entity", limit=3)) <= 3
    assert len(completions(store).suggest(BASE, "entity", limit=10_000)) <= 50


def test_complete_json(client) -> None:
    response = client.get("/sparql/complete.json", query_string={"q": DEF + "Progr", "position": "class"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    suggestions = response.get_json()["suggestions"]
    assert suggestions[0]["iri"].startswith(DEF + "Programme")
    assert set(suggestions[0]) == {"iri", "label", "kind", "count"}
    english = client.get("/sparql/complete.json", query_string={"q": DEF + "Programme", "position": "class", "lang": "en"})
    assert english.get_json()["suggestions"][0]["label"] == "Programme"


@pytest.mark.parametrize("params, problem", [
    ({"q": DEF, "position": "subject"}, "position"),
    ({"position": "class"}, "'q'"),
    ({"q": "x" * 501, "position": "class"}, "'q'"),
    ({"q": DEF, "position": "class", "limit": "many"}, "'limit'"),
])
def test_complete_json_bad_input(client, params: dict, problem: str) -> None:
    response = client.get("/sparql/complete.json", query_string=params, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert problem in response.get_json()["error"]


def test_choices_offer_what_fits_the_default(store, app) -> None:
    from webapp.sparql.common import saved_queries

    with app.app_context():
        queries = saved_queries()
    pillar = queries["programmas-per-pijler"].parameters[0]
    offered = dict(choices(store, pillar))
    assert "sociale-cohesie" in offered and offered["sociale-cohesie"] == "Sociale cohesie"
    assert "persoonlijke-sfeer" not in offered  # a sphere is a concept too, but in another scheme
    scheme = queries["begrippen-in-schema"].parameters[0]
    assert [slug for slug, _label in choices(store, scheme)] == ["pijlers-sociale-kwaliteit", "sferen-sociale-basis"]
    word = queries["zoek-een-woord"].parameters[0]
    assert choices(store, word) == []  # free text keeps a text field


def test_saved_query_page_has_pickers(client) -> None:
    html = client.get("/queries/programmas-per-pijler").get_data(as_text=True)
    assert '<select id="param-pillar" name="pillar">' in html
    assert '<option value="sociale-cohesie" selected>Sociale cohesie</option>' in html
    chosen = client.get("/queries/programmas-per-pijler?pillar=con:sociale-inclusie").get_data(as_text=True)
    assert '<option value="sociale-inclusie" selected>' in chosen
    free = client.get("/queries/zoek-een-woord").get_data(as_text=True)
    assert '<input id="param-word" name="word" value="eenzaamheid">' in free
