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
import http.client
import io
import json
import logging
import re
import threading
import time
from typing import Iterable, Iterator, Mapping
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
from rdflib import Graph, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from graph.errors import BadRequest, StoreError
from graph.namespaces import BASE, iri_ref
from graph.store.graphstore import QUERY_PREFIXES, GraphStore, ntriples, replace_update

log = logging.getLogger(__name__)

FINGERPRINT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
# Virtuoso echoes every named graph of a request as a response header (X-SPARQL-named-graph); a
# dataset of a few hundred graphs passes http.client's default limit of 100 headers.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 10_000)  # type: ignore[attr-defined]  # a module setting, not typed
TIMEOUT = 120.0  # seconds for one write or load; reads have the endpoint's own limits
LOAD_CHUNK = 1000  # triples per INSERT DATA when a dataset is loaded by SPARQL Update (Virtuoso parses at most a few thousand lines)
TEMPLATE_CHUNK = 300  # triples per INSERT template (triples with blank nodes): Virtuoso's parser has less room


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


def _blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _nt(triples: list[ox.Triple]) -> str:
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _blank_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """The triples grouped so that every blank node's triples are in one group (union-find)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for t in triples:
        blanks = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for other in blanks[1:]:
            parent[root(other)] = root(blanks[0])
    groups: dict[str, list[ox.Triple]] = {}
    for t in triples:
        first = t.subject if isinstance(t.subject, ox.BlankNode) else t.object
        groups.setdefault(root(first.value if isinstance(first, ox.BlankNode) else str(first)), []).append(t)
    return list(groups.values())


def standard_json(body: bytes) -> bytes:
    """SPARQL JSON results as the standard has them: Virtuoso 7 answers an ASK with one row of a
    variable `__ASK_RETVAL` (1 or 0) instead of `{"boolean": …}`."""
    if b"__ASK_RETVAL" not in body[:200]:
        return body
    rows = json.loads(body).get("results", {}).get("bindings", [])
    value = bool(rows) and str(rows[0].get("__ASK_RETVAL", {}).get("value", "0")) not in ("0", "false")
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def _masked(sparql: str) -> str:
    """The query with IRIs, strings and comments blanked (same length), so positions still match."""
    return _IRIS_AND_COMMENTS.sub(lambda m: " " * len(m.group()), sparql)


def inject_values(sparql: str, block: str) -> str:
    """The query with a VALUES block as the first element of its WHERE group, where it binds the
    variables as the embedded store's substitution does (every server parses it there; some do not
    take a VALUES clause after the query)."""
    masked = _masked(sparql)
    where = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE)
    if where is None:
        form = _FORM.search(masked)
        brace = masked.find("{", form.end() if form else 0)
        if brace < 0:
            raise BadRequest("cannot bind values: the query has no WHERE group")
        at = brace + 1
    else:
        at = where.end()
    return f"{sparql[:at]} {block}\n{sparql[at:]}"


def uses_graph(sparql: str) -> bool:
    """True when the query has a GRAPH keyword outside IRIs, strings and comments."""
    return re.search(r"\bGRAPH\b", _masked(sparql), re.IGNORECASE) is not None


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside IRIs, strings and comments."""
    match = _FORM.search(_masked(sparql))
    return match.group(1).upper() if match else "SELECT"


class RemoteSparqlStore(GraphStore):
    """A remote SPARQL 1.1 server: queries at `query_url`, updates at `update_url`, whole-dataset
    loads at `store_url` (Graph Store Protocol)."""

    def __init__(self, query_url: str, update_url: str = "", store_url: str = "", *, poll_seconds: float = 2.0,
                 union_graph: str = "") -> None:
        super().__init__()
        if not query_url:
            raise StoreError("STORE=sparql needs SPARQL_QUERY_URL")
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.poll_seconds = poll_seconds
        # Where the union lives: the server's default graph (""), or a named graph of its own for a
        # server without a default graph of its own (Virtuoso: a query without a dataset reads every
        # graph, its system graphs included, as a bag). Then every query without a dataset is sent
        # with that graph as its default graph and the project's graphs as its named graphs.
        self.union_graph = URIRef(union_graph) if union_graph else None
        self._names: list[URIRef] | None = None
        self._seen: dict[str, int] | None = None  # triples per named graph when last looked
        self._unreachable = False  # the last change check failed (logged once per outage)
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
            text = inject_values(text, f"VALUES ({names}) {{ ({' '.join(v.n3() for v in values.values())}) }}")
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        params = [("query", text), *self.dataset_params(sparql)]
        body = http_post(self.query_url, urlencode(params).encode("utf-8"), "application/x-www-form-urlencoded",
                         accept=accept, timeout=TIMEOUT, bad_request=True)
        if graph:
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=body.decode("utf-8"), format="nt")
            return result
        return Result.parse(io.BytesIO(standard_json(body)), format="json")

    def dataset_params(self, sparql: str) -> list[tuple[str, str]]:
        """The protocol's dataset for a query without one of its own: none when the server's default
        graph is the union; else the union graph as default graph, and the project's graphs as named
        graphs when the query has a GRAPH pattern (without one it reads no named graph)."""
        if self.union_graph is None:
            return []
        named = self.graph_names() if uses_graph(sparql) else []
        return [("default-graph-uri", str(self.union_graph)), *(("named-graph-uri", str(g)) for g in named)]

    def graph_names(self) -> list[URIRef]:
        if self.union_graph is None:
            return [g for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") if isinstance(g := r["g"], URIRef)]
        if self._names is None:
            self._names = sorted(URIRef(g) for g in self._graph_sizes())
        return list(self._names)

    def _graph_sizes(self) -> dict[str, int]:
        """Triples per named graph of the project (not the union graph, nor a server's own graphs)."""
        text = with_prefixes(FINGERPRINT)
        body = http_post(self.query_url, urlencode({"query": text}).encode("utf-8"), "application/x-www-form-urlencoded",
                         accept="application/sparql-results+json", bad_request=True)
        rows = Result.parse(io.BytesIO(body), format="json").bindings
        sizes = {str(r[Variable("g")]): int(str(r[Variable("n")])) for r in rows}
        if self.union_graph is not None:
            sizes = {g: n for g, n in sizes.items() if g.startswith(BASE) and g != str(self.union_graph)}
        return sizes

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph} if graph else None)
        for r in rows:
            name = r.get("g", graph)
            yield r["s"], r["p"], r["o"], name if isinstance(name, URIRef) else None

    # -- writing -----------------------------------------------------------------------------
    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._update(replace_update(graph, ntriples(triples), self.union_graph))
        self._changed({graph})

    def drop_graph(self, graph: URIRef) -> None:
        self._update(replace_update(graph, "", self.union_graph))
        self._changed({graph})

    def _update(self, update: str) -> None:
        if not self.update_url:
            raise StoreError("the store is read-only here: set SPARQL_UPDATE_URL to write to it")
        http_post(self.update_url, update.encode("utf-8"), "application/sparql-update")
        self._seen = None  # our own write: the next look takes the new state as seen
        self._names = None

    def load_dataset(self, nquads: bytes) -> None:
        """Replace the whole dataset with these N-Quads (the named graphs, and the union in the
        default graph): one Graph Store Protocol PUT where the server takes a dataset (SPARQL_STORE_URL),
        else SPARQL Updates, graph by graph, with the default graph's triples going to the union graph."""
        if self.store_url:
            http_post(self.store_url, nquads, "application/n-quads", method="PUT")
        else:
            self._load_by_updates(nquads)
        self._seen = None
        self._names = None
        self._changed(set())

    def _load_by_updates(self, nquads: bytes) -> None:
        if self.union_graph is None:
            raise StoreError("loading a remote store needs SPARQL_STORE_URL (its Graph Store Protocol endpoint), "
                             "or SPARQL_UNION_GRAPH to load it by SPARQL Update")
        graphs: dict[str, list[ox.Triple]] = {}
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            name = str(self.union_graph) if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            graphs.setdefault(name, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
        for old in [*self.graph_names(), self.union_graph]:
            self._update(f"DROP SILENT GRAPH {iri_ref(old)}")
        for name, triples in graphs.items():
            ref = iri_ref(URIRef(name))
            plain = [t for t in triples if not _blank(t)]
            for start in range(0, len(plain), LOAD_CHUNK):
                self._update(f"INSERT DATA {{ GRAPH {ref} {{\n{_nt(plain[start : start + LOAD_CHUNK])}\n}} }}")
            # INSERT DATA may not hold blank nodes on every server (Virtuoso refuses them); an INSERT
            # template may. The triples of one blank node go in one request, so it stays one node.
            chunk: list[ox.Triple] = []
            for group in _blank_groups([t for t in triples if _blank(t)]):
                if chunk and len(chunk) + len(group) > TEMPLATE_CHUNK:
                    self._update(f"INSERT {{ GRAPH {ref} {{\n{_nt(chunk)}\n}} }} WHERE {{}}")
                    chunk = []
                chunk.extend(group)
            if chunk:
                self._update(f"INSERT {{ GRAPH {ref} {{\n{_nt(chunk)}\n}} }} WHERE {{}}")

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
            current = self._graph_sizes()
        except Exception as error:  # noqa: BLE001 - an unreachable server shows on the request itself
            if not self._unreachable:  # once per outage, not once per poll
                log.warning("store server %s did not answer the change check: %s", self.query_url, error)
            self._unreachable = True
            return
        if self._unreachable:
            log.warning("store server %s answers the change check again", self.query_url)
        self._unreachable = False
        self._names = sorted(URIRef(g) for g in current) if self.union_graph is not None else None
        if self._seen is None:
            self._seen = current
            return
        changed = {URIRef(g) for g in set(current) | set(self._seen) if current.get(g) != self._seen.get(g)}
        self._seen = current
        if changed:
            self._changed(changed)

    def fingerprint(self) -> str:
        """A short digest of the dataset's shape (graphs and their sizes), for tests and the logs."""
        return hashlib.sha256(repr(sorted(self._graph_sizes().items())).encode()).hexdigest()[:16]
