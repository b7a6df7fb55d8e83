"""Settings, declared once (name, default, help) and overridable by environment variables.

Every setting `NAME` can be set with the environment variable `SOCIALE_BASIS_NAME`, or passed to
`webapp.create_app({...})` / `load_settings({...})`. `docs/settings.md` is generated from this table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from graph.errors import N_, ConfigError

ENV_PREFIX = "SOCIALE_BASIS_"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> str:
    """Where the shipped `ontology/` or `data/` folder is: the checkout, or the installed share dir."""
    here = REPO_ROOT / name
    if here.is_dir():
        return str(here)
    import sys

    return str(Path(sys.prefix) / "share" / "sociale-basis" / name)


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", "var", "Folder for the on-disk store, search index, submissions and secrets."),
    Setting("ONTOLOGY_PATH", _shipped("ontology"), "Folder (or file) with the ontology in Turtle."),
    Setting("SOURCE_DATA_PATH", _shipped("data"), "Folder (or file) with the curated data (TriG/Turtle)."),
    Setting("STORE", "oxigraph", "Store backend: 'oxigraph' (embedded, on disk) or 'sparql' (a remote SPARQL 1.1 server)."),
    Setting("SPARQL_QUERY_URL", "", "Query endpoint of the remote store (STORE=sparql)."),
    Setting("SPARQL_UPDATE_URL", "", "Update endpoint of the remote store (STORE=sparql)."),
    Setting("HOST", "127.0.0.1", "Address the web server listens on."),
    Setting("PORT", 8080, "Port the web server listens on.", int),
    Setting("THREADS", 8, "Worker threads of the WSGI server.", int),
    Setting("PUBLIC_URL", "", "Public base URL of the site, used in feeds and dataset descriptions. Set it in production: when empty, those links follow the request's Host header."),
    Setting("SECRET_KEY", "", "Key for signing sessions and CSRF tokens; empty = generated once and kept in DATA_DIR."),
    Setting("QUERY_TIMEOUT", 10.0, "Hard time limit in seconds for one public SPARQL query.", float),
    Setting("MAX_QUERY_LENGTH", 20_000, "Longest accepted SPARQL query, in characters (413 beyond).", int),
    Setting("MAX_RESULT_ROWS", 10_000, "Most result rows (or triples) one public query may return.", int),
    Setting("MAX_QUERIES_PER_CLIENT", 2, "Concurrent public SPARQL queries per client address.", int),
    Setting("QUERY_WORKERS", 2, "Worker processes that run public SPARQL queries.", int),
    Setting("MAX_REQUEST_BYTES", 1_000_000, "Largest accepted request body, in bytes (413 beyond).", int),
    Setting("SUBMIT_RATE", "5/60", "Submissions allowed per client: COUNT/SECONDS.", str),
    Setting("LOGIN_RATE", "5/300", "Login attempts allowed per client: COUNT/SECONDS.", str),
    Setting("SECURE_COOKIES", False, "Mark session cookies Secure (set true behind HTTPS).", _bool),
    Setting("TRUST_PROXY", False, "Trust X-Forwarded-* headers from one reverse proxy.", _bool),
    Setting("CHECK_RATE", "30/60", "Criteria checks ('Controleren' on the submission form) allowed per client: COUNT/SECONDS.", str),
    Setting("EDITOR_SESSION_HOURS", 8.0, "Hours an editor stays signed in to /redactie.", float),
    Setting("MAX_PENDING", 2000, "Most submissions waiting for moderation; beyond it the form answers 503.", int),
    Setting("MAX_QUERY_NESTING", 64, "Deepest bracket nesting accepted in a public SPARQL query (400 beyond).", int),
    Setting("QUERY_WORKER_NO_NETWORK", True, "Run SPARQL query workers in a network namespace of their own (no network at all), where the system permits it.", _bool),
    Setting("QUERY_MEMORY_MB", 2048, "Memory (resident, MB) one SPARQL query worker may use before its query is stopped (503); 0 = no limit.", int),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def load_settings(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, then environment variables, then explicit overrides (unknown keys are kept as-is)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw: Any = setting.default
        if ENV_PREFIX + setting.name in env:
            raw = env[ENV_PREFIX + setting.name]
        values[setting.name] = _parse(setting, raw)
    for key, value in (overrides or {}).items():
        values[key] = _parse(_BY_NAME[key], value) if key in _BY_NAME else value
    return values


def _parse(setting: Setting, raw: Any) -> Any:
    try:
        return setting.parse(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(N_("setting %(name)s: %(problem)s"), name=setting.name, problem=str(exc)) from exc


def settings_markdown() -> str:
    """The settings table as Markdown, for docs/settings.md."""
    lines = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = s.default
        if s.name in {"ONTOLOGY_PATH", "SOURCE_DATA_PATH"}:
            default = s.name.split("_")[0].lower().replace("source", "data") + "/ (shipped)"
        lines.append(f"| `{s.name}` | `{ENV_PREFIX}{s.name}` | `{default}` | {s.help} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print("# Settings\n\nEach setting can be set as an environment variable or passed to `create_app({...})`.\n")
    print(settings_markdown(), end="")
