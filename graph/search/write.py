"""Writing documents into the search index file: its schema and the rows of each entity.

Per entity: a `docs` row (display fields, sort key, date), its full-text row (`fts`: label, alt,
descr, folded and stemmed), its completion row (`suggest`), its exact label texts (`exact`), its
facet values (`facets`), the graphs that state it (`doc_graphs`) and its term frequencies
(`doc_terms`: per distinct stem its count in the label, alt and descr columns, and the row's
length in tokens). The term frequencies are what `graph.search.terms` ranks with in memory; they
are the same tokens FTS5 holds, so its BM25 and ours agree. `words` is the vocabulary of folded,
unstemmed words (labels, alternative labels, descriptions) with the number of documents holding
each, for 'did you mean' (`graph.search.spelling`); re-indexing only adds to it (a word no
longer held is harmless: a suggestion is only made when it finds something).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Iterable

import numpy as np

from graph.namespaces import local_name
from graph.search.docs import Doc, doc_date, facet_values, first_text, most_specific
from graph.store.graphstore import GraphStore, OxigraphStore
from graph.textproc import fold, index_text, plain_text, tokens

FORMAT = "6"

SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, type TEXT NOT NULL,
  label_nl TEXT NOT NULL, label_en TEXT NOT NULL, label_x TEXT NOT NULL,
  desc_nl TEXT NOT NULL, desc_en TEXT NOT NULL, sort TEXT NOT NULL, date TEXT NOT NULL, year INTEGER
);
CREATE INDEX docs_kind_sort ON docs (kind, sort);
CREATE INDEX docs_kind_date ON docs (kind, date);
CREATE INDEX docs_kind_type ON docs (kind, type, sort);
CREATE TABLE fvalues (fid INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (facet, value));
CREATE TABLE facets (fid INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (fid, doc)) WITHOUT ROWID;
CREATE INDEX facets_doc ON facets (doc, fid);
CREATE TABLE doc_graphs (graph TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (graph, doc)) WITHOUT ROWID;
CREATE INDEX doc_graphs_doc ON doc_graphs (doc);
CREATE TABLE exact (text TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (text, doc)) WITHOUT ROWID;
CREATE INDEX exact_doc ON exact (doc);
CREATE TABLE terms (tid INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
CREATE TABLE doc_terms (doc INTEGER PRIMARY KEY, length INTEGER NOT NULL, terms BLOB NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5 (label, alt, descr, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE suggest USING fts5 (words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
"""

# One record per distinct term of a document: term id and its count in label, alt and descr.
TERM_RECORD = np.dtype([("tid", "<i4"), ("label", "u1"), ("alt", "u1"), ("descr", "u1")])
MAX_TF = 255


def store_identity(store: GraphStore) -> str:
    """Which store the index belongs to: the store folder (it changes with every build)."""
    if isinstance(store, OxigraphStore) and store.path is not None:
        return store.path.name
    return type(store).__name__


def write_meta(conn: sqlite3.Connection, store: GraphStore) -> None:
    values = {"format": FORMAT, "store": store_identity(store), "triples": str(store.triple_count())}
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items())


def delete_docs(conn: sqlite3.Connection, iris: Iterable[str]) -> None:
    for iri in iris:
        row = conn.execute("SELECT id FROM docs WHERE iri = ?", (iri,)).fetchone()
        if row is None:
            continue
        (doc_id,) = row
        for sql in (
            "DELETE FROM fts WHERE rowid = ?",
            "DELETE FROM suggest WHERE rowid = ?",
            "DELETE FROM facets WHERE doc = ?",
            "DELETE FROM doc_graphs WHERE doc = ?",
            "DELETE FROM exact WHERE doc = ?",
            "DELETE FROM doc_terms WHERE doc = ?",
            "DELETE FROM docs WHERE id = ?",
        ):
            conn.execute(sql, (doc_id,))


def fts_columns(doc: Doc) -> tuple[str, str, str]:
    """The label, alt and descr columns as indexed: Dutch and English stems of the texts."""
    nl_labels = " ".join(doc.labels.get("nl", []) + doc.labels.get("", []))
    alt_text = " ".join(doc.alts)
    nl_desc = " ".join(doc.descs.get("nl", []) + doc.descs.get("", []))
    return (
        index_text(nl_labels, "nl") + " " + index_text(" ".join(doc.labels.get("en", [])), "en"),
        index_text(alt_text, "nl") + " " + index_text(alt_text, "en"),
        index_text(nl_desc, "nl") + " " + index_text(" ".join(doc.descs.get("en", [])), "en"),
    )


class _Ids:
    """Ids of facet values or terms, new ones numbered after the highest in the file."""

    def __init__(self, conn: sqlite3.Connection, table: str, key: str, columns: str, fresh: bool) -> None:
        self.ids: dict = {}
        if not fresh:
            for row in conn.execute(f"SELECT {key}, {columns} FROM {table}"):
                self.ids[row[1:] if len(row) > 2 else row[1]] = row[0]
        self.next = (conn.execute(f"SELECT COALESCE(MAX({key}), 0) FROM {table}").fetchone()[0] or 0) + 1
        self.new: list[tuple] = []

    def get(self, value: object) -> int:
        found = self.ids.get(value)
        if found is None:
            found = self.ids[value] = self.next
            self.next += 1
            self.new.append((found, *value) if isinstance(value, tuple) else (found, value))
        return found


def _term_blob(columns: tuple[str, str, str], terms: _Ids) -> tuple[int, bytes]:
    label, alt, descr = (Counter(text.split()) for text in columns)
    records = [(terms.get(w), min(MAX_TF, label[w]), min(MAX_TF, alt[w]), min(MAX_TF, descr[w]))
               for w in sorted(label.keys() | alt.keys() | descr.keys())]
    length = sum(label.values()) + sum(alt.values()) + sum(descr.values())
    return length, np.array(records, dtype=TERM_RECORD).tobytes()


def write_docs(conn: sqlite3.Connection, docs: Iterable[Doc], parents: dict[str, set[str]], *, fresh: bool) -> int:
    """Insert the indexable docs (after `delete_docs` for changed ones); returns how many."""
    fids = _Ids(conn, "fvalues", "fid", "facet, value", fresh)
    terms = _Ids(conn, "terms", "tid", "term", fresh)
    doc_rows: list[tuple[object, ...]] = []
    fts_rows: list[tuple[int, str, str, str]] = []
    suggest_rows: list[tuple[int, str]] = []
    facet_rows: list[tuple[int, int]] = []
    graph_rows: list[tuple[str, int]] = []
    exact_rows: list[tuple[str, int]] = []
    term_rows: list[tuple[int, int, bytes]] = []
    words: Counter[str] = Counter()
    next_id = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM docs").fetchone()[0] or 0) + 1
    count = 0
    for doc in docs:
        if not doc.indexable:
            continue
        count += 1
        doc_id = next_id
        next_id += 1
        specific = most_specific(doc.types, parents)
        type_iri = specific[0] if specific else ""
        label_nl, label_en, label_x = first_text(doc.labels, "nl"), first_text(doc.labels, "en"), first_text(doc.labels, "")
        all_labels = sorted({v for vs in doc.labels.values() for v in vs})
        desc_nl, desc_en = first_text(doc.descs, "nl"), first_text(doc.descs, "en")
        date, year = doc_date(doc)
        sort_label = label_nl or label_x or label_en or local_name(doc.iri)
        exact_rows.extend((text, doc_id) for text in {plain_text(v) for v in all_labels + doc.alts} if text)
        doc_rows.append((doc_id, doc.iri, doc.kind, type_iri, label_nl, label_en, label_x, desc_nl, desc_en,
                         fold(sort_label), date, year))
        columns = fts_columns(doc)
        fts_rows.append((doc_id, *columns))
        term_rows.append((doc_id, *_term_blob(columns, terms)))
        suggest_rows.append((doc_id, plain_text(" ".join(all_labels + doc.alts))))
        facet_rows.extend((fids.get(key), doc_id) for key in facet_values(doc, type_iri, year))
        graph_rows.extend((g, doc_id) for g in doc.graphs)
        words.update(set(tokens(" ".join(all_labels + doc.alts + [t for ts in doc.descs.values() for t in ts]))))
    conn.executemany("INSERT INTO fvalues (fid, facet, value) VALUES (?, ?, ?)", fids.new)
    conn.executemany("INSERT INTO terms (tid, term) VALUES (?, ?)", terms.new)
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", doc_rows)
    conn.executemany("INSERT INTO fts (rowid, label, alt, descr) VALUES (?, ?, ?, ?)", fts_rows)
    conn.executemany("INSERT INTO doc_terms (doc, length, terms) VALUES (?, ?, ?)", term_rows)
    conn.executemany("INSERT OR IGNORE INTO exact (text, doc) VALUES (?, ?)", exact_rows)
    conn.executemany("INSERT INTO suggest (rowid, words) VALUES (?, ?)", suggest_rows)
    conn.executemany("INSERT INTO facets (fid, doc) VALUES (?, ?)", facet_rows)
    conn.executemany("INSERT OR IGNORE INTO doc_graphs (graph, doc) VALUES (?, ?)", graph_rows)
    conn.executemany("INSERT INTO words (word, docs) VALUES (?, ?) ON CONFLICT (word) DO UPDATE SET docs = docs + excluded.docs",
                     words.items())
    return count
