"""The SPARQL 1.1 Protocol's request side: where the query and the dataset come from, which format.

GET `?query=`, POST form-encoded (`query=` in the body), POST `application/sparql-query` (the body
is the query). `default-graph-uri` / `named-graph-uri` may be repeated. A `format=` parameter (as
SPARQLWrapper and plain links send it) overrides the Accept header.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import request

from graph.errors import N_, BadRequest, NotAcceptable
from webapp.negotiation import FORMATS, client_accept, negotiate

SELECT_OFFERS = ("sparql-json", "sparql-xml", "csv", "tsv", "json")
ASK_OFFERS = ("sparql-json", "sparql-xml", "json")
GRAPH_OFFERS = ("turtle", "ntriples", "jsonld", "rdfxml", "json")
ALL_OFFERS = ("sparql-json", "sparql-xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml", "json")
# `format=` values: (format for SELECT/ASK, format for CONSTRUCT/DESCRIBE)
FORMAT_PARAM: dict[str, tuple[str | None, str | None]] = {
    "json": ("sparql-json", "jsonld"),
    "srj": ("sparql-json", None),
    "xml": ("sparql-xml", "rdfxml"),
    "srx": ("sparql-xml", None),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "n3": (None, "turtle"),
    "ntriples": (None, "ntriples"),
    "nt": (None, "ntriples"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
}
for _f in FORMATS.values():
    if _f.name in ALL_OFFERS:
        FORMAT_PARAM.setdefault(_f.media_type, (_f.name, None) if _f.name in SELECT_OFFERS else (None, _f.name))
FORMAT_PARAM["application/json"] = ("sparql-json", "jsonld")


@dataclass
class ProtocolRequest:
    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format_param: str | None = None

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def read_request() -> ProtocolRequest:
    """The query and dataset of this request; BadRequest for the protocol's error cases."""
    if "update" in request.args or (request.method == "POST" and request.mimetype == "application/sparql-update"):
        raise _read_only()
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == "application/x-www-form-urlencoded":
            if "update" in request.form:
                raise _read_only()
            queries = request.args.getlist("query") + request.form.getlist("query")
            default = request.args.getlist("default-graph-uri") + request.form.getlist("default-graph-uri")
            named = request.args.getlist("named-graph-uri") + request.form.getlist("named-graph-uri")
            fmt = request.form.get("format") or request.args.get("format")
        elif mimetype == "application/sparql-query":
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise BadRequest(N_("the query must be sent as UTF-8, not %(charset)s"), charset=charset)
            try:
                body = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequest(N_("the query is not valid UTF-8 (byte %(byte)s)"), byte=exc.start) from exc
            if "query" in request.args:
                raise BadRequest(N_("the query is both in the body and in a 'query' parameter; send it once"))
            queries = [body]
            default = request.args.getlist("default-graph-uri")
            named = request.args.getlist("named-graph-uri")
            fmt = request.args.get("format")
        else:
            got = f"'{mimetype}'" if mimetype else "none"
            raise BadRequest(
                N_("a POST to the SPARQL endpoint needs Content-Type application/x-www-form-urlencoded "
                   "(with query=...) or application/sparql-query (the query as the body); got %(got)s"),
                got=got,
            )
    else:
        queries = request.args.getlist("query")
        default = request.args.getlist("default-graph-uri")
        named = request.args.getlist("named-graph-uri")
        fmt = request.args.get("format")
    if len(queries) > 1:
        raise BadRequest(N_("the request has %(n)s 'query' parameters; send exactly one"), n=len(queries))
    return ProtocolRequest(queries[0] if queries else None, default, named, fmt or None)


def _read_only() -> BadRequest:
    return BadRequest(
        "SPARQL Update is not accepted: this endpoint is read-only (it answers SELECT, ASK, CONSTRUCT "
        "and DESCRIBE queries)"
    )


def result_format(form: str, format_param: str | None) -> str:
    """The format name for a result of `form` (SELECT, ASK, CONSTRUCT, DESCRIBE): format= or Accept."""
    offers = SELECT_OFFERS if form == "SELECT" else ASK_OFFERS if form == "ASK" else GRAPH_OFFERS
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if format_param:
        chosen = FORMAT_PARAM.get(format_param.strip().lower())
        if chosen is None:
            raise BadRequest(N_("unknown format '%(format)s'; use json, xml, csv, tsv, turtle, ntriples, jsonld or rdfxml"),
                             format=format_param)
        name = chosen[1] if graph else chosen[0]
        if name is None or name not in offers:
            raise NotAcceptable(N_("a %(form)s result cannot be given as '%(format)s'; available: %(available)s"),
                                form=form, format=format_param, available=_names(offers))
        return name
    try:
        return negotiate(list(offers))
    except NotAcceptable as exc:
        # A client that accepts only the other kind of result (rdflib's SPARQLStore sends a results
        # type for every query) gets this kind's default, as Fuseki and Oxigraph server answer.
        other_kind = SELECT_OFFERS if graph else GRAPH_OFFERS
        if client_accept().best_match([FORMATS[o].media_type for o in other_kind if o != "json"]) is not None:
            return offers[0]
        raise NotAcceptable(
            N_("a %(form)s result cannot be given as '%(format)s'; available: %(available)s"),
            form=form, format=request.headers.get("Accept"), available=_names(offers),
        ) from exc


def worker_format(name: str, form: str) -> str:
    if name == "json":
        return "jsonld" if form in ("CONSTRUCT", "DESCRIBE") else "sparql-json"
    return name


def response_type(name: str, form: str) -> str:
    """The Content-Type to answer with for a format name."""
    return FORMATS[worker_format(name, form)].content_type


def _names(offers: tuple[str, ...]) -> str:
    return ", ".join(dict.fromkeys(FORMATS[o].media_type for o in offers if o != "json"))


def wants_page() -> bool:
    """True when a browser (preferring HTML) asks for /sparql: it gets the editor."""
    if request.method not in ("GET", "HEAD") or request.args.get("format"):
        return False
    accept = request.accept_mimetypes
    if not request.headers.get("Accept"):
        return False
    best = accept.best_match(["text/html"] + [FORMATS[o].media_type for o in ALL_OFFERS])
    return best == "text/html" and accept["text/html"] > max(
        (accept[FORMATS[o].media_type] for o in ALL_OFFERS), default=0
    )
