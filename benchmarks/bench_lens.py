"""The municipality lens on the shipped data: server time of /gemeenten, its JSON twin and the
municipality pages, median and p95 through the Flask test client (the whole request: routing,
queries, templates), over all municipalities of the store that `sociale-basis build` makes from
the shipped data (342 in 2025).

What the rows measure:

- "overview query": the four SPARQL queries behind the lens (counts per municipality over the whole
  graph) and their joining, run directly. The app computes it once per store version (`graph.caching.PerStore`); every
  later /gemeenten request reuses it, so the page rows below are served with it in memory. The
  first request after a build or an approval pays this time once.
- "/gemeenten (HTML|JSON), lens ...": the list and map page and its twin per lens; "... programme
  reach" adds one programme's reach (a query per request, not kept), over every programme.
- "municipality page (HTML|JSON)": each municipality's resource page (what reaches it, national
  programmes, CBS code, Wikidata). The rendered-page cache (PAGE_CACHE_MB) is off here, so every
  page is described and rendered in full; with it on, a second visit costs a lookup.

No timed assertions: this prints a table.

    python -m benchmarks.bench_lens              # 5 rounds of every URL
    python -m benchmarks.bench_lens 10           # another number of rounds
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_browse import _measure as measure_urls  # noqa: E402
from benchmarks.bench_browse import _measure_calls as measure_calls  # noqa: E402
from benchmarks.bench_browse import print_table  # noqa: E402


def _measure(client: Any, urls: list[str], rounds: int) -> list[float]:
    return measure_urls(client, urls * rounds)  # every URL once per round, in turn


def _measure_call(call: Callable[[], Any], runs: int) -> list[float]:
    return measure_calls([call] * runs)


def main(rounds: int = 5) -> None:
    logging.disable(logging.WARNING)
    from graph.browse import municipalities as lens
    from webapp import create_app
    from webapp.state import get_store
    from webapp.urls import resource_path

    work = Path(tempfile.mkdtemp(prefix="bench-lens-"))
    t0 = time.perf_counter()
    app = create_app({"DATA_DIR": str(work / "var"), "ONTOLOGY_PATH": str(ROOT / "ontology"),
                      "SOURCE_DATA_PATH": str(ROOT / "data"), "SECRET_KEY": "bench", "PAGE_CACHE_MB": 0})
    with app.app_context():
        store = get_store()
        triples = store.triple_count()
        overview_ms = _measure_call(lambda: lens._overview(store), 5)  # uncached: the query and its rows
        found = lens.overview(store)
        pages = [resource_path(m.iri) for m in found]
        programmes = [iri.rsplit("/", 1)[1] for iri, _ in lens.programmes(store, "nl")]
    print(f"{triples:,} triples (shipped data), {len(found)} municipalities, {len(programmes)} programmes; "
          f"build {time.perf_counter() - t0:.1f} s")
    if len(found) != 342:
        print(f"note: {len(found)} municipalities in the store, not the 342 of 2025")
    client = app.test_client()
    lists = [f"/gemeenten?lens={name}" for name in lens.LENSES]
    reach = [f"/gemeenten?programma={slug}" for slug in programmes]
    _measure(client, lists + [u.replace("/gemeenten", "/gemeenten.json") for u in lists] + pages[:20], 1)  # warm up

    rows = [
        ("overview query (once per store)", overview_ms),
        ("/gemeenten (HTML), 3 lenses", _measure(client, lists, rounds * 10)),
        ("/gemeenten.json, 3 lenses", _measure(client, [u.replace("/gemeenten", "/gemeenten.json") for u in lists],
                                                   rounds * 10)),
        ("/gemeenten (HTML), programme reach", _measure(client, reach, rounds)),
        ("/gemeenten.json, programme reach", _measure(client, [u.replace("/gemeenten", "/gemeenten.json") for u in reach],
                                                       rounds)),
        (f"municipality page (HTML) x{len(pages)}", _measure(client, pages, rounds)),
        (f"municipality page (JSON) x{len(pages)}", _measure(client, [p + ".json" for p in pages], rounds)),
    ]
    print_table(rows, 40)
    print("page cache off (every municipality page rendered in full); the overview query is kept per store version")
    with app.app_context():
        store.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
