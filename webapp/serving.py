"""The web server behind `sociale-basis serve`: waitress in this process, or with `--workers N`
gunicorn with N worker processes on the one port (its `gthread` worker, THREADS threads each).

Each worker builds its own app with `create_app`: its own settings, store connection, submissions
database and caches (the app is not loaded before the fork). Before the workers start, one start-up
runs in a process of its own and ends, so that what a start does once (building or loading the
store, the search index, repairing an interrupted approval, the generated secret key) is not raced
by N workers.

Several processes need every piece of shared state outside the process (docs/deploy.md):
- STORE=sparql: the embedded Oxigraph store is a RocksDB folder that one process opens for writing
  (a second one could only open a read-only snapshot that never sees the approvals of the first);
- RATELIMIT_STORAGE on Redis: memory:// counters are per process, so N workers would allow N times
  the rates.
Submissions may stay in SQLite when every worker runs on the same machine and DATA_DIR (SQLite
locks the file between processes), or live in PostgreSQL (SUBMISSIONS_DB).
"""

from __future__ import annotations

import multiprocessing
from typing import Any, Mapping

from graph.settings import StartupError, load_settings

GUNICORN_TIMEOUT = 120  # seconds a worker may take to start (building its caches) or stay silent


def serve(overrides: Mapping[str, Any], workers: int = 1) -> None:
    """Serve the app on HOST:PORT until stopped: one process (waitress), or `workers` processes."""
    if workers <= 1:
        _serve_waitress(overrides)
        return
    settings = load_settings(overrides)
    problems = multiprocess_problems(settings)
    if problems:
        raise StartupError(f"--workers {workers}: " + "; ".join(problems) + " (see docs/deploy.md)")
    prepare(overrides)
    _serve_gunicorn(overrides, workers, settings)


def multiprocess_problems(settings: Mapping[str, Any]) -> list[str]:
    """Why these settings cannot run in several processes (empty: they can)."""
    problems = []
    if settings["STORE"] != "sparql":
        problems.append("several web processes need STORE=sparql (the embedded Oxigraph store is opened for "
                        "writing by one process only)")
    if str(settings["RATELIMIT_STORAGE"]).startswith("memory:"):
        problems.append("RATELIMIT_STORAGE=memory:// counts per process; set a shared storage such as "
                        "redis://host:6379/0")
    return problems


def prepare(overrides: Mapping[str, Any]) -> None:
    """Run one start-up (create_app) in a process of its own and wait for it to end."""
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=_start_once, args=(dict(overrides),), name="sociale-basis-prepare")
    process.start()
    process.join()
    if process.exitcode != 0:
        raise StartupError(f"the start-up before the workers failed (exit status {process.exitcode}); see the message above")


def _start_once(overrides: dict[str, Any]) -> None:
    from webapp import create_app

    create_app(overrides)


def _serve_waitress(overrides: Mapping[str, Any]) -> None:
    import waitress

    from webapp import create_app

    app = create_app(overrides)
    host, port = app.config["HOST"], app.config["PORT"]
    print(f"serving on http://{host}:{port}/ (store in {app.config['DATA_DIR']})", flush=True)
    waitress.serve(app, host=host, port=port, threads=app.config["THREADS"], ident="sociale-basis")


def _serve_gunicorn(overrides: Mapping[str, Any], workers: int, settings: Mapping[str, Any]) -> None:
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:
        raise StartupError("--workers needs gunicorn: pip install 'sociale-basis[scale]'") from exc

    options = {
        "bind": f"{settings['HOST']}:{settings['PORT']}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": settings["THREADS"],
        "timeout": GUNICORN_TIMEOUT,
        "graceful_timeout": 30,
        "preload_app": False,  # each worker builds its own app: settings and connections per process
        "proc_name": "sociale-basis",
        "accesslog": None,
    }

    class Application(BaseApplication):  # gunicorn has no type information (Any)
        """gunicorn's embedding API: our options, and the app built in each worker."""

        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from webapp import create_app

            return create_app(overrides)

    print(f"serving on http://{settings['HOST']}:{settings['PORT']}/ with {workers} worker processes "
          f"(store {settings['STORE']}, submissions {'PostgreSQL' if settings['SUBMISSIONS_DB'] else 'SQLite'}, "
          f"rate limits {str(settings['RATELIMIT_STORAGE']).split(':', 1)[0]})", flush=True)
    Application().run()
