"""Security headers on every response: a strict Content-Security-Policy and friends, HSTS in
production mode, and session cookies marked Secure whenever the request came over https (directly
or, with TRUST_PROXY, through the proxy's X-Forwarded-Proto).

Pages that need more (the SPARQL editor's inline styles) widen the policy for themselves with
`allow_inline_styles()`; scripts never run inline anywhere.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface

HSTS = "max-age=31536000; includeSubDomains"

BASE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}


def allow_inline_styles() -> None:
    """For pages whose vendored widgets set style attributes (never for scripts)."""
    g.csp_style_inline = True


def content_security_policy() -> str:
    policy = dict(BASE_CSP)
    if getattr(g, "csp_style_inline", False):
        policy["style-src"] = "'self' 'unsafe-inline'"
    return "; ".join(f"{k} {v}" for k, v in policy.items())


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure when configured, in production, or over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or app.config["PRODUCTION"] or request.is_secure)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if app.config["PRODUCTION"]:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
