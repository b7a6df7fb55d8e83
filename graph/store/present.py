"""Values for people: texts that know their language, and literals sorted into kinds (date, number, ...).

`Text` carries the language of what is shown, so pages can mark a Dutch label on an English page
with lang="nl". Labels fall back: the page language, then Dutch, then English, then untagged,
then the IRI's local name. Dates and numbers stay data here (their kind and raw lexical form):
webapp formats them for the reader's locale with Babel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.namespaces import SB, iri_values, is_plain_iri, local_name
from graph.store.graphstore import GraphStore

INTEGER_TYPES = {str(XSD[t]) for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "unsignedInt")}
DECIMAL_TYPES = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
CURRENCY_PREDICATES = {str(SB.budgetEur)}


@dataclass(frozen=True)
class Text:
    """A piece of text with its language tag ('' when it has none)."""

    value: str
    lang: str = ""

    def __str__(self) -> str:
        return self.value

    def as_dict(self) -> dict[str, str]:
        return {"value": self.value, "lang": self.lang}


@dataclass(frozen=True)
class Value:
    """A literal sorted for display: `text` (the raw form for dates, numbers and booleans, which webapp
    formats by `kind` and `datatype`), `href` when it is a web address, `currency` for amounts in euro,
    `more_than` for a lower bound."""

    text: Text
    kind: str = "text"  # text | date | number | url | boolean
    href: str | None = None
    raw: str = ""
    datatype: str = ""
    currency: str | None = None
    more_than: bool = False

    def as_dict(self, show: Callable[[Value], str] | None = None) -> dict[str, object]:
        """Plain data; `show` gives the display text of dates, numbers and booleans (default: the raw form)."""
        text = show(self) if show is not None else self.text.value
        out: dict[str, object] = {"text": text, "lang": self.text.lang, "kind": self.kind, "value": self.raw}
        if self.href:
            out["href"] = self.href
        return out


def pick_text(values: Iterable[Literal], lang: str = "nl") -> Text | None:
    """Best literal for `lang`: that language, then nl, then en, then untagged (stable order)."""
    by_lang: dict[str, str] = {}
    for value in sorted(values, key=str):
        by_lang.setdefault((value.language or "").lower(), str(value))
    for candidate in (lang, "nl", "en", ""):
        if candidate in by_lang:
            return Text(by_lang[candidate], candidate)
    if by_lang:
        code, text = next(iter(sorted(by_lang.items())))
        return Text(text, code)
    return None


def in_language(values: Iterable[Literal], lang: str) -> list[Literal]:
    """The literals to show on a page in `lang`: those in `lang` if any, else Dutch, else English,
    else all others; untagged literals are always kept."""
    values = list(values)
    untagged = [v for v in values if not v.language]
    tagged = [v for v in values if v.language]
    for candidate in (lang, "nl", "en"):
        chosen = [v for v in tagged if (v.language or "").lower() == candidate]
        if chosen:
            return chosen + untagged
    return tagged + untagged


def texts(store: GraphStore, iris: Iterable[URIRef], lang: str = "nl") -> dict[URIRef, Text]:
    """{iri: Text} for many IRIs in one query (rdfs:label, then skos:prefLabel), with fallbacks."""
    wanted = [URIRef(i) for i in dict.fromkeys(iris) if isinstance(i, URIRef) and is_plain_iri(i)]
    found: dict[URIRef, list[Literal]] = {}
    preferred: dict[URIRef, list[Literal]] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        values = iri_values(chunk)
        if not values:
            continue
        rows = store.select(
            "SELECT ?s ?l ?k WHERE { VALUES ?s { " + values + " } "
            "{ ?s rdfs:label ?l BIND(1 AS ?k) } UNION { ?s skos:prefLabel ?l BIND(2 AS ?k) } }"
        )
        for row in rows:
            target = found if int(row["k"]) == 1 else preferred
            if isinstance(s := row["s"], URIRef) and isinstance(label := row["l"], Literal):
                target.setdefault(s, []).append(label)
    out: dict[URIRef, Text] = {}
    for iri in wanted:
        out[iri] = pick_text(found.get(iri, []), lang) or pick_text(preferred.get(iri, []), lang) or Text(local_name(iri))
    return out


def format_value(value: Literal, predicate: str | None = None) -> Value:
    """A literal sorted into its kind for display (webapp formats dates, numbers and booleans)."""
    raw = str(value)
    datatype = str(value.datatype) if value.datatype else ""
    if value.language:
        return Value(Text(raw, value.language), "text", raw=raw)
    if datatype in {str(XSD.date), str(XSD.dateTime), str(XSD.gYear), str(XSD.gYearMonth)}:
        return Value(Text(raw), "date", raw=raw, datatype=datatype)
    if datatype in INTEGER_TYPES or datatype in DECIMAL_TYPES:
        currency = "EUR" if predicate in CURRENCY_PREDICATES else None
        return Value(Text(raw), "number", raw=raw, datatype=datatype, currency=currency)
    if datatype == str(XSD.boolean):
        return Value(Text(raw), "boolean", raw=raw, datatype=datatype)
    if datatype == str(XSD.anyURI) or raw.startswith(("https://", "http://")):
        return Value(Text(raw), "url", href=raw if raw.startswith(("https://", "http://")) else None, raw=raw)
    return Value(Text(raw), "text", raw=raw)
