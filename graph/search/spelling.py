"""Typo tolerance: 'did you mean …?' from the words of the index itself.

The vocabulary is every folded word of the entities' labels, alternative labels and descriptions
(the index's `words` table, see `graph.search.write`).
A query word of `MIN_LENGTH` letters or more that the index does not hold (none of its stems has
postings) is replaced by the vocabulary word at the smallest edit distance, at most `MAX_EDITS`
(ties: the word in most documents). Edit distance is RapidFuzz's optimal string alignment (Levenshtein
with a swap of neighbouring letters as one edit), over the words of a similar length only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 6  # shorter words have too many neighbours at distance two
MAX_EDITS = 2
CANDIDATES = 8  # nearest words looked at per query word


@dataclass
class Spelling:
    """The index vocabulary by word length, with the number of documents holding each word."""

    by_length: dict[int, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def nearest(self, word: str) -> str | None:
        """The vocabulary word closest to `word` (at most `MAX_EDITS` away), or None."""
        if len(word) < MIN_LENGTH or word in self.counts or not word.isalpha():
            return None
        pool = [w for n in range(len(word) - MAX_EDITS, len(word) + MAX_EDITS + 1) for w in self.by_length.get(n, ())]
        found = process.extract(word, pool, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=CANDIDATES)
        if not found:
            return None
        best = min(found, key=lambda c: (c[1], -self.counts.get(c[0], 0), c[0]))
        return str(best[0])


def query_text(groups: list[list[str]]) -> str:
    """Query groups back as text: single words as they are, phrases in quotes."""
    return " ".join(g[0] if len(g) == 1 else '"' + " ".join(g) + '"' for g in groups)


def load_spelling(conn: sqlite3.Connection) -> Spelling:
    """The vocabulary of the index (words of labels, alternative labels and descriptions)."""
    spelling = Spelling()
    for term, docs in conn.execute("SELECT word, docs FROM words"):
        if len(term) >= MIN_LENGTH - MAX_EDITS and term.isalpha():
            spelling.counts[term] = docs
            spelling.by_length.setdefault(len(term), []).append(term)
    return spelling
