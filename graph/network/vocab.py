"""The few IRIs the network views reason with: pillars, spheres, and the relations that carry them;
and how each relation reads in a sentence.

Pillars, spheres and themes come in two kinds that are never mixed silently: stated
(`sb:addressesPillar`, `sb:sphere`, `sb:theme`: the source names it) and editorial
(`sb:editorialPillar`, `sb:editorialSphere`, `sb:editorialTheme`: the editors judge it from a
quoted passage). Views show both by default, visibly apart, and can show stated only.

A relation has a name (`rdfs:label`, a noun: "ondertekenaar") and two readings, both verb phrases:
from subject to object (`sb:phrase`: "wordt ondertekend door") and from object to subject
(`sb:inverseLabel`: "ondertekent"). `relation_phrases` loads all three from the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rdflib import Literal

from graph.namespaces import ID, SB, iri_values, local_name
from graph.store.graphstore import GraphStore
from graph.store.labels import pick

CONCEPT = ID + "begrip/"

PILLARS: tuple[str, ...] = tuple(
    CONCEPT + slug
    for slug in ("sociaaleconomische-zekerheid", "sociale-inclusie", "sociale-cohesie", "sociale-empowerment")
)
SPHERES: tuple[str, ...] = tuple(
    CONCEPT + slug for slug in ("persoonlijke-sfeer", "gemeenschappelijke-sfeer", "institutionele-sfeer")
)

STATED_PILLAR = str(SB.addressesPillar)
EDITORIAL_PILLAR = str(SB.editorialPillar)
SPHERE = str(SB.sphere)
EDITORIAL_SPHERE = str(SB.editorialSphere)
STATED_THEME = str(SB.theme)
EDITORIAL_THEME = str(SB.editorialTheme)
PART_OF = str(SB.partOf)
MINISTRY = str(SB.Ministry)

# The kinds counted in the pillar x sphere matrix and compared between programmes.
MATRIX_KINDS: tuple[str, ...] = ("programma", "initiatief", "publicatie")


def slug_of(iri: str) -> str:
    """The last path segment of an instance IRI ('sociale-cohesie')."""
    return str(iri).rsplit("/", 1)[-1]


def concept_iri(slug_or_iri: str) -> str:
    """A pillar or sphere given as slug ('sociale-cohesie') or IRI, as IRI."""
    text = str(slug_or_iri)
    return text if text.startswith("http") else CONCEPT + text


# -- how relations read ---------------------------------------------------------------------------

PHRASE = str(SB.phrase)
INVERSE_LABEL = str(SB.inverseLabel)

RELATION_PHRASES_QUERY = """
SELECT ?p ?l ?ph ?il WHERE {{
  VALUES ?p {{ {values} }}
  {{ ?p rdfs:label ?l }} UNION {{ ?p sb:phrase ?ph }} UNION {{ ?p sb:inverseLabel ?il }}
}}
"""


@dataclass(frozen=True)
class RelationPhrases:
    """A relation's name (`nl`, `en`: rdfs:label), its reading from the subject (`phrase_nl`,
    `phrase_en`: sb:phrase) and from the object (`inverse_nl`, `inverse_en`: sb:inverseLabel).

    `forward` gives the name, as `graph.network.cache.RelationLabel` does (legends and edge labels use
    it); sentences use `phrase` forward and `inverse` backward (None where the vocabulary gives no
    sb:inverseLabel: webapp words that fallback)."""

    nl: str
    en: str
    inverse_nl: str | None
    inverse_en: str | None
    phrase_nl: str
    phrase_en: str

    def forward(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl

    def phrase(self, lang: str) -> str:
        return self.phrase_en if lang == "en" else self.phrase_nl

    def inverse(self, lang: str) -> str | None:
        return self.inverse_en if lang == "en" else self.inverse_nl

    @classmethod
    def from_literals(
        cls, predicate: str, labels: Iterable[Literal], phrases: Iterable[Literal], inverse: Iterable[Literal]
    ) -> "RelationPhrases":
        """The readings of `predicate` from its literals, per language, with fallbacks: the name is
        the label in that language (then any label, then the local name); the forward reading is
        sb:phrase in that language, else the name; the backward reading is sb:inverseLabel in that
        language, else None."""
        labels, phrases, inverse = list(labels), list(phrases), list(inverse)
        names = {lang: _exact(labels, lang) or pick(labels, lang) or local_name(predicate) for lang in ("nl", "en")}
        return cls(
            nl=names["nl"],
            en=names["en"],
            inverse_nl=_exact(inverse, "nl"),
            inverse_en=_exact(inverse, "en"),
            phrase_nl=_exact(phrases, "nl") or names["nl"],
            phrase_en=_exact(phrases, "en") or names["en"],
        )


def _exact(values: list[Literal], lang: str) -> str | None:
    return next((str(v) for v in values if v.language == lang), None)


def relation_phrases(store: GraphStore, predicates: Iterable[str]) -> dict[str, RelationPhrases]:
    """{predicate: RelationPhrases} for the given predicates (rdfs:label, sb:phrase, sb:inverseLabel
    in nl and en, from the ontology in the union graph)."""
    wanted = sorted(set(predicates))
    found: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    for start in range(0, len(wanted), 200):
        values = iri_values(wanted[start : start + 200])
        if not values:
            continue
        for row in store.select(RELATION_PHRASES_QUERY.format(values=values)):
            p = str(row["p"])
            for var, key in (("l", "label"), ("ph", "phrase"), ("il", "inverse")):
                value = row.get(var)
                if isinstance(value, Literal):
                    found[p][key].append(value)
    return {
        p: RelationPhrases.from_literals(p, found[p]["label"], found[p]["phrase"], found[p]["inverse"]) for p in wanted
    }


