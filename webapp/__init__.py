"""The web app: `create_app(config)` builds a Flask app on the configured store.

Blueprints per area (core, sparql, browse, network, submit); the store is opened once per app and
reached through `webapp.state.get_store()`. Views call `graph.*` functions that return plain data.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from graph.settings import load_settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    settings = load_settings(config)
    app = Flask(__name__)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_REQUEST_BYTES"]
    app.config["SECRET_KEY"] = settings["SECRET_KEY"] or _secret_key(Path(settings["DATA_DIR"]))
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings["SECURE_COOKIES"]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    if settings["TRUST_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    from webapp import errors, i18n, metrics, security, state

    state.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    metrics.init_app(app)

    from webapp.browse import bp as browse_bp
    from webapp.core import bp as core_bp
    from webapp.network import bp as network_bp
    from webapp.sparql import bp as sparql_bp
    from webapp.submit import bp as submit_bp

    for bp in (core_bp, sparql_bp, browse_bp, network_bp, submit_bp):
        app.register_blueprint(bp)
    return app


def _secret_key(data_dir: Path) -> str:
    """A key generated once and kept in the data directory, so sessions survive restarts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
