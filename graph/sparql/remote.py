"""Pass-through to a remote SPARQL server (STORE=sparql): the checked query, forwarded as it is.

The remote server does the work; the public checks run first, so the remote server is asked
nothing this endpoint would not answer itself, and the answer comes back through the same writer
and caps (rows, bytes) as the embedded store's. The time limit is the request's timeout.
"""

from __future__ import annotations

from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox

from graph.errors import N_, BadRequest, ServiceUnavailable
from graph.formats import GRAPH_RESULT_FORMATS
from graph.namespaces import PREFIXES
from graph.sparql import QUERY_BASE
from graph.sparql.execute import Outcome, too_many_bytes, write_answer
from graph.store.remote import standard_json

# The remote's JSON or N-Triples is larger than the answer written from it; beyond this many times
# the byte cap, no answer within the cap can come out of it.
READ_FACTOR = 4


def run_remote(
    url: str,
    query: str,
    fmt: str,
    *,
    default_graphs: tuple[str, ...] | None,
    named_graphs: tuple[str, ...] | None,
    timeout: float,
    max_rows: int,
    max_bytes: int,
    base_iri: str = QUERY_BASE,
) -> Outcome:
    """The remote server's answer, written in `fmt` by the same writer and within the same caps as an
    answer of the embedded store; errors as SocialeBasisError with the remote's words.

    The remote is asked for SPARQL JSON results or N-Triples, which are parsed and written again, so
    that every backend answers byte for byte alike and the row and byte caps hold. The query goes
    with a leading BASE and the project's prefixes on its first line, so that the remote server
    resolves relative IRIs and predeclared prefixes as the checks did (a BASE or PREFIX in the query
    itself comes later and wins), and its line numbers in error messages still match the query.
    """
    declared = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())
    params = [("query", f"BASE <{base_iri}> {declared} {query}")]
    params += [("default-graph-uri", g) for g in default_graphs or ()]
    params += [("named-graph-uri", g) for g in named_graphs or ()]
    graph = fmt in GRAPH_RESULT_FORMATS
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    request = Request(
        url,
        data=urlencode(params).encode("utf-8"),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured store URL
            body = response.read(READ_FACTOR * max_bytes + 1)
    except HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace").strip()
        if 400 <= exc.code < 500:
            raise BadRequest(N_("the store refused the query: %(detail)s"), detail=detail or exc.reason) from exc
        raise ServiceUnavailable(N_("the store could not answer (%(code)s)"), code=exc.code, retry_after=5) from exc
    except TimeoutError as exc:
        raise ServiceUnavailable(N_("the store did not answer within %(seconds)s s"),
                                 seconds=f"{timeout:g}", retry_after=5) from exc
    except URLError as exc:
        raise ServiceUnavailable(N_("the store cannot be reached (%(reason)s)"), reason=str(exc.reason), retry_after=5) from exc
    except ValueError as exc:
        raise BadRequest(N_("cannot forward the query: %(problem)s"), problem=str(exc)) from exc
    if len(body) > READ_FACTOR * max_bytes:
        return too_many_bytes(max_bytes)
    try:
        if graph:
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
            return write_answer(triples, fmt, max_rows, max_bytes, dict(PREFIXES))
        answer = ox.parse_query_results(standard_json(body), format=ox.QueryResultsFormat.JSON)
        return write_answer(answer, fmt, max_rows, max_bytes, dict(PREFIXES))
    except (SyntaxError, ValueError) as exc:
        raise ServiceUnavailable(N_("the store sent an answer that cannot be read (%(problem)s)"),
                                 problem=str(exc)[:200], retry_after=5) from exc
