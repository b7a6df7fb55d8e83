"""Values for people: texts that know their language, dates in words, numbers with separators.

`Text` carries the language of what is shown, so pages can mark a Dutch label on an English page
with lang="nl". Labels fall back: the page language, then Dutch, then English, then untagged,
then the IRI's local name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.namespaces import SB, local_name, iri_values, is_plain_iri
from graph.store.graphstore import GraphStore

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}
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
    """A literal formatted for display: `text`, and `href` when it is a web address."""

    text: Text
    kind: str = "text"  # text | date | number | url | boolean
    href: str | None = None
    raw: str = ""

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text.value, "lang": self.text.lang, "kind": self.kind, "value": self.raw}
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
        chosen = [v for v in tagged if v.language.lower() == candidate]
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
            target = found if int(row["k"]) == 1 else preferred  # type: ignore[arg-type]
            target.setdefault(row["s"], []).append(row["l"])  # type: ignore[arg-type]
    out: dict[URIRef, Text] = {}
    for iri in wanted:
        out[iri] = pick_text(found.get(iri, []), lang) or pick_text(preferred.get(iri, []), lang) or Text(local_name(iri))
    return out


def format_date(raw: str, datatype: str, lang: str) -> str:
    """'2023-06-26' -> '26 juni 2023'; '2023-06' -> 'juni 2023'; '2023' -> '2023'."""
    months = MONTHS.get(lang, MONTHS["nl"])
    text = raw.strip()
    try:
        if datatype == str(XSD.gYear) or (len(text) == 4 and text.isdigit()):
            return text
        if datatype == str(XSD.gYearMonth) or (len(text) == 7 and text[4] == "-"):
            return f"{months[int(text[5:7]) - 1]} {text[:4]}"
        day, month, year = int(text[8:10]), int(text[5:7]), text[:4]
        out = f"{day} {months[month - 1]} {year}"
        if datatype == str(XSD.dateTime) and len(text) >= 16:
            out += f", {text[11:16]}"
        return out
    except (ValueError, IndexError):
        return raw


def format_number(raw: str, lang: str, *, decimals: bool = False) -> str:
    """'2000' -> '2.000' (nl) or '2,000' (en); '1.5' -> '1,5' (nl)."""
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        return raw
    if number == number.to_integral_value() and not decimals:
        text = f"{int(number):,}"
    else:
        text = f"{number.normalize():,f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_value(value: Literal, lang: str = "nl", predicate: str | None = None) -> Value:
    """A literal as people read it."""
    raw = str(value)
    datatype = str(value.datatype) if value.datatype else ""
    if value.language:
        return Value(Text(raw, value.language), "text", raw=raw)
    if datatype in {str(XSD.date), str(XSD.dateTime), str(XSD.gYear), str(XSD.gYearMonth)}:
        return Value(Text(format_date(raw, datatype, lang), lang), "date", raw=raw)
    if datatype in INTEGER_TYPES or datatype in DECIMAL_TYPES:
        text = format_number(raw, lang)
        if predicate in CURRENCY_PREDICATES:
            text = "€ " + text
        return Value(Text(text, lang), "number", raw=raw)
    if datatype == str(XSD.boolean):
        yes = raw.strip().lower() in {"true", "1"}
        return Value(Text(("ja" if yes else "nee") if lang == "nl" else ("yes" if yes else "no"), lang), "boolean", raw=raw)
    if datatype == str(XSD.anyURI) or raw.startswith(("https://", "http://")):
        return Value(Text(raw), "url", href=raw if raw.startswith(("https://", "http://")) else None, raw=raw)
    return Value(Text(raw), "text", raw=raw)
