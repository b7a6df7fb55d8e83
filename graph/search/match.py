"""Which documents match a query, in which tier, with which score; and the first N in rank order.

A query is groups of words (`graph.textproc.query_words`): each group is one word, or a quoted
phrase, looked for as its Dutch or its English stems. A document matches when it holds every group
(or, `any_group`, at least one) in any column. It is in the *label* tier when it holds them in
its label or alternative label, otherwise in the *text* tier. Within the label tier documents
are ordered by BM25 over label and alt, within the text tier by BM25 over all columns (weights
10, 8, 1), as FTS5's `bm25()` scores those queries; ties by document id. Entities whose label is
the query itself come first (`exact`). Tiers are split by the kind of entity (`groups`): label
matches on programmes, initiatives, publications, organisations and concepts come before other
entities, and source records ("bron") come after every entity.

One-word groups are looked up in the term index in memory (`graph.search.terms`); a quoted phrase
of several words asks FTS5 which documents hold it in each column (counted once per column).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from graph.search.terms import Postings, TermIndex
from graph.textproc import stems

LABEL_COLUMNS = (0, 1)
ALL_COLUMNS = (0, 1, 2)
FTS_COLUMNS = ("label", "alt", "descr")


@dataclass
class Match:
    """Matching documents (sorted ids), whether each is in the label tier, and its score there."""

    ids: np.ndarray
    label: np.ndarray  # bool
    score: np.ndarray  # float64, higher first

    def subset(self, keep: np.ndarray) -> "Match":
        return Match(self.ids[keep], self.label[keep], self.score[keep])


def alternatives(group: list[str]) -> list[tuple[str, ...]]:
    """The phrases a group is looked for as: its Dutch and its English stems (once if equal)."""
    return list(dict.fromkeys([tuple(stems(group, "nl")), tuple(stems(group, "en"))]))


def _fts_phrase(conn: sqlite3.Connection, phrase: tuple[str, ...]) -> Postings:
    """A phrase of several words: the documents holding it, per column (from FTS5)."""
    # Stems are folded letters and digits only, so quoting them cannot break the expression.
    quoted = '"' + " ".join(phrase) + '"'
    per_column = []
    for column in FTS_COLUMNS:
        row = conn.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (f"{column} : {quoted}",)).fetchone()
        per_column.append(np.array(row[0].split(","), dtype=np.int32) if row and row[0] else np.zeros(0, np.int32))
    docs = np.unique(np.concatenate(per_column)).astype(np.int32)
    tf = np.zeros((len(docs), 3), dtype=np.uint8)
    for i, found in enumerate(per_column):
        tf[np.searchsorted(docs, found), i] = 1
    return Postings(docs, tf)


def postings(terms: TermIndex, conn: sqlite3.Connection, phrase: tuple[str, ...]) -> Postings:
    if len(phrase) == 1:
        return terms.postings(phrase[0])
    return _fts_phrase(conn, phrase)


def match(terms: TermIndex, conn: sqlite3.Connection, groups: list[list[str]], size: int, *, any_group: bool = False) -> Match:
    """The documents holding every group (or any, `any_group`), with tier and BM25 score."""
    in_any = np.zeros(size, dtype=np.int32)  # groups found per document, in any column
    in_label = np.zeros(size, dtype=np.int32)  # groups found in label or alt
    label_score = np.zeros(size, dtype=np.float64)
    text_score = np.zeros(size, dtype=np.float64)
    for group in groups:
        any_mask = np.zeros(size, dtype=bool)
        label_mask = np.zeros(size, dtype=bool)
        for phrase in alternatives(group):
            found = postings(terms, conn, phrase)
            found = Postings(found.docs[found.docs < size], found.tf[found.docs < size])
            if not len(found.docs):
                continue
            docs, score = terms.bm25(found, LABEL_COLUMNS)
            label_score[docs] += score
            label_mask[docs] = True
            docs, score = terms.bm25(found, ALL_COLUMNS)
            text_score[docs] += score
            any_mask[docs] = True
        in_any += any_mask
        in_label += label_mask
    needed = 1 if any_group else len(groups)
    ids = np.flatnonzero(in_any >= needed)
    label = in_label[ids] >= needed
    return Match(ids, label, np.where(label, label_score[ids], text_score[ids]))


# Kinds in three classes for ranking: the main entities a visitor looks for, other entities
# (programme components, places, people), and source records ("bron"), which come last.
MAIN_KINDS = ("programma", "initiatief", "publicatie", "organisatie", "begrip")
RECORD_KINDS = ("bron",)
MAIN, OTHER, RECORD = 0, 1, 2


def kind_class(kind: str) -> int:
    """The ranking class of a kind: MAIN, OTHER or RECORD."""
    return MAIN if kind in MAIN_KINDS else RECORD if kind in RECORD_KINDS else OTHER


def groups(found: Match, is_exact: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """The rank group of each match, lower first: exact label (entities); label match on the main
    kinds; label match on other entities; description match (entities); source records (label
    match, then description match)."""
    cls = classes[found.ids] if len(classes) else np.full(len(found.ids), MAIN, dtype=np.int8)
    entity = np.where(is_exact, 0, np.where(found.label, 1 + cls, 4))
    record = np.where(found.label | is_exact, 5, 6)
    return np.where(cls == RECORD, record, entity).astype(np.int64)


def first(found: Match, exact: list[int], need: int, classes: np.ndarray | None = None) -> list[tuple[int, str]]:
    """The first `need` documents in rank order (see `groups`; BM25 within a group, then id) with
    their tier: exact, label or text. `classes` is the ranking class per doc id (`kind_class`)."""
    if need <= 0 or not len(found.ids):
        return []
    is_exact = np.isin(found.ids, np.array(sorted(set(exact)), dtype=np.int64)) if exact else np.zeros(len(found.ids), bool)
    group = groups(found, is_exact, classes if classes is not None else np.zeros(0, dtype=np.int8))
    # One key to pick candidates (scores are far below the spacing); the exact order is then sorted.
    key = group * 1e9 - found.score
    if len(key) > need:
        threshold = key[np.argpartition(key, need - 1)[need - 1]]
        chosen = np.flatnonzero(key <= threshold)
    else:
        chosen = np.arange(len(key))
    order = chosen[np.lexsort((found.ids[chosen], -found.score[chosen], group[chosen]))][:need]
    return [(int(found.ids[i]), "exact" if is_exact[i] else "label" if found.label[i] else "text") for i in order]
