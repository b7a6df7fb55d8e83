"""One handler renders every error as HTML or JSON, in the client's language, with the message and the status.

graph/ raises domain errors without HTTP knowledge; STATUS below is the one mapping from error
class to HTTP status. Messages are translated through the gettext catalogs, and werkzeug's
own English fallback texts (404, 405, 413, ...) are replaced by ours, which exist in every language.
"""

from __future__ import annotations

import logging
from typing import Callable

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import force_locale, gettext
from werkzeug.exceptions import HTTPException

from graph import errors as domain
from graph.errors import N_, SocialeBasisError
from webapp.i18n import LANGUAGES, asked_lang, get_lang
from webapp.negotiation import client_accept

log = logging.getLogger(__name__)

# Error class -> HTTP status; a subclass answers with the status of its nearest listed ancestor.
STATUS: dict[type[SocialeBasisError], int] = {
    domain.BadRequest: 400,
    domain.Unauthorized: 401,
    domain.Forbidden: 403,
    domain.NotFound: 404,
    domain.MethodNotAllowed: 405,
    domain.NotAcceptable: 406,
    domain.Conflict: 409,
    domain.PayloadTooLarge: 413,
    domain.UnsupportedMediaType: 415,
    domain.Unprocessable: 422,
    domain.TooManyRequests: 429,
    domain.ServiceUnavailable: 503,
    domain.StoreError: 500,
    domain.StoreWriteRefused: 503,
    domain.ConfigError: 500,
}

# Page titles per status (message ids; the catalogs hold every language).
TITLES = {
    400: N_("Bad request"),
    401: N_("Login required"),
    403: N_("No access"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    406: N_("Format not available"),
    409: N_("Conflict with another change"),
    413: N_("Request too large"),
    415: N_("Content type not supported"),
    422: N_("The data do not add up"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
    503: N_("Temporarily unavailable"),
}

# Our texts for werkzeug's own English fallbacks (werkzeug.exceptions' class descriptions).
FALLBACKS = {
    400: N_("The server could not understand this request."),
    401: N_("You have to sign in for this."),
    403: N_("You have no access to this."),
    404: N_("The page you were looking for does not exist (any more)."),
    405: N_("This address does not accept the %(method)s method."),
    406: N_("This address cannot answer in a format your client accepts."),
    409: N_("The request conflicts with the current state of the data."),
    410: N_("This page is gone for good."),
    411: N_("The request must say how long its content is."),
    413: N_("The request is larger than this server accepts."),
    414: N_("The address is too long."),
    415: N_("This address does not accept content of this type."),
    416: N_("The requested range cannot be given."),
    422: N_("The data in the request cannot be processed."),
    429: N_("Too many requests; try again later."),
    431: N_("The request headers are too large."),
    500: N_("Something went wrong on our side. Please try again later."),
    501: N_("This is not supported by the server."),
    502: N_("An upstream server gave an invalid answer."),
    503: N_("The service is temporarily unavailable; try again later."),
    504: N_("An upstream server did not answer in time."),
}


def status_of(exc: SocialeBasisError) -> int:
    """The HTTP status for a domain error: that of the nearest class in STATUS (500 if none)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def message_of(exc: SocialeBasisError) -> str:
    """The error's message in the request's language (the English text where no translation exists)."""
    return exc.render(gettext)


def _title(status: int) -> str:
    return gettext(TITLES[status]) if status in TITLES else gettext("Error")


JSON_TYPES = ("application/json", "application/sparql-results+json", "application/ld+json", "application/problem+json")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def error_format() -> str:
    """How an error answers: 'json' for API paths, '.json' URLs and clients that prefer a JSON type;
    'html' for browsers and clients that accept anything; 'text' (plain) for clients that asked for
    something else first (SPARQL XML, CSV, Turtle, ...), as SPARQL servers answer them."""
    path = request.path
    if path.endswith(".json") or path.startswith("/api/") or path.startswith("/health"):
        return "json"
    if not request.headers.get("Accept"):
        return "html"
    accept = client_accept()
    wanted = [value for value, _q in sorted(accept, key=lambda item: -item[1]) if value != "*/*"]
    top = max((q for _v, q in accept), default=0)
    best_json = max((accept[t] for t in JSON_TYPES), default=0)
    best_html = max(accept[t] for t in HTML_TYPES)
    if best_json > best_html and best_json >= top:
        return "json"
    if best_html >= top or not wanted:
        return "html"
    return "json" if wanted[0].endswith("json") else "text"


def wants_json() -> bool:
    return error_format() == "json"


def error_lang() -> str:
    """The language of an error answer: the page's language for HTML; for JSON and plain text the
    client's explicit choice (`?lang=`, cookie, Accept-Language), else English, the language of the message ids."""
    if error_format() == "html":
        return get_lang()
    return asked_lang() or request.accept_languages.best_match(LANGUAGES) or "en"


def render_error(status: int, message: str | Callable[[], str], retry_after: int | None = None) -> Response:
    """The error as JSON ({"error", "status"}) or as the HTML error page, with Retry-After if given.

    `message` may be a function, called in the language of the answer (error_lang)."""
    with force_locale(error_lang()):
        text = message() if callable(message) else message
        form = error_format()
        if form == "json":
            response = jsonify({"error": text, "status": status})
            response.headers.add("Vary", "Accept-Language")  # the language may come from that header
        elif form == "text":
            response = Response(f"{status} {_title(status)}: {text}\n", mimetype="text/plain")
            response.headers.add("Vary", "Accept-Language")
        else:
            response = Response(render_template("core/error.html", status=status, title=_title(status), message=text))
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def http_message(exc: HTTPException) -> str:
    """Werkzeug's default description replaced by our translated text; a custom one translated if known."""
    status = exc.code or 500
    default = type(exc).description
    if (exc.description is None or exc.description == default) and status in FALLBACKS:
        return gettext(FALLBACKS[status], method=request.method)
    return gettext(exc.description or FALLBACKS[500])


def init_app(app: Flask) -> None:
    """Register the handlers for domain errors, werkzeug's HTTP errors and anything unexpected."""
    @app.errorhandler(SocialeBasisError)
    def _ours(exc: SocialeBasisError) -> Response:
        status = status_of(exc)
        if status >= 500:
            log.error("error %s: %s", status, exc.message)
        return render_error(status, lambda: message_of(exc), exc.retry_after)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        retry = getattr(exc, "retry_after", None)
        response = render_error(exc.code or 500, lambda: http_message(exc), retry)
        allow = dict(exc.get_headers()).get("Allow")
        if allow:  # 405 says which methods the address does accept
            response.headers["Allow"] = allow
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # Log the cause in full for the operator; the visitor gets a message, never a trace.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500, lambda: gettext(FALLBACKS[500]))
