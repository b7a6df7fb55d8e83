"""Resource pages, indexes, search and library (issue 4)."""

from flask import Blueprint, abort

bp = Blueprint("browse", __name__)


@bp.get("/id/<kind>/<slug>")
def resource(kind: str, slug: str):  # type: ignore[no-untyped-def]
    abort(404)
