"""Pass-through to a remote SPARQL server (STORE=sparql): the checked query, forwarded as it is.

The remote server does the work (and its own limits apply); the public checks still run first, so
the remote server is asked nothing this endpoint would not answer itself.
"""

from __future__ import annotations

from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from graph.errors import N_, BadRequest, ServiceUnavailable
from graph.sparql import QUERY_BASE


def run_remote(
    url: str,
    query: str,
    accept: str,
    *,
    default_graphs: tuple[str, ...] | None,
    named_graphs: tuple[str, ...] | None,
    timeout: float,
    base_iri: str = QUERY_BASE,
) -> tuple[bytes, str]:
    """(body, content type) of the remote answer; errors as SocialeBasisError with the remote's words.

    The query goes with a leading BASE declaration, so that the remote server resolves relative IRIs
    as the checks did (a BASE in the query itself still comes later and wins). It stays on the first
    line, so the remote's line numbers in error messages still match the query as written.
    """
    params = [("query", f"BASE <{base_iri}> {query}")]
    params += [("default-graph-uri", g) for g in default_graphs or ()]
    params += [("named-graph-uri", g) for g in named_graphs or ()]
    request = Request(
        url,
        data=urlencode(params).encode("utf-8"),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured store URL
            return response.read(), response.headers.get("Content-Type", accept)
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
