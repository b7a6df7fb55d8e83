"""Moderation for editors (blueprint 'redactie', /redactie): sign in, the queue, reviewing, editing, approving, rejecting."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, get_flashed_messages, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from graph.errors import N_, BadRequest, TooManyRequests, ValidationFailed
from graph.submissions import audit
from graph.submissions.criteria import assess
from graph.submissions.duplicates import find_duplicates
from graph.submissions.entity_index import entity_index
from graph.submissions.fields import MAX_NOTE, clean_text, parse_form, public_part
from graph.submissions.moderation import approve, reject, reopen
from graph.submissions.rdf import resolve_fields
from graph.submissions.store import APPROVED, PENDING, STATUSES, Submission
from webapp.negotiation import negotiate
from webapp.state import get_store
from webapp.submit.auth import current_editor, editor_required, log_in, log_out, safe_next
from webapp.submit.forms import form_context
from webapp.submit.hooks import guard, no_store, template_helpers
from webapp.submit.submissions import get_submissions
from webapp.urls import resource_url

bp = Blueprint("redactie", __name__)
bp.before_request(guard)
bp.after_request(no_store)
bp.context_processor(template_helpers)


@bp.route("/redactie/inloggen", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    error = None
    name = ""
    if request.method == "POST":
        name = request.form.get("name", "").strip()[:40]
        subs = get_submissions()
        client = request.remote_addr or ""
        wait = audit.login_wait(subs, name)
        if wait > 0:
            audit.record(subs, name, "login-refused", f"backoff {wait:.0f} s", client)
            raise TooManyRequests(N_("too many failed sign-ins for this account: try again in %(seconds)s s"),
                                  seconds=f"{wait:.0f}", retry_after=max(1, round(wait)))
        editor = subs.verify_editor(name, request.form.get("password", ""))
        audit.record_login(subs, name, editor is not None, client)
        if editor is not None:
            log_in(editor)
            return redirect(safe_next(request.form.get("next")), code=303)
        error = gettext("Name or password is not right.")
    elif current_editor() is not None:
        return redirect(safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("submit/login.html", error=error, name=name, next=request.values.get("next", "")), status


@bp.post("/redactie/uitloggen")
def logout() -> ResponseReturnValue:
    editor = current_editor()
    if editor is not None:
        audit.record(get_submissions(), editor.name, "logout", "", request.remote_addr or "")
    log_out()
    return redirect(url_for("redactie.login"), code=303)


def _summary(sub: Submission) -> dict[str, Any]:
    assessment = sub.assessment or {}
    return {
        "id": sub.id, "title": sub.title, "status": sub.status, "submitted_at": sub.submitted_at,
        "decided_at": sub.decided_at, "decided_by": sub.decided_by, "met": assessment.get("met"),
        "total": assessment.get("total"), "publication": sub.publication_iri,
        "url": url_for("redactie.review", submission_id=sub.id),
    }


@bp.get("/redactie")
@editor_required
def queue() -> ResponseReturnValue:
    status = request.args.get("status", PENDING)
    if status not in STATUSES:
        raise BadRequest(N_("status: pending, approved or rejected"))
    subs = get_submissions()
    items = [_summary(s) for s in subs.list(status, newest_first=status != PENDING)]
    if negotiate(["html", "json"]) == "json":
        return jsonify({"status": status, "counts": subs.counts(), "submissions": items})
    return render_template("submit/queue.html", status=status, counts=subs.counts(), items=items)


@bp.get("/redactie.json")
@editor_required
def queue_json() -> ResponseReturnValue:
    status = request.args.get("status", PENDING)
    if status not in STATUSES:
        raise BadRequest(N_("status: pending, approved or rejected"))
    subs = get_submissions()
    return jsonify({"status": status, "counts": subs.counts(),
                    "submissions": [_summary(s) for s in subs.list(status, newest_first=status != PENDING)]})


def review_context(sub: Submission, data: dict[str, Any] | None = None, errors: dict[str, Any] | None = None,
                   problems: list[dict[str, str]] | None = None, note: str | None = None) -> dict[str, Any]:
    store = get_store()
    data = data if data is not None else dict(sub.data)
    index = entity_index(store)
    resolved = resolve_fields(index, data)
    return form_context(
        sub=sub, data=data, errors=errors or {}, problems=problems or [],
        assessment=assess(public_part(data), index),
        resolved={name: [r.as_dict() for r in items] for name, items in resolved.items()},
        duplicates=find_duplicates(store, get_submissions(), data, exclude=sub),
        publication_url=resource_url(sub.publication_iri) if sub.publication_iri and sub.status == APPROVED else None,
        messages=get_flashed_messages(), note=sub.note if note is None else note,
    )


@bp.get("/redactie/inzending/<int:submission_id>")
@editor_required
def review(submission_id: int) -> ResponseReturnValue:
    sub = get_submissions().require(submission_id, with_events=True)
    if negotiate(["html", "json"]) == "json":
        return review_json(submission_id)
    return render_template("submit/review.html", **review_context(sub))


@bp.get("/redactie/inzending/<int:submission_id>.json")
@editor_required
def review_json(submission_id: int) -> ResponseReturnValue:
    sub = get_submissions().require(submission_id, with_events=True)
    context = review_context(sub)
    record = sub.moderation_record()
    record.pop("receipt", None)
    # Editors may contact the submitter; the JSON twin is for editors only, like the page.
    record["submitter"] = {"name": sub.name, "email": sub.email}
    record.update(assessment=context["assessment"], resolved=context["resolved"], duplicates=context["duplicates"])
    return jsonify(record)


@bp.post("/redactie/inzending/<int:submission_id>")
@editor_required
def decide(submission_id: int) -> ResponseReturnValue:
    subs = get_submissions()
    editor = current_editor()
    assert editor is not None
    sub = subs.require(submission_id, with_events=True)
    action = request.form.get("action", "save")
    note = clean_text(request.form.get("note", ""))[:MAX_NOTE]
    audit.record(subs, editor.name, f"moderation-{action}", f"submission {sub.id}", request.remote_addr or "")
    if action == "reopen":
        reopen(subs, sub.id, editor)
        flash("reopened")
        return redirect(url_for("redactie.review", submission_id=sub.id), code=303)

    data, errors = parse_form(request.form.to_dict(flat=False), editor=True)
    public = public_part(data)
    if action == "reject":
        if not note:
            errors = {"note": gettext("Write a note when rejecting (visible to editors only).")}
            return render_template("submit/review.html", **review_context(sub, data, errors, note=note)), 422
        if not errors and public != sub.data:
            subs.update_data(sub.id, public, assess(public, entity_index(get_store())), editor.name)
        reject(get_store(), subs, _data_dir(), sub.id, editor, note)
        flash("withdrawn" if sub.status == APPROVED else "rejected")
        return redirect(url_for("redactie.queue"), code=303)
    if action not in ("save", "approve"):
        raise BadRequest(N_("action: save, approve, reject or reopen"))
    if errors:
        return render_template("submit/review.html", **review_context(sub, data, errors, note=note)), 422
    if public != sub.data:
        sub = subs.update_data(sub.id, public, assess(public, entity_index(get_store())), editor.name)
    if action == "save":
        flash("saved")
        return redirect(url_for("redactie.review", submission_id=sub.id), code=303)
    try:
        approve(get_store(), subs, _data_dir(), sub.id, editor, note)
    except ValidationFailed as exc:
        fresh = subs.require(sub.id, with_events=True)
        problems = [m for v in exc.violations for m in v["messages"]]
        return render_template("submit/review.html", **review_context(fresh, problems=problems, note=note)), 422
    flash("approved" if sub.status != APPROVED else "updated")
    return redirect(url_for("redactie.review", submission_id=sub.id), code=303)


def _data_dir() -> str:
    return str(current_app.config["DATA_DIR"])

