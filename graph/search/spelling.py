"""Typo tolerance: 'did you mean …?' from the words of the index itself.

The vocabulary is every folded word of the entities' labels, alternative labels and descriptions
(the index's `words` table, see `graph.search.write`).
A query word of `MIN_LENGTH` letters or more that the index does not hold (none of its stems has
postings) is replaced by the vocabulary word at the smallest edit distance, at most `MAX_EDITS`
(ties: the word in most documents). Edit distance is RapidFuzz's optimal string alignment (Levenshtein
with a swap of neighbouring letters as one edit), over the words of a similar length that share
the first or the last letter (`Spelling`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from graph.textproc import WORD_RE, fold

MIN_LENGTH = 6  # shorter words have too many neighbours at distance two
MAX_EDITS = 2
CANDIDATES = 8  # nearest words looked at per query word


@dataclass
class Spelling:
    """The index vocabulary with the number of documents holding each word, by (length, first
    letter) and by (length, last letter): a typo of one or two letters nearly always keeps one of
    the two ends, and comparing against those words only keeps a lookup within a few milliseconds
    with hundreds of thousands of words (measured in `benchmarks.bench_browse`'s typo row)."""

    counts: dict[str, int] = field(default_factory=dict)
    by_start: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    by_end: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, counts: dict[str, int]) -> "Spelling":
        spelling = cls(dict(counts))
        for word in counts:
            spelling.by_start.setdefault((len(word), word[0]), []).append(word)
            spelling.by_end.setdefault((len(word), word[-1]), []).append(word)
        return spelling

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def nearest(self, word: str) -> str | None:
        """The vocabulary word closest to `word` (at most `MAX_EDITS` away), or None."""
        if len(word) < MIN_LENGTH or word in self.counts or not word.isalpha():
            return None
        lengths = range(len(word) - MAX_EDITS, len(word) + MAX_EDITS + 1)
        pool = list(dict.fromkeys(
            [w for n in lengths for w in self.by_start.get((n, word[0]), ())]
            + [w for n in lengths for w in self.by_end.get((n, word[-1]), ())]
        ))
        found = process.extract(word, pool, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=CANDIDATES)
        if not found:
            return None
        best = min(found, key=lambda c: (c[1], -self.counts.get(c[0], 0), c[0]))
        return str(best[0])


def corrected_text(query: str, fixes: dict[str, str]) -> str:
    """The query as typed with each misspelt word (folded, a key of `fixes`) replaced."""
    return WORD_RE.sub(lambda m: fixes.get(fold(m.group()), m.group()), query)


def load_spelling(conn: sqlite3.Connection) -> Spelling:
    """The vocabulary of the index (words of labels, alternative labels and descriptions)."""
    return Spelling.of({word: docs for word, docs in conn.execute("SELECT word, docs FROM words")
                        if len(word) >= MIN_LENGTH - MAX_EDITS and word.isalpha()})
