"""Search the SQL way against the in-memory way, on the same index file and the same queries.

The SQL way is FTS5's own `bm25()` for ranking and `GROUP BY` for facet counts (as datasette does
it); the in-memory way is `graph.search` (its term index and facet matrix, result cache off).
The figures are the reason given in `graph.search.terms` and `graph.search.arrays` for keeping the
in-memory index. Queries are those of `benchmarks.bench_browse`.

    python -m benchmarks.bench_search_fts5                      # 1M triples (generated and built)
    python -m benchmarks.bench_search_fts5 100000               # another size
    python -m benchmarks.bench_search_fts5 --index search.sqlite  # an index file already built
"""

from __future__ import annotations

import logging
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from benchmarks.synthetic import EN_WORDS, WORDS, generate

ROOT = Path(__file__).resolve().parent.parent
LABEL = "{label alt} : "


def _queries(n: int = 120) -> list[str]:
    rng = random.Random(7)
    one = [rng.choice(WORDS) for _ in range(n // 3)]
    two = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(n // 3)]
    specific = [f"{rng.choice(WORDS)} {rng.randint(1, 9999)}" for _ in range(n // 6)]
    specific += [rng.choice(EN_WORDS) for _ in range(n // 6)]
    queries = one + two + specific
    rng.shuffle(queries)
    return queries


def _expression(q: str, column_filter: str = "") -> str:
    """The FTS5 query of every word of `q` (as its Dutch or its English stems)."""
    from graph.search.match import alternatives
    from graph.textproc import query_words

    parts = ["(" + " OR ".join('"' + " ".join(p) + '"' for p in alternatives(g)) + ")" for g in query_words(q)]
    return column_filter + "(" + " AND ".join(parts) + ")"


def _time(name: str, queries: list[str], call: Callable[[str], Any]) -> None:
    samples = []
    for q in queries:
        started = time.perf_counter()
        call(q)
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    print(f"{name:<52} {statistics.median(ordered):>10.1f} {p95:>8.1f}", flush=True)


def compare(index_file: Path) -> None:
    import graph.search.searcher as searcher_module
    from graph.search.index import SearchIndex
    from graph.search.match import first
    from graph.textproc import plain_text, query_words

    searcher_module._CACHE_SIZE = 0
    conn = sqlite3.connect(str(index_file))
    conn.execute("PRAGMA cache_size = -32000")
    queries = _queries()
    searcher = searcher_module.Searcher(SearchIndex(index_file))
    searcher.warm()
    docs = conn.execute("SELECT count(*) FROM docs").fetchone()[0]
    matches = statistics.median(conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (_expression(q),)).fetchone()[0]
                                for q in queries)
    print(f"{index_file}: {docs:,} documents; a query matches {matches:,.0f} of them (median)")
    print(f"{'what':<52} {'median ms':>10} {'p95 ms':>8}")
    ranked = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 10.0, 8.0, 1.0), rowid LIMIT 20"
    _time("SQL: count(*) of the matches", queries,
          lambda q: conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (_expression(q),)).fetchone())
    _time("SQL: label tier, first 20 by bm25()", queries, lambda q: conn.execute(ranked, (_expression(q, LABEL),)).fetchall())
    _time("SQL: text tier, first 20 by bm25()", queries,
          lambda q: conn.execute(ranked, (f"{_expression(q)} NOT {_expression(q, LABEL)}",)).fetchall())
    _time("SQL: facet counts, GROUP BY over the matches", queries, lambda q: conn.execute(
        "SELECT fid, count(*) FROM facets WHERE doc IN (SELECT rowid FROM fts WHERE fts MATCH ?) GROUP BY fid",
        (_expression(q),)).fetchall())

    def in_memory(q: str) -> None:
        arrays = searcher.arrays()
        selection = searcher._select(arrays, query_words(q), {})
        if selection.found is not None:
            first(selection.found, searcher._exact(plain_text(q)), 20, arrays.classes)

    _time("in memory: match, both tiers ranked, facet counts", queries, in_memory)


def main(argv: list[str]) -> None:
    logging.disable(logging.WARNING)
    if argv[:1] == ["--index"]:
        compare(Path(argv[1]))
        return
    from webapp import create_app

    size = int(argv[0]) if argv else 1_000_000
    work = Path(tempfile.mkdtemp(prefix="bench-fts5-"))
    try:
        generate(size, work / "data" / "synthetic.trig")
        app = create_app({"DATA_DIR": str(work / "var"), "ONTOLOGY_PATH": str(ROOT / "ontology"),
                          "SOURCE_DATA_PATH": str(work / "data"), "SECRET_KEY": "bench"})
        compare(work / "var" / "search.sqlite")
        from webapp.state import get_store

        with app.app_context():
            get_store().close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
