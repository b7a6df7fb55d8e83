"""Network views at 5,000 and 20,000 nodes: server-side build time of the concept map (data and
page), next to pyvis's `from_nx` as the reference, and the time headless Chromium needs to show
a usable picture.

The graphs come from benchmarks/synthetic.py (the shape of the real data: every kind, the real
relations, pillars and spheres, average degree about 4), loaded into a real store and projected
with graph/network.py, so the views run exactly as in the app.

    python -m benchmarks.bench_network                 # 5,000 and 20,000 nodes
    python -m benchmarks.bench_network 5000            # one size
    python -m benchmarks.bench_network --pyvis-full    # also run pyvis at 20,000 (about 3 minutes)
    python -m benchmarks.bench_network --no-browser    # skip the Chromium measurement

Without --pyvis-full, pyvis's time at 20,000 nodes is extrapolated from the 5,000-node run (its
`add_node`/`add_edge` scan lists, so time grows with the square of the size) and marked as such.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import TRIPLES_PER_ENTITY, generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """(best wall time in seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def make_app(nodes: int, work: Path):  # type: ignore[no-untyped-def]
    from webapp import create_app

    data_dir = work / f"data-{nodes}"
    source = work / f"src-{nodes}"
    source.mkdir(parents=True, exist_ok=True)
    generate(int(nodes * TRIPLES_PER_ENTITY), source / "synthetic.trig")
    app = create_app(
        {"DATA_DIR": str(data_dir), "ONTOLOGY_PATH": str(ROOT / "ontology"), "SOURCE_DATA_PATH": str(source), "SECRET_KEY": "bench"}
    )
    return app


def server_side(app, repeat: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Cold and warm build of the concept map's data and page."""
    from flask import render_template

    from graph.network import cache as netcache
    from graph.network import views as netviews
    from graph.network import visdata
    from graph.network.analytics import degree
    from webapp.network.respond import script_json, to_json
    from webapp.state import get_store
    from webapp.urls import resource_url_function

    out: dict[str, Any] = {}
    with app.test_request_context("/verkennen"):
        store = get_store()
        out["projection"], data = timed(lambda: netcache.load(store))
        g = data.graph
        out["nodes"], out["edges"] = g.number_of_nodes(), g.number_of_edges()
        url_of = resource_url_function()

        def cold() -> tuple[dict[str, Any], str, str]:
            fresh = dataclasses.replace(data, _memo={})  # same network, nothing precomputed
            payload = netviews.concept_map(fresh, lang="nl", url_of=url_of, flt=netviews.MapFilter(everything=True))
            text = to_json(payload)
            html = render_template("network/map.html", payload=payload, data_json=script_json(text), flt=netviews.MapFilter())
            return payload, text, html

        out["cold"], (payload, text, html) = timed(cold, repeat)
        out["json_bytes"], out["html_bytes"] = len(text.encode()), len(html.encode())
        out["layout_mode"] = payload["layout"]
        # The parts of a cold build.
        simple = data.simple()
        out["part_degree"], _ = timed(lambda: degree(simple), repeat)
        out["part_layout"], positions = timed(lambda: visdata.layout_positions(simple, sorted(g.nodes())), repeat)
        out["part_build"], payload = timed(
            lambda: visdata.build(g, sorted(g.nodes()), relations=data.relations, sources=data.sources,
                                  node_sources=data.node_sources, url_of=url_of, values=degree(simple), positions=positions, edge_labels=False),
            repeat,
        )
        payload["filters"] = netviews.filter_options(data, "nl")
        out["part_json"], text = timed(lambda: to_json(payload), repeat)
        out["part_page"], _ = timed(
            lambda: render_template("network/map.html", payload=payload, data_json=script_json(text), flt=netviews.MapFilter()), repeat
        )
        # Warm: the map as served once the network is cached (until the graph changes).
        netcache.network_data(store)
        warm_data = netcache.network_data(store)
        netviews.concept_map(warm_data, lang="nl", url_of=url_of, flt=netviews.MapFilter(everything=True))
        out["warm"], _ = timed(lambda: app.test_client().get("/verkennen?alles=1"), repeat)
        out["graph"] = g
    return out


def pyvis_reference(g) -> float:  # type: ignore[no-untyped-def]
    from pyvis.network import Network

    net = Network(height="800px", width="100%", directed=True, cdn_resources="remote")
    start = time.perf_counter()
    net.from_nx(g)
    return time.perf_counter() - start


def browser_time(app, nodes: int, runs: int = 3) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Navigation start -> first drawing of the network, in headless Chromium (median of runs)."""
    import waitress
    from playwright.sync_api import sync_playwright

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}/verkennen?alles=1"  # type: ignore[union-attr]
    app.test_client().get("/verkennen?alles=1")  # the server-side cache is warm, as for any visitor but the first
    times, loads = [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            for run in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url, wait_until="commit")
                page.wait_for_selector("#network[data-ready='1']", timeout=60_000)
                first = page.evaluate("window.SBNetTiming.firstDraw")
                load = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
                times.append(first / 1000)
                loads.append(load / 1000)
                if run == 0:
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / f"bench-network-{nodes}.png"))
                page.close()
            browser.close()
    finally:
        server.close()
    return {"first_draw": statistics.median(times), "dom_ready": statistics.median(loads), "runs": times}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[5000, 20000])
    parser.add_argument("--pyvis-full", action="store_true", help="also run pyvis from_nx at sizes above 5,000")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    rows = []
    pyvis_5k = None
    with tempfile.TemporaryDirectory(prefix="bench-network-") as tmp:
        for size in args.sizes:
            app = make_app(size, Path(tmp))
            result = server_side(app, args.repeat)
            g = result.pop("graph")
            if size <= 5000 or args.pyvis_full:
                result["pyvis"] = pyvis_reference(g)
                result["pyvis_note"] = "measured"
                if size == 5000:
                    pyvis_5k = (g.number_of_nodes(), result["pyvis"])
            elif pyvis_5k is not None:
                n5, t5 = pyvis_5k
                result["pyvis"] = t5 * (g.number_of_nodes() / n5) ** 2
                result["pyvis_note"] = "extrapolated (quadratic) from the 5,000-node run"
            if not args.no_browser:
                result["browser"] = browser_time(app, size)
            with app.app_context():
                from webapp.state import get_store

                get_store().close()
            rows.append((size, result))
            report(size, result)


def report(size: int, r: dict[str, Any]) -> None:
    print(f"\n== {size} entities: {r['nodes']} nodes, {r['edges']} relations ({r['layout_mode']} layout) ==")
    print(f"projection from the store (once per store version):   {r['projection']:.3f} s")
    print(f"concept map, cold (data + page, nothing cached):        {r['cold']:.3f} s")
    print(f"  degree {r['part_degree']:.3f} · layout {r['part_layout']:.3f} · vis data {r['part_build']:.3f}"
          f" · JSON {r['part_json']:.3f} · page {r['part_page']:.3f} s")
    print(f"concept map, warm (GET /verkennen?alles=1, cached):      {r['warm']:.3f} s")
    print(f"page {r['html_bytes'] / 1e6:.2f} MB (data {r['json_bytes'] / 1e6:.2f} MB)")
    if "pyvis" in r:
        print(f"pyvis Network.from_nx (reference):                      {r['pyvis']:.1f} s  [{r['pyvis_note']}]")
    if "browser" in r:
        b = r["browser"]
        print(f"headless Chromium, navigation -> first drawing:          {b['first_draw']:.2f} s (median of {len(b['runs'])};"
              f" DOM ready {b['dom_ready']:.2f} s)")


if __name__ == "__main__":
    main()
