"""Search on a synthetic graph where one word matches a large share of the entities: facet counts,
totals, ranking and pagination against an independent reference, FTS5 itself (MATCH, bm25())
and SQL GROUP BY over the index file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from graph.search.searcher import Searcher
from tests.conftest import ONTOLOGY

BROAD = ["buurt", "wijk", "loneliness", "buurt wijk", "zorg 12"]
FILTERS = [{}, {"kind": ["publicatie"]}, {"kind": ["initiatief"], "sphere": ["persoonlijke-sfeer"]}, {"pillar": ["sociale-cohesie"]}]


@pytest.fixture(scope="module")
def broad_app(tmp_path_factory: pytest.TempPathFactory):
    from webapp import create_app

    work = tmp_path_factory.mktemp("broad")
    generate(20_000, work / "src" / "synthetic.trig")
    application = create_app({"DATA_DIR": str(work / "var"), "ONTOLOGY_PATH": str(ONTOLOGY),
                              "SOURCE_DATA_PATH": str(work / "src"), "SECRET_KEY": "test"})
    application.testing = True
    yield application
    from webapp.state import get_store

    with application.app_context():
        get_store().close()


@pytest.fixture(scope="module")
def searcher(broad_app):
    from webapp.state import get_searcher, get_store

    with broad_app.app_context():
        yield get_searcher(), get_store()


def _db(searcher: Searcher) -> sqlite3.Connection:
    return sqlite3.connect(str(searcher.index.path))


def _expression(q: str, column_filter: str = "", joiner: str = "AND") -> str:
    """The FTS5 query of the words (Dutch or English stems, all of them or any)."""
    from graph.search.match import alternatives
    from graph.textproc import query_words

    parts = []
    for group in query_words(q):
        phrases = ['"' + " ".join(p) + '"' for p in alternatives(group)]
        parts.append("(" + " OR ".join(phrases) + ")")
    return column_filter + "(" + f" {joiner} ".join(parts) + ")"


def _reference(conn: sqlite3.Connection, q: str, filters: dict[str, list[str]]) -> tuple[set[int], dict[tuple[str, str], int]]:
    """Matching documents by FTS5 MATCH (any word when none has all), filtered and counted per
    facet value in SQL."""
    for joiner in ("AND", "OR"):
        docs = {r for (r,) in conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (_expression(q, "", joiner),))}
        for facet, values in filters.items():
            for value in values:
                docs &= {d for (d,) in conn.execute(
                    "SELECT f.doc FROM facets f JOIN fvalues v ON v.fid = f.fid WHERE v.facet = ? AND v.value = ?", (facet, value))}
        if docs:
            break
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS chosen (doc INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM chosen")
    conn.executemany("INSERT INTO chosen VALUES (?)", [(d,) for d in docs])
    counts = {(f, v): n for f, v, n in conn.execute(
        "SELECT v.facet, v.value, count(*) FROM chosen c JOIN facets f ON f.doc = c.doc JOIN fvalues v ON v.fid = f.fid "
        "GROUP BY v.facet, v.value")}
    return docs, counts


@pytest.mark.parametrize("q", BROAD)
@pytest.mark.parametrize("filters", FILTERS)
def test_facet_counts_of_broad_queries(searcher, q, filters):
    s, store = searcher
    results = s.search(store, q, filters, limit=20)
    docs, counts = _reference(_db(s), q, filters)
    assert results.total == len(docs)
    if not filters and " " not in q:
        assert results.total > 0.2 * len(s.arrays().terms.norm)  # a broad query indeed
    assert {h.id for h in results.hits} <= docs
    for facet in results.facets:
        for value in facet.values:
            assert value.count == counts.get((facet.name, value.value), 0), (facet.name, value.value)
        in_reference = sorted((n for (f, _v), n in counts.items() if f == facet.name), reverse=True)
        assert facet.hidden == len(in_reference) - len([v for v in facet.values if v.count])
        if facet.name not in ("year", "kind") and facet.hidden:
            # the values shown are the most frequent ones
            assert min(v.count for v in facet.values) >= in_reference[len(facet.values) - 1]
    kinds = next(f for f in results.facets if f.name == "kind")
    assert sum(v.count for v in kinds.values) == results.total


@pytest.mark.parametrize("q", ["buurt", "loneliness", "buurt wijk"])
def test_ranking_is_fts5_bm25_by_tier_and_kind(searcher, q):
    s, store = searcher
    conn = _db(s)
    label = [r for (r,) in conn.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 10.0, 8.0, 1.0), rowid", (_expression(q, "{label alt} : "),))]
    text = [r for (r,) in conn.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 10.0, 8.0, 1.0), rowid",
        (f"{_expression(q)} NOT {_expression(q, '{label alt} : ')}",))]
    kinds = dict(conn.execute("SELECT id, kind FROM docs"))
    main, records = {"programma", "initiatief", "publicatie", "organisatie", "begrip"}, {"bron"}

    def group(doc: int, tier: str) -> int:
        """Label matches on main kinds, on other entities, text matches, then source records."""
        kind = kinds[doc]
        if kind in records:
            return 5 if tier == "label" else 6
        return (1 if kind in main else 2) if tier == "label" else 4

    reference = sorted([(d, "label") for d in label] + [(d, "text") for d in text], key=lambda dt: group(*dt))  # stable: bm25 within
    results = s.search(store, q, limit=len(label) + 40)
    assert [(h.id, h.match) for h in results.hits] == reference[: len(results.hits)]
    assert {kinds[d] for d in label} & main and {kinds[d] for d in label} - main  # the groups are really mixed


def test_pages_follow_each_other(broad_app, searcher):
    s, store = searcher
    whole = [h.iri for h in s.search(store, "wijk", limit=100).hits]
    client = broad_app.test_client()
    paged = []
    for page in range(1, 6):
        data = client.get("/search.json", query_string={"q": "wijk", "pagina": page}).get_json()
        assert data["offset"] == (page - 1) * 20
        paged += [h["iri"] for h in data["hits"]]
    assert paged == whole and len(set(paged)) == 100
    filtered = client.get("/search.json?q=wijk&kind=publicatie&pagina=2").get_json()
    assert all(h["kind"] == "publicatie" for h in filtered["hits"]) and len(filtered["hits"]) == 20


def test_phrases_and_any_word(searcher):
    s, store = searcher
    conn = _db(s)
    phrase = s.search(store, '"sociaal werk"')
    assert phrase.total == conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (_expression('"sociaal werk"'),)).fetchone()[0]
    assert 0 < phrase.total < s.search(store, "sociaal werk").total
    loose = s.search(store, "buurt xyzzyq")
    assert loose.loose and loose.total == s.search(store, "buurt").total


def test_term_index_agrees_with_the_full_text_table(searcher):
    """Every (term, document) the term index holds is one FTS5 finds, and the other way round."""
    s, _store = searcher
    conn = _db(s)
    terms = s.arrays().terms
    for term in ("buurt", "wijk", "loneli", "neighbourhood", "1", "12"):
        found = set(terms.postings(term).docs.tolist())
        assert found == {r for (r,) in conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (f'"{term}"',))}, term
    assert Path(s.index.path).is_file()
