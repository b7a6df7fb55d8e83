"""The public side of "Voeg zelf kennis toe": the form, the criteria check, the receipt, autocomplete."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, redirect, render_template, request, url_for

from graph.errors import N_, NotFound, ServiceUnavailable
from graph.submissions.criteria import assess
from graph.submissions.entity_index import entity_index
from graph.submissions.fields import (
    ENTITY_FIELDS,
    HONEYPOT_FIELD,
    PILLARS,
    PUBLICATION_KINDS,
    SPHERES,
    form_schema,
    parse_form,
    public_part,
)
from graph.submissions.store import PENDING
from webapp.negotiation import negotiate
from webapp.state import get_store
from webapp.submit.blueprint import bp, get_submissions

ENTITY_KINDS = ("programma", "onderdeel", "initiatief", "organisatie", "plaats", "persoon")
FIELD_LABELS: dict[str, dict[str, str]] = {
    "title": {"nl": "Titel", "en": "Title"},
    "title_en": {"nl": "Engelse titel", "en": "English title"},
    "summary": {"nl": "Samenvatting", "en": "Summary"},
    "summary_en": {"nl": "Engelse samenvatting", "en": "English summary"},
    "kind": {"nl": "Soort publicatie", "en": "Kind of publication"},
    "date": {"nl": "Datum of jaar", "en": "Date or year"},
    "url": {"nl": "Webadres", "en": "URL"},
    "pillars": {"nl": "Pijlers", "en": "Pillars"},
    "spheres": {"nl": "Sferen", "en": "Spheres"},
    **{f.name: {"nl": f.label_nl, "en": f.label_en} for f in ENTITY_FIELDS},
    "name": {"nl": "Uw naam", "en": "Your name"},
    "email": {"nl": "Uw e-mailadres", "en": "Your e-mail address"},
    "consent": {"nl": "Toestemming", "en": "Consent"},
    "note": {"nl": "Toelichting", "en": "Note"},
}


def form_context(**extra: Any) -> dict[str, Any]:
    """What every rendering of the form needs."""
    context: dict[str, Any] = {
        "kinds": PUBLICATION_KINDS, "pillars": PILLARS, "spheres": SPHERES, "entity_fields": ENTITY_FIELDS,
        "data": {}, "errors": {}, "assessment": None, "labels": FIELD_LABELS, "editor_form": False,
    }
    context.update(extra)
    return context


@bp.route("/bijdragen", methods=["GET", "POST"])
def form():  # type: ignore[no-untyped-def]
    """The form (GET), and checking or sending it (POST, action=check|submit)."""
    if request.method == "POST":
        return submit_or_check()
    if negotiate(["html", "json"]) == "json":
        return jsonify(form_schema())
    return render_template("submit/form.html", **form_context())


@bp.get("/bijdragen.json")
def form_json():  # type: ignore[no-untyped-def]
    return jsonify(form_schema())


def submit_or_check():  # type: ignore[no-untyped-def]
    form_data = request.form.to_dict(flat=False)
    data, errors = parse_form(form_data)
    action = request.form.get("action", "submit")
    if request.form.get(HONEYPOT_FIELD, "").strip():
        # A bot filled in the field people cannot see: answer as if all went well, keep nothing.
        return redirect(url_for("submit.thanks"), code=303)
    store = get_store()
    public = public_part(data)
    assessment = assess(public, entity_index(store))
    if action == "check" or errors:
        status = 422 if errors and action != "check" else 200
        return render_template("submit/form.html", **form_context(data=data, errors=errors, assessment=assessment, checked=action == "check")), status
    subs = get_submissions()
    if subs.counts()[PENDING] >= current_app.config["MAX_PENDING"]:
        raise ServiceUnavailable(N_("Many submissions are waiting for the editors; please try again later."), retry_after=3600)
    # Committed to disk before the submitter hears it was received.
    sub = subs.add(public, assessment, data["name"], data["email"])
    return redirect(url_for("submit.receipt", receipt=sub.receipt), code=303)


@bp.get("/bijdragen/bedankt")
def thanks():  # type: ignore[no-untyped-def]
    return render_template("submit/received.html", sub=None, assessment=None)


def _receipt(receipt: str):  # type: ignore[no-untyped-def]
    sub = get_submissions().by_receipt(receipt) if 10 <= len(receipt) <= 64 else None
    if sub is None:
        raise NotFound(N_("This receipt does not exist."))
    return sub


@bp.get("/bijdragen/ontvangen/<receipt>")
def receipt(receipt: str):  # type: ignore[no-untyped-def]
    if receipt.endswith(".json"):
        return receipt_json(receipt[: -len(".json")])
    sub = _receipt(receipt)
    if negotiate(["html", "json"]) == "json":
        return receipt_json(receipt)
    return render_template("submit/received.html", sub=sub, assessment=sub.assessment)


def receipt_json(receipt: str):  # type: ignore[no-untyped-def]
    sub = _receipt(receipt)
    out = {"id": sub.id, "status": sub.status, "submitted_at": sub.submitted_at, "title": sub.title, "assessment": sub.assessment}
    if sub.status == "approved" and sub.publication_iri:
        out["publication"] = sub.publication_iri
    return jsonify(out)


@bp.get("/bijdragen/entiteiten.json")
def entities():  # type: ignore[no-untyped-def]
    """Autocomplete: entities of the given kinds whose name starts with (or contains) q."""
    q = request.args.get("q", "")[:100]
    kinds = [k for k in request.args.get("soort", ",".join(ENTITY_KINDS)).split(",") if k in ENTITY_KINDS] or list(ENTITY_KINDS)
    found = entity_index(get_store()).complete(q, kinds, limit=10)
    response = jsonify({"q": q, "results": [e.as_dict() for e in found]})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
