"""Read scaling on Oxigraph server: how long an approval takes to be visible on every reader.

One writer (`oxigraph serve`) holds the shipped data (or --data); READERS read-only servers
(`oxigraph serve-read-only`) serve snapshots of it (graph.store.replicas). Each round writes one
approval-sized graph to the writer (one SPARQL Update, as an approval does), takes a snapshot and
restarts the readers on it one after the other, and waits until every reader answers with the new
graph. Prints the time of each step and the total, median and max over the rounds.

    python -m benchmarks.bench_replicas                    # shipped data, 2 readers, 5 rounds
    python -m benchmarks.bench_replicas --readers 3 --rounds 10
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Literal, URIRef  # noqa: E402

from benchmarks.bench_sparql import free_port  # noqa: E402
from graph.settings import load_settings  # noqa: E402
from graph.store.build import load_remote  # noqa: E402
from graph.store.remote import RemoteSparqlStore  # noqa: E402
from graph.store.replicas import current, take_snapshot  # noqa: E402

OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


def serve(args: list[str], port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen([OXIGRAPH, *args, "--bind", f"127.0.0.1:{port}"], stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1):
                return process
        except OSError:
            time.sleep(0.02)
    process.kill()
    raise SystemExit(f"oxigraph on {port} did not start: {log.read_text()[-1000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", help="folder of TriG files (default: the shipped data)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    log = work / "servers.log"
    wport = free_port()
    writer = serve(["serve", "--location", str(work / "writer")], wport, log)
    base = f"http://127.0.0.1:{wport}"
    settings = load_settings({"DATA_DIR": str(work / "data"), "STORE": "sparql", "SPARQL_QUERY_URL": f"{base}/query",
                              "SPARQL_UPDATE_URL": f"{base}/update", "SPARQL_STORE_URL": f"{base}/store",
                              **({"SOURCE_DATA_PATH": args.data} if args.data else {})})
    store = RemoteSparqlStore(f"{base}/query", f"{base}/update", f"{base}/store", poll_seconds=-1)
    load_remote(settings, store)
    print(f"writer: {store.triple_count():,} triples in its default graph, {len(store.graph_names())} named graphs; "
          f"{args.readers} readers; {args.rounds} rounds")
    snapshots = work / "snapshots"
    take_snapshot(f"{base}/store", snapshots)
    ports = [free_port() for _ in range(args.readers)]
    readers = [serve(["serve-read-only", "--location", str(current(snapshots))], p, log) for p in ports]
    totals: list[float] = []
    print(f"{'round':>5} {'write ms':>9} {'dump s':>7} {'load s':>7} {'swap s':>7} {'visible s':>10}")
    try:
        for n in range(args.rounds):
            graph = URIRef(f"https://w3id.org/sociale-basis/id/bron/bench-{n}")
            triples = [(URIRef(f"https://w3id.org/sociale-basis/id/publicatie/bench-{n}-{i}"),
                        URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(f"Benchmark {n}.{i}", lang="nl"))
                       for i in range(40)]
            started = time.perf_counter()
            store.replace_graph(graph, triples)
            written = time.perf_counter()
            snap = take_snapshot(f"{base}/store", snapshots)
            swapped_at = time.perf_counter()
            for i, port in enumerate(ports):  # rolling: one reader at a time
                readers[i].terminate()
                readers[i].wait(timeout=10)
                readers[i] = serve(["serve-read-only", "--location", str(current(snapshots))], port, log)
            swapped = time.perf_counter()
            for port in ports:
                reader = RemoteSparqlStore(f"http://127.0.0.1:{port}/query", poll_seconds=-1)
                while graph not in reader.graph_names():
                    time.sleep(0.01)
            visible = time.perf_counter() - started
            totals.append(visible)
            print(f"{n + 1:>5} {1000 * (written - started):>9.1f} {snap.seconds_read:>7.2f} {snap.seconds_load:>7.2f} "
                  f"{swapped - swapped_at:>7.2f} {visible:>10.2f}")
        print(f"approval visible on all {args.readers} readers: median {statistics.median(totals):.2f} s, max {max(totals):.2f} s")
    finally:
        for process in [*readers, writer]:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
