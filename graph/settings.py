"""Settings, declared once as the typed fields of `Settings` (name, type, default, help).

`load_settings()` reads the defaults, then the environment variables `SOCIALE_BASIS_<NAME>`, then
explicit overrides (what is passed to `webapp.create_app({...})`). A setting it does not know, or a
value of the wrong type, stops the start with a `StartupError` naming it, as datasette does: a typo
must not silently fall back to a default. `docs/settings.md` is generated from the declaration
(`python -m graph.settings > docs/settings.md`).

`Settings` is a read-only Mapping too, so `settings["PORT"]` works as well as `settings.PORT`, and
functions that take `Mapping[str, Any]` accept it.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from graph.errors import ConfigError

ENV_PREFIX = "SOCIALE_BASIS_"
REPO_ROOT = Path(__file__).resolve().parent.parent


class StartupError(ConfigError):
    """A setting that is unknown or has a value of the wrong type: the app or command does not start.

    Raised before any request exists, so its message is the English text for the operator."""


def _shipped(name: str) -> str:
    """Where the shipped `ontology/` or `data/` folder is: the checkout, or the installed share dir."""
    here = REPO_ROOT / name
    if here.is_dir():
        return str(here)
    return str(Path(sys.prefix) / "share" / "sociale-basis" / name)


def _setting(default: Any, help: str, *, shown: str | None = None) -> Any:
    """One field of `Settings`: its default, its help text and (optionally) the default as documented."""
    return field(default=default, metadata={"help": help, "shown": shown})


@dataclass(frozen=True)
class Settings(Mapping[str, Any]):
    """Every setting of the project, with its type and default; read as attributes or as a Mapping."""

    DATA_DIR: str = _setting("var", "Folder for the on-disk store, search index, submissions and secrets.")
    ONTOLOGY_PATH: str = _setting(_shipped("ontology"), "Folder (or file) with the ontology in Turtle.",
                                  shown="ontology/ (shipped)")
    SOURCE_DATA_PATH: str = _setting(_shipped("data"), "Folder (or file) with the curated data (TriG/Turtle).",
                                     shown="data/ (shipped)")
    STORE: Literal["oxigraph", "sparql"] = _setting(
        "oxigraph", "Store backend: 'oxigraph' (embedded, on disk) or 'sparql' (a remote SPARQL 1.1 server).")
    SPARQL_QUERY_URL: str = _setting("", "Query endpoint of the remote store (STORE=sparql).")
    SPARQL_UPDATE_URL: str = _setting("", "Update endpoint of the remote store (STORE=sparql); empty = read-only.")
    SPARQL_STORE_URL: str = _setting("", "Graph Store Protocol endpoint of the remote store (STORE=sparql), for "
                                         "loading the whole dataset (`sociale-basis build`, or the first start on an "
                                         "empty server).")
    SPARQL_UNION_GRAPH: str = _setting("", "STORE=sparql: empty = the server's default graph holds the union of the "
                                           "graphs (Oxigraph server); an IRI = the union is kept in that named graph and "
                                           "sent as every query's default graph (Virtuoso, whose default graph is every graph).")
    STORE_POLL_SECONDS: float = _setting(2.0, "STORE=sparql: how often a process checks whether another process "
                                              "changed the store (its caches and search index follow).")
    SUBMISSIONS_DB: str = _setting("", "Submissions and editor accounts: empty = SQLite in DATA_DIR; a postgresql:// URL "
                                       "= PostgreSQL, shared by several web processes (needs the [scale] extra).")
    RATELIMIT_STORAGE: str = _setting("memory://", "Where rate-limit counters live (Flask-Limiter storage URI): "
                                                   "memory:// per process, or redis://host:port/db shared by several processes.")
    HOST: str = _setting("127.0.0.1", "Address the web server listens on.")
    PORT: int = _setting(8080, "Port the web server listens on.")
    THREADS: int = _setting(8, "Worker threads of the WSGI server.")
    PUBLIC_URL: str = _setting("", "Public base URL of the site, used in feeds and dataset descriptions. Set it in "
                                   "production: when empty, those links follow the request's Host header.")
    SECRET_KEY: str = _setting("", "Key for signing sessions and CSRF tokens; empty = generated once and kept in DATA_DIR.")
    QUERY_TIMEOUT: float = _setting(10.0, "Hard time limit in seconds for one public SPARQL query.")
    MAX_QUERY_LENGTH: int = _setting(20_000, "Longest accepted SPARQL query, in characters (413 beyond).")
    MAX_RESULT_ROWS: int = _setting(10_000, "Most result rows (or triples) one public query may return.")
    MAX_QUERIES_PER_CLIENT: int = _setting(2, "Concurrent public SPARQL queries per client address.")
    QUERY_WORKERS: int = _setting(2, "Worker processes that run public SPARQL queries.")
    QUERY_QUEUE: int = _setting(4, "Public SPARQL queries that may wait for a free worker; beyond, 503 at once "
                                   "(with Retry-After). Keep QUERY_WORKERS + QUERY_QUEUE below THREADS, so that "
                                   "queries never hold every web thread.")
    QUERY_QUEUE_WAIT: float = _setting(2.0, "Longest wait in seconds for a free query worker before 503 (with Retry-After).")
    QUERY_SECONDS_PER_MINUTE: float = _setting(30.0, "Query seconds one client address may use per minute (sliding); "
                                                     "beyond, 429 with Retry-After. 0 = no budget.")
    MAX_RESULT_BYTES: int = _setting(32 * 1024 * 1024, "Largest serialized answer of one public SPARQL query, in "
                                                       "bytes (refused with 422 beyond).")
    SPARQL_CACHE_SECONDS: int = _setting(0, "Seconds a shared HTTP cache in front of the app (nginx, `sociale-basis "
                                            "proxy-config`) may serve a successful GET SPARQL answer again; an "
                                            "approval shows there at most this much later. 0 = not cacheable.")
    PAGE_CACHE_MB: int = _setting(32, "Rendered resource and search pages kept in memory per process, in MB, until the store "
                                      "changes (pages hold nothing per visitor); 0 = off.")
    MAX_REQUEST_BYTES: int = _setting(1_000_000, "Largest accepted request body, in bytes (413 beyond).")
    SUBMIT_RATE: str = _setting("5/60", "Submissions allowed per client: COUNT/SECONDS (whole numbers; a sliding window).")
    LOGIN_RATE: str = _setting("5/300", "Login attempts allowed per client: COUNT/SECONDS (whole numbers).")
    SECURE_COOKIES: bool = _setting(False, "Mark session cookies Secure (set true behind HTTPS).")
    TRUST_PROXY: bool = _setting(False, "Trust X-Forwarded-* headers from one reverse proxy.")
    PRODUCTION: bool = _setting(False, "Production mode: requires an https PUBLIC_URL (links never follow the Host header), "
                                       "marks session cookies Secure and sends HSTS (see docs/deploy.md).")
    CHECK_RATE: str = _setting("30/60", "Criteria checks ('Controleren' on the submission form) allowed per client: "
                                        "COUNT/SECONDS (whole numbers).")
    EDITOR_SESSION_HOURS: float = _setting(8.0, "Hours an editor stays signed in to /redactie.")
    MAX_PENDING: int = _setting(2000, "Most submissions waiting for moderation; beyond it the form answers 503.")
    MAX_QUERY_NESTING: int = _setting(64, "Deepest bracket nesting accepted in a public SPARQL query (400 beyond).")
    QUERY_WORKER_NO_NETWORK: bool = _setting(True, "Run SPARQL query workers in a network namespace of their own "
                                                   "(no network at all), where the system permits it.")
    QUERY_MEMORY_MB: int = _setting(2048, "Memory (resident, MB) one SPARQL query worker may use before its query is "
                                          "stopped (503); 0 = no limit.")
    SLOW_QUERY_SECONDS: float = _setting(2.0, "Log SPARQL queries slower than this, in seconds; 0 = none.")
    METRICS_ALLOW: str = _setting("127.0.0.1, ::1", "Addresses or networks that may read /metrics (comma-separated).")

    def __getitem__(self, name: str) -> Any:
        if name not in _TYPES:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_TYPES)

    def __len__(self) -> int:
        return len(_TYPES)


@dataclass(frozen=True)
class Setting:
    """One setting as documented: name, type, default and help (derived from `Settings`)."""

    name: str
    type: Any
    default: Any
    help: str
    shown: str | None = None


_TYPES: dict[str, Any] = get_type_hints(Settings)
_FIELDS: tuple[Field[Any], ...] = fields(Settings)
SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, _TYPES[f.name], f.default, f.metadata["help"], f.metadata["shown"]) for f in _FIELDS
)


def load_settings(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then `SOCIALE_BASIS_*` environment variables, then explicit overrides, each checked.

    Raises StartupError naming every unknown setting or environment variable and every value of the
    wrong type (all of them, in one line, so one start shows all the mistakes).
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key in env:
        if not key.startswith(ENV_PREFIX):
            continue
        name = key.removeprefix(ENV_PREFIX)
        if name not in _TYPES:
            problems.append(f"unknown environment variable {key}{_did_you_mean(name, ENV_PREFIX)}")
            continue
        try:
            values[name] = _parse(_TYPES[name], env[key])
        except ValueError as exc:
            problems.append(f"setting {name} (from {key}): {exc}")
    for name, value in (overrides or {}).items():
        if name not in _TYPES:
            problems.append(f"unknown setting {name!r}{_did_you_mean(str(name))}")
            continue
        try:
            values[name] = _parse(_TYPES[name], value)
        except ValueError as exc:
            problems.append(f"setting {name}: {exc}")
    if values.get("PRODUCTION"):
        public = str(values.get("PUBLIC_URL", ""))
        if not public.startswith("https://"):
            problems.append(f"PRODUCTION needs PUBLIC_URL set to the site's https:// address (it is {public!r})")
    if problems:
        raise StartupError("; ".join(problems))
    return Settings(**values)


def _did_you_mean(name: str, prefix: str = "") -> str:
    close = difflib.get_close_matches(name.upper(), _TYPES, n=1)
    return f" (did you mean {prefix}{close[0]}?)" if close else ""


def _parse(kind: Any, value: Any) -> Any:
    """`value` (a string from the environment, or a Python value) as a value of type `kind`.

    Strings are converted; Python values must already have the type (an int is taken for a float,
    and a path for a string). Raises ValueError saying what was expected.
    """
    if get_origin(kind) is Literal:
        choices = get_args(kind)
        if value in choices:
            return value
        raise ValueError(f"expected one of {', '.join(repr(c) for c in choices)}, got {value!r}")
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"expected true or false, got {value!r}")
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ValueError(f"expected an integer, got {value!r}")
    if kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise ValueError(f"expected a number, got {value!r}")
    if kind is str:
        if isinstance(value, str):
            return value
        if isinstance(value, os.PathLike):
            return os.fspath(value)
        raise ValueError(f"expected a string, got {value!r}")
    raise TypeError(f"no parser for settings of type {kind!r}")  # a declaration error, not a user error


def settings_markdown() -> str:
    """The settings table as Markdown, for docs/settings.md."""
    lines = ["| setting | environment variable | type | default | meaning |", "|---|---|---|---|---|"]
    for s in SETTINGS:
        default = s.shown if s.shown is not None else s.default
        lines.append(f"| `{s.name}` | `{ENV_PREFIX}{s.name}` | {_type_name(s.type)} | `{default}` | {s.help} |")
    return "\n".join(lines) + "\n"


def _type_name(kind: Any) -> str:
    if get_origin(kind) is Literal:
        return " or ".join(f"`{c}`" for c in get_args(kind))
    return {bool: "boolean", int: "integer", float: "number", str: "text"}[kind]


if __name__ == "__main__":
    print("# Settings\n\nEach setting can be set as an environment variable or passed to `create_app({...})`. "
          "An unknown setting or environment variable, or a value of the wrong type, stops the start with an "
          "error naming it. Booleans are written `true`/`false` (or `1`/`0`, `yes`/`no`, `on`/`off`).\n\n"
          "Flask's own configuration keys (such as `TESTING`) are not settings: set them on `app.config` after "
          "`create_app`.\n")
    print(settings_markdown(), end="")
