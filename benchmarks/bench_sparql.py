"""SPARQL endpoint latency: a fixed mix of queries on the synthetic graph, through the HTTP endpoint
(the real app on waitress, in its own process) and directly on pyoxigraph, with median and p95 per
query and their ratio. Goal: endpoint <= 1.3 x direct + 5 ms per query.

Direct execution is what the endpoint has to do at the least: run the query on the store's default
graph and serialize the whole answer (SPARQL JSON for SELECT/ASK, Turtle for CONSTRUCT) with
pyoxigraph's own writers. The endpoint adds HTTP, the query checks, the hand-over to a worker
process and back, and the row-counting writer.

If `rdflib-endpoint` is importable by `--rdflib-endpoint-python` (default: this interpreter), the
same mix also runs on it as a reference (fewer repetitions; it holds the graph in memory in rdflib).

    python -m benchmarks.bench_sparql                      # 1M triples, 20 repetitions
    python -m benchmarks.bench_sparql --triples 100000 --reps 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ID = "https://w3id.org/sociale-basis/id/"
HEAD = (
    "PREFIX sb: <https://w3id.org/sociale-basis/def/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX con: <https://w3id.org/sociale-basis/id/begrip/>\n"
)
MIX: list[tuple[str, str]] = [
    ("lookup", f"SELECT ?p ?o WHERE {{ <{ID}programma/programma-7> ?p ?o }}"),
    ("provenance", f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ <{ID}initiatief/initiatief-42> ?p ?o }} }}"),
    ("describe", f"CONSTRUCT {{ <{ID}publicatie/publicatie-5> ?p ?o }} WHERE {{ <{ID}publicatie/publicatie-5> ?p ?o }}"),
    ("ask-join", "ASK { ?pub sb:studied ?i . ?i sb:runBy ?o . ?o sb:locatedIn ?place }"),
    ("place-join", f"SELECT ?pub ?init ?org WHERE {{ ?init sb:locatedIn <{ID}plaats/plaats-3> ; sb:runBy ?org . ?pub sb:studied ?init }}"),
    ("pillar-parts", "SELECT ?programme ?part WHERE { ?programme sb:editorialPillar con:sociale-cohesie . ?part sb:partOf ?programme } LIMIT 100"),
    ("hubs", "SELECT ?org (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p sb:partner|sb:signatory ?org } "
             "GROUP BY ?org HAVING (COUNT(DISTINCT ?p) > 2) ORDER BY DESC(?n) LIMIT 100"),
    ("classes", "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)"),
    ("text", 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(STR(?l), "eenzaamheid buurt")) } LIMIT 50'),
    ("rows-1000", "SELECT ?s ?l WHERE { ?s a sb:ResearchReport ; rdfs:label ?l } LIMIT 1000"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(n_triples: int, work: Path) -> dict[str, str]:
    """Synthetic data and a built store (both kept in `work` between runs)."""
    from benchmarks.synthetic import generate
    from graph.search.index import build_search_index
    from graph.store.build import build

    data = work / "data"
    trig = data / f"synthetic-{n_triples}.trig"
    if not trig.exists():
        shutil.rmtree(data, ignore_errors=True)
        started = time.perf_counter()
        generate(n_triples, trig)
        print(f"generated {trig} in {time.perf_counter() - started:.1f} s", flush=True)
    settings = {
        "DATA_DIR": str(work / f"var-{n_triples}"),
        "ONTOLOGY_PATH": str(ROOT / "ontology"),
        "SOURCE_DATA_PATH": str(data),
        "STORE": "oxigraph",
    }
    started = time.perf_counter()
    info = build(settings, derived=[build_search_index])
    print(f"store: {info.triples:,} triples (ready in {time.perf_counter() - started:.1f} s)", flush=True)
    return settings


SERVER = r"""
import json, sys, waitress
from webapp import create_app
app = create_app(json.loads(sys.argv[1]))
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=8, ident="bench")
"""


def start_server(settings: dict[str, str], port: int) -> subprocess.Popen:
    config = dict(settings, QUERY_TIMEOUT=120, MAX_RESULT_ROWS=100_000, MAX_QUERIES_PER_CLIENT=64, SECRET_KEY="bench")
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, json.dumps(config), str(port)], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    wait_for(f"http://127.0.0.1:{port}/health", process, 1800)
    return process


def wait_for(url: str, process: subprocess.Popen | None, seconds: float) -> None:
    parsed = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"server exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        try:
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
            conn.request("GET", parsed.path or "/")
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


class HttpClient:
    """One keep-alive connection, POSTing form-encoded queries like a SPARQL client library does."""

    def __init__(self, port: int, path: str = "/sparql") -> None:
        self.port, self.path = port, path
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def run(self, query: str) -> int:
        accept = "text/turtle" if query.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE")) else "application/sparql-results+json"
        body = urllib.parse.urlencode({"query": HEAD + query})
        for attempt in (1, 2):
            try:
                self.conn.request("POST", self.path, body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                if attempt == 2:
                    raise
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        if response.status != 200:
            raise SystemExit(f"endpoint answered {response.status}: {data[:300]!r}")
        return len(data)


def direct_runner(settings: dict[str, str]) -> Callable[[str], int]:
    import pyoxigraph as ox

    from graph.namespaces import PREFIXES
    from graph.store.build import read_build_info

    data_dir = Path(settings["DATA_DIR"])
    store = ox.Store.read_only(str(data_dir / read_build_info(data_dir).store_dir))  # type: ignore[union-attr]

    def run(query: str) -> int:
        result = store.query(HEAD + query, prefixes=PREFIXES)
        if isinstance(result, ox.QuerySolutions):
            return len(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
        if isinstance(result, ox.QueryBoolean):
            return len(json.dumps({"head": {}, "boolean": bool(result)}))
        return len(ox.serialize(list(result), format=ox.RdfFormat.TURTLE) or b"")

    return run


def timed(run: Callable[[str], int], query: str) -> float:
    started = time.perf_counter()
    run(query)
    return (time.perf_counter() - started) * 1000


def measure(reps: int, runners: dict[str, Callable[[str], int]]) -> dict[str, dict[str, list[float]]]:
    """Per query and runner, `reps` timings (ms); runners alternate so drift hits both alike."""
    out: dict[str, dict[str, list[float]]] = {}
    for name, query in MIX:
        for run in runners.values():  # warm-up: caches, workers, query plans
            run(query)
        out[name] = {label: [] for label in runners}
        for _ in range(reps):
            for label, run in runners.items():
                out[name][label].append(timed(run, query))
    return out


def rdflib_endpoint_times(python: str, trig: Path, reps: int, port: int) -> dict[str, list[float]] | None:
    probe = subprocess.run([python, "-c", "import rdflib_endpoint"], capture_output=True)
    if probe.returncode != 0:
        print("rdflib-endpoint is not installed for", python, "- reference run skipped")
        return None
    script = (
        "import sys, uvicorn\nfrom rdflib import Dataset\nfrom rdflib_endpoint import SparqlEndpoint\n"
        "g = Dataset(default_union=True)\ng.parse(sys.argv[1], format='trig')\n"
        "uvicorn.run(SparqlEndpoint(graph=g), host='127.0.0.1', port=int(sys.argv[2]), log_level='error')\n"
    )
    started = time.perf_counter()
    process = subprocess.Popen([python, "-c", script, str(trig), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/", process, 3600)
        print(f"rdflib-endpoint loaded the graph in {time.perf_counter() - started:.0f} s", flush=True)
        client = HttpClient(port, "/")
        times: dict[str, list[float]] = {}
        for name, query in MIX:
            client.run(query)
            times[name] = [timed(client.run, query) for _ in range(reps)]
        return times
    finally:
        process.terminate()
        process.wait(30)


def report(results: dict[str, dict[str, list[float]]], reference: dict[str, list[float]] | None) -> None:
    head = f"{'query':<14}{'direct med':>11}{'p95':>9}{'endpoint med':>14}{'p95':>9}{'ratio':>7}{'goal ms':>9}  ok"
    if reference:
        head += f"{'rdflib-endpoint med':>21}"
    print()
    print(head)
    print("-" * len(head))
    met = 0
    for name, _query in MIX:
        d, e = results[name]["direct"], results[name]["endpoint"]
        dm, em = statistics.median(d), statistics.median(e)
        goal = 1.3 * dm + 5
        ok = em <= goal
        met += ok
        line = (f"{name:<14}{dm:>9.2f}ms{percentile(d, 0.95):>7.2f}ms{em:>12.2f}ms{percentile(e, 0.95):>7.2f}ms"
                f"{em / dm if dm else float('inf'):>7.2f}{goal:>9.2f}  {'yes' if ok else 'NO'}")
        if reference:
            line += f"{statistics.median(reference[name]):>19.1f}ms"
        print(line)
    print(f"\n{met} of {len(MIX)} queries within 1.3 x direct + 5 ms (medians)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "sociale-basis-bench-sparql")
    parser.add_argument("--rdflib-endpoint-python", default=sys.executable)
    parser.add_argument("--reference-reps", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    settings = prepare(args.triples, args.work)
    port = free_port()
    started = time.perf_counter()
    server = start_server(settings, port)
    print(f"endpoint up in {time.perf_counter() - started:.1f} s (waitress, {os.cpu_count()} CPUs)", flush=True)
    try:
        client = HttpClient(port)
        results = measure(args.reps, {"direct": direct_runner(settings), "endpoint": client.run})
    finally:
        server.terminate()
        server.wait(30)
    trig = next((args.work / "data").glob("*.trig"))
    reference = rdflib_endpoint_times(args.rdflib_endpoint_python, trig, args.reference_reps, free_port())
    report(results, reference)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
