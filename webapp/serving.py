"""The web server behind `sociale-basis serve`: gunicorn with N worker processes on the one port
(`--workers N`, default 1; its `gthread` worker, THREADS threads each).

gunicorn for one process too, not waitress: at 64 connections, one waitress process served a
resource page with a p99 of 487 ms and the SPARQL endpoint at 242 req/s; gunicorn's worker at 81 ms
and 642 req/s (docs/deploy.md, "One process under many connections").
waitress's I/O thread must take the GIL for every request from threads that never let go of it
while requests are queued; gunicorn's threads read their own requests. waitress remains the
in-thread server of the tests (tests/conftest.py), where it is started and stopped in a thread.

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

import gc
import multiprocessing
from typing import Any, Mapping

from graph.settings import StartupError, load_settings

GUNICORN_TIMEOUT = 120  # seconds a worker may take to start (building its caches) or stay silent


def serve(overrides: Mapping[str, Any], workers: int = 1) -> None:
    """Serve the app on HOST:PORT until stopped, in `workers` gunicorn worker processes."""
    settings = load_settings(overrides)
    problems = multiprocess_problems(settings) if workers > 1 else []
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


def freeze_startup_objects() -> None:
    """Keep what the start-up built (search index, label tables) out of the garbage collector's full
    collections: with them each took 70-90 ms and stalled every thread (the p99 of a search at one
    connection was 57 ms); without them 2-3 ms (9 ms). They live as long as the process anyway."""
    gc.collect()
    gc.freeze()


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


def _serve_gunicorn(overrides: Mapping[str, Any], workers: int, settings: Mapping[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

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
        # gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): a second server
        # would take it over, and nothing here uses it
        "control_socket_disable": True,
    }

    class Application(BaseApplication):  # gunicorn has no type information (Any)
        """gunicorn's embedding API: our options, and the app built in each worker."""

        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            import gunicorn.http.wsgi

            from webapp import create_app

            gunicorn.http.wsgi.SERVER = "sociale-basis"  # the Server header names the site, not its software
            app = create_app(overrides)
            freeze_startup_objects()
            return app

    store = settings["DATA_DIR"] if settings["STORE"] == "oxigraph" else settings["SPARQL_QUERY_URL"]
    processes = "1 worker process" if workers == 1 else f"{workers} worker processes"
    print(f"serving on http://{settings['HOST']}:{settings['PORT']}/ with {processes} (store {settings['STORE']} "
          f"in {store}, submissions {'PostgreSQL' if settings['SUBMISSIONS_DB'] else 'SQLite'}, "
          f"rate limits {str(settings['RATELIMIT_STORAGE']).split(':', 1)[0]})", flush=True)
    Application().run()
