"""Load on the real server: requests/s and p50/p99 latency at a few concurrency levels, with errors
counted, for the heaviest resource page of the data, a search, a small SPARQL SELECT and the
concept-map JSON.

The app runs on waitress (the production server, THREADS worker threads) in a process of its own on
127.0.0.1; the load comes from threads in this process, each on its own keep-alive connection
(http.client, no extra dependencies). Loopback only, and bounded: every cell (target x
concurrency) stops after --requests requests or --seconds seconds, whichever comes first.

The heaviest resource page is found, not assumed: the pages of the 12 entities with the most
statements are each timed a few times, and the slowest is used (--resource overrides it). The
per-client SPARQL concurrency limit and the query queue are raised to the highest concurrency level,
and the per-client budget of query seconds is off, since all the load comes from one address
(otherwise most SPARQL requests would be 429s or 503s, which measures the limits).

    python -m benchmarks.bench_load                                   # shipped data, 1, 8, 64 connections
    python -m benchmarks.bench_load --concurrency 1 8 64 --requests 2000 --seconds 20
    python -m benchmarks.bench_load --data tests/fixtures/data        # any folder of TriG files
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_sparql import free_port, percentile, wait_for  # noqa: E402

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0  # seconds; a request still unanswered then counts as an error
SMALL_SELECT = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 10"
)
SERVER = r"""
import json, sys, waitress
from webapp import create_app
app = create_app(json.loads(sys.argv[1]))
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=app.config["THREADS"], ident="bench-load",
               connection_limit=1000, channel_timeout=60)
"""


@dataclass
class Cell:
    """The outcome of one target at one concurrency level."""

    target: str
    concurrency: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, answered requests (any status)
    errors: int = 0  # non-2xx answers and failed connections
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def start_server(config: dict[str, object], port: int, log: Path) -> subprocess.Popen[bytes]:
    """The app on waitress; its log goes to a file (a pipe nobody reads would fill up and stall it)."""
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVER, json.dumps(config), str(port)], cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=handle,
        )
    try:
        wait_for(f"http://{HOST}:{port}/health", process, 600)
    except SystemExit:
        process.kill()
        raise SystemExit(f"the server did not start: {log.read_text(errors='replace')[-2000:]}") from None
    return process


def fetch(conn: http.client.HTTPConnection, path: str, accept: str) -> tuple[int, int]:
    """(status, body bytes) of one GET on a keep-alive connection."""
    conn.request("GET", path, headers={"Accept": accept, "Accept-Encoding": "identity"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


def run_cell(port: int, target: str, path: str, accept: str, concurrency: int, requests: int, seconds: float) -> Cell:
    """`concurrency` threads, each on its own connection, share `requests` requests (or stop at `seconds`)."""
    cell = Cell(target, concurrency)
    lock = threading.Lock()
    budget = [requests]
    deadline = time.monotonic() + seconds
    start = threading.Barrier(concurrency + 1)

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        start.wait()
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            began = time.perf_counter()
            try:
                status, _size = fetch(conn, path, accept)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
                with lock:
                    cell.errors += 1
                    cell.statuses["conn"] = cell.statuses.get("conn", 0) + 1
                continue
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                cell.latencies.append(elapsed)
                cell.statuses[str(status)] = cell.statuses.get(str(status), 0) + 1
                if not 200 <= status < 300:
                    cell.errors += 1
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    cell.seconds = time.perf_counter() - began
    return cell


def heaviest_resource(port: int, store_dir: Path, tries: int = 3) -> tuple[str, float]:
    """(path, median ms) of the slowest resource page among the entities with the most statements."""
    import pyoxigraph as ox

    from graph.namespaces import BASE

    store = ox.Store.read_only(str(store_dir))
    query = (
        f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ {{ ?e ?p ?o }} UNION {{ ?s ?p ?e }} "
        f'FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{BASE}id/")) }} GROUP BY ?e ORDER BY DESC(?n) LIMIT 12'
    )
    candidates = [row[0].value for row in store.query(query)]  # type: ignore[union-attr]
    del store
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    timings: dict[str, float] = {}
    for iri in candidates:
        path = "/" + iri[len(BASE):]  # the site's own path, as webapp.urls.resource_path gives it
        runs = []
        for _ in range(tries + 1):  # the first warms the caches
            began = time.perf_counter()
            status, _size = fetch(conn, path, "text/html")
            runs.append((time.perf_counter() - began) * 1000)
        if status == 200:
            timings[path] = statistics.median(runs[1:])
    conn.close()
    if not timings:
        raise SystemExit("no resource page answered 200")
    path = max(timings, key=lambda p: timings[p])
    return path, timings[path]


def report(cells: list[Cell]) -> None:
    head = f"{'target':<44}{'conc':>5}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  statuses"
    print()
    print(head)
    print("-" * len(head))
    for c in cells:
        p50 = statistics.median(c.latencies) if c.latencies else float("nan")
        p99 = percentile(c.latencies, 0.99) if c.latencies else float("nan")
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(c.statuses.items()))
        print(f"{c.target[:43]:<44}{c.concurrency:>5}{len(c.latencies):>9}{c.rate:>9.1f}{p50:>9.1f}{p99:>9.1f}"
              f"{c.errors:>8}  {statuses}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="folder of TriG files (default: the shipped data)")
    parser.add_argument("--work", type=Path, help="data directory for the store (default: a temporary folder)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--requests", type=int, default=500, help="most requests per target and concurrency level")
    parser.add_argument("--seconds", type=float, default=15.0, help="most seconds per target and concurrency level")
    parser.add_argument("--resource", help="resource page path (default: the heaviest one found)")
    parser.add_argument("--search", default="eenzaamheid", help="search words")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads (the THREADS setting)")
    args = parser.parse_args()
    if max(args.concurrency) > 256 or args.requests > 100_000 or args.seconds > 300:
        raise SystemExit("bounded benchmark: at most 256 connections, 100,000 requests and 300 s per cell")

    with tempfile.TemporaryDirectory(prefix="sociale-basis-bench-load-") as tmp:
        work = args.work or Path(tmp) / "var"
        config = {
            "DATA_DIR": str(work), "ONTOLOGY_PATH": str(ROOT / "ontology"), "SOURCE_DATA_PATH": str(args.data),
            "SECRET_KEY": "bench", "THREADS": args.threads, "MAX_QUERIES_PER_CLIENT": max(args.concurrency),
            # all load comes from one address: no per-client budget, and a queue as deep as the load
            "QUERY_SECONDS_PER_MINUTE": 0, "QUERY_QUEUE": max(args.concurrency),
        }
        port = free_port()
        started = time.perf_counter()
        server_log = Path(tmp) / "server.log"
        server = start_server(config, port, server_log)
        print(f"server up in {time.perf_counter() - started:.1f} s on {HOST}:{port} "
              f"(waitress, {args.threads} threads; {os.cpu_count()} CPUs; load from this process)", flush=True)
        try:
            from graph.store.build import read_build_info

            info = read_build_info(work)
            assert info is not None
            if args.resource:
                resource = args.resource
            else:
                resource, ms = heaviest_resource(port, work / info.store_dir)
                print(f"heaviest resource page: {resource} ({ms:.1f} ms alone)", flush=True)
            targets = [
                (f"resource {resource}", resource, "text/html"),
                (f"search '{args.search}'", "/search?" + urllib.parse.urlencode({"q": args.search}), "text/html"),
                ("SPARQL small SELECT", "/sparql?" + urllib.parse.urlencode({"query": SMALL_SELECT}),
                 "application/sparql-results+json"),
                ("concept map JSON /verkennen.json", "/verkennen.json", "application/json"),
            ]
            cells = []
            for name, path, accept in targets:
                run_cell(port, name, path, accept, 2, 20, 30)  # warm-up: caches, query workers
                for concurrency in args.concurrency:
                    cell = run_cell(port, name, path, accept, concurrency, args.requests, args.seconds)
                    cells.append(cell)
                    print(f"  {name[:40]:<40} x{concurrency:<3} {cell.rate:8.1f} req/s, {cell.errors} errors", flush=True)
        finally:
            server.terminate()
            server.wait(30)
            warnings = [line for line in server_log.read_text(errors="replace").splitlines() if line.strip()]
    if warnings:
        print(f"\nserver log: {len(warnings)} lines, the last ones:\n  " + "\n  ".join(warnings[-8:]))
    print(f"\ntriples: {info.triples:,}; each cell: at most {args.requests} requests or {args.seconds:g} s")
    report(cells)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
