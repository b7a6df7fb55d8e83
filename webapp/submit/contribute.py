"""The public side of "Voeg zelf kennis toe" (blueprint 'contribute', /bijdragen): the form, the criteria
check, the receipt, autocomplete."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from graph.errors import N_, NotFound, ServiceUnavailable
from graph.submissions.criteria import assess
from graph.submissions.entity_index import entity_index
from graph.submissions.fields import (
    HONEYPOT_FIELD,
    form_schema,
    parse_form,
    public_part,
)
from graph.submissions.store import PENDING, Submission
from webapp.negotiation import negotiate
from webapp.state import get_store
from webapp.submit.forms import form_context
from webapp.submit.hooks import guard, no_store, template_helpers
from webapp.submit.submissions import get_submissions

bp = Blueprint("contribute", __name__)
bp.before_request(guard)
bp.after_request(no_store)
bp.context_processor(template_helpers)

ENTITY_KINDS = ("programma", "onderdeel", "initiatief", "organisatie", "plaats", "persoon")


@bp.route("/bijdragen", methods=["GET", "POST"])
def form() -> ResponseReturnValue:
    """The form (GET), and checking or sending it (POST, action=check|submit)."""
    if request.method == "POST":
        return submit_or_check()
    if negotiate(["html", "json"]) == "json":
        return jsonify(form_schema())
    return render_template("submit/form.html", **form_context())


@bp.get("/bijdragen.json")
def form_json() -> ResponseReturnValue:
    return jsonify(form_schema())


def submit_or_check() -> ResponseReturnValue:
    form_data = request.form.to_dict(flat=False)
    data, errors = parse_form(form_data)
    action = request.form.get("action", "submit")
    if request.form.get(HONEYPOT_FIELD, "").strip():
        # A bot filled in the field people cannot see: answer as if all went well, keep nothing.
        return redirect(url_for("contribute.thanks"), code=303)
    store = get_store()
    public = public_part(data)
    assessment = assess(public, entity_index(store))
    if action == "check" or errors:
        status = 422 if errors and action != "check" else 200
        context = form_context(data=data, errors=errors, assessment=assessment, checked=action == "check")
        return render_template("submit/form.html", **context), status
    subs = get_submissions()
    if subs.counts()[PENDING] >= current_app.config["MAX_PENDING"]:
        raise ServiceUnavailable(N_("Many submissions are waiting for the editors; please try again later."), retry_after=3600)
    # Committed to disk before the submitter hears it was received.
    sub = subs.add(public, assessment, data["name"], data["email"])
    return redirect(url_for("contribute.receipt", receipt=sub.receipt), code=303)


@bp.get("/bijdragen/bedankt")
def thanks() -> ResponseReturnValue:
    return render_template("submit/received.html", sub=None, assessment=None)


def _receipt(receipt: str) -> Submission:
    sub = get_submissions().by_receipt(receipt) if 10 <= len(receipt) <= 64 else None
    if sub is None:
        raise NotFound(N_("This receipt does not exist."))
    return sub


@bp.get("/bijdragen/ontvangen/<receipt>")
def receipt(receipt: str) -> ResponseReturnValue:
    if receipt.endswith(".json"):
        return receipt_json(receipt[: -len(".json")])
    sub = _receipt(receipt)
    if negotiate(["html", "json"]) == "json":
        return receipt_json(receipt)
    return render_template("submit/received.html", sub=sub, assessment=sub.assessment)


def receipt_json(receipt: str) -> ResponseReturnValue:
    sub = _receipt(receipt)
    out = {"id": sub.id, "status": sub.status, "submitted_at": sub.submitted_at, "title": sub.title, "assessment": sub.assessment}
    if sub.status == "approved" and sub.publication_iri:
        out["publication"] = sub.publication_iri
    return jsonify(out)


@bp.get("/bijdragen/entiteiten.json")
def entities() -> ResponseReturnValue:
    """Autocomplete: entities of the given kinds whose name starts with (or contains) q."""
    q = request.args.get("q", "")[:100]
    kinds = [k for k in request.args.get("soort", ",".join(ENTITY_KINDS)).split(",") if k in ENTITY_KINDS] or list(ENTITY_KINDS)
    found = entity_index(get_store()).complete(q, kinds, limit=10)
    response = jsonify({"q": q, "results": [e.as_dict() for e in found]})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
