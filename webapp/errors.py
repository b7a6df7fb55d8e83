"""One handler renders every error as HTML or JSON, with the user message and the status."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graph.errors import SocialeBasisError

log = logging.getLogger(__name__)

DUTCH = {
    400: "Ongeldig verzoek",
    401: "Inloggen vereist",
    403: "Geen toegang",
    404: "Pagina niet gevonden",
    405: "Methode niet toegestaan",
    406: "Formaat niet beschikbaar",
    409: "Conflict met een andere wijziging",
    413: "Verzoek te groot",
    415: "Inhoudstype niet ondersteund",
    422: "Gegevens kloppen niet",
    429: "Te veel verzoeken",
    500: "Er ging iets mis",
    503: "Tijdelijk niet beschikbaar",
}
ENGLISH = {
    400: "Bad request",
    401: "Login required",
    403: "No access",
    404: "Page not found",
    405: "Method not allowed",
    406: "Format not available",
    409: "Conflict with another change",
    413: "Request too large",
    415: "Content type not supported",
    422: "The data do not add up",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


def _title(status: int) -> str:
    from webapp.i18n import get_lang

    if get_lang() == "en":
        return ENGLISH.get(status, "Error")
    return DUTCH.get(status, "Fout")


def wants_json() -> bool:
    """JSON for API paths, '.json' URLs and clients that prefer JSON over HTML."""
    path = request.path
    if path.endswith(".json") or path.startswith("/api/") or path.startswith("/health"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "application/sparql-results+json"])
    return best is not None and best != "text/html" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(status: int, message: str, retry_after: int | None = None) -> Response:
    if wants_json():
        response = jsonify({"error": message, "status": status})
    else:
        response = Response(
            render_template("core/error.html", status=status, title=_title(status), message=message)
        )
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(SocialeBasisError)
    def _ours(exc: SocialeBasisError) -> Response:
        if exc.status >= 500:
            log.error("error %s: %s", exc.status, exc.message)
        return render_error(exc.status, exc.message, exc.retry_after)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or DUTCH.get(status, "Fout")
        if status == 404:
            from webapp.i18n import translate

            message = translate("De pagina die u zocht bestaat niet (meer).", "The page you were looking for does not exist (any more).")
        retry = exc.retry_after if hasattr(exc, "retry_after") else None  # type: ignore[attr-defined]
        return render_error(status, message, retry)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # Log the cause in full for the operator; the visitor gets a message, never a trace.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500, "Er ging iets mis aan onze kant. Probeer het later opnieuw.")
