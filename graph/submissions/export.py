"""Export and import of the moderated data as TriG (to keep in version control and restore from).

The export holds the graph of every approved submission exactly as published, and one graph
`https://w3id.org/sociale-basis/graph/moderatie` with a record per submission (status, public fields,
criteria, note, editor, times and history). It never holds the submitter's name or e-mail, nor the
private receipt link. Do NOT put the export in data/ or DATA_DIR/graphs: it also holds pending and
rejected submissions, which must stay out of the public store. Import restores it (idempotent:
importing the same file twice changes nothing the second time).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from graph.errors import N_, ParseError
from graph.namespaces import BASE, GRAPH_MODERATION, PREFIXES
from graph.store.graphstore import GraphStore, from_ox, to_ox
from graph.submissions.fields import public_part
from graph.submissions.moderation import reconcile
from graph.submissions.rdf import serialize_graph
from graph.submissions.store import STATUSES, SubmissionStore, graph_iri

MOD = Namespace(BASE + "def/moderatie#")
RECORD_BASE = BASE + "moderatie/inzending/"
RDF_JSON = RDF.JSON
HEADER = (
    "# Sociale Basis Kennisgraaf: moderated submissions (sociale-basis submissions export).\n"
    "# Approved submissions' graphs, and a moderation record per submission in <" + str(GRAPH_MODERATION) + ">.\n"
    "# Holds no submitter names or e-mail addresses. Restore with 'sociale-basis submissions import FILE'.\n"
    "# Do not place this file in data/ or DATA_DIR/graphs: pending and rejected submissions must stay private.\n"
)


def _record_iri(submission_id: int) -> URIRef:
    return URIRef(f"{RECORD_BASE}{submission_id}")


def _dt(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime)


def _json(value: Any) -> Literal:
    return Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=RDF_JSON)


def export_trig(subs: SubmissionStore) -> bytes:
    """All moderated data as TriG."""
    quads: list[tuple[Node, Node, Node, URIRef]] = []
    g = GRAPH_MODERATION
    for sub in subs.all():
        rec = _record_iri(sub.id)

        def add(p: Node, o: Node, rec: URIRef = rec, out: list[tuple[Node, Node, Node, URIRef]] = quads) -> None:
            out.append((rec, p, o, g))

        add(RDF.type, MOD.Submission)
        add(MOD.id, Literal(sub.id))
        add(MOD.status, Literal(sub.status))
        add(DCTERMS.created, _dt(sub.submitted_at))
        add(DCTERMS.modified, _dt(sub.updated_at))
        add(MOD.data, _json(public_part(sub.data)))
        add(MOD.assessment, _json(sub.assessment))
        if sub.note:
            add(MOD.note, Literal(sub.note))
        if sub.decided_by:
            add(MOD.decidedBy, Literal(sub.decided_by))
        if sub.decided_at:
            add(MOD.decidedAt, _dt(sub.decided_at))
        if sub.publication_iri:
            add(MOD.publication, URIRef(sub.publication_iri))
        if sub.status == "approved" and sub.graph_trig:
            add(MOD.graph, sub.graph_iri)
            for s, p, o in _graph_triples(sub.graph_trig, sub.graph_iri):
                quads.append((s, p, o, sub.graph_iri))
        for n, event in enumerate(sub.events, start=1):
            ev = URIRef(f"{rec}/gebeurtenis/{n}")
            quads += [
                (ev, RDF.type, MOD.Event, g), (ev, MOD.submission, rec, g), (ev, MOD.sequence, Literal(n), g),
                (ev, MOD.at, _dt(event["at"]), g), (ev, MOD.actor, Literal(event["actor"]), g),
                (ev, MOD.action, Literal(event["action"]), g),
            ]
            if event.get("note"):
                quads.append((ev, MOD.note, Literal(event["note"]), g))
    prefixes = dict(PREFIXES, mod=str(MOD))
    items = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(gr)) for s, p, o, gr in quads]
    return HEADER.encode("utf-8") + (ox.serialize(items, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b"")


def _graph_triples(trig: str, graph: URIRef) -> list[tuple[Node, Node, Node]]:
    from graph.submissions.rdf import parse_graph

    return sorted(parse_graph(trig, graph), key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def read_export(data: bytes, source: str = "import") -> list[dict[str, Any]]:
    """The moderation records of an export, each with its approved graph as TriG ('graph_trig')."""
    try:
        parsed = list(ox.parse(data, format=ox.RdfFormat.TRIG))
    except SyntaxError as exc:
        raise ParseError(exc.msg or str(exc), source=source, line=exc.lineno) from exc
    by_graph: dict[str, list[tuple[Node, Node, Node]]] = {}
    for quad in parsed:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise ParseError(N_("a triple outside a named graph: not a submissions export"), source=source)
        by_graph.setdefault(quad.graph_name.value, []).append(
            (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    props: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in by_graph.get(str(GRAPH_MODERATION), []):
        props.setdefault(s, {}).setdefault(p, []).append(o)

    def one(node: Node, prop: URIRef) -> str | None:
        values = props.get(node, {}).get(prop)
        return str(values[0]) if values else None

    events: dict[Node, list[tuple[int, dict[str, Any]]]] = {}
    records: list[dict[str, Any]] = []
    for node, values in props.items():
        if MOD.Event in values.get(RDF.type, []):
            owner = values[MOD.submission][0]
            events.setdefault(owner, []).append((int(one(node, MOD.sequence) or 0), {
                "at": one(node, MOD.at), "actor": one(node, MOD.actor), "action": one(node, MOD.action), "note": one(node, MOD.note) or "",
            }))
    for node, values in props.items():
        if MOD.Submission not in values.get(RDF.type, []):
            continue
        try:
            sid = int(one(node, MOD.id) or "")
            status = one(node, MOD.status)
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}")
            record = {
                "id": sid, "status": status, "submitted_at": one(node, DCTERMS.created), "updated_at": one(node, DCTERMS.modified),
                "data": public_part(json.loads(one(node, MOD.data) or "{}")), "assessment": json.loads(one(node, MOD.assessment) or "{}"),
                "note": one(node, MOD.note) or "", "decided_by": one(node, MOD.decidedBy), "decided_at": one(node, MOD.decidedAt),
                "publication_iri": one(node, MOD.publication), "graph_trig": None,
                "events": [e for _n, e in sorted(events.get(node, []), key=lambda t: t[0])],
            }
        except (ValueError, KeyError, TypeError) as exc:
            raise ParseError(N_("moderation record %(node)s is damaged: %(problem)s"),
                             source=source, node=node, problem=str(exc)) from exc
        if not record["submitted_at"] or not record["updated_at"]:
            raise ParseError(N_("moderation record %(node)s lacks its times"), source=source, node=node)
        if status == "approved":
            g = graph_iri(sid)
            triples = by_graph.get(str(g))
            if not triples:
                raise ParseError(N_("approved submission %(id)s has no graph <%(graph)s> in the file"),
                                 source=source, id=sid, graph=g)
            record["graph_trig"] = serialize_graph(g, triples, sid)
        records.append(record)
    records.sort(key=lambda r: r["id"])
    return records


def import_trig(data: bytes, subs: SubmissionStore, data_dir: str | Path, store: GraphStore | None, source: str = "import") -> dict[str, int]:
    """Restore an export: records into the database, approved graphs into files and the store."""
    records = read_export(data, source)
    changed = 0
    for record in records:
        existing = subs.get(record["id"])
        record["receipt"] = existing.receipt if existing else secrets.token_urlsafe(18)
        if existing is not None and existing.submitted_at != record["submitted_at"]:
            from graph.submissions.store import Conflict

            raise Conflict(N_("submission %(id)s here was submitted at %(here)s, "
                              "in the file at %(there)s: a different submission"),
                           id=record["id"], here=existing.submitted_at, there=record["submitted_at"])
        if subs.restore(record):
            changed += 1
    repaired = reconcile(store, subs, data_dir)
    return {"records": len(records), "changed": changed, **repaired}
