"""The search index in memory: facet values per document, sort orders and the term index.

`matrix[doc]` holds the facet value ids of a document (0 pads): counting facets over a result set
is one `bincount`, filtering one comparison, whatever the size of the set. Loaded from the index
file by `load_arrays` and replaced whenever the index changes (its `generation`).

Why not facets as SQL `GROUP BY`, as datasette counts them (issue 9, measured on the 1M-triple
synthetic graph, 108,608 documents, the benchmark's queries): `SELECT fid, count(*) FROM facets
WHERE doc IN (SELECT rowid FROM fts WHERE fts MATCH ?) GROUP BY fid` takes 217 ms median and
633 ms p95 (joining `fts` to `facets` instead is slower still), against 9 ms median and 11 ms p95
for matching, scoring and counting together here (`python -m benchmarks.bench_search_fts5`).
The search goal is p95 < 30 ms. Listings (`Searcher.listing`)
and counts per kind, over plain columns of `docs`, do use SQL GROUP BY.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from graph.search.match import RECORD, kind_class
from graph.search.spelling import Spelling, load_spelling
from graph.search.terms import TermIndex, load_terms


@dataclass
class IndexArrays:
    generation: int
    matrix: np.ndarray  # (documents, widest) int32 facet value ids
    present: np.ndarray  # bool per doc id
    by_id: dict[int, tuple[str, str]]  # facet value id -> (facet, value)
    by_value: dict[tuple[str, str], int]
    fids_by_facet: dict[str, np.ndarray]
    rank_date: np.ndarray  # position of each doc newest first
    rank_sort: np.ndarray  # position of each doc by label
    terms: TermIndex
    classes: np.ndarray  # int8 ranking class of each doc's kind (graph.search.match.kind_class)
    spelling: Spelling  # the index vocabulary for 'did you mean'

    @property
    def size(self) -> int:
        return len(self.present)

    def members(self, ids: np.ndarray) -> np.ndarray:
        mask = np.zeros(len(self.present), dtype=bool)
        mask[ids] = True
        return mask

    def values_of(self, doc: int) -> list[tuple[str, str]]:
        """The (facet, value) pairs of one document."""
        row = self.matrix[doc].tolist() if 0 <= doc < len(self.matrix) else []  # Python ints: no numpy scalar per id
        return [self.by_id[f] for f in row if f in self.by_id]

    def filter(self, ids: np.ndarray, filters: dict[str, list[str]]) -> np.ndarray:
        """A boolean mask over `ids`: the documents with every chosen value (AND).

        Each value is tested only on the documents that passed the ones before."""
        kept = np.arange(len(ids))
        for facet, values in filters.items():
            for value in values:
                fid = self.by_value.get((facet, value))
                if fid is None:
                    return np.zeros(len(ids), dtype=bool)
                kept = kept[(self.matrix[ids[kept]] == fid).any(axis=1)]
        keep = np.zeros(len(ids), dtype=bool)
        keep[kept] = True
        return keep

    def counts(self, ids: np.ndarray) -> np.ndarray:
        """Documents per facet value id among `ids`."""
        counts = np.bincount(self.matrix[ids].ravel(), minlength=len(self.by_id) + 1)
        counts[0] = 0
        return counts


def int_list(text: str | None) -> np.ndarray:
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.array(text.split(","), dtype=np.int64)


def load_arrays(conn: sqlite3.Connection, generation: int) -> IndexArrays:
    by_id = {fid: (f, v) for fid, f, v in conn.execute("SELECT fid, facet, value FROM fvalues")}
    docs_text, fids_text = conn.execute(
        "SELECT group_concat(doc), group_concat(fid) FROM (SELECT doc, fid FROM facets ORDER BY doc, fid)"
    ).fetchone()
    docs, fids = int_list(docs_text), int_list(fids_text)
    def ids_in_order(order: str) -> np.ndarray:
        return int_list(conn.execute(f"SELECT group_concat(id) FROM (SELECT id FROM docs ORDER BY {order})").fetchone()[0])

    order_date, order_sort = ids_in_order("date DESC, sort"), ids_in_order("sort")
    size = int(max(docs.max(initial=0), order_sort.max(initial=0))) + 1
    per_doc = np.bincount(docs, minlength=size)
    width = max(1, int(per_doc.max(initial=0)))
    matrix = np.zeros((size, width), dtype=np.int32)
    if len(docs):
        starts = np.concatenate(([0], np.cumsum(per_doc)[:-1]))
        matrix[docs, np.arange(len(docs)) - starts[docs]] = fids
    present = np.zeros(size, dtype=bool)
    present[order_sort] = True
    rank_date = np.full(size, size, dtype=np.int64)
    rank_date[order_date] = np.arange(len(order_date))
    rank_sort = np.full(size, size, dtype=np.int64)
    rank_sort[order_sort] = np.arange(len(order_sort))
    classes = np.full(size, RECORD, dtype=np.int8)
    for kind, ids_text in conn.execute("SELECT kind, group_concat(id) FROM docs GROUP BY kind"):
        ids = int_list(ids_text)
        classes[ids[ids < size]] = kind_class(kind)
    grouped: dict[str, list[int]] = {}
    for fid, (facet, _value) in by_id.items():
        grouped.setdefault(facet, []).append(fid)
    return IndexArrays(
        generation, matrix, present, by_id, {fv: fid for fid, fv in by_id.items()},
        {f: np.array(sorted(ids), dtype=np.int64) for f, ids in grouped.items()}, rank_date, rank_sort,
        load_terms(conn, size), classes, load_spelling(conn),
    )
