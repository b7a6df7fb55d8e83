"""The term index in memory: for every stem the documents holding it, with its count per column.

Built from the `doc_terms` table (see `graph.search.write`) when the index changes. Scoring is
FTS5's BM25 (k1 = 1.2, b = 0.75, column weights label 10, alt 8, descr 1, the row length over all
columns), computed with numpy over the postings of the query terms only: the cost follows the
number of matching documents, never a per-row call into SQLite, so a one-word query matching
40% of the entities costs a few milliseconds.

Why not FTS5's own `bm25()` (issue 9, measured on the 1M-triple synthetic graph of
`benchmarks.bench_browse`: 108,608 documents, the median benchmark query matching 32,500 of
them; `python -m benchmarks.bench_search_fts5` repeats it). `ORDER BY bm25(fts, 10, 8, 1) LIMIT
20` scores every matching row through the auxiliary-function API: median 27 ms / p95 46 ms for
the label tier and 82 / 179 ms for the text tier, against 9 / 11 ms for matching, scoring *and*
counting facets here, same file, same queries, same run. So the search goal (p95 < 30 ms) needs
this index.
It is not a second source of truth: `write_docs` writes it from the very token strings it gives
FTS5, and tests/test_search_broad.py checks postings and ranking against FTS5 MATCH and bm25().
Reading it back from FTS5 itself (an `fts5vocab` instance table) instead of `doc_terms` was
measured too: 8 s per reload (3.3 million rows through Python) against 0.03 s for the blobs.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

import numpy as np

from graph.search.write import TERM_RECORD

K1 = 1.2
B = 0.75
WEIGHTS = (10.0, 8.0, 1.0)  # label, alt, descr: as bm25(fts, 10.0, 8.0, 1.0)
EMPTY_DOCS = np.zeros(0, dtype=np.int32)
EMPTY_TF = np.zeros((0, 3), dtype=np.uint8)


@dataclass
class Postings:
    """Documents (sorted ids) holding a term or phrase, with its count in label, alt and descr."""

    docs: np.ndarray  # int32
    tf: np.ndarray  # (n, 3) uint8

    @classmethod
    def empty(cls) -> "Postings":
        return cls(EMPTY_DOCS, EMPTY_TF)


@dataclass
class TermIndex:
    tids: dict[str, int]
    starts: np.ndarray  # postings of tid t: [starts[t], starts[t + 1])
    docs: np.ndarray  # int32, sorted by (tid, doc)
    tf: np.ndarray  # (n, 3) uint8
    norm: np.ndarray  # float64 per doc id: k1 * (1 - b + b * length / average length)
    n_docs: int

    def postings(self, term: str) -> Postings:
        tid = self.tids.get(term)
        if tid is None or tid + 1 >= len(self.starts):
            return Postings.empty()
        lo, hi = int(self.starts[tid]), int(self.starts[tid + 1])
        return Postings(self.docs[lo:hi], self.tf[lo:hi])

    def idf(self, hits: int) -> float:
        """FTS5's inverse document frequency (never zero or below)."""
        value = math.log((self.n_docs - hits + 0.5) / (hits + 0.5)) if self.n_docs else 0.0
        return value if value > 0 else 1e-6

    def bm25(self, postings: Postings, columns: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """(documents with the term in `columns`, their BM25 part for this term), as FTS5 scores it
        for a phrase restricted to those columns."""
        weighted = np.zeros(len(postings.docs), dtype=np.float64)
        for column in columns:
            weighted += WEIGHTS[column] * postings.tf[:, column]
        found = weighted > 0
        docs, freq = postings.docs[found], weighted[found]
        # The same operations in the same order as fts5_aux.c, so scores (and ties) are equal.
        score = self.idf(len(docs)) * ((freq * (K1 + 1.0)) / (freq + self.norm[docs]))
        return docs, score


def load_terms(conn: sqlite3.Connection, size: int) -> TermIndex:
    """The term index of every document in the file (`size`: one more than the highest doc id)."""
    tids = {term: tid for tid, term in conn.execute("SELECT tid, term FROM terms")}
    doc_ids: list[int] = []
    lengths: list[int] = []
    counts: list[int] = []
    blobs: list[bytes] = []
    for doc, length, blob in conn.execute("SELECT doc, length, terms FROM doc_terms ORDER BY doc"):
        doc_ids.append(doc)
        lengths.append(length)
        counts.append(len(blob) // TERM_RECORD.itemsize)
        blobs.append(blob)
    records = np.frombuffer(b"".join(blobs), dtype=TERM_RECORD)
    doc_array = np.repeat(np.array(doc_ids, dtype=np.int32), counts)
    order = np.argsort(records["tid"], kind="stable")  # by term, then (as read) by document
    sorted_tids = records["tid"][order]
    n_terms = (max(tids.values()) + 1) if tids else 1
    starts = np.searchsorted(sorted_tids, np.arange(n_terms + 1), side="left").astype(np.int64)
    tf = np.empty((len(records), 3), dtype=np.uint8)
    for i, column in enumerate(("label", "alt", "descr")):
        tf[:, i] = records[column][order]
    length_by_doc = np.zeros(max(size, 1), dtype=np.float64)
    if doc_ids:
        length_by_doc[np.array(doc_ids)] = lengths
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    norm = K1 * (1.0 - B + B * length_by_doc / (average or 1.0))
    return TermIndex(tids, starts, doc_array[order], tf, norm, len(doc_ids))
