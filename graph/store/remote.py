"""The store on a remote SPARQL 1.1 server (STORE=sparql): Oxigraph server (`oxigraph serve`) or
Virtuoso, by configuration.

It keeps the same model as the embedded store: one named graph per source, and the server's default
graph holding their union as a set, so a query without a dataset counts every triple once on every
backend. Loading the whole dataset goes through the SPARQL 1.1 Graph Store Protocol (`PUT` of
N-Quads to SPARQL_STORE_URL, which both servers accept); approvals and withdrawals are one SPARQL
Update each (the same text the embedded store runs). A write the server refuses is a StoreError
with the server's words, never a silent loss.

Several web processes may share one server. Each process notices the others' writes by a
fingerprint of the dataset (triples per named graph), read at most every STORE_POLL_SECONDS, so
its caches and search index follow within that time.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import time
from typing import Iterable, Iterator, Mapping
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node

from graph.errors import BadRequest, StoreError
from graph.store.graphstore import QUERY_PREFIXES, GraphStore, ntriples, replace_update

FINGERPRINT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
TIMEOUT = 120.0  # seconds for one write or load; reads have the endpoint's own limits


def http_post(url: str, body: bytes, content_type: str, *, method: str = "POST", accept: str = "*/*",
              timeout: float = TIMEOUT, bad_request: bool = False) -> bytes:
    """One request to the store server; StoreError with the server's words when it refuses (a
    BadRequest for a 400 when `bad_request`: the query was wrong, not the store)."""
    request = Request(url, data=body, method=method, headers={"Content-Type": content_type, "Accept": accept})
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured store URL
            return bytes(response.read())
    except HTTPError as exc:
        detail = exc.read(1000).decode("utf-8", "replace").strip()
        if bad_request and exc.code == 400:
            raise BadRequest(f"the store refused the query: {detail or exc.reason}") from exc
        raise StoreError(f"the store at {url} refused the request ({exc.code}): {detail or exc.reason}") from exc
    except (URLError, TimeoutError, OSError) as exc:
        raise StoreError(f"the store at {url} cannot be reached: {getattr(exc, 'reason', exc)}") from exc


_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_IRIS_AND_COMMENTS = re.compile(r"<[^<>\s]*>|#[^\n]*|\"(?:[^\"\\]|\\.)*\"")


def with_prefixes(sparql: str) -> str:
    """The query with PREFIX declarations for the predeclared prefixes it does not declare itself."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(sparql)}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items() if p not in declared)
    return head + sparql


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside IRIs, strings and comments."""
    match = _FORM.search(_IRIS_AND_COMMENTS.sub(" ", sparql))
    return match.group(1).upper() if match else "SELECT"


class RemoteSparqlStore(GraphStore):
    """A remote SPARQL 1.1 server: queries at `query_url`, updates at `update_url`, whole-dataset
    loads at `store_url` (Graph Store Protocol)."""

    def __init__(self, query_url: str, update_url: str = "", store_url: str = "", *, poll_seconds: float = 2.0) -> None:
        super().__init__()
        if not query_url:
            raise StoreError("STORE=sparql needs SPARQL_QUERY_URL")
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.poll_seconds = poll_seconds
        self._seen: dict[str, int] | None = None  # triples per named graph when last looked
        self._checked = 0.0
        self._poll_lock = threading.Lock()

    # -- reading -----------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        """The server's answer as an rdflib Result. The project's prefixes are declared (the embedded
        store predeclares them), and bound values go in a VALUES block: data, never query text."""
        text = with_prefixes(sparql)
        values = {k: v for k, v in (bindings or {}).items() if isinstance(v, Identifier)}
        if values:
            names = " ".join(f"?{k}" for k in values)
            text += f"\nVALUES ({names}) {{ ({' '.join(v.n3() for v in values.values())}) }}"
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        body = http_post(self.query_url, urlencode({"query": text}).encode("utf-8"), "application/x-www-form-urlencoded",
                         accept=accept, timeout=TIMEOUT, bad_request=True)
        if graph:
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=body.decode("utf-8"), format="nt")
            return result
        return Result.parse(io.BytesIO(body), format="json")

    def graph_names(self) -> list[URIRef]:
        return [g for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") if isinstance(g := r["g"], URIRef)]

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph} if graph else None)
        for r in rows:
            name = r.get("g", graph)
            yield r["s"], r["p"], r["o"], name if isinstance(name, URIRef) else None

    # -- writing -----------------------------------------------------------------------------
    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._update(replace_update(graph, ntriples(triples)))
        self._changed({graph})

    def drop_graph(self, graph: URIRef) -> None:
        self._update(replace_update(graph, ""))
        self._changed({graph})

    def _update(self, update: str) -> None:
        if not self.update_url:
            raise StoreError("the store is read-only here: set SPARQL_UPDATE_URL to write to it")
        http_post(self.update_url, update.encode("utf-8"), "application/sparql-update")
        self._seen = None  # our own write: the next look takes the new state as seen

    def load_dataset(self, nquads: bytes) -> None:
        """Replace the whole dataset with these N-Quads (the named graphs and the union in the
        default graph), through the Graph Store Protocol."""
        if not self.store_url:
            raise StoreError("loading a remote store needs SPARQL_STORE_URL (its Graph Store Protocol endpoint)")
        http_post(self.store_url, nquads, "application/n-quads", method="PUT")
        self._seen = None
        self._changed(set())

    # -- other processes' writes -------------------------------------------------------------
    @property
    def version(self) -> int:
        """Our own version, moved on also when another process changed the server (checked at most
        every `poll_seconds`): listeners hear which graphs changed."""
        now = time.monotonic()
        if self.poll_seconds >= 0 and now - self._checked >= self.poll_seconds and self._poll_lock.acquire(blocking=False):
            try:
                self._checked = now
                self._look()
            finally:
                self._poll_lock.release()
        return self._version

    def _look(self) -> None:
        try:
            current = {str(r["g"]): int(str(r["n"])) for r in self.select(FINGERPRINT)}
        except Exception:  # noqa: BLE001 - an unreachable server shows on the request itself, not here
            return
        if self._seen is None:
            self._seen = current
            return
        changed = {URIRef(g) for g in set(current) | set(self._seen) if current.get(g) != self._seen.get(g)}
        self._seen = current
        if changed:
            self._changed(changed)

    def fingerprint(self) -> str:
        """A short digest of the dataset's shape (graphs and their sizes), for tests and the logs."""
        rows = sorted((str(r["g"]), str(r["n"])) for r in self.select(FINGERPRINT))
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
