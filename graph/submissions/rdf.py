"""The triples of an approved submission, in its own named graph, with provenance (PROV).

Graph `src:inzending-<id>` holds:
- the publication `pub:<slug>` (class per kind, labels nl/en, description, creators, publishers,
  date, URL, stated pillars and spheres, `sb:about` related entities);
- new entities the submission introduces (people, organisations, initiatives, places: type and labels);
- the graph described as an `sb:Source` (and so a `prov:Entity`): title, `dcterms:created` (when it
  was submitted), `prov:generatedAtTime` (when it was approved), `foaf:primaryTopic` the publication,
  `prov:wasGeneratedBy` the moderation activity;
- the moderation: a `prov:Activity` (`<graph>#moderatie`) from submission (`prov:startedAtTime`) to
  approval (`prov:endedAtTime`), `prov:wasAssociatedWith` the editor as a `prov:Agent`.

Editors appear under a pseudonymous, stable IRI (`https://w3id.org/sociale-basis/redactie/<random id>`),
never with their name or login; the submitter does not appear at all. The source metadata sits in
the submission's own graph (not in the shared `graph/bronnen`), so approving, updating or withdrawing
a submission replaces or drops exactly one graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from graph.namespaces import BASE, PREFIXES, SB, SCHEMA, entity_iri, slugify
from graph.store.graphstore import GraphStore, to_ox
from graph.submissions.entity_index import EntityIndex, Resolved, resolve
from graph.submissions.fields import ENTITY_FIELDS, KIND_BY_KEY, PILLAR_BY_KEY, SPHERE_BY_KEY

Triple = tuple[Node, Node, Node]
AGENT_BASE = BASE + "redactie/"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
NEW_KIND_CLASS = {"persoon": SB.Person, "organisatie": SB.Organisation, "initiatief": SB.Initiative, "plaats": SB.Place}
FIELD_PREDICATE = {
    "authors": DCTERMS.creator, "publishers": DCTERMS.publisher, "programmes": SB.about,
    "initiatives": SB.about, "organisations": SB.about, "places": SB.about,
}


def agent_iri(agent_id: str) -> URIRef:
    """The pseudonymous PROV agent of an editor."""
    return URIRef(AGENT_BASE + agent_id)


def issued_literal(text: str) -> Literal:
    """'2023' -> xsd:gYear, '2023-06' -> xsd:gYearMonth, '2023-06-26' -> xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
    return Literal(text, datatype=datatype)


def resolve_fields(index: EntityIndex, data: Mapping[str, Any]) -> dict[str, list[Resolved]]:
    """Every entity field's entries resolved against the graph (existing entity, new entity or error)."""
    return {f.name: [resolve(index, e, f.kinds, f.new_kind) for e in data.get(f.name) or []] for f in ENTITY_FIELDS}


def resolution_errors(resolved: Mapping[str, list[Resolved]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for name, items in resolved.items():
        errors = [r.error for r in items if r.error]
        if errors:
            out[name] = errors
    return out


def publication_iri(store: GraphStore, title: str, submission_id: int, taken: Iterable[str] = ()) -> URIRef:
    """A new `pub:<slug>` from the title that no entity uses yet ('-2', '-3', … when needed)."""
    from graph.store.labels import exists

    base = slugify(title, max_length=70) or f"inzending-{submission_id}"
    taken_set = set(taken)
    for n in range(1, 1000):
        iri = entity_iri("publicatie", base if n == 1 else f"{base}-{n}")
        if str(iri) not in taken_set and not exists(store, iri):
            return iri
    return entity_iri("publicatie", f"{base}-inzending-{submission_id}")


@dataclass(frozen=True)
class Provenance:
    submission_id: int
    submitted_at: str  # ISO 8601 UTC
    approved_at: str
    agent_id: str


def build_triples(data: Mapping[str, Any], resolved: Mapping[str, list[Resolved]], pub: URIRef, prov: Provenance) -> list[Triple]:
    """All triples of the submission's graph (call with resolution errors cleared)."""
    graph = entity_iri("bron", f"inzending-{prov.submission_id}")
    title = str(data["title"])
    title_en = str(data.get("title_en") or "") or title
    out: list[Triple] = [
        (pub, RDF.type, KIND_BY_KEY[data["kind"]].iri),
        (pub, RDFS.label, Literal(title, lang="nl")),
        (pub, RDFS.label, Literal(title_en, lang="en")),
        (pub, DCTERMS.description, Literal(str(data["summary"]), lang="nl")),
    ]
    if data.get("summary_en"):
        out.append((pub, DCTERMS.description, Literal(str(data["summary_en"]), lang="en")))
    if data.get("date"):
        out.append((pub, DCTERMS.issued, issued_literal(str(data["date"]))))
    if data.get("url"):
        out.append((pub, SCHEMA.url, Literal(str(data["url"]), datatype=XSD.anyURI)))
    for key in data.get("pillars") or []:
        out.append((pub, SB.addressesPillar, PILLAR_BY_KEY[key].iri))
    for key in data.get("spheres") or []:
        out.append((pub, SB.sphere, SPHERE_BY_KEY[key].iri))
    created: set[URIRef] = set()
    for name, items in resolved.items():
        for item in items:
            if item.iri is None or item.error:
                continue
            if item.iri != pub:
                out.append((pub, FIELD_PREDICATE[name], item.iri))
            if item.new and item.iri not in created and item.kind in NEW_KIND_CLASS:
                created.add(item.iri)
                out += [
                    (item.iri, RDF.type, NEW_KIND_CLASS[item.kind]),
                    (item.iri, RDFS.label, Literal(item.label, lang="nl")),
                    (item.iri, RDFS.label, Literal(item.label, lang="en")),
                ]
    activity = URIRef(f"{graph}#moderatie")
    agent = agent_iri(prov.agent_id)
    submitted = Literal(prov.submitted_at, datatype=XSD.dateTime)
    approved = Literal(prov.approved_at, datatype=XSD.dateTime)
    out += [
        (graph, RDF.type, SB.Source),
        (graph, RDFS.label, Literal(f"Inzending: {title}", lang="nl")),
        (graph, RDFS.label, Literal(f"Submission: {title_en}", lang="en")),
        (graph, DCTERMS.title, Literal(title)),
        (graph, DCTERMS.created, submitted),
        (graph, PROV.generatedAtTime, approved),
        (graph, PROV.wasGeneratedBy, activity),
        (graph, FOAF.primaryTopic, pub),
        (graph, DCTERMS.license, LICENCE),
        (activity, RDF.type, PROV.Activity),
        (activity, PROV.startedAtTime, submitted),
        (activity, PROV.endedAtTime, approved),
        (activity, PROV.wasAssociatedWith, agent),
        (activity, PROV.generated, graph),
        (agent, RDF.type, PROV.Agent),
    ]
    return list(dict.fromkeys(out))


def _key(triple: Triple) -> tuple[str, str, str]:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


def serialize_graph(graph: URIRef, triples: Iterable[Triple], submission_id: int) -> str:
    """TriG of one graph, deterministic (sorted), with a header; the same triples give the same text."""
    ordered = sorted(set(triples), key=_key)
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(graph)) for s, p, o in ordered]
    body = (ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b"").decode("utf-8")
    header = (
        f"# Inzending {submission_id}: goedgekeurde bijdrage, geschreven door sociale-basis bij goedkeuring.\n"
        "# Submission approved by the editors; generated, do not edit by hand (edit it in /redactie).\n"
    )
    return header + body


def parse_graph(trig: str, graph: URIRef) -> set[Triple]:
    """The triples of `graph` in a TriG text."""
    from graph.store.graphstore import from_ox

    out: set[Triple] = set()
    for quad in ox.parse(trig.encode("utf-8"), format=ox.RdfFormat.TRIG):
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == str(graph):
            out.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return out
