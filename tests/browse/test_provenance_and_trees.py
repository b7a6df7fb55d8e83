"""Readable provenance on source pages (sentences, no property names, IRIs or hashes), relations
stated both ways listed once, and the concept schemes as collapsible broader/narrower trees."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import SKOS

from graph.namespaces import ID
from graph.submissions import rdf
from graph.submissions.rdf import Provenance, build_triples

AGENT = "a1b2c3d4e5f6"


def _approve_a_submission(application) -> str:
    """The graph of an approved submission, as moderation writes it."""
    from webapp.state import get_store

    pub = URIRef(ID + "publicatie/buurthuizen-als-hart")
    data = {"title": "Buurthuizen als hart van de wijk", "summary": "Een verkenning van buurthuizen.",
            "kind": next(iter(rdf.KIND_BY_KEY)), "date": "2024-05-01", "url": "https://example.org/buurthuizen",
            "pillars": [], "spheres": []}
    triples = build_triples(data, {}, pub, Provenance(7, "2026-11-30T09:12:00Z", "2026-12-01T14:03:00Z", AGENT))
    with application.app_context():
        get_store().replace_graph(URIRef(ID + "bron/inzending-7"), triples)
    return "/id/bron/inzending-7"


def _main(html: str) -> str:
    """The page's main column (the side box shows the persistent identifier on purpose)."""
    return html.split('<div class="resource-main">', 1)[1].split('<aside class="resource-side">', 1)[0]


def test_an_approved_submission_reads_as_sentences(fresh_app):
    path = _approve_a_submission(fresh_app)
    client = fresh_app.test_client()
    main = _main(client.get(path).get_data(as_text=True))
    assert "Herkomst" in main
    assert "Deze bron is een inzending in de kennisgraaf, ingestuurd op 30 november 2026" in main
    assert "door een redacteur goedgekeurd op 1 december 2026" in main
    assert 'Ze beschrijft <a href="/id/publicatie/buurthuizen-als-hart"><span>Buurthuizen als hart van de wijk</span></a>' in main
    assert 'licentie <a href="https://creativecommons.org/licenses/by/4.0/" rel="license external"><span>CC BY 4.0</span></a>' in main
    text = re.sub(r"<[^>]+>", " ", main)  # what a reader sees
    for raw in ("prov:", "Prov:", "generatedattime", "wasgeneratedby", "#moderatie", "moderatie", AGENT, "https://", "primaryTopic"):
        assert raw.lower() not in text.lower(), raw
    english = _main(client.get(path + "?lang=en").get_data(as_text=True))
    assert "This source is a submission to the knowledge graph, sent in on 30 November 2026" in english
    assert "approved by an editor on 1 December 2026" in english
    data = client.get(path + ".json").get_json()
    assert data["provenance"]["submission"] is True and data["provenance"]["topics"][0]["label"] == "Buurthuizen als hart van de wijk"


def test_every_source_reads_as_sentences(client):
    main = _main(client.get("/id/bron/toets-a").get_data(as_text=True))
    assert 'Deze bron is de webpagina <a href="https://example.org/bron-a" rel="external"><span>Toetsbron A</span></a> op example.org.' in main
    assert "Ze is gepubliceerd door" in main and "26 juni 2023" in main
    assert "het bestand fixture.trig" in main
    text = re.sub(r"<[^>]+>", " ", main)
    for raw in ("Bronbestand", "Sourcefile", "sb:", "https://"):
        assert raw not in text, raw
    # what the source states adds up: the count is the sum of the listed subjects
    counts = [int(n) for n in re.findall(r'<span class="muted small">\((\d+)\)</span>', main)]
    total = int(re.search(r"herkomst van <strong>(\d+)</strong>", main).group(1))
    assert counts and sum(counts) == total


def test_a_link_stated_both_ways_is_listed_once(fresh_app):
    from webapp.state import get_store

    a, b = URIRef(ID + "begrip/ontmoeting"), URIRef(ID + "begrip/sociale-inclusie")
    with fresh_app.app_context():
        get_store().replace_graph(URIRef(ID + "bron/toets-verwant"), [(a, SKOS.related, b), (b, SKOS.related, a)])
    client = fresh_app.test_client()
    data = client.get("/id/begrip/ontmoeting.json").get_json()
    related = [v["iri"] for g in data["relations"] if g["property"] == str(SKOS.related) for v in g["values"]]
    assert related == [str(b)]
    assert not [g for g in data["incoming"] if g["property"] == str(SKOS.related)]
    # skos:broader stated here and skos:narrower stated on the broader concept: once, with both sources
    broader = next(g for g in data["relations"] if g["property"] == str(SKOS.broader))
    assert [v["iri"] for v in broader["values"]] == [ID + "begrip/sociale-cohesie"]
    assert not [g for g in data["incoming"] if g["property"] == str(SKOS.narrower)]
    html = client.get("/id/begrip/ontmoeting").get_data(as_text=True)
    assert html.count('href="/id/begrip/sociale-inclusie"') == 1
    # a top concept's scheme: skos:topConceptOf out, skos:hasTopConcept in, listed once
    cohesie = client.get("/id/begrip/sociale-cohesie.json").get_json()
    assert not [g for g in cohesie["incoming"] if g["property"] == str(SKOS.hasTopConcept)]


def test_concept_schemes_are_collapsible_trees(client):
    html = client.get("/begrippen").get_data(as_text=True)
    cohesie = html.index('href="/id/begrip/sociale-cohesie"')
    nested = html.index('href="/id/begrip/ontmoeting"', cohesie)
    between = html[cohesie:nested]
    assert '<details class="tree-node" open>' in between and '<ul class="tree">' in between
    assert between.index("<summary") < between.index('<ul class="tree">')  # the link stays outside the toggle
    assert "1 smaller" in between
    assert "2 niveaus" in html
    data = client.get("/begrippen.json").get_json()
    pillars = next(s for s in data["schemes"] if s["iri"].endswith("pijlers-sociale-kwaliteit"))
    spheres = next(s for s in data["schemes"] if s["iri"].endswith("sferen-sociale-basis"))
    assert pillars["levels"] == 2 and spheres["levels"] == 1
