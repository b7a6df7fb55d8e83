"""W3C SPARQL 1.1 query evaluation tests run through our endpoint over HTTP and compared with
pyoxigraph run directly on the same dataset: what our layer adds (the query checker, the dataset
handling, the worker processes, the serialisation) must not change an answer. The same answers are
also compared with the suite's expected results, where the suite's premises hold for a public
endpoint (see `test_endpoint_answers_as_the_w3c_expects`).

One app serves every data file of the selected tests as a named graph whose name is the file's W3C
URL (its data folder is an N-Quads file written from the suite, built the way every app is built).
Each test sends its dataset with the protocol's `default-graph-uri` (qt:data) and `named-graph-uri`
(qt:graphData). A test without data names only a one-triple sentinel graph, so its default graph is
empty (without a dataset the endpoint would query the union of everything), unless its query has
FROM / FROM NAMED: then the query's own dataset is used. A data file without
triples is left out of the request: no store holds an empty graph, and the endpoint refuses a graph
it does not hold.

The direct run asks one pyoxigraph store holding the same named graphs, with the same dataset
(`use_default_graph_as_union=False, default_graph=..., named_graphs=...`) and the endpoint's base
IRI. Answers are compared as multisets of solutions with blank nodes canonicalised (each solution a
node of a graph, checked for isomorphism with rdflib.compare), as booleans, or as isomorphic graphs;
literals are compared by their exact lexical form, datatype and (lower-cased) language tag.

Every difference is listed with its cause in KNOWN_DIFFERENCES (endpoint vs pyoxigraph) or
W3C_DIFFERENCES (endpoint vs the suite's expected result); a listed test asserts that the two still
differ, so that neither list can go stale. The SERVICE tests are not compared: the endpoint refuses
SERVICE (no outbound requests), which is asserted instead.

The suite's query syntax tests (syntax-query, syntax-fed) check the query checker: every valid query
runs unless SYNTAX_REFUSED gives the documented reason it is refused, and every invalid one is refused.
"""

from __future__ import annotations

import http.client
import urllib.parse
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from graph.sparql import QUERY_BASE
from tests.conftest import LiveServer, make_settings
from tests.sparql.w3c import have_suite, suite_dir

pytestmark = pytest.mark.slow

W3C = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# Every folder of the suite with query evaluation tests (mf:QueryEvaluationTest).
FOLDERS = ("aggregates", "bind", "bindings", "construct", "csv-tsv-res", "entailment", "exists", "functions",
           "grouping", "json-res", "negation", "project-expression", "property-path", "service", "subquery")
# Tests that are not compared, by folder, with the reason. What happens instead is asserted.
NOT_COMPARED = {
    "service": "SERVICE: the endpoint makes no requests to other servers and refuses the query (400); "
               "test_service_tests_are_refused asserts that",
}
# Compared with pyoxigraph, but not with the suite's expected answers, by folder, with the reason.
NOT_CHECKED_AGAINST_W3C = {
    "entailment": "the expected answers need an entailment regime (RDF, RDFS, D, OWL 2 RL); the endpoint "
                  "and pyoxigraph both evaluate under simple entailment only (the service description says so), "
                  "so these compare the two engines on the suite's queries and data, not with the regimes' answers",
}
# The SPARQL 1.1 syntax tests of queries, sent to the endpoint: does the checker refuse valid SPARQL?
SYNTAX_FOLDERS = ("syntax-query", "syntax-fed")
SYNTAX_REFUSED: dict[str, tuple[str, str]] = {  # test: (a phrase of the refusal, its cause)
    "syntax-fed/test_1": ("SERVICE", "SERVICE: no outbound requests (docs/sparql.md, Guardrails)"),
    "syntax-fed/test_2": ("SERVICE", "SERVICE: no outbound requests (docs/sparql.md, Guardrails)"),
    "syntax-fed/test_3": ("SERVICE", "SERVICE: no outbound requests (docs/sparql.md, Guardrails)"),
    "syntax-query/test_42": ("only this dataset's own graphs", "`FROM <file>` names a graph the dataset does not hold"),
    "syntax-query/test_4": ("not supported", "a call of the custom function <http://example/function>, which "
                                             "Oxigraph does not know (pyoxigraph run directly refuses it too)"),
}
SENTINEL = "urn:x-sociale-basis-test:no-data"
PARSERS = {".ttl": ox.RdfFormat.TURTLE, ".rdf": ox.RdfFormat.RDF_XML, ".nt": ox.RdfFormat.N_TRIPLES}
RESULT_PARSERS = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
                  ".tsv": ox.QueryResultsFormat.TSV}
RELATIVE_FROM = (
    "`FROM <data.ttl>` is relative: against the endpoint's base (graph.sparql.QUERY_BASE) it names "
    "https://w3id.org/sociale-basis/data.ttl, a graph this dataset does not have, and the endpoint refuses a "
    "FROM it does not hold (400, docs/sparql.md 'Choosing graphs') even when the protocol's dataset takes "
    "precedence, so that no backend is ever asked to fetch one")
# The endpoint vs pyoxigraph run directly on the same dataset: each real difference and its cause.
KNOWN_DIFFERENCES: dict[str, str] = {
    "construct/constructwhere04": RELATIVE_FROM + "; pyoxigraph reads the graph it does not have as empty",
}
RELATIVE_GRAPH = (
    "`GRAPH <...ttl>` names a data file by a relative IRI: the suite resolves it against the query file's "
    "URL, the endpoint against its own base (graph.sparql.QUERY_BASE, docs/sparql.md), so it names no graph "
    "of the dataset and the answer is empty; pyoxigraph run directly with that base answers the same")
RDF11_STRING = (
    "RDF 1.1 made \"abc\"^^xsd:string the simple literal \"abc\", so {f} accepts it (Oxigraph, directly and "
    "through the endpoint); the suite, written for RDF 1.0, expects a type error for the xsd:string literals "
    "of :s6 and :s7")
# The endpoint vs the W3C expected result, for the tests compared with it: each difference and its cause.
# None comes from our layer but constructwhere04: each other one is Oxigraph's answer or the base IRI.
W3C_DIFFERENCES: dict[str, str] = {
    "construct/constructwhere04": RELATIVE_FROM + " (the suite resolves it against the query file's URL)",
    "exists/exists03": RELATIVE_GRAPH,
    "property-path/pp34": RELATIVE_GRAPH,
    "property-path/pp35": RELATIVE_GRAPH,
    "aggregates/agg-empty-group": (
        "MAX(?value) grouped BY ?x over a pattern that matches nothing: Oxigraph (directly and through the "
        "endpoint) answers no solution, as there is no group; the suite's file expects one solution without "
        "bindings, which is what the query without GROUP BY would give"),
    "csv-tsv-res/tsv03": (
        "Oxigraph stores literals in canonical form: \"-3\"^^xsd:negativeInteger comes back as "
        "\"-3\"^^xsd:integer (and \"1.0e6\"^^xsd:double as \"1000000\", equal in value), directly and through "
        "the endpoint alike"),
    "functions/strdt03": RDF11_STRING.format(f="STRDT"),
    "functions/strlang03": RDF11_STRING.format(f="STRLANG"),
    "functions/bnode01": (
        "Oxigraph's BNODE(str) gives the same blank node (_:foo for \"foo\") in every solution, directly and "
        "through the endpoint; SPARQL 1.1 (17.4.2.9) wants a different one for each solution"),
}


@dataclass(frozen=True)
class EvalTest:
    """One mf:QueryEvaluationTest: its query file, its dataset as W3C URLs, its expected result."""

    name: str  # folder/test
    query: Path
    data: tuple[str, ...]  # qt:data: the graphs merged into the default graph
    graph_data: tuple[str, ...]  # qt:graphData: the named graphs
    result: Path | None

    @property
    def folder(self) -> str:
        """The suite's folder the test is in."""
        return self.name.split("/", 1)[0]

    @property
    def text(self) -> str:
        """The query, as the file has it."""
        return self.query.read_text(encoding="utf-8")

    def request_dataset(self) -> tuple[list[str], list[str]]:
        """(default-graph-uri values, named-graph-uri values) as the endpoint is sent them. A test
        without data whose query has FROM / FROM NAMED is sent none: its dataset is the query's."""
        default = [g for g in self.data if not is_empty(g)]  # merging an empty graph adds nothing
        named = [g for g in self.graph_data if not is_empty(g)]
        if not default and not named and not has_dataset_clause(self.text):
            named = [SENTINEL]  # the default graph is empty, as the test's
        return default, named


def has_dataset_clause(text: str) -> bool:
    """True when the query has FROM (NAMED), read from its tokens as the endpoint's checker reads them."""
    from graph.sparql.guard import tokens

    return any(tok.kind == "word" and tok.text.upper() == "FROM" for tok in tokens(text))


def _local(iri: str) -> Path:
    """The suite's file for one of its W3C URLs."""
    return suite_dir() / iri[len(W3C):]


@lru_cache(maxsize=1)
def collect() -> tuple[EvalTest, ...]:
    """Every mf:QueryEvaluationTest of FOLDERS (their manifests read with rdflib), files as W3C URLs."""
    root = suite_dir()
    found: list[EvalTest] = []
    for name in FOLDERS:
        base = f"{W3C}{name}/manifest.ttl"
        manifest = Graph().parse(root / name / "manifest.ttl", format="turtle", publicID=base)
        head = manifest.value(URIRef(base), MF.entries)
        for entry in Collection(manifest, head) if head is not None else []:
            if (entry, RDF_TYPE, MF.QueryEvaluationTest) not in manifest:
                continue
            action = manifest.value(entry, MF.action)
            result = manifest.value(entry, MF.result)
            found.append(EvalTest(
                f"{name}/{str(entry).rsplit('#', 1)[-1]}",
                _local(str(manifest.value(action, QT.query))),
                tuple(sorted(str(d) for d in manifest.objects(action, QT.data))),
                tuple(sorted(str(d) for d in manifest.objects(action, QT.graphData))),
                _local(str(result)) if isinstance(result, URIRef) else None,
            ))
    return tuple(found)


@lru_cache(maxsize=1)
def collect_syntax() -> tuple[tuple[str, Path, bool], ...]:
    """(folder/test, query file, valid?) for every SPARQL 1.1 positive and negative query syntax test."""
    root = suite_dir()
    found: list[tuple[str, Path, bool]] = []
    for name in SYNTAX_FOLDERS:
        base = f"{W3C}{name}/manifest.ttl"
        manifest = Graph().parse(root / name / "manifest.ttl", format="turtle", publicID=base)
        head = manifest.value(URIRef(base), MF.entries)
        for entry in Collection(manifest, head) if head is not None else []:
            kind = manifest.value(entry, RDF_TYPE)
            if kind in (MF.PositiveSyntaxTest11, MF.NegativeSyntaxTest11):
                query = _local(str(manifest.value(entry, MF.action)))
                found.append((f"{name}/{str(entry).rsplit('#', 1)[-1]}", query, kind == MF.PositiveSyntaxTest11))
    return tuple(found)


def syntax_params() -> list[Any]:
    """The syntax tests as pytest parameters (one failing placeholder without the suite, as params())."""
    if not have_suite():
        return [pytest.param(None, id="w3c-suite-missing")]
    return [pytest.param(t, id=t[0]) for t in collect_syntax()]


def params(*, compared: bool = True, w3c: bool = False) -> list[Any]:
    """The tests as pytest parameters. Without the suite, one parameter whose test fails saying how
    to get it (an empty parametrisation would be a silent skip)."""
    if not have_suite():
        return [pytest.param(None, id="w3c-suite-missing")]
    chosen = [t for t in collect() if (t.folder not in NOT_COMPARED) == compared
              and not (w3c and t.folder in NOT_CHECKED_AGAINST_W3C)]
    return [pytest.param(t, id=t.name) for t in chosen]


def read_file(iri: str) -> list[ox.Quad]:
    """A data file's triples, its relative IRIs resolved against its own URL (as the suite means them)."""
    path = _local(iri)
    return list(ox.parse(path=str(path), format=PARSERS[path.suffix], base_iri=iri))


@lru_cache(maxsize=None)
def is_empty(iri: str) -> bool:
    """True for a data file without triples: no store holds such a graph, so it cannot be named."""
    return not read_file(iri)


@lru_cache(maxsize=1)
def direct_store() -> ox.Store:
    """Every data file of the tests as a named graph under its URL, plus the sentinel graph: the
    store pyoxigraph is asked directly, and whose dump is the endpoint's data folder."""
    store = ox.Store()
    for iri in sorted({i for t in collect() for i in t.data + t.graph_data}):
        store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri)) for q in read_file(iri))
    store.add(ox.Quad(ox.NamedNode(SENTINEL), ox.NamedNode(SENTINEL), ox.Literal("no data"), ox.NamedNode(SENTINEL)))
    return store


@pytest.fixture(scope="module")
def eval_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real server whose data folder holds every data file of the tests as a named graph."""
    from webapp import create_app
    from webapp.state import get_store

    suite_dir()
    folder = tmp_path_factory.mktemp("w3c-eval-data")
    direct_store().dump(str(folder / "w3c.nq"), format=ox.RdfFormat.N_QUADS)
    # The public limits as shipped (row cap, time-outs, per-client budget): none of them is hit here.
    application = create_app(make_settings(tmp_path_factory.mktemp("w3c-eval-app"), SOURCE_DATA_PATH=str(folder)))
    with LiveServer(application) as server:
        yield server
    with application.app_context():
        get_store().close()


# An answer: ("boolean", bool), ("solutions", [solution as {variable: term}]), ("graph", [triples])
# or ("error", message); terms are pyoxigraph's.
Answer = tuple[str, Any]
ROW = URIRef("urn:x-test:row")
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {f"{XSD}{t}" for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                  "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
                                  "unsignedShort", "unsignedByte")}


def numeric_value(t: ox.Literal) -> str:
    """A number's value in one spelling ("3.21E4" and "32100" as doubles are one value), as the
    suite's result files spell numbers in more than one way; anything else stays as it is."""
    datatype = t.datatype.value
    try:
        if datatype in INTEGERS:
            return str(int(t.value))
        if datatype == f"{XSD}decimal":
            return str(Decimal(t.value).normalize())
        if datatype in (f"{XSD}double", f"{XSD}float"):
            return repr(float(t.value))
    except (ValueError, ArithmeticError):
        pass
    return t.value


def term(t: Any, values: bool) -> Any:
    """A pyoxigraph term for comparison: blank nodes stay blank nodes (isomorphism maps them), every
    other term becomes a plain literal of its exact form, so no rdflib normalisation hides a
    difference; with `values`, numbers are compared by value (for the suite's result files)."""
    if isinstance(t, ox.BlankNode):
        return BNode(f"b{t.value}")
    if isinstance(t, ox.Literal):
        lexical = numeric_value(t) if values else t.value
        return Literal(f"L {lexical!r} {t.datatype.value} {(t.language or '').lower()}")
    return Literal(str(t))  # an IRI (or a triple term) in N-Triples form


def comparable(answer: Answer, values: bool = False) -> Any:
    """Solutions as a graph with one blank node per solution: isomorphism is then equality of the
    multisets of solutions up to a renaming of blank nodes consistent over the whole result.
    Triples as a graph; a boolean or an error message as it is."""
    kind, payload = answer
    if kind == "solutions":
        graph = Graph()
        for solution in payload:
            row = BNode()
            graph.add((row, ROW, Literal("solution")))
            for name, value in solution.items():
                graph.add((row, URIRef(f"urn:x-test:var:{name}"), term(value, values)))
        return graph
    if kind == "graph":
        graph = Graph()
        for t in payload:
            graph.add((term(t.subject, values), term(t.predicate, values), term(t.object, values)))
        return graph
    return payload


def answer_of(result: Any) -> Answer:
    """A pyoxigraph result (of a query or a parsed results document) as an Answer."""
    if isinstance(result, ox.QueryBoolean):
        return "boolean", bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return "solutions", [{v: s[v] for v in variables if s[v] is not None} for s in result]
    return "graph", list(result)


@lru_cache(maxsize=None)
def _endpoint_answer(url: str, test: EvalTest) -> Answer:
    """The test's query POSTed as a form with its dataset; the answer parsed by pyoxigraph."""
    default, named = test.request_dataset()
    body = urllib.parse.urlencode([("query", test.text)] + [("default-graph-uri", g) for g in default]
                                  + [("named-graph-uri", g) for g in named])
    host = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=60)
    conn.request("POST", "/sparql", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        # each form gets the type it can have: SPARQL JSON for SELECT/ASK, N-Triples for graphs
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
    })
    response = conn.getresponse()
    content = response.read()
    media = (response.getheader("Content-Type") or "").split(";")[0].strip()
    conn.close()
    if response.status != 200:
        return "error", f"{response.status}: {content[:300].decode(errors='replace')}"
    if media == "application/n-triples":
        return "graph", list(ox.parse(content, format=ox.RdfFormat.N_TRIPLES))
    assert media == "application/sparql-results+json", media
    return answer_of(ox.parse_query_results(content, format=ox.QueryResultsFormat.JSON))


def through_endpoint(server: LiveServer, test: EvalTest) -> Answer:
    """The endpoint's answer over HTTP (asked once per test, shared by the two comparisons)."""
    return _endpoint_answer(server.url, test)


def directly(test: EvalTest) -> Answer:
    """pyoxigraph's answer on the same store and dataset, with the endpoint's base IRI."""
    default, named = test.request_dataset()
    try:
        result = direct_store().query(
            test.text, base_iri=QUERY_BASE, use_default_graph_as_union=False,
            default_graph=[ox.NamedNode(g) for g in default], named_graphs=[ox.NamedNode(g) for g in named])
        return answer_of(result)
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        return "error", str(exc)[:300]


def expected(test: EvalTest) -> Answer:
    """The suite's expected result (SPARQL XML, JSON or TSV results, or an RDF graph)."""
    assert test.result is not None, test.name
    suffix = test.result.suffix
    if suffix in RESULT_PARSERS:
        return answer_of(ox.parse_query_results(path=str(test.result), format=RESULT_PARSERS[suffix]))
    return "graph", list(ox.parse(path=str(test.result), format=PARSERS[suffix],
                                  base_iri=W3C + str(test.result.relative_to(suite_dir()))))


def same(a: Answer, b: Answer, values: bool = False) -> bool:
    """Equal answers; an error equals nothing (every test here is a valid query with an answer)."""
    if a[0] != b[0] or a[0] == "error":
        return False
    if a[0] == "boolean":
        return bool(a[1] is b[1])
    return isomorphic(comparable(a, values), comparable(b, values))


def show(answer: Answer, values: bool = False) -> str:
    """An answer as sorted lines, for a failure message."""
    kind, value = answer
    shown = comparable(answer, values)
    if isinstance(shown, Graph):
        lines = sorted(f"{s} {p} {o}" for s, p, o in shown)
        return f"{kind}: {len(lines)} triples\n" + "\n".join(lines[:40])
    return f"{kind}: {value}"


def test_the_sample_is_large_enough() -> None:
    """The issue asks for at least 200 evaluation tests compared with pyoxigraph."""
    compared = [p for p in params() if p.values[0] is not None]
    suite_dir()
    assert len(compared) >= 200, len(compared)


def test_the_lists_name_only_tests_that_exist() -> None:
    """Every test named in a list of differences or refusals is one of the suite's."""
    names = {t.name for t in collect()}
    assert set(KNOWN_DIFFERENCES) <= names and set(W3C_DIFFERENCES) <= names
    assert set(SYNTAX_REFUSED) <= {name for name, _text, valid in collect_syntax() if valid}


@pytest.mark.parametrize("test", params())
def test_endpoint_answers_as_pyoxigraph_does(eval_server: LiveServer, test: EvalTest | None) -> None:
    """The endpoint's answer equals pyoxigraph's on the same dataset, unless listed with its cause."""
    assert test is not None, suite_dir()
    ours, direct = through_endpoint(eval_server, test), directly(test)
    if test.name in KNOWN_DIFFERENCES:
        assert not same(ours, direct), f"{test.name} now matches: remove it from KNOWN_DIFFERENCES"
        return
    assert same(ours, direct), f"endpoint {show(ours)}\n\ndirect {show(direct)}"


@pytest.mark.parametrize("test", params(w3c=True))
def test_endpoint_answers_as_the_w3c_expects(eval_server: LiveServer, test: EvalTest | None) -> None:
    """The endpoint's answer equals the suite's expected result, unless listed with its cause."""
    assert test is not None, suite_dir()
    ours = through_endpoint(eval_server, test)
    if test.name in W3C_DIFFERENCES:
        assert not same(ours, expected(test), values=True), f"{test.name} now matches: remove it from W3C_DIFFERENCES"
        return
    assert same(ours, expected(test), values=True), \
        f"endpoint {show(ours, values=True)}\n\nexpected {show(expected(test), values=True)}"


@pytest.mark.parametrize("test", params(compared=False))
def test_service_tests_are_refused(eval_server: LiveServer, test: EvalTest | None) -> None:
    """The suite's SERVICE tests get the endpoint's documented refusal (docs/sparql.md, Guardrails)."""
    assert test is not None, suite_dir()
    kind, message = through_endpoint(eval_server, test)
    assert kind == "error" and message.startswith("400:") and "SERVICE" in message, message


@pytest.mark.parametrize("syntax_test", syntax_params())
def test_the_checker_refuses_no_valid_query(eval_server: LiveServer, syntax_test: tuple[str, Path, bool] | None) -> None:
    """Every valid query of the suite's syntax tests runs (on an empty default graph), but those in
    SYNTAX_REFUSED, which get the documented refusal; every invalid one is refused with 400."""
    assert syntax_test is not None, suite_dir()
    name, query, valid = syntax_test
    kind, answer = through_endpoint(eval_server, EvalTest(name, query, (), (), None))
    if not valid or name in SYNTAX_REFUSED:
        assert kind == "error" and answer.startswith("400:"), (kind, answer)
        if valid:
            assert SYNTAX_REFUSED[name][0] in answer, answer
        return
    assert kind != "error", answer
