"""Moderation: approve (publish into the graph at once), reject or withdraw, and keep store, files
and the submissions database in step.

Approving is done in this order, so a crash at any point leaves nothing lost or half-published:
1. the database records the decision together with the graph's TriG (committed, on disk);
2. the TriG is written to DATA_DIR/graphs/inzending-<id>.trig (fsync, atomic rename), which every
   rebuild of the store loads again;
3. `store.replace_graph` puts the graph into the running store (search, pages, network views and
   the SPARQL endpoint follow the store's change notifications).
`reconcile()` (run when the app starts and after an import) repairs whatever a crash interrupted:
the database is the authority on which submissions are published and what their graphs hold.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any, Mapping

from rdflib import URIRef
from rdflib.term import Node

from graph.errors import N_, BadRequest, StoreError, StoreWriteRefused, ValidationFailed
from graph.namespaces import entity_iri
from graph.store.build import RUNTIME_GRAPHS_DIR
from graph.store.graphstore import GraphStore
from graph.submissions.entity_index import Resolved, entity_index
from graph.submissions.fields import as_form, parse_form
from graph.submissions.rdf import (
    Provenance,
    build_triples,
    parse_graph,
    publication_iri,
    resolution_errors,
    resolve_fields,
    serialize_graph,
)
from graph.submissions.store import (
    APPROVED,
    PENDING,
    REJECTED,
    STATUSES,
    Editor,
    Submission,
    SubmissionStore,
    graph_iri,
    now,
)

GRAPH_FILE_RE = re.compile(r"^inzending-(\d+)\.trig$")
GRAPH_IRI_RE = re.compile("^" + re.escape(str(entity_iri("bron", "inzending-"))) + r"(\d+)$")
# One decision at a time in this process: choosing a free publication IRI must not race.
_decision_lock = threading.Lock()


def graph_file(data_dir: str | Path, submission_id: int) -> Path:
    return Path(data_dir) / RUNTIME_GRAPHS_DIR / f"inzending-{int(submission_id)}.trig"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that it is either the old or the new content, and on disk, when this returns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(text.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def remove_file(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems do not support fsync on directories
    finally:
        os.close(fd)


def prepare(store: GraphStore, sub: Submission) -> tuple[dict[str, Any], dict[str, Any]]:
    """(clean data, problems) for publishing a submission: field errors and unresolvable names."""
    data, errors = parse_form(as_form(sub.data), editor=True)
    resolved = resolve_fields(entity_index(store), data)
    problems: dict[str, Any] = {k: [v] for k, v in errors.items()}
    for name, items in resolution_errors(resolved).items():
        problems.setdefault(name, []).extend(items)
    return data, problems


def approve(store: GraphStore, subs: SubmissionStore, data_dir: str | Path, submission_id: int, editor: Editor, note: str = "") -> Submission:
    """Publish a submission (pending, rejected, or already approved: then its graph is updated)."""
    with _decision_lock:
        sub = subs.require(submission_id)
        data, problems = prepare(store, sub)
        if problems:
            raise ValidationFailed(N_("the submission cannot be approved yet"),
                                   [{"field": k, "messages": v} for k, v in problems.items()])
        resolved = resolve_fields(entity_index(store), data)
        if sub.publication_iri:
            pub = URIRef(sub.publication_iri)
        else:
            # Addresses once given to any submission stay reserved (a withdrawn one may come back).
            taken = [s.publication_iri for s in subs.list(None, limit=1_000_000) if s.publication_iri and s.id != sub.id]
            pub = publication_iri(store, data["title"], sub.id, taken)
        prov = Provenance(sub.id, sub.submitted_at, now(), editor.agent_id)
        triples = build_triples(data, resolved, pub, prov) + restated_identity(store, triples_objects(resolved, pub))
        trig = serialize_graph(sub.graph_iri, triples, sub.id)
        action = "updated" if sub.status == APPROVED else "approved"
        decided = subs.decide(sub.id, APPROVED, editor.name, note, action=action, publication_iri=str(pub), graph_trig=trig,
                              expect=(sub.status,))
        write_atomic(graph_file(data_dir, sub.id), trig)
        try:
            store.replace_graph(sub.graph_iri, triples)
        except StoreError as exc:
            _undo(subs, data_dir, sub, editor, exc)
        return decided


def reject(store: GraphStore, subs: SubmissionStore, data_dir: str | Path, submission_id: int, editor: Editor, note: str) -> Submission:
    """Reject a pending submission, or withdraw an approved one (its graph leaves the store). A note is required."""
    note = note.strip()
    if not note:
        raise BadRequest(N_("Write a note when rejecting."))
    with _decision_lock:
        sub = subs.require(submission_id)
        action = "withdrawn" if sub.status == APPROVED else "rejected"
        decided = subs.decide(sub.id, REJECTED, editor.name, note, action=action, graph_trig=None, expect=(sub.status,))
        if sub.status == APPROVED:
            remove_file(graph_file(data_dir, sub.id))
            try:
                store.drop_graph(sub.graph_iri)
            except StoreError as exc:
                _undo(subs, data_dir, sub, editor, exc)
        return decided


def _undo(subs: SubmissionStore, data_dir: str | Path, before: Submission, editor: Editor, exc: StoreError) -> None:
    """The store refused the change: put the database and the graph file back as they were before
    the decision, so nothing is half-published, and tell the editor (StoreWriteRefused)."""
    subs.decide(before.id, before.status, editor.name, before.note, action="store-refused",
                graph_trig=before.graph_trig, expect=STATUSES)
    if before.status == APPROVED and before.graph_trig:
        write_atomic(graph_file(data_dir, before.id), before.graph_trig)
    else:
        remove_file(graph_file(data_dir, before.id))
    raise StoreWriteRefused(
        N_("the knowledge graph did not take the change, so nothing was changed: the submission is still "
           "'%(status)s'. Try again later. (%(detail)s)"), status=before.status, detail=str(exc)[:300]) from exc


def reopen(subs: SubmissionStore, submission_id: int, editor: Editor) -> Submission:
    """Put a rejected submission back in the queue."""
    with _decision_lock:
        sub = subs.require(submission_id)
        if sub.status != REJECTED:
            raise BadRequest(N_("only a rejected submission can be put back in the queue"))
        return subs.decide(sub.id, PENDING, editor.name, sub.note, action="reopened", graph_trig=None, expect=(REJECTED,))


def reconcile(store: GraphStore | None, subs: SubmissionStore, data_dir: str | Path) -> dict[str, int]:
    """Make files and store match the database: approved graphs present and equal, nothing else there.

    With `store=None` only the files are repaired (the store follows at the next start).
    """
    counts = {"files_written": 0, "files_removed": 0, "graphs_loaded": 0, "graphs_dropped": 0}
    approved = {s.id: s for s in subs.list(APPROVED, limit=1_000_000)}
    folder = Path(data_dir) / RUNTIME_GRAPHS_DIR
    for sub in approved.values():
        if not sub.graph_trig:
            continue
        path = graph_file(data_dir, sub.id)
        if not path.is_file() or path.read_text(encoding="utf-8") != sub.graph_trig:
            write_atomic(path, sub.graph_trig)
            counts["files_written"] += 1
    if folder.is_dir():
        for path in folder.iterdir():
            match = GRAPH_FILE_RE.match(path.name)
            if match and int(match.group(1)) not in approved:
                remove_file(path)
                counts["files_removed"] += 1
            elif path.name.startswith(".inzending-") and path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)  # left by a crash during write_atomic
    if store is None or getattr(store, "read_only", False):
        return counts
    for sub in approved.values():
        if not sub.graph_trig:
            continue
        wanted = parse_graph(sub.graph_trig, sub.graph_iri)
        present = {(s, p, o) for s, p, o, _g in store.quads(sub.graph_iri)}
        if wanted != present:
            store.replace_graph(sub.graph_iri, wanted)
            counts["graphs_loaded"] += 1
    for name in store.graph_names():
        match = GRAPH_IRI_RE.match(str(name))
        if match and int(match.group(1)) not in approved:
            store.drop_graph(graph_iri(int(match.group(1))))
            counts["graphs_dropped"] += 1
    return counts


def triples_objects(resolved: Mapping[str, list[Resolved]], pub: URIRef) -> list[URIRef]:
    """The existing entities a submission links to."""
    return [i.iri for items in resolved.values() for i in items if i.iri is not None and not i.new and not i.error and i.iri != pub]


def restated_identity(store: GraphStore, iris: list[URIRef]) -> list[tuple[Node, Node, Node]]:
    """Type and labels of linked entities that only other submissions define, restated in this
    graph, so withdrawing the submission that introduced them leaves no nameless entity behind."""
    out: list[tuple[Node, Node, Node]] = []
    for iri in dict.fromkeys(iris):
        shipped = store.ask(
            'ASK { GRAPH ?g { ?e a ?t } FILTER(!STRSTARTS(STR(?g), "https://w3id.org/sociale-basis/id/bron/inzending-")) }',
            {"e": iri},
        )
        if shipped:
            continue
        for row in store.select(
            "SELECT ?e ?p ?o WHERE { GRAPH ?g { ?e ?p ?o } VALUES ?p { rdf:type rdfs:label } "
            'FILTER(STRSTARTS(STR(?g), "https://w3id.org/sociale-basis/id/bron/inzending-")) }',
            {"e": iri},
        ):
            out.append((iri, row["p"], row["o"]))
    return list(dict.fromkeys(out))
