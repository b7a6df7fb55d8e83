"""Resource pages and search at scale: median and p95 through the Flask test client (the whole
request: routing, queries, index, templates), on the synthetic graph of `benchmarks.synthetic`.

Goals at 1M triples: p95 < 50 ms for a resource page, p95 < 30 ms for a search (also with a typo:
the 'did you mean' lookup and the corrected search). The result cache
of the searcher is off, so every search is computed in full. "hub ... page n" calls
`graph.browse.describe.describe` for later pages of a hub's incoming values (no template: the page view
passes no paging arguments yet).

    python -m benchmarks.bench_browse              # 1M triples
    python -m benchmarks.bench_browse 100000       # another size
"""

from __future__ import annotations

import logging
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import URIRef

from benchmarks.synthetic import EN_WORDS, WORDS, generate

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 300


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _measure(client, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return times


def print_table(rows: list[tuple[str, list[float]]], width: int = 32) -> None:
    """What, how many samples, median and p95 in ms: the table every page benchmark prints."""
    print(f"{'what':<{width}} {'n':>5} {'median ms':>10} {'p95 ms':>8}")
    for name, samples in rows:
        median, p95 = _percentiles(samples)
        print(f"{name:<{width}} {len(samples):>5} {median:>10.1f} {p95:>8.1f}")


def _measure_calls(calls: list) -> list[float]:
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(size: int = 1_000_000) -> None:
    logging.disable(logging.WARNING)
    import graph.search.searcher
    from graph.browse.describe import PER_PROPERTY, describe
    from graph.namespaces import ID, SB

    graph.search.searcher._CACHE_SIZE = 0  # measure every search in full: no result set is reused
    from webapp import create_app

    work = Path(tempfile.mkdtemp(prefix="bench-browse-"))
    data = work / "data"
    t0 = time.perf_counter()
    generate(size, data / "synthetic.trig")
    app = create_app({"DATA_DIR": str(work / "var"), "ONTOLOGY_PATH": str(ROOT / "ontology"),
                      "SOURCE_DATA_PATH": str(data), "SECRET_KEY": "bench"})
    from webapp.state import get_store

    with app.app_context():
        store = get_store()
        triples = store.triple_count()
        entities = [str(r["s"]) for r in store.select(
            'SELECT ?s WHERE { ?s a ?t FILTER(STRSTARTS(STR(?s), "https://w3id.org/sociale-basis/id/")'
            ' && ?t != <http://www.w3.org/2004/02/skos/core#ConceptScheme>) }')]
        hub_iris = [ID + "begrip/sociale-cohesie", ID + "begrip/persoonlijke-sfeer"]
        links = {h: int(store.select("SELECT ?o (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?o", {"o": URIRef(h)})[0]["n"])
                 for h in hub_iris}
    print(f"{triples:,} triples, {len(entities):,} typed entities; generate + build + index {time.perf_counter() - t0:.1f} s")
    print("hubs: " + ", ".join(f"{h.rsplit('/', 1)[1]} {n:,} incoming links" for h, n in links.items()))
    client = app.test_client()
    rng = random.Random(7)
    pages = ["/" + e.split("https://w3id.org/sociale-basis/", 1)[1] for e in rng.sample(entities, REPEATS)]
    twins = [p + ".ttl" for p in pages[:100]]
    one_word = [rng.choice(WORDS) for _ in range(REPEATS // 3)]
    two_words = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(REPEATS // 3)]
    specific = [f"{rng.choice(WORDS)} {rng.randint(1, 9999)}" for _ in range(REPEATS // 6)] + [rng.choice(EN_WORDS) for _ in range(REPEATS // 6)]
    queries = one_word + two_words + specific
    rng.shuffle(queries)
    searches = [f"/search?q={q.replace(' ', '+')}" for q in queries]
    searches_json = [f"/search.json?q={q.replace(' ', '+')}" for q in queries]
    filtered = [f"/search?q={rng.choice(WORDS)}&kind=publicatie&pillar=sociale-cohesie" for _ in range(100)]
    long_words = [w for w in WORDS if len(w) >= 6]
    typos = []  # one letter left out of a word of six letters or more: 'did you mean', then the corrected search
    for _ in range(100):
        word = rng.choice(long_words)
        cut = rng.randint(1, len(word) - 2)
        typos.append(f"/search?q={word[:cut] + word[cut + 1:]}")
    suggest = [f"/search/suggest.json?q={rng.choice(WORDS)[:rng.randint(2, 5)]}" for _ in range(200)]
    library = [f"/bibliotheek?year={rng.randint(2015, 2025)}&pillar=sociale-inclusie&pagina={rng.randint(1, 5)}" for _ in range(100)]
    hubs = ["/" + h.split("https://w3id.org/sociale-basis/", 1)[1] for h in hub_iris] * 10
    hub_twins = [h + ".ttl" for h in hubs]
    pillar_pages = links[hub_iris[0]] // PER_PROPERTY
    hub_pages = [rng.randint(2, max(2, pillar_pages)) for _ in range(20)]

    _measure(client, pages[:20] + searches[:20])  # warm the caches of templates and stores
    rows = [
        ("resource page (HTML)", _measure(client, pages)),
        ("resource Turtle twin", _measure(client, twins)),
        ("hub concept page", _measure(client, hubs)),
        ("hub concept Turtle twin", _measure(client, hub_twins)),
    ]
    with app.app_context():
        rows.append(("hub describe(), page n (no HTML)", _measure_calls([
            (lambda n=n: describe(store, URIRef(hub_iris[0]), incoming=str(SB.addressesPillar), page=n)) for n in hub_pages])))
    rows += [
        ("search page (HTML)", _measure(client, searches)),
        ("search.json", _measure(client, searches_json)),
        ("search + 2 filters", _measure(client, filtered)),
        ("search with a typo", _measure(client, typos)),
        ("completion", _measure(client, suggest)),
        ("library + filters", _measure(client, library)),
    ]
    print_table(rows)
    print("goals: resource page p95 < 50 ms; search p95 < 30 ms (result cache off: every search computed in full)")
    with app.app_context():
        store.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
