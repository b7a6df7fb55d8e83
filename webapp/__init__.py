"""The web app: `create_app(config)` builds a Flask app on the configured store.

Areas are packages (core, sparql, browse, network, submit); each route module in them defines its own
blueprint beside its routes, named after the module (`find.search`, `queries.saved_query`,
`redactie.login`), and create_app registers them all. Helpers shared by route modules live in modules
that import no route module, so webapp/ has no import circles. The store is opened once per app and
reached through `webapp.state.get_store()`. Views call `graph.*` functions that return plain data.
"""

from __future__ import annotations

import os
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
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Flask types app.json as the base JSONProvider

    if settings["TRUST_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]  # Flask's documented way

    # Imported here, not at the top, so that `python -m webapp.cli` starts without loading the views.
    from webapp import csrf, errors, i18n, metrics, ratelimit, security, state
    from webapp.browse import find, lists, municipalities, resources
    from webapp.core import views as core
    from webapp.network import views as network
    from webapp.sparql import downloads, endpoint, graphs, queries
    from webapp.submit import contribute, redactie, submissions

    state.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    csrf.init_app(app)
    ratelimit.init_app(app)
    submissions.init_app(app)
    metrics.init_app(app)

    for module in (core, endpoint, downloads, graphs, queries, resources, find, lists, municipalities, network, contribute, redactie):
        app.register_blueprint(module.bp)
    return app


def _secret_key(data_dir: Path) -> str:
    """A key generated once and kept in the data directory, so sessions survive restarts.

    Several web processes may start at once on one data directory: the key is written to a file of
    this process and linked into place, which fails if another process was first; then its key is used,
    so every process signs with the same key."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        mine = data_dir / f".secret_key.{os.getpid()}"
        with os.fdopen(os.open(mine, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(mine, path)
        except FileExistsError:
            pass
        finally:
            mine.unlink()
    return path.read_text(encoding="utf-8").strip()
