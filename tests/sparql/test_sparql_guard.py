"""The query checks that run before anything executes a public SPARQL query (graph.sparql.guard).

The SERVICE cases are real: `test_the_tricks_do_reach_oxigraph` shows that Oxigraph itself would
call a listener for each of them, so refusing them up front is what stops the request.
"""

from __future__ import annotations

import itertools
from typing import Iterator

import pyoxigraph as ox
import pytest

from graph.errors import PayloadTooLarge
from graph.namespaces import BASE, PREFIXES
from graph.sparql.guard import MAX_OPERATORS, QUERY_BASE, QueryRefused, check_query, tokens
from tests.sparql.test_sparql_support import Listener
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
    p = (
        f"PREFIX : <{url}> PREFIX ex: <http://example.org/> PREFIX x: <{url}> "
        "PREFIX h: <http://example.org/#> PREFIX v6: <http://[::1]> "
    )
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
        # A keyword read out of the start of a word: `true`, then SERVICE.
        p + "SELECT * WHERE { ?s ?p trueSERVICE:u { } }",
        # A prefixed name that makes no valid IRI is read as its bare prefix, then SERVICE.
        p + "SELECT * WHERE { ?s ?p h:SERVICE:u\\#x { } }",
        p + "SELECT * WHERE { ?s ?p v6:SERVICE:u { } }",
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


@pytest.mark.parametrize("index", range(len(service_tricks("http://127.0.0.1:9/"))))
def test_service_is_refused_everywhere(index: int) -> None:
    query = service_tricks("http://127.0.0.1:9/")[index]
    with pytest.raises(QueryRefused) as info:
        check_query(query, allowed_graphs=OWN_GRAPHS)
    assert status_of(info.value) == 400
    # one trick hides SERVICE behind a '<' that could open an IRI: refused as ambiguous; another
    # hides it in a prefixed name that makes no valid IRI (Oxigraph would read the bare prefix)
    if index == 16:
        expected = "ambiguous '<'"
    elif "h:SERVICE:u" in query or "v6:SERVICE:u" in query:
        expected = "does not make a valid IRI"
    else:
        expected = "SERVICE (federated query) is not available"
    assert expected in info.value.message


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


# Valid SPARQL whose names, strings and IRIs contain the words the checks look for (issue 12, item 3).
NOT_KEYWORDS = [
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s a ex:serviceDesk }",
    "PREFIX schema: <https://schema.org/> SELECT * WHERE { ?s schema:serviceType ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:data.from ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ex:data.from }",
    "PREFIX ex: <http://example.org/> DESCRIBE ex:data.from",
    "PREFIX ex: <http://example.org/> DESCRIBE ex:from ex:service",
    'SELECT * WHERE { BIND("\\u0041" AS ?x) }',
    'SELECT * WHERE { BIND("caf\\u00e9 \\U0001F600" AS ?x) }',
    "SELECT * WHERE { ?s ?p <http://example.org/\\u00e9> }",
    "SELECT ?from ?insert ?load ?clear ?service WHERE { ?from ?insert ?load . ?clear ?service ?x }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?from ?service",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:insert ex:load ; ex:clear ex:drop ; ex:from ex:service }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE ex:FROM ; ex:Service.from ex:x.service }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> FROM INSERT LOAD CLEAR" }',
    "SELECT * WHERE { ?s ?p '''insert data { <a> <b> <c> } ; load <x>''' }",
    'SELECT * WHERE { ?s ?p """from <http://127.0.0.1:9/>\n service""" }',
    "SELECT * WHERE { <http://example.org/service/from/insert/load/clear> ?p ?o }",
    "SELECT * WHERE { ?s ?p _:service1 . ?s ?q _:from.x }",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "SELECT * WHERE { ?s prov:wasDerivedFrom ?o } # SERVICE FROM INSERT",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ?o FILTER(?o != ex:service) }",
]


@pytest.mark.parametrize("query", NOT_KEYWORDS)
def test_words_inside_names_strings_and_iris_are_not_keywords(query: str) -> None:
    checked = check_query(query, allowed_graphs=OWN_GRAPHS)
    assert checked.form in ("SELECT", "DESCRIBE")
    assert not checked.has_dataset
    # ... and each is a query the engine runs (no syntax error), so refusing it would be wrong.
    result = ox.Store().query(query, prefixes=PREFIXES, base_iri=QUERY_BASE)
    if isinstance(result, (ox.QuerySolutions, ox.QueryTriples)):
        list(result)


@pytest.mark.parametrize(
    "query, message",
    [
        ("PREFIX myservice: <http://a/> SELECT * WHERE { ?s myservice:x ?o }", "rename the prefix"),
        ("PREFIX SERVICE: <http://a/> SELECT * WHERE { ?s ?p SERVICE:x }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p nope:x }", "unknown prefix 'nope:'"),
        ("PREFIX h: <http://a/#> SELECT * WHERE { ?s ?p h:a\\#b }", "valid IRI"),
        ("PREFIX fromage: <http://a/> DESCRIBE fromage:x", "ambiguous prefixed name"),
        ("ASKFROM <http://127.0.0.1:9/> { }", "unknown keyword"),
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }", "SERVICE"),
        ("SELECT * WHERE { \\u0053\\u0045RVICE <http://127.0.0.1:9/> { } }", r"written with \\u escapes"),
        ('SELECT * WHERE { BIND("a\\u0022 AS ?x) SERVICE <http://127.0.0.1:9/> { } #" }', "escape"),
        ("\\u0049NSERT DATA { <http://a> <http://b> <http://c> }", "read-only"),
        ("SELECT * \\u0046ROM <http://127.0.0.1:9/> WHERE { }", "only this dataset's own graphs"),
    ],
)
def test_keywords_are_found_however_they_are_spelled(query: str, message: str) -> None:
    with pytest.raises(QueryRefused, match=message):
        check_query(query, allowed_graphs=OWN_GRAPHS)


def test_positions_are_those_of_the_text_as_written() -> None:
    query = "SELECT ('\\u00e9\\U0001F600' AS ?x) { SERVICE <http://x/> { } }"
    column = query.index("SERVICE") + 1
    with pytest.raises(QueryRefused, match=rf"line 1, column {column}\b"):
        check_query(query)
    with pytest.raises(QueryRefused, match="line 2, column 3"):
        check_query("SELECT * WHERE { BIND('\\u00e9' AS ?x)\n  SERVICE <http://x/> { } }")
    query = "SELECT ('\\u00e9' AS ?x) { 'open } "
    with pytest.raises(QueryRefused, match=rf"unterminated string literal \(line 1, column {query.index('open')}\b"):
        check_query(query)


def test_relative_iris_resolve_against_the_query_base() -> None:
    assert QUERY_BASE == BASE
    checked = check_query("SELECT * FROM <id/bron/toets-a> WHERE { ?s ?p ?o }", allowed_graphs=OWN_GRAPHS)
    assert checked.default_graphs == (OWN,)
    with pytest.raises(QueryRefused, match="<https://w3id.org/x>"):
        check_query("SELECT * FROM <../x> WHERE { ?s ?p ?o }", allowed_graphs=OWN_GRAPHS)
    base = OWN.rsplit("/", 1)[0] + "/"
    assert check_query("ASK FROM NAMED <toets-a> { }", allowed_graphs=OWN_GRAPHS, base_iri=base).named_graphs == (OWN,)


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
    text = "ex:a\\#b ?v 'x''' \"\"\"y\"\"\" <http://a#b> 1.5e3 @nl-BE _:b0 # c"
    kinds = [(t.kind, t.text) for t in tokens(text) if t.kind != "ws"]
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


def test_tokens_end_where_oxigraph_ends_them() -> None:
    """A local name takes one dotted group; prefixes, blank nodes and language tags take all of theirs."""
    kinds = [(t.kind, t.text) for t in tokens("ex:a.b.c a.b.c:d _:x.y.z @en-GB--ltr ex:data.from") if t.kind != "ws"]
    assert kinds == [
        ("pname", "ex:a.b"),
        ("char", "."),
        ("word", "c"),
        ("pname", "a.b.c:d"),
        ("bnode", "_:x.y.z"),
        ("langtag", "@en-GB--ltr"),
        ("pname", "ex:data.from"),
    ]
    with pytest.raises(QueryRefused, match="unterminated"):
        tokens("'a short string does not span\nlines'")


def test_no_accepted_spelling_reaches_a_server(listener: Listener) -> None:
    """Combinations of what may stand before and after a SERVICE-like word: whatever the checks let
    through, Oxigraph itself must not turn into a request (the checks read the query as it does)."""
    url = listener.url
    p = (
        f"PREFIX : <{url}> PREFIX x: <{url}> PREFIX ex: <http://example.org/> PREFIX h: <http://a/#> "
        "PREFIX v6: <http://[::1]> PREFIX true: <http://t/> "
    )
    before = ["", "ex:", "ex:a.b.", "h:a\\#", "v6:a", "true", "true:", "1.", '"x"@en.', "_:b."]
    between = ["", " ", ".", "#c\n"]
    words = ["SERVICE", "SeRvIcE", "\\u0053ERVICE", "SERVICEx", "ex:SERVICE", "h:SERVICE", "v6:SERVICE"]
    after = [":u", f"<{url}>", f" SILENT <{url}>", "SILENT:u", "?v"]
    shapes = ["SELECT * WHERE {{ ?s ?p {}{}{}{} {{ }} }}", "SELECT * WHERE {{ FILTER(1<2){}{}{}{} {{ }} }}"]
    store = ox.Store()
    accepted = 0
    for shape, *parts in itertools.product(shapes, before, between, words, after):
        query = p + shape.format(*parts)
        try:
            check_query(query)
        except QueryRefused:
            continue
        accepted += 1
        try:
            result = store.query(query, prefixes=PREFIXES, base_iri=QUERY_BASE)
            if isinstance(result, ox.QuerySolutions):
                list(result)
        except (SyntaxError, RuntimeError, OSError):
            pass
        assert listener.hits == [], query
    assert accepted > 100  # the names that merely contain the word are let through


def test_without_dataset_blanks_the_from_clauses_only() -> None:
    text = "SELECT * FROM <urn:g:a>\nFROM NAMED <urn:g:b> WHERE { ?s ?p ?o } # FROM <urn:g:c> stays\n"
    checked = check_query(text, allowed_graphs={"urn:g:a", "urn:g:b"})
    stripped = checked.without_dataset()
    assert len(stripped) == len(text) and stripped.count("\n") == text.count("\n")
    assert "FROM <urn:g:a>" not in stripped and "FROM NAMED" not in stripped
    assert stripped.split() == ["SELECT", "*", "WHERE", "{", "?s", "?p", "?o", "}", "#", "FROM", "<urn:g:c>", "stays"]
    assert check_query(stripped).default_graphs == ()
