"""The municipality lens (/gemeenten, with its .json twin): every municipality with what the graph
holds about it, as a table and a choropleth map of the Netherlands (vendored d3-geo, boundaries
served by the app), switchable between lenses and to one programme's reach."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from graph.browse import municipalities as lens
from graph.errors import N_, BadRequest, NotFound
from graph.namespaces import ID
from webapp.browse.respond import negotiated
from webapp.i18n import get_lang
from webapp.negotiation import negotiate
from webapp.state import get_store
from webapp.urls import resource_url

bp = Blueprint("municipalities", __name__)


def _choice() -> tuple[str, str | None]:
    """(lens, programme IRI or None) from ?lens= and ?programma=<slug>."""
    chosen = request.args.get("lens", "all")
    if chosen not in lens.LENSES:
        raise BadRequest(N_("unknown lens '%(lens)s'; choose one of %(lenses)s"), lens=chosen, lenses=", ".join(lens.LENSES))
    slug = request.args.get("programma", "").strip()
    return chosen, (ID + "programma/" + slug if slug else None)


@bp.get("/gemeenten", defaults={"ext": None})
@bp.get("/gemeenten.<ext>")
def municipalities(ext: str | None) -> Response:
    if ext not in (None, "json"):
        raise NotFound(N_("no such page: this list is available as HTML and as .json, not as '.%(ext)s'"), ext=ext)
    fmt = "json" if ext == "json" else negotiate(["html", "json"])
    chosen, programme = _choice()
    store, lang = get_store(), get_lang()
    choices = lens.programmes(store, lang)
    if programme is not None and programme not in {iri for iri, _ in choices}:
        raise NotFound(N_("there is no programme '%(slug)s'"), slug=programme.rsplit("/", 1)[1])
    reached = lens.reach(store, programme) if programme else None
    rows: list[dict[str, Any]] = []
    for m in lens.overview(store):
        value = reached.get(m.iri, 0) if reached is not None else m.counts[chosen]
        rows.append({**m.as_dict(), "url": resource_url(m.iri), "value": value})
    if fmt == "json":
        response = jsonify({
            "lens": chosen, "programme": programme, "municipalities": rows,
            "max": max((r["value"] for r in rows), default=0),
            "with_value": sum(1 for r in rows if r["value"]),
        })
    else:
        ranked = sorted(rows, key=lambda r: (-r["value"], r["label"].casefold()))
        response = Response(render_template(
            "browse/municipalities.html", rows=ranked, lens=chosen, lenses=lens.LENSES, programme=programme,
            programmes=choices, with_value=sum(1 for r in rows if r["value"]),
        ))
    return negotiated(response, suffix_given=ext is not None)
