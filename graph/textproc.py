"""Text for the search index: accent folding, tokens, Dutch and English stemming, stop words,
and marking matched words for display.

The same functions prepare the indexed text and the query, so 'buurten' and 'buurt' meet in the
stem 'buurt', and 'Eén' and 'een' meet in the folded 'een'.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Iterable

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_WORD_SPLIT = re.compile(f"({WORD_RE.pattern})", re.UNICODE)
STEMMER_NAMES = {"nl": "dutch", "en": "english"}

# Words too common to narrow a search; dropped from a query unless nothing else is left.
STOP_WORDS = frozenset(
    """
    de het een en of in op te van voor met aan bij door over uit naar als om tot dan die dat
    dit deze er is zijn was wordt worden niet ook nog wel maar
    the a an and or of in on to for with at by from as is are was be not
    """.split()
)

_local = threading.local()


def fold(text: str) -> str:
    """Lowercase without accents: 'Eén' -> 'een', 'coöperatie' -> 'cooperatie'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[str]:
    """The folded words of a text."""
    return WORD_RE.findall(fold(text))


def _stemmer(lang: str) -> snowballstemmer.stemmer:
    # Snowball stemmers keep state while stemming, so each thread gets its own.
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if lang not in cache:
        cache[lang] = snowballstemmer.stemmer(STEMMER_NAMES[lang])
    return cache[lang]


@lru_cache(maxsize=262_144)
def stem(word: str, lang: str) -> str:
    """The stem of one folded word in 'nl' or 'en' (memoised: indexing stems the same words often)."""
    return _stemmer(lang).stemWord(word)


def stems(words: Iterable[str], lang: str) -> list[str]:
    """Stems of folded words in 'nl' or 'en'."""
    return [stem(w, lang) for w in words]


def index_text(text: str, lang: str) -> str:
    """The text as the index stores it: folded, stemmed words joined by spaces."""
    return " ".join(stems(tokens(text), lang))


def plain_text(text: str) -> str:
    """Folded words without stemming (for prefix completion)."""
    return " ".join(tokens(text))


def query_words(text: str) -> list[list[str]]:
    """A query as groups of words: a quoted phrase is one group, every other word a group of one.

    Stop words are left out unless the query holds nothing else.
    """
    groups: list[list[str]] = []
    parts = re.split(r'"', text)
    for i, part in enumerate(parts):
        words = tokens(part)
        if not words:
            continue
        if i % 2 == 1:
            groups.append(words)
        else:
            groups.extend([w] for w in words)
    meaningful = [g for g in groups if len(g) > 1 or g[0] not in STOP_WORDS]
    return meaningful or groups


@lru_cache(maxsize=32_768)
def _forms(word: str, lang: str) -> tuple[str, str]:
    """(folded, stem) of a word as written (memoised: highlighting the hits of a search page looks
    at some four hundred words, mostly the same ones from page to page)."""
    folded = fold(word)
    return folded, (stem(folded, lang) if folded else "")


def highlight(text: str, query_stems: set[str], lang: str) -> list[tuple[str, bool]]:
    """Split `text` into (piece, matched) parts; a word matches when its stem is in `query_stems`.

    Templates escape each piece and wrap matched ones in <mark>, so no markup comes from data.
    """
    if not query_stems or not text:
        return [(text, False)]
    pieces = _WORD_SPLIT.split(text)  # text between words, word, text between words, ..., text after
    matched = {w for w in set(pieces[1::2]) if not query_stems.isdisjoint(_forms(w, lang))}
    if not matched:
        return [(text, False)]
    parts: list[tuple[str, bool]] = []
    between = pieces[0]
    for i in range(1, len(pieces), 2):
        word = pieces[i]
        if word in matched:
            if between:
                parts.append((between, False))
            parts.append((word, True))
            between = pieces[i + 1]
        else:
            between += word + pieces[i + 1]
    if between:
        parts.append((between, False))
    return parts


def shorten(text: str, limit: int = 220) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(",;:.- ") + "…"
