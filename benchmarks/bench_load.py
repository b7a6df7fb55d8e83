"""Load on the real server: requests/s, p50/p99 latency and errors at a few concurrency levels, for
the heaviest resource page of the data, a search, a small SPARQL SELECT, the concept-map JSON and a
page mix (the three pages in turn), in several configurations:

    embedded:1   the embedded store, one process (gunicorn, one worker; what `make run` serves)
    oxigraph:1   the store on `oxigraph serve`, one process
    oxigraph:2   the store on `oxigraph serve`, two processes (gunicorn), rate limits in Redis
    virtuoso:1   the store on Virtuoso Open Source 7, one process
    virtuoso:2   the store on Virtuoso, two processes, rate limits in Redis

    embedded:1+cache, oxigraph:2+cache
                 the same behind nginx as `sociale-basis proxy-config` writes it, with
                 SPARQL_CACHE_SECONDS=60: a repeated GET SPARQL answer comes from nginx's cache

and, as the reference for what our layer costs, the same small SELECT sent straight to
`oxigraph serve`. More targets show what a cache cannot hide and what no query can beat:
"SPARQL small SELECT, each different" puts a numbered comment first in every query (`# 17`), so no two
requests share a URL and every one is run in full, here and on raw `oxigraph serve`; "search, each
different" adds a numbered parameter the page ignores (`&n=17`), so every search is run and rendered
(a repeated one comes from the page cache, as resource pages do); "lightest route"
is `/health`, the cheapest answer the app gives (a cached count), the ceiling of any request that
passes through Flask on this server. (Several processes on the embedded store are refused by design: one process opens
it for writing; docs/deploy.md.) Memory is the resident size of the server processes (the web
processes and their query workers, and the Oxigraph server) before and after the load.

The load comes from wrk (Debian's package; C and epoll, so it leaves the CPUs to the servers), or
with --generator python from threads in this process, each on its own keep-alive connection:
loopback only, and bounded: every cell (configuration x target x concurrency) stops after
--seconds seconds (and, with the Python generator, after --requests requests). The heaviest resource page is
found, not assumed (the slowest of the 12 entities with the most statements). The per-client SPARQL
limits are raised to the load, since all of it comes from one address.

    python -m benchmarks.bench_load                                   # all configurations, 8 and 64 connections
    python -m benchmarks.bench_load --configs embedded:1 --concurrency 1 8 64 --seconds 20
    python -m benchmarks.bench_load --configs embedded:1 oxigraph:2 --targets search --concurrency 64
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
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
CONFIGS = ("embedded:1", "oxigraph:1", "oxigraph:2", "virtuoso:1", "virtuoso:2", "embedded:1+cache", "oxigraph:2+cache")
CACHE_SECONDS = 60  # SPARQL_CACHE_SECONDS behind nginx (the +cache configurations)
TARGETS = ("mix", "resource", "search", "search-distinct", "sparql", "distinct", "map", "health", "raw")  # --targets
NUMBER = "__N__"  # in a path: replaced by the request's number (each request a different URL)
OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


@dataclass
class Cell:
    """The outcome of one target at one concurrency level."""

    config: str
    target: str
    concurrency: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, answered requests (any status)
    errors: int = 0  # non-2xx answers and failed connections
    statuses: dict[str, int] = field(default_factory=dict)
    answered: int = 0  # wrk: the number of answers (it reports percentiles, not each latency)
    p50: float | None = None  # wrk's percentiles, ms
    p99: float | None = None

    @property
    def count(self) -> int:
        return self.answered or len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentiles(self) -> tuple[float, float]:
        if self.p50 is not None and self.p99 is not None:
            return self.p50, self.p99
        if not self.latencies:
            return float("nan"), float("nan")
        return statistics.median(self.latencies), percentile(self.latencies, 0.99)


@dataclass
class Running:
    """The processes of one configuration: the web server, and the servers it uses."""

    port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    store_port: int | None = None

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def rss_mb(self) -> float:
        """Resident memory of every process of the configuration, children included, in MB."""
        import psutil

        total = 0
        for process in self.processes:
            try:
                parent = psutil.Process(process.pid)
                total += sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])
            except psutil.NoSuchProcess:
                continue
        return total / 2**20


def _started(command: list[str], log: Path, ready: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        process = subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(ready, process, 600)
    except SystemExit:
        process.kill()
        raise SystemExit(f"{command[0]} did not start: {log.read_text(errors='replace')[-2000:]}") from None
    return process


def _wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {HOST}:{port}")


def store_kind(config: str) -> str:
    return config.split(":")[0]


def _folder(name: str) -> str:
    return name.replace(":", "-").replace("+", "-")


def start_config(name: str, base: dict[str, object], work: Path) -> Running:
    """Start one configuration ('embedded:1', 'oxigraph:2', ...) and return its processes."""
    store, rest = name.split(":")
    workers, _plus, cache = rest.partition("+")
    settings = dict(base, DATA_DIR=str(work / _folder(name)))
    if cache:
        settings["SPARQL_CACHE_SECONDS"] = CACHE_SECONDS
    running = Running(free_port())
    log = work / f"{_folder(name)}.log"
    if store == "oxigraph":
        running.store_port = free_port()
        running.processes.append(_started(
            [OXIGRAPH, "serve", "--location", str(work / f"{_folder(name)}-oxigraph"),
             "--bind", f"{HOST}:{running.store_port}"], log, f"http://{HOST}:{running.store_port}/query?query=ASK%7B%7D"))
        url = f"http://{HOST}:{running.store_port}"
        settings.update(STORE="sparql", SPARQL_QUERY_URL=f"{url}/query", SPARQL_UPDATE_URL=f"{url}/update",
                        SPARQL_STORE_URL=f"{url}/store")
    if store == "virtuoso":
        from tests.servers import start_virtuoso  # the same server set-up the tests use

        virtuoso = start_virtuoso(work / f"{_folder(name)}-virtuoso")
        running.processes.append(virtuoso.process)
        running.store_port = virtuoso.port
        settings.update(virtuoso.settings())
    if int(workers) > 1:
        redis_port = free_port()
        with log.open("ab") as handle:
            redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", HOST, "--save", "", "--appendonly", "no"],
                                     stdout=handle, stderr=subprocess.STDOUT)
        running.processes.append(redis)
        _wait_for_port(redis_port)
        settings["RATELIMIT_STORAGE"] = f"redis://{HOST}:{redis_port}/0"
    env = dict(os.environ, **{f"SOCIALE_BASIS_{k}": str(v) for k, v in settings.items()})
    running.processes.append(_started(
        [sys.executable, "-m", "webapp.cli", "serve", "--host", HOST, "--port", str(running.port), "--workers", workers],
        log, f"http://{HOST}:{running.port}/health", env))
    if cache:
        from tests.servers import start_nginx  # the configuration `sociale-basis proxy-config` writes

        nginx = start_nginx(work / f"{_folder(name)}-nginx", [f"{HOST}:{running.port}"])
        running.processes.append(nginx.process)
        running.port = nginx.port
    return running


def fetch(conn: http.client.HTTPConnection, path: str, accept: str) -> tuple[int, int]:
    """(status, body bytes) of one GET on a keep-alive connection."""
    conn.request("GET", path, headers={"Accept": accept, "Accept-Encoding": "identity"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


def run_cell(config: str, port: int, target: str, paths: list[str], accept: str, concurrency: int, requests: int,
             seconds: float) -> Cell:
    """`concurrency` threads, each on its own connection, share `requests` requests (or stop at `seconds`);
    each thread takes the `paths` in turn (one path, or the page mix)."""
    cell = Cell(config, target, concurrency)
    lock = threading.Lock()
    budget = [requests]
    deadline = time.monotonic() + seconds
    start = threading.Barrier(concurrency + 1)

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        turn = 0
        start.wait()
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            path = paths[turn % len(paths)].replace(NUMBER, f"{concurrency}-{turn}-{id(conn)}")
            turn += 1
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


WRK_SCRIPT = """
paths = {%s}
accept = "%s"
counter = 0
thread_id = 0
setup = function(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end
request = function()
  counter = counter + 1
  local path = string.gsub(paths[(counter %% #paths) + 1], "%s", (id or 0) .. "-" .. counter)
  return wrk.format("GET", path, {["Accept"] = accept})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def run_cell_wrk(config: str, port: int, target: str, paths: list[str], accept: str, concurrency: int,
                 seconds: float) -> Cell:
    """The same cell, with wrk (Debian's, C and epoll) as the load generator: it leaves the CPUs to
    the servers, where this process's threads compete with them on a small machine."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT % (", ".join(f'"{p}"' for p in paths), accept, NUMBER), encoding="utf-8")
    try:
        out = subprocess.run(["wrk", "-t", str(min(concurrency, 2)), "-c", str(concurrency), "-d", f"{seconds:g}s",
                              "--timeout", f"{REQUEST_TIMEOUT:g}s", "-s", str(script), f"http://{HOST}:{port}{paths[0]}"],
                             capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT + 30, check=True).stdout
    finally:
        script.unlink()
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, errors, micros, p50, p99 = line.split()[1:]
    return Cell(config, target, concurrency, seconds=int(micros) / 1e6, errors=int(errors), answered=int(requests),
                p50=float(p50), p99=float(p99), statuses={"ok": int(requests) - int(errors), "errors": int(errors)})


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


def report(cells: list[Cell], memory: dict[str, tuple[float, float]]) -> None:
    head = (f"{'config':<17}{'target':<34}{'conn':>5}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
            "  statuses")
    print()
    print(head)
    print("-" * len(head))
    for c in cells:
        p50, p99 = c.percentiles()
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(c.statuses.items()))
        print(f"{c.config:<17}{c.target[:33]:<34}{c.concurrency:>5}{c.count:>9}{c.rate:>9.1f}{p50:>9.1f}{p99:>9.1f}"
              f"{c.errors:>8}  {statuses}")
    print()
    for config, (before, after) in memory.items():
        print(f"memory {config:<17} {before:8.0f} MB before, {after:8.0f} MB after the load")
    rate = {(c.config, c.target, c.concurrency): c.rate for c in cells}
    top = max(c.concurrency for c in cells)
    for store in ("oxigraph", "virtuoso"):
        one, two = rate.get((f"{store}:1", "page mix", top)), rate.get((f"{store}:2", "page mix", top))
        if one and two:
            print(f"page mix at {top} connections on {store}: 2 processes give {two / one:.2f}x the throughput of 1 "
                  "(goal >= 1.6)")
    def raw_rate(target: str) -> float | None:
        raws = [r for (_config, t, conn), r in rate.items() if t == target and conn == top]
        return statistics.median(raws) if raws else None

    raw, raw_distinct = raw_rate("raw oxigraph small SELECT"), raw_rate("raw oxigraph small SELECT, each different")
    for config in dict.fromkeys(c.config for c in cells):
        ours = rate.get((config, "SPARQL small SELECT", top))
        if ours and raw:
            how = "repeated query, answered by nginx's cache" if "+cache" in config else "every query run"
            print(f"small SELECT at {top} connections on {config} ({how}): our endpoint {ours / raw:.1%} of raw "
                  "oxigraph serve (goal >= 50%)")
        distinct = rate.get((config, "SPARQL small SELECT, each different", top))
        if distinct and raw_distinct:
            print(f"small SELECT at {top} connections on {config} (each query different, every one run): "
                  f"our endpoint {distinct / raw_distinct:.1%} of raw oxigraph serve")
        lightest = rate.get((config, "lightest route /health", top))
        if lightest and raw:
            print(f"lightest route at {top} connections on {config}: {lightest:.0f} req/s, {lightest / raw:.1%} of raw "
                  "oxigraph serve's small SELECT: the most any uncached request through the app could reach here")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="folder of TriG files (default: the shipped data)")
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=CONFIGS)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 64])
    parser.add_argument("--requests", type=int, default=3000, help="most requests per cell")
    parser.add_argument("--seconds", type=float, default=8.0, help="most seconds per cell")
    parser.add_argument("--resource", help="resource page path (default: the heaviest one found)")
    parser.add_argument("--search", default="eenzaamheid", help="search words")
    parser.add_argument("--targets", nargs="+", default=list(TARGETS), choices=TARGETS,
                        help="what to load (default: all): the page mix, the resource page, the search page, the small "
                             "SPARQL SELECT, the concept-map JSON, the same SELECT on raw oxigraph serve")
    parser.add_argument("--threads", type=int, default=8, help="worker threads per web process (the THREADS setting)")
    parser.add_argument("--generator", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python",
                        help="load generator: wrk (Debian's; the default when installed) or threads in this process")
    args = parser.parse_args()
    if max(args.concurrency) > 256 or args.requests > 100_000 or args.seconds > 300:
        raise SystemExit("bounded benchmark: at most 256 connections, 100,000 requests and 300 s per cell")

    cells: list[Cell] = []
    memory: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="sociale-basis-bench-load-") as tmp:
        work = Path(tmp)
        base: dict[str, object] = {
            "ONTOLOGY_PATH": str(ROOT / "ontology"), "SOURCE_DATA_PATH": str(args.data), "SECRET_KEY": "bench",
            "THREADS": args.threads, "MAX_QUERIES_PER_CLIENT": max(args.concurrency),
            # all load comes from one address: no per-client budget, and a queue as deep as the load
            "QUERY_SECONDS_PER_MINUTE": 0, "QUERY_QUEUE": max(args.concurrency),
        }
        resource = args.resource
        print(f"{os.cpu_count()} CPUs; load from this process; {args.threads} threads per web process", flush=True)
        for config in args.configs:
            started = time.perf_counter()
            running = start_config(config, base, work)
            print(f"{config}: up in {time.perf_counter() - started:.1f} s on {HOST}:{running.port}", flush=True)
            try:
                if resource is None and {"mix", "resource"} & set(args.targets):
                    from graph.store.build import read_build_info

                    data_dir = work / _folder(config)
                    info = read_build_info(data_dir)
                    assert info is not None
                    resource, ms = heaviest_resource(running.port, data_dir / info.store_dir)
                    print(f"heaviest resource page: {resource} ({ms:.1f} ms alone)", flush=True)
                search = "/search?" + urllib.parse.urlencode({"q": args.search})
                sparql = "/sparql?" + urllib.parse.urlencode({"query": SMALL_SELECT})
                numbered = urllib.parse.urlencode({"query": f"# {NUMBER}\n{SMALL_SELECT}"}).replace(
                    urllib.parse.quote_plus(NUMBER), NUMBER)
                chosen: list[tuple[str, tuple[str, int, list[str], str]]] = [
                    ("search", (f"search '{args.search}'", running.port, [search], "text/html")),
                    ("search-distinct", (f"search '{args.search}', each different", running.port,
                                         [f"{search}&n={NUMBER}"], "text/html")),
                    ("sparql", ("SPARQL small SELECT", running.port, [sparql], "application/sparql-results+json")),
                    ("distinct", ("SPARQL small SELECT, each different", running.port, ["/sparql?" + numbered],
                                  "application/sparql-results+json")),
                    ("map", ("concept map JSON /verkennen.json", running.port, ["/verkennen.json"], "application/json")),
                    ("health", ("lightest route /health", running.port, ["/health"], "application/json")),
                ]
                if resource is not None:
                    chosen[:0] = [("mix", ("page mix", running.port, [resource, search, "/verkennen.json"], "text/html")),
                                  ("resource", (f"resource {resource}", running.port, [resource], "text/html"))]
                if store_kind(config) == "oxigraph" and (config.endswith(":1") or "+cache" in config):
                    raw = "/query?" + urllib.parse.urlencode({"query": SMALL_SELECT})
                    chosen.append(("raw", ("raw oxigraph small SELECT", running.store_port, [raw],
                                           "application/sparql-results+json")))
                    if "distinct" in args.targets:
                        chosen.append(("raw", ("raw oxigraph small SELECT, each different", running.store_port,
                                               ["/query?" + numbered], "application/sparql-results+json")))
                targets = [target for key, target in chosen if key in args.targets]
                before = running.rss_mb()
                for name, port, paths, accept in targets:
                    run_cell(config, port, name, paths, accept, 2, 20, 30)  # warm-up: caches, query workers
                    for concurrency in args.concurrency:
                        if args.generator == "wrk":
                            cell = run_cell_wrk(config, port, name, paths, accept, concurrency, args.seconds)
                        else:
                            cell = run_cell(config, port, name, paths, accept, concurrency, args.requests, args.seconds)
                        cells.append(cell)
                        print(f"  {name[:40]:<40} x{concurrency:<3} {cell.rate:8.1f} req/s, {cell.errors} errors", flush=True)
                memory[config] = (before, running.rss_mb())
            finally:
                running.stop()
    print(f"\neach cell: at most {args.requests} requests or {args.seconds:g} s")
    report(cells, memory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
