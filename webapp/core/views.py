"""Home page and health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from graph.stats import statistics
from webapp.negotiation import negotiate
from webapp.state import get_store

bp = Blueprint("core", __name__)


@bp.get("/health")
def health():  # type: ignore[no-untyped-def]
    store = get_store()
    return jsonify({"status": "ok", "triples": store.triple_count(), "version": store.version})


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    stats = statistics(get_store())
    if negotiate(["html", "json"]) == "json":
        return jsonify(stats)
    return render_template("core/home.html", stats=stats)


@bp.get("/index.json")
def home_json():  # type: ignore[no-untyped-def]
    return jsonify(statistics(get_store()))
