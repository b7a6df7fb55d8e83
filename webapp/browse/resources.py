"""Resource pages (/id/<kind>/<slug>) and the vocabulary (/def/), with Linked Data negotiation.

Pattern: direct content negotiation. The IRI's path answers 200 with HTML or, by Accept, Turtle,
JSON-LD, N-Triples, TriG, N-Quads, RDF/XML or JSON, always with `Vary: Accept`, a
`Content-Location` naming the twin that was chosen and `Link` headers to the others; a suffix
('.ttl', '.jsonld', '.nt', '.trig', '.nq', '.rdf', '.json') asks for one format directly.
Unknown IRIs answer 404, formats we cannot serve 406; HEAD works everywhere (Flask).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from rdflib import URIRef
from werkzeug.wrappers import Response as BaseResponse

from graph.browse import concepts, municipalities, themes, vocabulary
from graph.browse.describe import describe, source_contents, statements
from graph.browse.provenance import covered, source_account
from graph.errors import NotFound
from graph.namespaces import GRAPH_ONTOLOGY, KINDS_BY_SEGMENT, SB, SLUG_RE, entity_iri
from graph.store.graphstore import GraphStore
from webapp.browse.respond import (
    RDF_TWINS,
    cached_page,
    negotiated,
    rdf_response,
    template_helpers,
    word_backward,
)
from webapp.i18n import get_lang, show_value
from webapp.negotiation import FORMATS, negotiate, split_suffix
from webapp.state import get_searcher, get_store
from webapp.urls import resource_url

bp = Blueprint("resources", __name__)

RESOURCE_FORMATS = ["html", *RDF_TWINS, "json"]
VOCAB_FORMATS = ["html", "turtle", "jsonld", "ntriples", "rdfxml"]


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return template_helpers()


def _not_found(what: str) -> NotFound:
    return NotFound(gettext("We do not know %(what)s.", what=what))


def _incoming_args() -> tuple[str | None, int]:
    """Which page of which property's incoming values: ?incoming=<property IRI>&pagina=N."""
    try:
        page = max(1, int(request.args.get("pagina", "1")))
    except ValueError:
        page = 1
    return (request.args.get("incoming") or None), page


def _lenses(store: GraphStore, kind: str, iri: URIRef, lang: str) -> dict[str, Any]:
    """What some pages add: a theme's split by pillar and sphere (`theme`), and on a municipality the
    programmes that reach every municipality (`national`)."""
    if kind == "begrip" and themes.is_theme(store, iri):
        return {"theme": themes.split(store, iri, lang)}
    if kind == "plaats" and municipalities.is_municipality(store, str(iri)):
        return {"national": municipalities.national_reach(store, lang)}
    return {}


@bp.get("/id/<kind>/<slug>")
def resource(kind: str, slug: str) -> Response:
    slug, suffix = split_suffix(slug, RESOURCE_FORMATS)
    if kind not in KINDS_BY_SEGMENT or not SLUG_RE.match(slug):
        raise _not_found(f"/id/{kind}/{slug}")
    fmt = suffix or negotiate(RESOURCE_FORMATS)
    iri = entity_iri(kind, slug)
    store = get_store()
    alternates = {name: resource_url(iri, name) for name in RESOURCE_FORMATS if name != "html"}
    incoming, page = _incoming_args()
    if fmt in RDF_TWINS:
        quads = statements(store, iri, incoming=incoming, page=page)
        if not quads:
            raise _not_found(str(iri))
        response = rdf_response(quads, fmt)
    else:
        lang = get_lang()

        def described() -> Any:
            try:
                return describe(store, iri, lang, incoming=incoming, page=page)
            except NotFound:
                raise _not_found(str(iri)) from None

        if fmt == "json":
            data = described()
            account = source_account(store, iri, lang) if kind == "bron" else None
            payload = data.as_dict(show_value)
            word_backward(payload["incoming"])
            payload["url"] = resource_url(iri)
            if account is not None:
                payload["provenance"] = account.as_dict()
            lenses = _lenses(store, kind, iri, lang)
            if "theme" in lenses:
                payload["theme"] = lenses["theme"].as_dict()
            if "national" in lenses:
                payload["national"] = [n.as_dict() for n in lenses["national"]]
            response = jsonify(payload)
        else:
            def render() -> str:
                data = described()
                account = source_account(store, iri, lang) if kind == "bron" else None
                extra: dict[str, Any] = {}
                if account is not None:
                    # the page says the source's metadata as sentences, not as raw property lists
                    extra["account"] = account
                    extra["contents"] = source_contents(store, iri, lang)
                    data = replace(data, facts=[g for g in data.facts if not covered(g.predicate)],
                                   outgoing=[g for g in data.outgoing if not covered(g.predicate)],
                                   incoming=[g for g in data.incoming if not covered(g.predicate)])
                extra.update(_lenses(store, kind, iri, lang))
                if kind == "begrip":
                    extra["breadcrumb"] = concepts.broader_chain(store, iri, lang)
                    is_scheme = any(t == str(URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme")) for t, _ in data.types)
                    if is_scheme:
                        extra["scheme"] = next(iter(concepts.schemes(store, lang, only=iri)), None)
                    for facet in ("pillar", "sphere"):
                        extra[f"{facet}_count"] = get_searcher().count_with(facet, slug)
                return render_template("browse/resource.html", d=data, alternates=alternates, **extra)

            response = Response(cached_page(render))
    return negotiated(response, suffix_given=bool(suffix), location=resource_url(iri, fmt if fmt != "html" else None),
                      alternates=alternates)


# -- the vocabulary -----------------------------------------------------------------------------

@bp.get("/def")
def vocabulary_redirect() -> BaseResponse:
    return redirect(url_for("resources.vocabulary_page"), code=301)


@bp.get("/def/")
def vocabulary_page() -> Response:
    return _vocabulary(negotiate(VOCAB_FORMATS), suffix_given=False)


@bp.get("/def.<ext>")
def vocabulary_twin(ext: str) -> Response:
    _, fmt = split_suffix("def." + ext, VOCAB_FORMATS)
    if fmt is None:
        raise _not_found("/def." + ext)
    return _vocabulary(fmt, suffix_given=True)


def _vocabulary(fmt: str, *, suffix_given: bool) -> Response:
    store = get_store()
    alternates = {
        name: url_for("resources.vocabulary_twin", ext=FORMATS[name].suffix) for name in VOCAB_FORMATS if name != "html"
    }
    if fmt == "html":
        doc = vocabulary.documentation(store, get_lang())
        response = Response(render_template("browse/vocabulary.html", doc=doc, alternates=alternates))
    else:
        quads = [(s, p, o, GRAPH_ONTOLOGY) for s, p, o in vocabulary.term_triples(store)]
        response = rdf_response(quads, fmt)
    location = alternates.get(fmt) if fmt != "html" else url_for("resources.vocabulary_page")
    return negotiated(response, suffix_given=suffix_given, location=location, alternates=alternates)


@bp.get("/def/<name>")
def term_page(name: str) -> Response:
    name, suffix = split_suffix(name, VOCAB_FORMATS)
    fmt = suffix or negotiate(VOCAB_FORMATS)
    store = get_store()
    summary = vocabulary.term(store, name, get_lang())
    if summary is None:
        raise _not_found(str(SB[name]))
    alternates = {f: f"{url_for('resources.term_page', name=name)}.{FORMATS[f].suffix}" for f in VOCAB_FORMATS if f != "html"}
    if fmt == "html":
        response = Response(render_template("browse/term.html", t=summary, alternates=alternates))
    else:
        quads = [(s, p, o, GRAPH_ONTOLOGY) for s, p, o in vocabulary.term_triples(store, SB[name])]
        response = rdf_response(quads, fmt)
    location = alternates.get(fmt) if fmt != "html" else url_for("resources.term_page", name=name)
    return negotiated(response, suffix_given=bool(suffix), location=location, alternates=alternates)
