"""How relation readings read in the page's language: graph/network/paths.py hands over a `Reading`
(the vocabulary's phrase, or None where it has no backward reading; whether the relation is read
again backward), and this module words it through the catalogs ("(omgekeerde van) naam",
"ondertekent ook" / "also signs")."""

from __future__ import annotations

from flask_babel import gettext, pgettext

from graph.network.paths import Reading

# English words after which "also" goes ("is also signed by"); before any other verb ("also signs").
EN_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "can", "will", "would", "may", "must", "should"})


def word(reading: Reading, lang: str) -> str:
    """The reading as text: the phrase; '(inverse of) name' where the vocabulary has no backward
    reading; with 'also' where the relation is read backward right after it was read forward."""
    if reading.phrase is None:
        return gettext("(inverse of) %(name)s", name=reading.name)
    if reading.again:
        return with_also(reading.phrase, lang, pgettext("relation read again", "also"))
    return reading.phrase


def with_also(phrase: str, lang: str, also: str) -> str:
    """'ondertekent' -> 'ondertekent ook', 'geeft uit' -> 'geeft ook uit' (Dutch: after the finite
    verb, the first word); 'signs' -> 'also signs', 'is signed by' -> 'is also signed by' (English:
    after an auxiliary, else before the verb)."""
    words = phrase.split()
    if not words:
        return phrase
    if lang == "en":
        if words[0].casefold() in EN_AUXILIARIES:
            return " ".join([words[0], also, *words[1:]])
        return " ".join([also, *words])
    return " ".join([words[0], also, *words[1:]])
