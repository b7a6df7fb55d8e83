"""The query checks that run before anything executes a public SPARQL query (graph.sparql.guard).

The SERVICE cases are real: `test_the_tricks_do_reach_oxigraph` shows that Oxigraph itself would
call a listener for each of them, so refusing them up front is what stops the request.
"""

from __future__ import annotations

from typing import Iterator

import pyoxigraph as ox
import pytest

from graph.errors import PayloadTooLarge
from graph.sparql.guard import MAX_OPERATORS, QueryRefused, check_query, tokens
from tests.test_sparql_support import Listener
from webapp.errors import status_of

OWN = "https://w3id.org/sociale-basis/id/bron/toets-a"
OWN_GRAPHS = {OWN, "https://w3id.org/sociale-basis/graph/ontologie"}


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def service_tricks(url: str) -> list[str]:
    """SERVICE in every position and spelling that Oxigraph accepts (each reaches `url`)."""
    p = f"PREFIX : <{url}> PREFIX ex: <http://example.org/> PREFIX x: <{url}> "
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ }} UNION {{ SERVICE <{url}> {{ }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ }} }} }}",
        p + "SELECT * WHERE { SERVICE:x { } }",
        p + "SELECT * WHERE { SERVICEx:y { } }",
        p + "SELECT * WHERE { SERVICESILENT:y { } }",
        p + "SELECT * WHERE { ?s ?p ex: SERVICE:u { } }",
        p + "SELECT * WHERE { ?s ?p 1.SERVICE:u { } }",
        p + "SELECT * WHERE { ?s ?p ex:.SERVICE :u { } }",
        p + "SELECT * WHERE { ?s ?p ex:a.x.SERVICE:u { } }",
        p + 'SELECT * WHERE { ?s ?p "x"@en.SERVICE:u { } }',
        f"SELECT * WHERE {{ ?s ?p ?o # comment\r SERVICE <{url}> {{ }} }}",
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<{url}> {{ }} }}",
    ]


def test_the_tricks_do_reach_oxigraph(listener: Listener) -> None:
    """Without the checks Oxigraph would call the listener for every one of these queries."""
    store = ox.Store()
    for query in service_tricks(listener.url):
        before = len(listener.hits)
        try:
            result = store.query(query)
            if isinstance(result, ox.QuerySolutions):
                list(result)
        except (SyntaxError, RuntimeError, OSError):
            pass
        assert len(listener.hits) > before, f"Oxigraph did not call the listener for {query!r}"


@pytest.mark.parametrize("index", range(17))
def test_service_is_refused_everywhere(index: int) -> None:
    query = service_tricks("http://127.0.0.1:9/")[index]
    with pytest.raises(QueryRefused) as info:
        check_query(query, allowed_graphs=OWN_GRAPHS)
    assert status_of(info.value) == 400
    assert "SERVICE" in info.value.message or "ambiguous" in info.value.message


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
        "SELECT * WHERE { ?s ?p '''\nSERVICE <http://127.0.0.1:9/> { }\n''' }",
        "SELECT * WHERE { ?s <http://schema.org/serviceType> ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'service')) }",
        "SELECT * WHERE { ?s prov:wasDerivedFrom ?o }",
        "SELECT * WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o FILTER(?o < 'z') }",
        "SELECT * WHERE { VALUES (?a ?b) { (<http://a#b> <http://c#d>) } }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?p = <http://www.w3.org/2000/01/rdf-schema#label>) }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a\\#b ?o } # trailing comment",
        "SELECT * WHERE { ?s ?p \"caf\\u00e9\" }",
    ],
)
def test_harmless_look_alikes_pass(query: str) -> None:
    assert check_query(query, allowed_graphs=OWN_GRAPHS).form == "SELECT"


def test_a_name_containing_service_must_be_a_full_iri() -> None:
    with pytest.raises(QueryRefused, match="full <IRI>"):
        check_query("PREFIX schema: <https://schema.org/> SELECT * WHERE { ?s schema:serviceType ?o }")


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/sociale-basis/id/bron/toets-a>",
        "CREATE GRAPH <http://a>",
        "ADD DEFAULT TO <http://a>",
        "MOVE DEFAULT TO <http://a>",
        "COPY DEFAULT TO <http://a>",
        "WITH <http://a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX ex: <http://example.org/>\ninsert data { ex:a ex:b ex:c }",
    ],
)
def test_updates_are_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        check_query(query)


def test_from_names_only_own_graphs() -> None:
    checked = check_query(f"SELECT * FROM <{OWN}> FROM NAMED src:toets-a WHERE {{ ?s ?p ?o }}", allowed_graphs=OWN_GRAPHS)
    assert checked.default_graphs == (OWN,)
    assert checked.named_graphs == (OWN,)
    assert checked.has_dataset
    base = check_query(
        "BASE <https://w3id.org/sociale-basis/id/bron/> SELECT * FROM <toets-a> WHERE { ?s ?p ?o }",
        allowed_graphs=OWN_GRAPHS,
    )
    assert base.default_graphs == (OWN,)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * FROM e:data WHERE { ?s ?p ?o }",
        "BASE <http://127.0.0.1:9/> SELECT * FROM <toets-a> WHERE { ?s ?p ?o }",
        "SELECT * FROM <https://w3id.org/sociale-basis/id/bron/bestaat-niet> WHERE { ?s ?p ?o }",
        "DESCRIBE <http://a> FROM <file:///etc/passwd>",
        "PREFIX NAMEDx: <http://a/> PREFIX x: <http://127.0.0.1:9/> SELECT * FROM NAMEDx:y WHERE { ?s ?p ?o }",
        "PREFIX FROMa: <http://a/> SELECT * FROMa:x WHERE { ?s ?p ?o }",
        "SELECT * FROM WHERE { ?s ?p ?o }",
    ],
)
def test_from_other_graphs_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused):
        check_query(query, allowed_graphs=OWN_GRAPHS)


def test_allowed_graphs_are_asked_only_when_needed() -> None:
    calls: list[int] = []

    def graphs() -> set[str]:
        calls.append(1)
        return OWN_GRAPHS

    check_query("SELECT * WHERE { ?s ?p ?o }", allowed_graphs=graphs)
    assert calls == []
    check_query(f"SELECT * FROM <{OWN}> WHERE {{ ?s ?p ?o }}", allowed_graphs=graphs)
    assert calls == [1]


def test_query_forms() -> None:
    assert check_query("ASK { ?s ?p ?o }").form == "ASK"
    assert check_query("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert check_query("DESCRIBE <http://a>").form == "DESCRIBE"
    assert check_query("PREFIX a: <http://a/> BASE <http://b/> select * { }").form == "SELECT"
    with pytest.raises(QueryRefused, match="not a SPARQL query"):
        check_query("HELLO world")
    with pytest.raises(QueryRefused, match="empty"):
        check_query("  # only a comment\n")


def test_length_limit_is_413() -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200
    with pytest.raises(PayloadTooLarge) as info:
        check_query(query, max_length=100)
    assert status_of(info.value) == 413
    assert "100" in info.value.message


def test_pathological_nesting_is_400() -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    with pytest.raises(QueryRefused, match="nested too deeply"):
        check_query(deep, max_length=1_000_000)
    parens = "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"
    with pytest.raises(QueryRefused, match="nested too deeply"):
        check_query(parens, max_length=1_000_000)
    chain = "SELECT * WHERE { FILTER(" + "!" * (MAX_OPERATORS + 10) + "true) }"
    with pytest.raises(QueryRefused, match="too complex"):
        check_query(chain, max_length=1_000_000)
    fine = "SELECT * WHERE " + "{" * 20 + "}" * 20
    assert check_query(fine).form == "SELECT"


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT * WHERE { ?s ?p ?o", "never closed"),
        ("SELECT * WHERE { ?s ?p ?o ) }", "unbalanced"),
        ("SELECT * WHERE { ?s ?p 'open }", "unterminated string"),
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }", "escape"),
        ("SELECT * WHERE { ?s ?p '\\u0027 }", "escape"),
    ],
)
def test_malformed_queries_are_refused_with_a_reason(query: str, message: str) -> None:
    with pytest.raises(QueryRefused, match=message):
        check_query(query)


def test_messages_say_where() -> None:
    with pytest.raises(QueryRefused, match="line 2, column 3"):
        check_query("SELECT * WHERE {\n  SERVICE <http://x/> { } }")


def test_tokens_follow_the_grammar() -> None:
    kinds = [(t.kind, t.text) for t in tokens("ex:a\\#b ?v 'x''' \"\"\"y\"\"\" <http://a#b> 1.5e3 @nl-BE _:b0 # c") if t.kind != "ws"]
    assert kinds == [
        ("pname", "ex:a\\#b"),
        ("var", "?v"),
        ("string", "'x'"),
        ("string", "''"),
        ("string", '"""y"""'),
        ("iri", "<http://a#b>"),
        ("number", "1.5e3"),
        ("langtag", "@nl-BE"),
        ("bnode", "_:b0"),
        ("comment", "# c"),
    ]
