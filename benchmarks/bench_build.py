"""Build time and peak memory at 10k, 100k and 1M triples: our build next to rdflib's in-memory
store and a raw pyoxigraph bulk load of the same synthetic file.

Each measurement runs in a fresh subprocess so its peak RSS is its own.

    python -m benchmarks.bench_build            # 10k, 100k, 1M
    python -m benchmarks.bench_build 10000 100000
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time, shutil
from pathlib import Path
mode, trig, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
t0 = time.perf_counter()
extra = {}
if mode == "ours":
    from graph.search.index import build_search_index
    from graph.store.build import build
    info = build({"DATA_DIR": str(work / "var"), "ONTOLOGY_PATH": sys.argv[4], "SOURCE_DATA_PATH": str(trig.parent),
                  "STORE": "oxigraph"}, force=True, derived=[build_search_index])
    n = info.triples
elif mode == "ours-store-only":
    from graph.store.build import build
    info = build({"DATA_DIR": str(work / "var2"), "ONTOLOGY_PATH": sys.argv[4], "SOURCE_DATA_PATH": str(trig.parent),
                  "STORE": "oxigraph"}, force=True)
    n = info.triples
elif mode == "rdflib-memory":
    from rdflib import Dataset
    ds = Dataset()
    ds.parse(str(trig), format="trig")
    n = len(ds)
elif mode == "pyoxigraph-bulk":
    import pyoxigraph as ox
    store = ox.Store(str(work / "raw"))
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    n = len(store)
    del store
seconds = time.perf_counter() - t0
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"mode": mode, "triples": n, "seconds": seconds, "peak_mib": peak_kib / 1024}))
"""

MODES = ("ours", "ours-store-only", "pyoxigraph-bulk", "rdflib-memory")


def measure(mode: str, trig: Path, work: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(trig), str(work), str(ROOT / "ontology")],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    from benchmarks.synthetic import generate

    print(f"{'size':>9} {'mode':<17} {'triples':>10} {'seconds':>8} {'peak MiB':>9} {'vs raw':>7}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            trig = generate(size, work / "data" / "synthetic.trig")
            results = {}
            for mode in MODES:
                if mode == "rdflib-memory" and size > 1_000_000:
                    continue
                run = Path(tempfile.mkdtemp(dir=work))
                results[mode] = measure(mode, trig, run)
            raw = results["pyoxigraph-bulk"]["seconds"]
            for mode, r in results.items():
                print(f"{size:>9,} {mode:<17} {r['triples']:>10,} {r['seconds']:>8.2f} {r['peak_mib']:>9.0f} {r['seconds'] / raw:>6.2f}x")
        sys.stdout.flush()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    started = time.time()
    main(args)
    print(f"(total {time.time() - started:.0f} s)")
