"""The store interface over a remote SPARQL 1.1 server (here: our own running endpoint, read-only)."""

from __future__ import annotations

from rdflib import Literal, URIRef

from graph.store.remote import RemoteSparqlStore

ALFA = URIRef("https://w3id.org/sociale-basis/id/programma/alfa")


def test_remote_store_answers_like_the_embedded_one(live_server, store):
    remote = RemoteSparqlStore(f"{live_server.url}/sparql")
    query = "SELECT ?p ?l WHERE { ?p a <https://w3id.org/sociale-basis/def/Agreement> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    assert sorted((str(r["p"]), str(r["l"])) for r in remote.select(query)) == sorted(
        (str(r["p"]), str(r["l"])) for r in store.select(query))
    bound = remote.select("SELECT ?p ?l WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l }", {"p": ALFA})
    assert {r["l"] for r in bound} == {Literal("Alfa-akkoord", lang="nl"), Literal("Alpha Agreement", lang="en")}
    assert remote.ask("ASK { ?s a <https://w3id.org/sociale-basis/def/Initiative> }")


def test_an_unreachable_server_is_logged_once_per_outage(caplog):
    from tests.servers import free_port

    remote = RemoteSparqlStore(f"http://127.0.0.1:{free_port()}/sparql")  # nothing listens there
    with caplog.at_level("WARNING", logger="graph.store.remote"):
        remote._look()
        remote._look()
    warnings = [r.getMessage() for r in caplog.records if r.name == "graph.store.remote"]
    assert len(warnings) == 1 and "did not answer the change check" in warnings[0]
