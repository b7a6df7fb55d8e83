"""Searching the index: ranked hits, facets with counts, prefix completion, listings.

Ranking puts, in this order: entities whose label or alternative label *is* the query, entities
whose label or alternative label contains all query words (by BM25 within; programmes,
initiatives, publications, organisations and concepts before other kinds), entities that match
only in their description (by BM25 within), and last source records; see `graph.search.match`. When no entity holds
every word, entities with any of them are shown instead (`loose`). Facets count over all results
(`graph.search.facets`); filters narrow (AND). Only the page asked for becomes Python objects.
The index is built and kept in step by `graph.search.index`; `graph.search.arrays` holds it in memory.
Matching, ranking and facet counts run on that in-memory copy rather than on FTS5's `bm25()` and SQL
`GROUP BY`, which were measured 3 to 50 times slower at 1M triples (the figures are in
`graph.search.terms` and `graph.search.arrays`); completion, listings and phrases use FTS5 and SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from threading import Lock
from typing import Any, Iterable, Mapping

import numpy as np

from graph.caching import SharedLRU
from graph.namespaces import SB, local_name
from graph.search.arrays import IndexArrays, load_arrays
from graph.search.facets import (  # noqa: F401  (re-exported: the search API in one place)
    ALL_VALUES_SHOWN,
    FACET_LABELS,
    FACET_VALUES_SHOWN,
    SEARCH_FACETS,
    Facet,
    FacetValue,
    facet_label,
    facets,
    pick_column,
    value_iri,
)
from graph.search.index import SearchIndex
from graph.search.match import Match, alternatives, first, match
from graph.search.spelling import corrected_text
from graph.store.graphstore import GraphStore
from graph.store.present import Text
from graph.textproc import plain_text, query_words, stem, tokens

_CACHE_SIZE = 32  # result sets kept per index generation (the benchmark sets 0)


@dataclass
class Hit:
    id: int
    iri: str
    kind: str
    type: str
    label: Text
    description: Text | None
    date: str
    year: int | None
    match: str  # exact | label | text | browse
    pillars: list[tuple[str, bool]] = field(default_factory=list)  # (pillar slug, derived)
    spheres: list[str] = field(default_factory=list)


@dataclass
class Results:
    query: str
    total: int
    offset: int
    limit: int
    hits: list[Hit]
    facets: list[Facet]
    filters: dict[str, list[str]]
    loose: bool = False
    stems: set[str] = field(default_factory=set)
    suggestion: str = ""  # the query with its misspelt words corrected ('did you mean …?')
    corrected: bool = False  # the hits are those of `suggestion` (the query itself found nothing)


@dataclass
class _Selection:
    """A filtered result set: the matches (None when browsing) and counts per facet value id."""

    ids: np.ndarray
    found: Match | None
    counts: np.ndarray


class Searcher:
    """Queries over one `SearchIndex`, with its arrays in memory and a small cache of result sets."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._arrays: IndexArrays | None = None
        self._cache: SharedLRU[tuple, _Selection] = SharedLRU(_CACHE_SIZE)
        self._lock = Lock()

    def arrays(self) -> IndexArrays:
        cached = self._arrays
        if cached is not None and cached.generation == self.index.generation:
            return cached
        with self._lock:
            cached = self._arrays
            if cached is not None and cached.generation == self.index.generation:
                return cached
            cached = self._arrays = load_arrays(self.index.connection(), self.index.generation)
            self._cache.clear()
            return cached

    def warm(self) -> None:
        """Load the arrays now rather than on the first search."""
        self.arrays()

    def _select(self, arrays: IndexArrays, groups: list[list[str]], filters: Mapping[str, list[str]], *,
                any_group: bool = False) -> _Selection:
        """The filtered result set and its facet counts (cached per index generation)."""
        key = (tuple(map(tuple, groups)), any_group, tuple(sorted((f, tuple(sorted(v))) for f, v in filters.items())),
               arrays.generation)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        found: Match | None = None
        if groups:
            found = match(arrays.terms, self.index.connection(), groups, arrays.size, any_group=any_group)
            found = found.subset(arrays.present[found.ids])
            found = found.subset(arrays.filter(found.ids, dict(filters)))
            ids = found.ids
        else:
            ids = np.flatnonzero(arrays.present)
            ids = ids[arrays.filter(ids, dict(filters))]
        selection = _Selection(ids, found, arrays.counts(ids))
        self._cache.put(key, selection)
        return selection

    def _exact(self, text: str) -> list[int]:
        if not text:
            return []
        return [doc for (doc,) in self.index.connection().execute("SELECT doc FROM exact WHERE text = ? ORDER BY doc", (text,))]

    @staticmethod
    def _ordered(arrays: IndexArrays, ids: np.ndarray, order: str, offset: int, need: int) -> list[tuple[int, str]]:
        rank = arrays.rank_date if order == "date" else arrays.rank_sort
        keys = rank[ids]
        if len(ids) > need:
            top = np.argpartition(keys, need - 1)[:need] if need > 0 else np.zeros(0, dtype=np.int64)
            chosen = ids[top][np.argsort(keys[top], kind="stable")]
        else:
            chosen = ids[np.argsort(keys, kind="stable")]
        return [(int(doc), "browse") for doc in chosen[offset:need]]

    # -- the public queries ------------------------------------------------------------------
    def search(
        self,
        store: GraphStore,
        q: str,
        filters: Mapping[str, list[str]] | None = None,
        *,
        lang: str = "nl",
        offset: int = 0,
        limit: int = 20,
        facets: Iterable[str] = SEARCH_FACETS,
        order: str = "relevance",
        kind: str | None = None,
    ) -> Results:
        """Hits for `q` (all words; any word when none has all) narrowed by `filters` {facet: [values]}.

        With an empty query every entity is a candidate (browsing by facets); `order` 'date' puts
        the newest first (the library), otherwise hits come by rank (or by label when browsing).
        """
        filters = {f: [v for v in vs if v] for f, vs in (filters or {}).items() if f in FACET_LABELS and vs}
        if kind:
            filters.setdefault("kind", [kind])
        arrays = self.arrays()
        groups = query_words(q or "")
        suggestion, corrected = "", False
        # A word with a correction is a word the index does not hold: the query as typed finds nothing.
        fixes = self._corrected(arrays, groups)
        selection = None
        if fixes:
            fixed = [[fixes.get(w, w) for w in g] for g in groups]
            fixed_selection = self._select(arrays, fixed, filters)
            finds = len(fixed_selection.ids) or (len(fixed) > 1 and len(self._select(arrays, fixed, filters, any_group=True).ids))
            if finds:
                suggestion, corrected = corrected_text(q, fixes), True
                selection, groups = fixed_selection, fixed
        if selection is None:
            selection = self._select(arrays, groups, filters)
        loose = False
        if groups and not len(selection.ids) and len(groups) > 1:
            selection = self._select(arrays, groups, filters, any_group=True)
            loose = bool(len(selection.ids))
        need = offset + limit
        if selection.found is not None and order != "date":
            page = first(selection.found, self._exact(plain_text(suggestion if corrected else q)), need, arrays.classes)[offset:need]
        else:
            page = self._ordered(arrays, selection.ids, order, offset, need)
        query_stems = {s for g in groups for w in g for s in (stem(w, "nl"), stem(w, "en"), w)}
        return Results(
            query=q or "",
            total=int(len(selection.ids)),
            offset=offset,
            limit=limit,
            hits=self._hits(arrays, page, lang),
            facets=self.facets(store, arrays, selection.counts, filters, facets, lang),
            filters=filters,
            loose=loose,
            stems=query_stems,
            suggestion=suggestion,
            corrected=corrected,
        )

    def _corrected(self, arrays: IndexArrays, groups: list[list[str]]) -> dict[str, str]:
        """{word: its nearest index word} for each single query word the index does not hold (no
        stem has postings) and that has a near word; empty when nothing needs (or finds) one."""
        fixes: dict[str, str] = {}
        for group in groups:
            if len(group) != 1 or any(len(arrays.terms.postings(p[0]).docs) for p in alternatives(group)):
                continue
            nearest = arrays.spelling.nearest(group[0])
            if nearest:
                fixes[group[0]] = nearest
        return fixes

    def facets(self, store: GraphStore, arrays: IndexArrays, counts: np.ndarray, filters: Mapping[str, list[str]],
               names: Iterable[str], lang: str) -> list[Facet]:
        return facets(self.index.connection(), store, arrays, counts, filters, names, lang)

    def _hits(self, arrays: IndexArrays, page: list[tuple[int, str]], lang: str) -> list[Hit]:
        if not page:
            return []
        ids = [doc for doc, _ in page]
        rows = {
            r[0]: r
            for r in self.index.connection().execute(
                f"SELECT id, iri, kind, type, label_nl, label_en, label_x, desc_nl, desc_en, date, year FROM docs "
                f"WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }
        hits = []
        for doc, tier in page:
            row = rows.get(doc)
            if row is None:
                continue
            _, iri, kind, type_iri, l_nl, l_en, l_x, d_nl, d_en, date, year = row
            label = pick_column({"nl": l_nl, "en": l_en, "": l_x}, lang) or Text(local_name(iri))
            description = pick_column({"nl": d_nl, "en": d_en}, lang)
            values = arrays.values_of(doc)
            pillars = sorted([(v, False) for f, v in values if f == "pillar"]
                             + [(v, True) for f, v in values if f == "editorial_pillar"])
            spheres = sorted(v for f, v in values if f == "sphere")
            hits.append(Hit(doc, iri, kind, type_iri, label, description, date, year, tier, pillars, spheres))
        return hits

    def suggest(self, q: str, *, lang: str = "nl", limit: int = 8) -> list[Hit]:
        """Completion for the search box: labels with every typed word, the last one as a prefix."""
        words = tokens(q or "")
        if not words or len(words[-1]) < 1:
            return []
        expression = " ".join(f'"{w}"' for w in words[:-1]) + (" " if len(words) > 1 else "") + f'"{words[-1]}"*'
        conn = self.index.connection()
        ids = [doc for (doc,) in conn.execute(
            "SELECT rowid FROM suggest WHERE suggest MATCH ? ORDER BY bm25(suggest) LIMIT ?", (expression, limit * 4)
        )]
        hits = self._hits(self.arrays(), [(doc, "label") for doc in ids], lang)
        prefix = " ".join(words)
        hits.sort(key=lambda h: (not plain_text(h.label.value).startswith(prefix), len(h.label.value)))
        return hits[:limit]

    def listing(self, kind: str, *, lang: str = "nl", type_name: str | None = None, letter: str | None = None,
                offset: int = 0, limit: int = 50) -> dict[str, Any]:
        """An index page: the entities of one kind by label, with counts per type and per first letter."""
        conn = self.index.connection()
        where, params = ["kind = ?"], [kind]
        types = [(t, n) for t, n in conn.execute("SELECT type, count(*) FROM docs WHERE kind = ? GROUP BY type", (kind,))]
        letters = dict(conn.execute(
            "SELECT upper(substr(sort, 1, 1)), count(*) FROM docs WHERE kind = ?"
            + (" AND type = ?" if type_name else "") + " GROUP BY 1",
            [kind] + ([str(SB[type_name])] if type_name else []),
        ).fetchall())
        if type_name:
            where.append("type = ?")
            params.append(str(SB[type_name]))
        if letter:
            where.append("upper(substr(sort, 1, 1)) = ?")
            params.append(letter.upper())
        clause = " AND ".join(where)
        total = conn.execute(f"SELECT count(*) FROM docs WHERE {clause}", params).fetchone()[0]
        page_sql = f"SELECT id FROM docs WHERE {clause} ORDER BY sort LIMIT ? OFFSET ?"
        ids = [r[0] for r in conn.execute(page_sql, params + [limit, offset])]
        return {
            "total": total,
            "hits": self._hits(self.arrays(), [(i, "browse") for i in ids], lang),
            "types": sorted(types, key=lambda tn: -tn[1]),
            "letters": letters,
        }

    def counts_by_kind(self) -> dict[str, int]:
        return dict(self.index.connection().execute("SELECT kind, count(*) FROM docs GROUP BY kind").fetchall())

    def count_with(self, facet: str, value: str, kind: str | None = None) -> int:
        """How many entities (of a kind) carry a facet value: the numbers on the home page."""
        arrays = self.arrays()
        fid = arrays.by_value.get((facet, value))
        if fid is None:
            return 0
        filters = {facet: [value]} | ({"kind": [kind]} if kind else {})
        ids = np.flatnonzero((arrays.matrix == fid).any(axis=1))
        return int(arrays.filter(ids, filters).sum())
