"""Moderation: editors sign in, review, edit, approve or reject. An approved submission is in the
graph at once (store, network, search, library, pages, SPARQL), with provenance; pending and rejected
ones never are, not even through GRAPH ?g or FROM NAMED."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph.namespaces import SB
from graph.submissions.store import SubmissionStore
from tests.submissions.test_submit_support import (
    EDITOR,
    PASSWORD,
    PRIVATE_VALUES,
    VALID,
    close_app,
    decide,
    login,
    make_app,
    receipt_id,
    store_of,
    submit,
    subs_at,
)

PUB = URIRef("https://w3id.org/sociale-basis/id/publicatie/buurthuizen-als-hart-van-de-wijk")
GRAPH = URIRef("https://w3id.org/sociale-basis/id/bron/inzending-1")
MARKER = "Buurthuizen als hart"


def subs_of(application: Any) -> SubmissionStore:
    return subs_at(application.config["DATA_DIR"])


def sparql(client: Any, query: str) -> Any:
    return client.get("/sparql?query=" + quote(query), headers={"Accept": "application/sparql-results+json"})


def assert_invisible(application: Any, client: Any, *markers: str) -> None:
    """Nothing of the submission in the store: not in any graph, not by FROM NAMED, not in a dump."""
    store = store_of(application)
    for marker in markers:
        rows = store.select(
            "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(STR(?o), %s)) } }" % json.dumps(marker)
        )
        assert rows == [], (marker, rows)
        dump = store.serialize("nquads").decode("utf-8")
        assert marker not in dump
    assert not any("inzending" in str(g) for g in store.graph_names())
    named = store.ox.query(f"SELECT * FROM NAMED <{GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert list(named) == []
    for marker in markers:
        body = sparql(client, "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), %s)) } }" % json.dumps(marker))
        assert body.status_code == 200
        assert body.get_json()["results"]["bindings"] == []
    # the endpoint refuses a graph that is not (yet) one of the dataset's own
    body = sparql(client, f"SELECT * FROM NAMED <{GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert body.status_code == 400


# -- signing in ---------------------------------------------------------------------------------

def test_editor_pages_need_sign_in(visitor) -> None:
    response = visitor.get("/redactie")
    assert response.status_code == 302 and "/redactie/inloggen" in response.headers["Location"]
    assert visitor.get("/redactie.json").status_code == 401
    assert visitor.get("/redactie/inzending/1", headers={"Accept": "application/json"}).status_code == 401


def test_wrong_password_and_unknown_editor(visitor) -> None:
    for name, password in ((EDITOR, "verkeerd-wachtwoord"), ("niemand", PASSWORD)):
        response = login(visitor, name, password)
        assert response.status_code == 401
        assert "Naam of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert visitor.get("/redactie").status_code == 302


def test_sign_in_and_out(visitor) -> None:
    before = visitor.get("/redactie/inloggen").get_data(as_text=True)
    response = login(visitor)
    assert response.status_code == 303 and response.headers["Location"] == "/redactie"
    queue = visitor.get("/redactie")
    assert queue.status_code == 200 and "Ingelogd als" in queue.get_data(as_text=True)
    # the CSRF token changed at sign-in (a token from before is useless)
    from tests.submissions.test_submit_support import token

    assert token(before) != token(queue.get_data(as_text=True))
    stolen = visitor.get_cookie("session").value
    out = visitor.post("/redactie/uitloggen", data={"csrf_token": token(queue.get_data(as_text=True))})
    assert out.status_code == 303
    assert visitor.get("/redactie").status_code == 302
    # signing out ends the session everywhere: the old cookie no longer works
    visitor.set_cookie("session", stolen)
    assert visitor.get("/redactie").status_code == 302


def test_sign_in_redirects_only_locally(visitor) -> None:
    from tests.submissions.test_submit_support import form_token

    csrf = form_token(visitor, "/redactie/inloggen")
    for target, expected in (("/redactie/inzending/1", "/redactie/inzending/1"), ("https://evil.example/", "/redactie"),
                             ("//evil.example/redactie", "/redactie"), ("/bijdragen", "/redactie")):
        visitor.delete_cookie("session")
        csrf = form_token(visitor, "/redactie/inloggen")
        response = visitor.post(
            "/redactie/inloggen", data={"csrf_token": csrf, "name": EDITOR, "password": PASSWORD, "next": target}
        )
        assert response.headers["Location"] == expected


def test_session_expires(tmp_path: Path) -> None:
    application = make_app(tmp_path / "data", EDITOR_SESSION_HOURS=1.5 / 3600)
    try:
        client = application.test_client()
        assert login(client).status_code == 303
        assert client.get("/redactie").status_code == 200
        time.sleep(1.7)
        assert client.get("/redactie").status_code == 302
    finally:
        close_app(application)


# -- the queue and the review page ----------------------------------------------------------------

def test_queue_and_review(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor))
    queue = editor.get("/redactie").get_data(as_text=True)
    assert MARKER in queue and f'data-id="{sid}"' in queue
    twin = editor.get("/redactie.json").get_json()
    assert twin["counts"] == {"pending": 1, "approved": 0, "rejected": 0}
    assert twin["submissions"][0]["title"] == VALID["title"]
    page = editor.get(f"/redactie/inzending/{sid}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    # the editor sees the submitter (to reach them), the criteria, and how names resolve
    assert VALID["email"] in text and VALID["name"] in text
    assert 'data-criterion="pillar"' in text
    assert "/id/organisatie/welzijn-west" in text  # existing entity linked
    assert "Stichting Buurtkracht" in text and "/id/organisatie/stichting-buurtkracht" in text  # new one to create
    detail = editor.get(f"/redactie/inzending/{sid}.json").get_json()
    assert detail["status"] == "pending" and detail["submitter"]["email"] == VALID["email"]
    assert {r["iri"] for r in detail["resolved"]["places"]} == {"https://w3id.org/sociale-basis/id/plaats/zeist"}
    assert detail["resolved"]["authors"][1] | {"new": True} == detail["resolved"]["authors"][1]
    assert editor.get("/redactie/inzending/999").status_code == 404


def test_duplicates_are_flagged(sapp, visitor, editor) -> None:
    first = receipt_id(visitor, submit(visitor))
    same_url = receipt_id(visitor, submit(visitor, title="Iets heel anders over buurten", url="https://www.example.org/rapport-a/"))
    near_title = receipt_id(visitor, submit(visitor, title="Sterke buurten, sterke basis!", url=""))
    again = receipt_id(visitor, submit(visitor, title="Buurthuizen als hart van de wijk.", url=VALID["url"]))
    dup = editor.get(f"/redactie/inzending/{same_url}.json").get_json()["duplicates"]
    expected = {"where": "graph", "reason": "url", "iri": "https://w3id.org/sociale-basis/id/publicatie/rapport-a"}
    assert expected.items() <= dup[0].items()
    near = editor.get(f"/redactie/inzending/{near_title}.json").get_json()["duplicates"]
    assert near[0]["reason"] == "title" and near[0]["similarity"] >= 0.9 and near[0]["iri"].endswith("/rapport-a")
    twin = editor.get(f"/redactie/inzending/{again}.json").get_json()["duplicates"]
    found = [(d["where"], d["reason"], d.get("id")) for d in twin]
    assert found == [("submission", "url", first), ("submission", "title", first)]
    page = editor.get(f"/redactie/inzending/{again}").get_data(as_text=True)
    assert "Mogelijk dubbel" in page and "Zelfde webadres als" in page
    assert editor.get(f"/redactie/inzending/{first}.json").get_json()["duplicates"][0]["id"] == again


# -- approving ---------------------------------------------------------------------------------

def test_approve_publishes_at_once(sapp, visitor, editor) -> None:
    client = sapp.test_client()
    # before: nothing anywhere
    sid = receipt_id(visitor, submit(visitor))
    assert_invisible(sapp, client, MARKER, *PRIVATE_VALUES)
    store = store_of(sapp)
    version = store.version

    response = decide(editor, sid, "approve", note="Past goed.", title_en="Community centres at the heart of the district")
    assert response.status_code == 303, response.get_data(as_text=True)
    sub = subs_of(sapp).get(sid)
    assert sub.status == "approved" and sub.publication_iri == str(PUB) and sub.decided_by == EDITOR
    assert store.version > version

    # the store: in its own named graph
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{PUB}> rdfs:label ?l }} }}")
    assert {r["g"] for r in rows} == {GRAPH}
    triples = {(s, p, o) for s, p, o, _g in store.quads(GRAPH)}
    assert (PUB, RDF.type, SB.ResearchReport) in triples
    assert (PUB, RDFS.label, Literal(VALID["title"], lang="nl")) in triples
    assert (PUB, RDFS.label, Literal("Community centres at the heart of the district", lang="en")) in triples
    assert (PUB, SB.addressesPillar, URIRef("https://w3id.org/sociale-basis/id/begrip/sociale-cohesie")) in triples
    assert (PUB, SB.sphere, URIRef("https://w3id.org/sociale-basis/id/begrip/gemeenschappelijke-sfeer")) in triples
    assert (PUB, DCTERMS.creator, URIRef("https://w3id.org/sociale-basis/id/persoon/an-onderzoeker")) in triples
    assert (PUB, DCTERMS.publisher, URIRef("https://w3id.org/sociale-basis/id/organisatie/kennisinstituut")) in triples
    assert (PUB, SB.about, URIRef("https://w3id.org/sociale-basis/id/programma/alfa")) in triples
    assert (PUB, SB.about, URIRef("https://w3id.org/sociale-basis/id/initiatief/buurtkamer")) in triples
    assert (PUB, DCTERMS.issued, Literal("2024-03", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth"))) in triples
    new_org = URIRef("https://w3id.org/sociale-basis/id/organisatie/stichting-buurtkracht")
    assert (new_org, RDF.type, SB.Organisation) in triples and (PUB, DCTERMS.creator, new_org) in triples

    # provenance: submitted when, approved when, by an editor (pseudonymous agent, no names)
    assert (GRAPH, RDF.type, SB.Source) in triples
    assert (GRAPH, DCTERMS.created, next(o for s, p, o in triples if p == DCTERMS.created)) in triples
    activity = next(o for s, p, o in triples if s == GRAPH and p == PROV.wasGeneratedBy)
    agent = next(o for s, p, o in triples if s == activity and p == PROV.wasAssociatedWith)
    assert str(agent).startswith("https://w3id.org/sociale-basis/redactie/") and EDITOR not in str(agent)
    assert (agent, RDF.type, PROV.Agent) in triples
    ended = next(o for s, p, o in triples if s == activity and p == PROV.endedAtTime)
    created = next(o for s, p, o in triples if s == GRAPH and p == DCTERMS.created)
    assert ended.toPython() >= created.toPython()
    dump = store.serialize("trig").decode("utf-8")
    for private in PRIVATE_VALUES + (EDITOR,):
        assert private not in dump

    # the file that every rebuild loads
    path = Path(sapp.config["DATA_DIR"]) / "graphs" / f"inzending-{sid}.trig"
    assert path.read_text(encoding="utf-8") == sub.graph_trig

    # the network projection and the network view's JSON
    from graph.network.projection import project

    g = project(store)
    assert str(PUB) in g and g.nodes[str(PUB)]["kind"] == "publicatie"
    assert any(str(GRAPH) in data.get("sources", []) for _u, _v, data in g.out_edges(str(PUB), data=True))
    map_json = client.get("/verkennen.json?alles=1")
    if map_json.status_code == 200:
        assert str(PUB) in {n["id"] for n in map_json.get_json()["nodes"]}
        ego = client.get("/verkennen/publicatie/buurthuizen-als-hart-van-de-wijk.json")
        assert ego.status_code == 200 and ego.get_json()["nodes"]

    # the receipt tells the submitter
    receipt = subs_of(sapp).get(sid).receipt
    assert client.get(f"/bijdragen/ontvangen/{receipt}.json").get_json()["publication"] == str(PUB)


def test_approved_in_search_library_pages_and_sparql(sapp, visitor, editor) -> None:
    """The other areas' public URLs: search, library, the resource page and SPARQL."""
    client = sapp.test_client()
    sid = receipt_id(visitor, submit(visitor))
    assert MARKER not in client.get("/search.json?q=buurthuizen").get_data(as_text=True)
    assert MARKER not in client.get("/bibliotheek").get_data(as_text=True)
    assert client.get("/id/publicatie/buurthuizen-als-hart-van-de-wijk").status_code == 404
    assert decide(editor, sid, "approve").status_code == 303
    hits = client.get("/search.json?q=buurthuizen").get_json()["hits"]
    assert str(PUB) in [hit["iri"] for hit in hits]
    assert MARKER in client.get("/bibliotheek").get_data(as_text=True)
    page = client.get("/id/publicatie/buurthuizen-als-hart-van-de-wijk")
    assert page.status_code == 200 and MARKER in page.get_data(as_text=True)
    for private in PRIVATE_VALUES:
        assert private not in page.get_data(as_text=True)
    body = sparql(client, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{PUB}> a ?t }} }}")
    assert [b["g"]["value"] for b in body.get_json()["results"]["bindings"]] == [str(GRAPH)]


def test_edit_link_and_create(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor, places=[], organisations=[]))
    response = decide(editor, sid, "save", places=["/id/plaats/zeist"], organisations=["organisatie: Kenniscentrum Buurt"],
                      authors=["Nieuwe Auteur"], summary_en="Community centres in Zeist.")
    assert response.status_code == 303
    assert subs_of(sapp).get(sid).data["places"] == ["/id/plaats/zeist"]
    assert subs_of(sapp).get(sid).status == "pending"
    assert decide(editor, sid, "approve", places=["/id/plaats/zeist"], organisations=["organisatie: Kenniscentrum Buurt"],
                  authors=["Nieuwe Auteur"], summary_en="Community centres in Zeist.").status_code == 303
    store = store_of(sapp)
    triples = {(s, p, o) for s, p, o, _g in store.quads(GRAPH)}
    person = URIRef("https://w3id.org/sociale-basis/id/persoon/nieuwe-auteur")
    org = URIRef("https://w3id.org/sociale-basis/id/organisatie/kenniscentrum-buurt")
    assert (person, RDF.type, SB.Person) in triples and (person, RDFS.label, Literal("Nieuwe Auteur", lang="en")) in triples
    assert (org, RDF.type, SB.Organisation) in triples and (PUB, SB.about, org) in triples
    assert (PUB, SB.about, URIRef("https://w3id.org/sociale-basis/id/plaats/zeist")) in triples
    assert (PUB, DCTERMS.description, Literal("Community centres in Zeist.", lang="en")) in triples
    history = [e["action"] for e in editor.get(f"/redactie/inzending/{sid}.json").get_json()["events"]]
    assert history == ["submitted", "edited", "approved"]
    # editing an approved submission updates its graph in place
    assert decide(editor, sid, "approve", title="Buurthuizen als hart van de wijk (herziene versie)",
                  places=["/id/plaats/zeist"]).status_code == 303
    labels = {str(o) for s, p, o, _g in store.quads(GRAPH) if s == PUB and p == RDFS.label}
    assert labels == {"Buurthuizen als hart van de wijk (herziene versie)"}
    assert subs_of(sapp).get(sid).publication_iri == str(PUB)  # the address stays


def test_unknown_programme_blocks_approval(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor, programmes=["Een programma dat niet bestaat"]))
    response = decide(editor, sid, "approve", programmes=["Een programma dat niet bestaat"])
    assert response.status_code == 422
    assert "staat niet in de kennisgraaf" in response.get_data(as_text=True)
    assert subs_of(sapp).get(sid).status == "pending"
    assert not any("inzending" in str(g) for g in store_of(sapp).graph_names())


def test_invalid_edit_is_refused_with_messages(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor))
    response = decide(editor, sid, "approve", url="javascript:alert(1)", pillars=[])
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "http:// of https://" in text and "minstens één pijler" in text
    assert subs_of(sapp).get(sid).status == "pending"


def test_slug_does_not_take_an_existing_address(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor, title="Rapport A", url=""))
    existing = URIRef("https://w3id.org/sociale-basis/id/publicatie/rapport-a")
    store_of(sapp)  # rapport-a exists in the fixture
    assert decide(editor, sid, "approve", title="Rapport A", url="").status_code == 303
    assert subs_of(sapp).get(sid).publication_iri == str(existing) + "-2"


# -- rejecting, withdrawing, reopening -------------------------------------------------------------

def test_reject_needs_a_note_and_stays_private(sapp, visitor, editor) -> None:
    client = sapp.test_client()
    sid = receipt_id(visitor, submit(visitor))
    no_note = decide(editor, sid, "reject")
    assert no_note.status_code == 422 and "toelichting" in no_note.get_data(as_text=True).lower()
    assert subs_of(sapp).get(sid).status == "pending"
    assert decide(editor, sid, "reject", note="Gaat niet over de sociale basis.").status_code == 303
    sub = subs_of(sapp).get(sid)
    assert sub.status == "rejected" and sub.note == "Gaat niet over de sociale basis." and sub.decided_by == EDITOR
    assert_invisible(sapp, client, MARKER, *PRIVATE_VALUES)
    # the submitter sees the outcome, not the note
    receipt = client.get(f"/bijdragen/ontvangen/{sub.receipt}").get_data(as_text=True)
    assert "niet op te nemen" in receipt and sub.note not in receipt
    # kept for the editors
    assert MARKER in editor.get("/redactie?status=rejected").get_data(as_text=True)
    assert sub.note in editor.get(f"/redactie/inzending/{sid}").get_data(as_text=True)
    # and it can go back to the queue
    assert decide(editor, sid, "reopen").status_code == 303
    assert subs_of(sapp).get(sid).status == "pending"


def test_withdraw_removes_from_graph(sapp, visitor, editor) -> None:
    client = sapp.test_client()
    sid = receipt_id(visitor, submit(visitor))
    assert decide(editor, sid, "approve").status_code == 303
    store = store_of(sapp)
    assert store.triple_count(GRAPH) > 0
    assert decide(editor, sid, "reject", note="Bleek een dubbele inzending.").status_code == 303
    assert subs_of(sapp).get(sid).status == "rejected"
    assert store.triple_count(GRAPH) == 0
    assert not (Path(sapp.config["DATA_DIR"]) / "graphs" / f"inzending-{sid}.trig").exists()
    assert_invisible(sapp, client, MARKER)
    from graph.network.projection import project

    assert str(PUB) not in project(store)
    history = [e["action"] for e in editor.get(f"/redactie/inzending/{sid}.json").get_json()["events"]]
    assert history == ["submitted", "approved", "withdrawn"]


# -- crash recovery, rebuilds, validation ------------------------------------------------------------

def test_reconcile_after_interrupted_approval(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    application = make_app(data_dir)
    client = application.test_client()
    sid = receipt_id(client, submit(client))
    assert login(client).status_code == 303
    assert decide(client, sid, "approve").status_code == 303
    store = store_of(application)
    # as if the process died after the database commit, before the file and the store were written
    store.drop_graph(GRAPH)
    (data_dir / "graphs" / f"inzending-{sid}.trig").unlink()
    # and a stray graph of a submission that is not approved
    store.replace_graph(URIRef("https://w3id.org/sociale-basis/id/bron/inzending-77"), [(PUB, RDFS.label, Literal("x"))])
    close_app(application)

    restarted = make_app(data_dir)
    try:
        store = store_of(restarted)
        assert store.triple_count(GRAPH) > 0
        assert (data_dir / "graphs" / f"inzending-{sid}.trig").is_file()
        assert store.triple_count(URIRef("https://w3id.org/sociale-basis/id/bron/inzending-77")) == 0
    finally:
        close_app(restarted)


def test_rebuild_keeps_approved_graphs(tmp_path: Path) -> None:
    from graph.settings import load_settings
    from graph.store.build import build, open_store
    from tests.conftest import make_settings

    data_dir = tmp_path / "data"
    application = make_app(data_dir)
    client = application.test_client()
    sid = receipt_id(client, submit(client))
    login(client)
    assert decide(client, sid, "approve").status_code == 303
    close_app(application)
    settings = load_settings(make_settings(data_dir))
    build(settings, force=True)
    store = open_store(settings)
    try:
        assert store.ask("ASK { GRAPH ?g { ?pub a sb:ResearchReport } }", {"g": GRAPH, "pub": PUB})
    finally:
        store.close()


def test_approved_graph_conforms_to_the_shapes(tmp_path: Path) -> None:
    from graph.store.validate import validate_files
    from tests.conftest import FIXTURE_DATA, ONTOLOGY

    data_dir = tmp_path / "data"
    application = make_app(data_dir)
    client = application.test_client()
    sid = receipt_id(client, submit(client, authors=["An Onderzoeker", "Stichting Buurtkracht", "Nieuwe Auteur"],
                                     places=["Zeist", "Nieuwe Wijk Oost"], initiatives=["Nieuw Buurtinitiatief"]))
    login(client)
    assert decide(client, sid, "approve", authors=["An Onderzoeker", "Stichting Buurtkracht", "Nieuwe Auteur"],
                  places=["Zeist", "Nieuwe Wijk Oost"], initiatives=["Nieuw Buurtinitiatief"]).status_code == 303
    close_app(application)
    files = sorted(FIXTURE_DATA.glob("*.trig")) + [data_dir / "graphs" / f"inzending-{sid}.trig"]
    report = validate_files(files, ONTOLOGY / "shapes.ttl", [ONTOLOGY / "sociale-basis.ttl"])
    ours = [v for v in report.violations if "inzending" in v.focus or "buurthuizen" in v.focus
            or "nieuw" in v.focus or "buurtkracht" in v.focus]
    assert [v for v in ours if v.severity == "Violation"] == [], [str(v) for v in ours]


def test_editor_cannot_decide_without_session(sapp, visitor) -> None:
    from tests.submissions.test_submit_support import form_token

    sid = receipt_id(visitor, submit(visitor))
    csrf = form_token(visitor)
    response = visitor.post(f"/redactie/inzending/{sid}", data={"csrf_token": csrf, "action": "approve", **{"title": "x"}})
    assert response.status_code == 401
    assert subs_of(sapp).get(sid).status == "pending"


def test_moderation_json_has_no_receipt(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor))
    detail = editor.get(f"/redactie/inzending/{sid}.json").get_json()
    assert "receipt" not in detail
    assert json.dumps(detail)  # plain data


def test_withdrawn_address_stays_reserved(sapp, visitor, editor) -> None:
    first = receipt_id(visitor, submit(visitor))
    assert decide(editor, first, "approve").status_code == 303
    assert decide(editor, first, "reject", note="Even terugtrekken.").status_code == 303
    second = receipt_id(visitor, submit(visitor, url="https://example.org/andere-versie"))
    assert decide(editor, second, "approve", url="https://example.org/andere-versie").status_code == 303
    assert subs_of(sapp).get(second).publication_iri == str(PUB) + "-2"
    assert decide(editor, first, "approve").status_code == 303  # back, at its own address
    assert subs_of(sapp).get(first).publication_iri == str(PUB)
    store = store_of(sapp)
    assert store.triple_count(GRAPH) > 0
    assert store.ask(f"ASK {{ GRAPH <https://w3id.org/sociale-basis/id/bron/inzending-{second}> {{ <{PUB}-2> a ?t }} }}")


def test_withdrawing_the_first_mention_keeps_entities_others_still_use(sapp, visitor, editor) -> None:
    """A new author introduced by submission 1 and linked again by submission 2 keeps its type and
    label when submission 1 is withdrawn."""
    first = receipt_id(visitor, submit(visitor))
    assert decide(editor, first, "approve").status_code == 303
    store = store_of(sapp)
    author = store.select('SELECT ?a ?l WHERE { ?a rdfs:label ?l FILTER(STR(?l) = "Stichting Buurtkracht") }')
    assert author, "the new author was not created"
    iri = author[0]["a"]
    second = receipt_id(visitor, submit(visitor, title="Tweede rapport over buurthuizen in Zeist",
                                        url="https://example.org/tweede-rapport"))
    assert decide(editor, second, "approve", title="Tweede rapport over buurthuizen in Zeist",
                  url="https://example.org/tweede-rapport").status_code == 303
    assert decide(editor, first, "reject", note="Ingetrokken: dubbel.").status_code == 303
    assert store.ask("ASK { ?a a ?t ; rdfs:label ?l }", {"a": iri})
