"""Index pages per kind (/programmas, /initiatieven, … with .json twins) and the concept schemes
as trees (/begrippen)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from graph.browse import concepts
from graph.browse.vocabulary import vocabulary
from graph.errors import N_, NotFound
from graph.namespaces import KINDS_BY_SEGMENT
from webapp.browse.respond import INDEX_PATHS, hit_json, negotiated, page_args
from webapp.i18n import get_lang
from webapp.negotiation import negotiate
from webapp.state import get_searcher, get_store

bp = Blueprint("lists", __name__)

LIST_SIZE = 50


def _listing(kind: str, ext: str | None) -> Response:
    if ext not in (None, "json"):
        raise NotFound(N_("no such page: this list is available as HTML and as .json, not as '.%(ext)s'"), ext=ext)
    fmt = "json" if ext == "json" else negotiate(["html", "json"])
    lang = get_lang()
    type_name = request.args.get("type") or None
    if type_name and not type_name.isidentifier():
        type_name = None
    letter = (request.args.get("letter") or "")[:1] or None
    offset, page = page_args(LIST_SIZE)
    data = get_searcher().listing(kind, lang=lang, type_name=type_name, letter=letter, offset=offset, limit=LIST_SIZE)
    vocab = vocabulary(get_store())
    types = [{"name": t.rsplit("/", 1)[-1], "iri": t, "label": vocab.label(t, lang), "count": n} for t, n in data["types"] if t]
    if fmt == "json":
        response = jsonify({
            "kind": kind,
            "total": data["total"],
            "offset": offset,
            "limit": LIST_SIZE,
            "types": [{"name": t["name"], "iri": t["iri"], "label": t["label"].value, "count": t["count"]} for t in types],
            "letters": data["letters"],
            "items": [hit_json(h) for h in data["hits"]],
        })
    else:
        response = Response(render_template(
            "browse/index.html", kind=kind, k=KINDS_BY_SEGMENT[kind], data=data, types=types, type_name=type_name,
            letter=letter, page=page, pages=max(1, -(-data["total"] // LIST_SIZE)), endpoint=f"lists.index_{kind}",
        ))
    return negotiated(response, suffix_given=ext is not None)


def _register(kind: str, path: str) -> None:
    def view(ext: str | None = None) -> Response:
        return _listing(kind, ext)

    view.__name__ = f"index_{kind}"
    bp.add_url_rule(f"/{path}", endpoint=f"index_{kind}", view_func=view, defaults={"ext": None})
    bp.add_url_rule(f"/{path}.<ext>", endpoint=f"index_{kind}", view_func=view)


for _kind, _path in INDEX_PATHS.items():
    if _kind != "begrip":
        _register(_kind, _path)


def _concepts_view(ext: str | None = None) -> Response:
    if ext not in (None, "json"):
        raise NotFound(N_("no such page: the concept schemes are available as HTML and as .json, not as '.%(ext)s'"), ext=ext)
    fmt = "json" if ext == "json" else negotiate(["html", "json"])
    lang = get_lang()
    store = get_store()
    schemes = concepts.schemes(store, lang)
    if fmt == "json":
        response = jsonify({"schemes": [s.as_dict() for s in schemes]})
    else:
        listing = get_searcher().listing("begrip", lang=lang, limit=1000)
        response = Response(render_template("browse/concepts.html", schemes=schemes, listing=listing))
    return negotiated(response, suffix_given=ext is not None)


bp.add_url_rule("/begrippen", endpoint="index_begrip", view_func=_concepts_view, defaults={"ext": None})
bp.add_url_rule("/begrippen.<ext>", endpoint="index_begrip", view_func=_concepts_view)
