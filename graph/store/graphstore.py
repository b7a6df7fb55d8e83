"""The one small store interface, with the embedded Oxigraph store (a remote SPARQL 1.1 server is in
graph.store.remote).

Everything else reaches the data through `GraphStore`: SPARQL queries (with safely bound
parameters), whole-graph replacement for moderated additions, dumps and counts. `open_store`
picks the implementation from the settings, so a remote server replaces Oxigraph by configuration.
"""

from __future__ import annotations

import gc
import threading
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from pyoxigraph import RdfFormat
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from graph import formats
from graph.errors import BadRequest, ParseError, SocialeBasisError, StoreError
from graph.namespaces import PREFIXES, iri_ref

Row = dict[str, Identifier]

# Prefixes every query may use without declaring them: rdflib's usual ones and the project's.
QUERY_PREFIXES: dict[str, str] = {**{p: str(ns) for p, ns in Graph().namespaces()}, **PREFIXES}


def to_ox(term: Node) -> Any:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term: Any) -> Identifier:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r}")


def graph_from_ox(name: Any) -> URIRef | None:
    """pyoxigraph graph name -> rdflib IRI (None for the default graph)."""
    return URIRef(name.value) if isinstance(name, ox.NamedNode) else None


class GraphStore(ABC):
    """What the project needs from a quad store. Implementations: Oxigraph on disk, remote SPARQL."""

    def __init__(self) -> None:
        self._version = 0
        self._listeners: list[Callable[["GraphStore", set[URIRef]], None]] = []
        self._lock = threading.Lock()

    # -- reading -----------------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        """Run a SPARQL query over the union of all graphs; `bindings` are substituted, never pasted.

        With Oxigraph a bound variable must appear in a SELECT's projection (SEP-0007 substitution);
        project it (and GROUP BY it in aggregates) when you bind it.
        """

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        """A SELECT query as a list of {variable: term} rows (unbound variables left out)."""
        result = self.query(sparql, bindings)
        if result.type != "SELECT":
            raise BadRequest("expected a SELECT query")
        return [{str(k): v for k, v in binding.items() if v is not None} for binding in result.bindings]

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self.query(sparql, bindings)
        return bool(result.askAnswer)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self.query(sparql, bindings)
        if result.graph is None:
            raise BadRequest("expected a CONSTRUCT or DESCRIBE query")
        return result.graph

    @abstractmethod
    def graph_names(self) -> list[URIRef]:
        """The named graphs in the store."""

    @abstractmethod
    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        """All quads, or those of one named graph."""

    def triple_count(self, graph: URIRef | None = None) -> int:
        """Distinct triples of the union (graph=None: the default graph, which every store keeps as the
        union of the named graphs as a set), or the triples of one named graph."""
        if graph is None:
            query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        else:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o }} }}"
        rows = self.select(query)
        return int(str(rows[0]["n"])) if rows else 0

    def serialize(self, fmt: str, graph: URIRef | None = None) -> bytes:
        """The store (or one graph) in `fmt` (trig, nquads, turtle, ntriples, jsonld, rdfxml).

        Quad formats keep the named graphs; triple formats give the union (or the one graph).
        """
        if fmt not in formats.STORE_FORMATS:
            raise BadRequest(f"unknown format '{fmt}'; choose one of {', '.join(sorted(formats.STORE_FORMATS))}")
        if formats.keeps_graphs(fmt):
            items: Iterable[Any] = (
                ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())
                for s, p, o, g in self.quads(graph)
            )
        else:
            seen: set[tuple[Node, Node, Node]] = set()
            triples = []
            for s, p, o, _g in self.quads(graph):
                if (s, p, o) not in seen:
                    seen.add((s, p, o))
                    triples.append(ox.Triple(to_ox(s), to_ox(p), to_ox(o)))
            items = triples
        entry = formats.get(fmt)
        prefixes = PREFIXES if entry.prefixes else None
        return ox.serialize(items, format=entry.rdf_format, prefixes=prefixes) or b""

    # -- writing -----------------------------------------------------------------------------
    @abstractmethod
    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Atomically replace the content of one named graph."""

    @abstractmethod
    def drop_graph(self, graph: URIRef) -> None:
        """Remove one named graph."""

    # -- change notification -----------------------------------------------------------------
    @property
    def version(self) -> int:
        """Increases with every change, so caches and derived indexes can tell they are stale."""
        return self._version

    def add_listener(self, callback: Callable[["GraphStore", set[URIRef]], None]) -> None:
        """Call `callback(store, changed_graphs)` after every change."""
        self._listeners.append(callback)

    def _changed(self, graphs: set[URIRef]) -> None:
        with self._lock:
            self._version += 1
        for callback in list(self._listeners):
            callback(self, graphs)

    def close(self) -> None:  # noqa: B027 - optional hook: a store that holds nothing needs no close
        """Release the store."""


_UNION_REMOVE = """DELETE {{ {into} }} WHERE {{
  GRAPH {g} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g}{others}) }}
}} ;
DROP SILENT GRAPH {g}"""


def replace_update(graph: URIRef, body: str, union: URIRef | None = None) -> str:
    """One SPARQL Update that replaces a named graph with `body` (N-Triples, '' to drop it) and keeps
    the union of the named graphs, as a set, in the default graph (or in the named graph `union`, for
    a server whose default graph is not a graph of its own): the union loses the old graph's triples
    that no other graph states, and gains the new ones. One update is one transaction on a store
    that has them: readers see the old graph or the new one, never half."""
    ref = iri_ref(graph)
    if union is None:
        update = _UNION_REMOVE.format(g=ref, into="?s ?p ?o", others="")
    else:
        u = iri_ref(union)
        update = _UNION_REMOVE.format(g=ref, into=f"GRAPH {u} {{ ?s ?p ?o }}", others=f" && ?h != {u}")
    if body:
        into_union = f"GRAPH {iri_ref(union)} {{\n{body}\n}}" if union is not None else f"\n{body}\n"
        update += f" ;\nINSERT DATA {{ GRAPH {ref} {{\n{body}\n}} }} ;\nINSERT DATA {{ {into_union} }}"
    return update


def ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """Triples as N-Triples text for an INSERT DATA block, written (and escaped) by pyoxigraph."""
    items = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
    return (ox.serialize(items, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8") if items else ""


@contextmanager
def oxigraph_errors() -> Iterator[None]:
    """The one place pyoxigraph's errors become ours: a query that does not parse is a ParseError,
    one that cannot be evaluated a BadRequest, a store that cannot be read or written a StoreError."""
    try:
        yield
    except SocialeBasisError:
        raise
    except SyntaxError as exc:
        raise ParseError(f"SPARQL syntax error: {exc}") from exc
    except RuntimeError as exc:
        raise BadRequest(f"cannot run the query: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"the store could not be read: {exc}") from exc


def to_result(answer: Any) -> Result:
    """A pyoxigraph query answer as an rdflib Result (rows read now, so errors come out here)."""
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
    elif isinstance(answer, ox.QuerySolutions):
        result = Result("SELECT")
        names = [Variable(v.value) for v in answer.variables]
        result.vars = names
        result.bindings = [
            {name: from_ox(value) for name, value in zip(names, solution, strict=True) if value is not None}
            for solution in answer
        ]
    else:
        result = Result("CONSTRUCT")
        graph = Graph()
        for triple in answer:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        result.graph = graph
    return result


class OxigraphStore(GraphStore):
    """The embedded store: Oxigraph on disk, transactional. pyoxigraph runs every query and update;
    answers become rdflib terms at this boundary, and its errors become ours in `oxigraph_errors`.

    Queries run on the store's default graph, which the build fills with the union of all named
    graphs as a set (and replace_graph keeps in step), so no triple counts twice.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if path is None:
                self._ox: ox.Store | None = ox.Store()
            elif read_only:
                self._ox = ox.Store.read_only(str(path))
            else:
                self._ox = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store in {path}: {exc}") from exc

    @property
    def ox(self) -> ox.Store:
        """The pyoxigraph store (for the build's bulk loading); StoreError once closed."""
        if self._ox is None:
            raise StoreError("the store is closed")
        return self._ox

    def _run(self, sparql: str, bindings: Mapping[str, Node] | None) -> Any:
        """pyoxigraph's answer to a query; a bound variable is substituted (SEP-0007), never pasted."""
        return self.ox.query(
            sparql,
            prefixes=QUERY_PREFIXES,
            substitutions={ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()},
        )

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        with oxigraph_errors():
            return to_result(self._run(sparql, bindings))

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        """Rows straight from pyoxigraph, converting only the bound values."""
        rows: list[Row] = []
        with oxigraph_errors():  # evaluation is lazy: errors can also come while reading the solutions
            solutions = self._run(sparql, bindings)
            if not isinstance(solutions, ox.QuerySolutions):
                raise BadRequest("expected a SELECT query")
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                rows.append({name: from_ox(value) for name, value in zip(names, solution, strict=True) if value is not None})
        return rows

    def graph_names(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        """Quads of the named graphs (the default graph is only their union, so it is left out)."""
        g = to_ox(graph) if graph is not None else None
        for q in self.ox.quads_for_pattern(None, None, None, g):
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), graph_from_ox(q.graph_name)

    def serialize(self, fmt: str, graph: URIRef | None = None) -> bytes:
        if fmt in formats.STORE_FORMATS and not formats.keeps_graphs(fmt):
            entry = formats.get(fmt)
            prefixes = PREFIXES if entry.prefixes else None
            with oxigraph_errors():
                if graph is not None:
                    return self.ox.dump(format=entry.rdf_format, from_graph=to_ox(graph), prefixes=PREFIXES) or b""
                return self.ox.dump(format=entry.rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes) or b""
        return super().serialize(fmt, graph)

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._update(replace_update(graph, ntriples(triples)))
        self._changed({graph})

    def drop_graph(self, graph: URIRef) -> None:
        self._update(replace_update(graph, ""))
        self._changed({graph})

    def _update(self, update: str) -> None:
        with oxigraph_errors():
            self.ox.update(update)
            self.ox.flush()

    def bulk_load(self, path: Path, fmt: RdfFormat, graph: URIRef | None = None) -> None:
        """Fast load of a file (used by the build, not while serving)."""
        self.ox.bulk_load(path=str(path), format=fmt, to_graph=to_ox(graph) if graph is not None else None)

    def close(self) -> None:
        """Flush and release the on-disk lock (the Rust store closes when its last reference goes)."""
        if self._ox is None:
            return
        if not self.read_only:
            self._ox.flush()
        self._ox = None
        gc.collect()
