"""'How are X and Y connected?': k shortest paths, hub avoidance, narration with sources.

Known answers on small hand-made graphs and on the fixture data, where prog:alfa and
prog:een-tegen-eenzaamheid are joined in two steps through orgn:vng, orgn:ministerie-vws (a
ministry: a generic hub), pub:rapport-a and con:sociale-cohesie (a pillar: a generic hub)."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Literal

from graph.network.cache import RelationLabel, network_data
from graph.network.paths import Reading, generic_hubs, k_shortest_paths, narrate, path_steps, step_phrase
from graph.network.vocab import RelationPhrases, relation_phrases
from webapp.network.wording import with_also, word

ID = "https://w3id.org/sociale-basis/id/"
SB = "https://w3id.org/sociale-basis/def/"
ALFA = ID + "programma/alfa"
EEN = ID + "programma/een-tegen-eenzaamheid"
GAMMA = ID + "programma/gamma"
VNG = ID + "organisatie/vng"
VWS = ID + "organisatie/ministerie-vws"
RAPPORT = ID + "publicatie/rapport-a"
COHESIE = ID + "begrip/sociale-cohesie"
SRC_A = ID + "bron/toets-a"
SRC_B = ID + "bron/toets-b"


def steps_in(app, g, path, readings, lang):
    """path_steps worded as the site words them, in `lang` (the catalogs need a request)."""
    with app.test_request_context(f"/?lang={lang}"):
        return path_steps(g, path, readings, lang, word)


# -- pure functions -----------------------------------------------------------------------------

def diamond() -> nx.Graph:
    """a - b - d, a - c - d, a - e - f - d; c also joined to x, y, z (so c is less specific than b)."""
    g = nx.Graph()
    g.add_edges_from([("a", "b"), ("b", "d"), ("a", "c"), ("c", "d"), ("a", "e"), ("e", "f"), ("f", "d"),
                      ("c", "x"), ("c", "y"), ("c", "z")])
    return g


def test_k_shortest_paths_shortest_first_and_specific_before_generic():
    paths = k_shortest_paths(diamond(), "a", "d", k=3)
    assert paths == [["a", "b", "d"], ["a", "c", "d"], ["a", "e", "f", "d"]]


def test_k_limits_the_number_of_paths():
    assert k_shortest_paths(diamond(), "a", "d", k=1) == [["a", "b", "d"]]
    assert len(k_shortest_paths(diamond(), "a", "d", k=10)) == 3  # only three simple paths exist


def test_avoided_nodes_are_never_passed_but_ends_are_allowed():
    g = diamond()
    assert k_shortest_paths(g, "a", "d", k=3, avoid={"b", "c"}) == [["a", "e", "f", "d"]]
    assert k_shortest_paths(g, "a", "d", k=1, avoid={"a", "d", "c"}) == [["a", "b", "d"]]


def test_no_path_gives_an_empty_list_and_unknown_nodes_raise():
    g = diamond()
    g.add_node("island")
    assert k_shortest_paths(g, "a", "island") == []
    with pytest.raises(nx.NodeNotFound):
        k_shortest_paths(g, "a", "nowhere")


def test_generic_hubs_are_pillars_spheres_ministries_and_high_degree_nodes():
    g = nx.MultiDiGraph()
    g.add_node(COHESIE, types=["http://www.w3.org/2004/02/skos/core#Concept"])
    g.add_node(ID + "begrip/persoonlijke-sfeer", types=[])
    g.add_node(VWS, types=[SB + "Ministry"])
    g.add_node(VNG, types=[SB + "Association"])
    g.add_node(ALFA, types=[SB + "Agreement"])
    for i in range(5):
        g.add_node(f"{ID}initiatief/i{i}", types=[])
        g.add_edge(f"{ID}initiatief/i{i}", VNG, key=SB + "runBy")
    g.add_edge(ALFA, VNG, key=SB + "signatory")
    g.add_edge(VNG, ALFA, key=SB + "partner")  # both directions: still one neighbour
    assert generic_hubs(g, degree_threshold=None) == {COHESIE, ID + "begrip/persoonlijke-sfeer", VWS}
    assert VNG in generic_hubs(g, degree_threshold=5)      # 6 neighbours > 5
    assert VNG not in generic_hubs(g, degree_threshold=6)  # 6 is not above 6


def phrases(label_nl, label_en, phrase_nl, phrase_en, inverse_nl, inverse_en) -> RelationPhrases:
    return RelationPhrases(label_nl, label_en, inverse_nl, inverse_en, phrase_nl, phrase_en)


READINGS = {
    SB + "signatory": phrases("ondertekenaar", "signatory", "wordt ondertekend door", "is signed by", "ondertekent", "signs"),
    SB + "partner": phrases("partner", "partner", "heeft als partner", "has partner", "is partner in", "is a partner in"),
    SB + "runBy": phrases("uitgevoerd door", "run by", "wordt uitgevoerd door", "is run by", "voert uit", "runs"),
}


def test_steps_are_phrased_in_the_direction_they_are_read(app):
    g = nx.MultiDiGraph()
    g.add_edge(ALFA, VNG, key=SB + "signatory", sources=[SRC_A, SRC_B])
    g.add_edge(EEN, VNG, key=SB + "partner", sources=[SRC_A])
    steps = steps_in(app, g, [ALFA, VNG, EEN], READINGS, "nl")
    assert [step_phrase(s) for s in steps] == ["wordt ondertekend door", "is partner in"]
    assert steps[0]["relations"][0]["direction"] == "forward"
    assert steps[1]["relations"][0]["direction"] == "inverse"
    assert steps[0]["relations"][0]["sources"] == [SRC_A, SRC_B]
    assert steps[1]["relations"][0]["sources"] == [SRC_A]
    labels = {ALFA: "GALA", VNG: "VNG", EEN: "IZA"}
    assert narrate([ALFA, VNG, EEN], steps, labels.__getitem__) == "GALA — wordt ondertekend door — VNG — is partner in — IZA"
    english = steps_in(app, g, [ALFA, VNG, EEN], READINGS, "en")
    assert narrate([ALFA, VNG, EEN], english, labels.__getitem__) == "GALA — is signed by — VNG — is a partner in — IZA"
    assert step_phrase(steps_in(app, g, [VNG, ALFA], READINGS, "en")[0]) == "signs"


def test_the_same_relation_read_back_after_forward_says_also(app):
    g = nx.MultiDiGraph()
    g.add_edge(ALFA, VNG, key=SB + "signatory", sources=[SRC_A])
    g.add_edge(EEN, VNG, key=SB + "signatory", sources=[SRC_B])
    labels = {ALFA: "GALA", VNG: "VNG", EEN: "IZA"}
    nl = steps_in(app, g, [ALFA, VNG, EEN], READINGS, "nl")
    assert narrate([ALFA, VNG, EEN], nl, labels.__getitem__) == "GALA — wordt ondertekend door — VNG — ondertekent ook — IZA"
    assert [r["sources"] for s in nl for r in s["relations"]] == [[SRC_A], [SRC_B]]  # sources kept per step
    en = steps_in(app, g, [ALFA, VNG, EEN], READINGS, "en")
    assert narrate([ALFA, VNG, EEN], en, labels.__getitem__) == "GALA — is signed by — VNG — also signs — IZA"
    # only right after the same relation read forward: not on a first step, not after another relation
    assert step_phrase(steps_in(app, g, [VNG, EEN], READINGS, "nl")[0]) == "ondertekent"
    g.add_edge(EEN, GAMMA, key=SB + "runBy")
    g.add_edge(ALFA, GAMMA, key=SB + "runBy")
    steps = steps_in(app, g, [VNG, EEN, GAMMA, ALFA], READINGS, "nl")
    assert [step_phrase(s) for s in steps] == ["ondertekent", "wordt uitgevoerd door", "voert ook uit"]


@pytest.mark.parametrize(
    "phrase, lang, expected",
    [
        ("ondertekent", "nl", "ondertekent ook"),
        ("geeft uit", "nl", "geeft ook uit"),
        ("is partner in", "nl", "is ook partner in"),
        ("wordt uitgevoerd door", "nl", "wordt ook uitgevoerd door"),
        ("signs", "en", "also signs"),
        ("is a partner in", "en", "is also a partner in"),
        ("was created by", "en", "was also created by"),
    ],
)
def test_also_goes_after_the_finite_verb_in_dutch_and_before_the_main_verb_in_english(phrase, lang, expected):
    assert with_also(phrase, lang, "ook" if lang == "nl" else "also") == expected


@pytest.mark.parametrize(
    "reading, lang, expected",
    [
        (Reading("ondertekent", "ondertekenaar", again=True), "nl", "ondertekent ook"),
        (Reading("signs", "signatory", again=True), "en", "also signs"),
        (Reading(None, "ondertekenaar"), "nl", "(omgekeerde van) ondertekenaar"),
        (Reading(None, "signatory", again=True), "en", "(inverse of) signatory"),
        (Reading("ondertekent", "ondertekenaar"), "nl", "ondertekent"),
    ],
)
def test_the_site_words_readings_through_its_catalogs(app, reading, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert word(reading, lang) == expected


def test_graph_builds_no_sentence_of_its_own():
    """Without a backward reading in the vocabulary, graph/ hands over None and the name, not a phrase."""
    seen = []
    g = nx.MultiDiGraph()
    g.add_edge(ALFA, VNG, key=SB + "unknown")
    path_steps(g, [VNG, ALFA], {}, "nl", lambda reading, lang: seen.append(reading) or "x")
    assert seen == [Reading(None, "unknown", False)]


def test_readings_fall_back_to_the_label_and_to_inverse_of_the_label(app):
    only_labels = RelationPhrases.from_literals(
        SB + "thing", [Literal("ding", lang="nl"), Literal("thing", lang="en")], [], []
    )
    assert (only_labels.phrase("nl"), only_labels.phrase("en")) == ("ding", "thing")
    assert (only_labels.inverse("nl"), only_labels.inverse("en")) == (None, None)
    assert only_labels.forward("en") == "thing"
    nothing = RelationPhrases.from_literals(SB + "thing", [], [], [])
    assert (nothing.phrase("nl"), nothing.inverse("en")) == ("thing", None)
    g = nx.MultiDiGraph()
    g.add_edge(ALFA, VNG, key=SB + "unknown")
    assert step_phrase(steps_in(app, g, [ALFA, VNG], {}, "nl")[0]) == "unknown"
    assert step_phrase(steps_in(app, g, [VNG, ALFA], {}, "en")[0]) == "(inverse of) unknown"


def test_plain_relation_labels_without_a_phrase_still_read_forward_by_label(app):
    g = nx.MultiDiGraph()
    g.add_edge(ALFA, VNG, key=SB + "signatory")
    relations = {SB + "signatory": RelationLabel("ondertekenaar", "signatory", "ondertekent", "signs")}
    assert step_phrase(steps_in(app, g, [ALFA, VNG], relations, "nl")[0]) == "ondertekenaar"
    assert step_phrase(steps_in(app, g, [VNG, ALFA], relations, "en")[0]) == "signs"


# -- on the fixture data ------------------------------------------------------------------------

def middles(payload) -> list[str]:
    return [p["nodes"][1]["iri"] for p in payload["paths"]]


def test_three_shortest_paths_without_hub_avoidance(client):
    r = client.get("/pad.json", query_string={"van": "prog:alfa", "naar": "prog:een-tegen-eenzaamheid", "vermijd": "0"})
    assert r.status_code == 200
    payload = r.get_json()
    assert payload["view"]["k"] == 3 and payload["view"]["avoidHubs"] is False
    assert all(p["length"] == 2 for p in payload["paths"])
    # four two-step paths exist; the three most specific are kept (rapport-a has the most neighbours)
    assert set(middles(payload)) == {VNG, VWS, COHESIE}
    assert len(payload["paths"]) == 3


def test_hubs_are_avoided_by_default_and_the_form_can_untick_it(client):
    default = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid").get_json()
    assert default["view"]["avoidHubs"] is True
    assert VWS not in middles(default) and COHESIE not in middles(default)
    # the form sends vermijd=0 then, when ticked, vermijd=1
    ticked = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=0&vermijd=1").get_json()
    assert ticked["view"]["avoidHubs"] is True
    html = client.get("/pad").get_data(as_text=True)
    assert '<input type="hidden" name="vermijd" value="0">' in html and 'name="vermijd" value="1" checked' in html


def test_paths_read_from_left_to_right(client):
    payload = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=0&k=4").get_json()
    assert payload["layout"] == "precomputed"
    x = {n["id"]: n["x"] for n in payload["nodes"]}
    assert x[ID + "programma/alfa"] < min(x[m] for m in middles(payload)) < x[ID + "programma/een-tegen-eenzaamheid"]
    rows = {(n["x"], n["y"]) for n in payload["nodes"]}
    assert len(rows) == len(payload["nodes"])  # no two nodes on the same spot


def test_k_is_a_parameter(client):
    payload = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&k=4&vermijd=0").get_json()
    assert set(middles(payload)) == {VNG, VWS, COHESIE, RAPPORT}
    one = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&k=1").get_json()
    assert len(one["paths"]) == 1


def test_avoiding_hubs_skips_the_ministry_and_the_pillar(client):
    payload = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1&k=3").get_json()
    assert middles(payload)[:2] in ([VNG, RAPPORT], [RAPPORT, VNG])
    assert all(VWS not in [n["iri"] for n in p["nodes"]] and COHESIE not in [n["iri"] for n in p["nodes"]] for p in payload["paths"])
    assert payload["paths"][2]["length"] == 3  # the third is longer now
    assert {h["iri"] for h in payload["view"]["bypassedHubs"]} == {VWS, COHESIE}


def test_hub_degree_threshold_makes_busy_nodes_hubs(client):
    # with a threshold of 8 neighbours, rapport-a (9 neighbours) is a hub too: only VNG is left in two steps
    payload = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1&hubgraad=8").get_json()
    assert middles(payload)[0] == VNG
    assert all(p["length"] >= 3 for p in payload["paths"][1:])


def test_narration_names_every_step_and_its_sources(client):
    payload = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1").get_json()
    via_vng = next(p for p in payload["paths"] if p["nodes"][1]["iri"] == VNG)
    assert via_vng["sentence"] == (
        "Alfa-akkoord — wordt ondertekend door — Vereniging van Nederlandse Gemeenten — is partner in — Eén tegen eenzaamheid"
    )
    first, second = via_vng["steps"]
    assert {s["iri"] for s in first["sources"]} == {SRC_A, SRC_B}  # stated by both sources
    assert [s["label"] for s in second["sources"]] == ["Toetsbron A"]
    assert first["sources"][0]["url"].startswith("/id/bron/")


def test_narration_in_english(client):
    payload = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1&lang=en").get_json()
    via_vng = next(p for p in payload["paths"] if p["nodes"][1]["iri"] == VNG)
    assert via_vng["sentence"] == (
        "Alpha Agreement — is signed by — Association of Netherlands Municipalities — is a partner in — One against Loneliness"
    )


def test_the_twin_holds_the_drawn_nodes_and_only_the_path_edges(client):
    payload = client.get("/pad.json?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1&k=2").get_json()
    assert {n["id"] for n in payload["nodes"]} == {ALFA, EEN, VNG, RAPPORT}
    pairs = {frozenset((e["from"], e["to"])) for e in payload["edges"]}
    assert pairs == {frozenset((ALFA, VNG)), frozenset((EEN, VNG)), frozenset((ALFA, RAPPORT)), frozenset((EEN, RAPPORT))}
    assert {n["id"]: n.get("role") for n in payload["nodes"]}[ALFA] == "endpoint"


def test_the_page_tells_the_paths_as_text(client):
    r = client.get("/pad?van=prog:alfa&naar=prog:een-tegen-eenzaamheid&vermijd=1")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Alfa-akkoord — wordt ondertekend door — Vereniging van Nederlandse Gemeenten — is partner in — Eén tegen eenzaamheid" in html
    assert "Toetsbron B" in html
    assert 'id="network-data"' in html


def test_entities_can_be_given_by_label_or_alternative_label(client):
    payload = client.get("/pad.json", query_string={"van_tekst": "alfa-akkoord", "naar_tekst": "VNG"}).get_json()
    assert payload["view"]["from"]["iri"] == ALFA and payload["view"]["to"]["iri"] == VNG
    assert payload["paths"][0]["length"] == 1


def test_bad_input_is_explained(client):
    assert client.get("/pad.json?van=prog:alfa&naar=prog:alfa").status_code == 400
    assert client.get("/pad.json?van=prog:alfa&naar=prog:bestaat-niet").status_code == 400
    assert client.get("/pad.json?van=prog:alfa&naar=prog:gamma&k=0").status_code == 400
    assert client.get("/pad.json?van=prog:alfa&naar=prog:gamma&k=veel").status_code == 400
    page = client.get("/pad?van_tekst=bestaat-niet&naar=prog:alfa")
    assert page.status_code == 404
    assert "niet (eenduidig) gevonden" in page.get_data(as_text=True)
    empty = client.get("/pad")
    assert empty.status_code == 200 and "Zoek verbindingen" in empty.get_data(as_text=True)


# -- readings of the fixture, loaded from the store (shipped ontology) ----------------------------

def fixture_sentence(app, store, path, lang):
    data = network_data(store)
    readings = relation_phrases(store, {k for _, _, k in data.graph.edges(keys=True)})
    steps = steps_in(app, data.graph, path, readings, lang)
    return narrate(path, steps, lambda n: data.label(n, lang)), steps


def test_fixture_sentences_read_both_directions_as_verb_phrases(app, store):
    nl, steps = fixture_sentence(app, store, [ALFA, VNG, EEN], "nl")
    assert nl == "Alfa-akkoord — wordt ondertekend door — Vereniging van Nederlandse Gemeenten — is partner in — Eén tegen eenzaamheid"
    assert [sorted(r["sources"]) for s in steps for r in s["relations"]] == [[SRC_A, SRC_B], [SRC_A]]
    en, _ = fixture_sentence(app, store, [ALFA, VNG, EEN], "en")
    assert en == "Alpha Agreement — is signed by — Association of Netherlands Municipalities — is a partner in — One against Loneliness"


def test_fixture_sentence_with_also(app, store):
    # Alfa -responsibleMinistry, signatory-> VWS <-responsibleMinistry- Eén tegen eenzaamheid
    nl, _ = fixture_sentence(app, store, [ALFA, VWS, EEN], "nl")
    assert nl == (
        "Alfa-akkoord — is de verantwoordelijkheid van / wordt ondertekend door — Ministerie van VWS"
        " — is ook verantwoordelijk voor — Eén tegen eenzaamheid"
    )
    en, _ = fixture_sentence(app, store, [ALFA, VWS, EEN], "en")
    assert en == (
        "Alpha Agreement — is the responsibility of / is signed by — Ministry of Health (VWS)"
        " — is also responsible for — One against Loneliness"
    )
    back, _ = fixture_sentence(app, store, [EEN, VNG, ALFA], "nl")
    assert back == "Eén tegen eenzaamheid — heeft als partner — Vereniging van Nederlandse Gemeenten — ondertekent — Alfa-akkoord"
