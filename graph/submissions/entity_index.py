"""An index of the graph's entities by name: autocomplete, resolving typed names, matching text.

Built from `rdfs:label` and `skos:altLabel` of every instance IRI and kept per store version, so an
approved submission's new entities are found as soon as the store changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from rdflib import URIRef

from graph.caching import PerStore
from graph.namespaces import ID, entity_iri, slugify, split_entity_iri
from graph.store.graphstore import GraphStore
from graph.store.labels import pick

LABELS_QUERY = f"""
SELECT ?s ?l ?alt WHERE {{
  {{ ?s rdfs:label ?l }} UNION {{ ?s skos:altLabel ?alt }}
  FILTER(STRSTARTS(STR(?s), "{ID}"))
}}
"""

# Words that mark a name as an organisation rather than a person (for new authors).
ORGANISATION_WORDS = (
    "stichting", "vereniging", "ministerie", "gemeente", "instituut", "institute", "universiteit", "university",
    "hogeschool", "platform", "bureau", "centrum", "kenniscentrum", "raad", "federatie", "coalitie", "netwerk",
    "werkplaats", "werkplaatsen", "planbureau", "provincie", "coöperatie", "cooperatie", "b.v.", "bv", "n.v.",
    "movisie", "vng", "ggd", "rivm", "scp", "cbs", "divosa", "zonmw", "team", "redactie", "academie", "association",
    "foundation", "ministry", "council", "agency", "welzijn", "sociaal", "partners", "groep", "alliantie", "lab",
)
KIND_PREFIXES = {
    "persoon": "persoon", "person": "persoon",
    "organisatie": "organisatie", "organisation": "organisatie", "organization": "organisatie",
    "initiatief": "initiatief", "initiative": "initiatief",
    "plaats": "plaats", "place": "plaats",
}


def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing names."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


@dataclass
class Entry:
    iri: URIRef
    kind: str
    label_nl: str
    label_en: str
    names: list[str] = field(default_factory=list)  # all labels and alternative labels as written

    def as_dict(self) -> dict[str, str]:
        return {"iri": str(self.iri), "kind": self.kind, "label": self.label_nl, "label_en": self.label_en}


class EntityIndex:
    """Entries by kind, and by folded name."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[URIRef, Entry] = {e.iri: e for e in entries}
        self.by_name: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            for name in dict.fromkeys(fold(n) for n in entry.names):
                if name:
                    self.by_name.setdefault(name, []).append(entry)

    def lookup(self, name: str, kinds: Iterable[str]) -> Entry | None:
        """The entity called `name` (label or alternative label) of the first fitting kind."""
        candidates = self.by_name.get(fold(name), [])
        for kind in kinds:
            for entry in candidates:
                if entry.kind == kind:
                    return entry
        return None

    def complete(self, text: str, kinds: Iterable[str], limit: int = 10) -> list[Entry]:
        """Entities whose name starts with (then contains) `text`, for autocomplete."""
        wanted = set(kinds)
        query = fold(text)
        if len(query) < 2:
            return []
        starts: list[tuple[str, Entry]] = []
        contains: list[tuple[str, Entry]] = []
        seen: set[URIRef] = set()
        for entry in self.entries.values():
            if entry.kind not in wanted or entry.iri in seen:
                continue
            folded = [fold(n) for n in entry.names]
            if any(f.startswith(query) or f" {query}" in f" {f}" for f in folded):
                starts.append((fold(entry.label_nl), entry))
                seen.add(entry.iri)
            elif any(query in f for f in folded):
                contains.append((fold(entry.label_nl), entry))
                seen.add(entry.iri)
        ranked = [e for _k, e in sorted(starts, key=lambda t: t[0])] + [e for _k, e in sorted(contains, key=lambda t: t[0])]
        return ranked[:limit]


def entity_index(store: GraphStore) -> EntityIndex:
    """The index for the store's current version (rebuilt after every change)."""
    return _indexes.get(store)


def _build_index(store: GraphStore) -> EntityIndex:
    labels: dict[URIRef, list] = {}
    alts: dict[URIRef, list[str]] = {}
    for row in store.select(LABELS_QUERY):
        s = row["s"]
        if not isinstance(s, URIRef):
            continue
        if "l" in row:
            labels.setdefault(s, []).append(row["l"])
        if "alt" in row:
            alts.setdefault(s, []).append(str(row["alt"]))
    entries = []
    for iri in set(labels) | set(alts):
        parts = split_entity_iri(str(iri))
        if parts is None or parts[0] == "bron":
            continue
        lits = labels.get(iri, [])
        nl = pick(lits, "nl") or (alts.get(iri) or [parts[1]])[0]
        en = pick(lits, "en") or nl
        names = [str(lit) for lit in lits] + alts.get(iri, [])
        entries.append(Entry(URIRef(iri), parts[0], nl, en, list(dict.fromkeys(names))))
    return EntityIndex(entries)


_indexes: PerStore[GraphStore, EntityIndex] = PerStore(_build_index)


@dataclass
class Resolved:
    """A typed name resolved against the graph: an existing entity, or a new one to create."""

    text: str
    label: str
    kind: str | None
    iri: URIRef | None
    new: bool
    error: dict[str, str] | None = None

    def as_dict(self) -> dict:
        return {
            "text": self.text, "label": self.label, "kind": self.kind,
            "iri": str(self.iri) if self.iri else None, "new": self.new, "error": self.error,
        }


def guess_new_kind(name: str, kinds: tuple[str, ...], default: str | None) -> str | None:
    """Person or organisation for a new author: words such as 'Stichting' or 'Ministerie' mean organisation."""
    if default == "persoon" and "organisatie" in kinds:
        words = set(fold(name).split()) | {w.casefold() for w in name.split()}
        if words & set(ORGANISATION_WORDS) or any(ch.isdigit() for ch in name) or (name.isupper() and len(name) <= 8):
            return "organisatie"
    return default


def resolve(index: EntityIndex, text: str, kinds: tuple[str, ...], new_kind: str | None) -> Resolved:
    """What one entry of an entity field stands for.

    Accepted: an entity IRI or its '/id/…' path, a name (label or alternative label) of an entity of
    a fitting kind, or a new name, optionally with a kind prefix ('organisatie: Stichting X').
    """
    raw = text.strip()
    candidate = raw
    if raw.startswith("/id/"):
        candidate = ID + raw[len("/id/"):]
    if candidate.startswith(ID):
        parts = split_entity_iri(candidate)
        entry = index.entries.get(URIRef(candidate))
        if parts is None or entry is None:
            return Resolved(raw, raw, None, None, False, {"nl": f"Onbekende entiteit: {raw}", "en": f"Unknown entity: {raw}"})
        if entry.kind not in kinds:
            return Resolved(raw, entry.label_nl, entry.kind, entry.iri, False, {
                "nl": f"{entry.label_nl} is hier niet toegestaan (soort {entry.kind}).",
                "en": f"{entry.label_en} is not allowed here (kind {entry.kind}).",
            })
        return Resolved(raw, entry.label_nl, entry.kind, entry.iri, False)

    forced: str | None = None
    name = raw
    head, sep, tail = raw.partition(":")
    if sep and head.strip().casefold() in KIND_PREFIXES and tail.strip():
        forced = KIND_PREFIXES[head.strip().casefold()]
        name = tail.strip()
        if forced not in kinds:
            return Resolved(raw, name, forced, None, True, {
                "nl": f"Soort '{head.strip()}' is hier niet toegestaan.", "en": f"Kind '{head.strip()}' is not allowed here.",
            })
    entry = index.lookup(name, (forced,) if forced else kinds)
    if entry is not None:
        return Resolved(raw, entry.label_nl, entry.kind, entry.iri, False)
    kind = forced or guess_new_kind(name, kinds, new_kind)
    if kind is None:
        return Resolved(raw, name, None, None, True, {
            "nl": f"'{name}' staat niet in de kennisgraaf; kies een bestaand programma of laat het weg.",
            "en": f"'{name}' is not in the knowledge graph; choose an existing programme or leave it out.",
        })
    slug = slugify(name)
    if not slug:
        return Resolved(raw, name, kind, None, True, {
            "nl": f"Van '{name}' kan geen adres gemaakt worden; gebruik letters of cijfers.",
            "en": f"No address can be made from '{name}'; use letters or digits.",
        })
    existing = index.entries.get(entity_iri(kind, slug))
    if existing is not None:
        # The same name up to accents and punctuation: that is the existing entity.
        return Resolved(raw, existing.label_nl, existing.kind, existing.iri, False)
    return Resolved(raw, name, kind, entity_iri(kind, slug), True)
