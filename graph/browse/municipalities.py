"""The municipality lens: what the graph holds per municipality, for all 342 (keyed by CBS code).

For each municipality (a place with `sb:cbsCode`): its province, and how many entities the graph
links to it or to a place inside it (`sb:locatedIn` / `schema:containedInPlace`, any depth):
all of them, the initiatives among them, and the focus areas inside it. A programme's reach is
the same count limited to the programme, its components and what is part of them. Places and the
governing body's own `sb:governs` link are not counted: they say where, not what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from graph.caching import PerStore
from graph.namespaces import ID, iri_values
from graph.store.graphstore import GraphStore
from graph.store.present import Text, pick_text, texts

LENSES = ("all", "initiatives", "focus")

# The overview is four simple queries joined here, not one query with COUNT(DISTINCT) over a path
# and an EXISTS per row: that one took 1.3 s on the shipped data and minutes at 1M triples; these
# take about 50 ms together.
MUNICIPALITIES_QUERY = """
SELECT ?m ?code ?label ?province ?provinceLabel WHERE {
  ?m sb:cbsCode ?code .
  OPTIONAL { ?m rdfs:label ?label FILTER(LANG(?label) = "nl") }
  OPTIONAL { ?m schema:containedInPlace ?province . ?province a sb:Province ;
             rdfs:label ?provinceLabel FILTER(LANG(?provinceLabel) = "nl") }
}
ORDER BY ?code
"""
LINKED_QUERY = f"""
SELECT DISTINCT ?m ?x WHERE {{
  ?m sb:cbsCode ?code .
  ?part (sb:locatedIn|schema:containedInPlace)* ?m .
  ?x ?p ?part .
  FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{ID}") && ?p != sb:governs && !STRSTARTS(STR(?x), "{ID}plaats/")
         && !STRSTARTS(STR(?x), "{ID}bron/"))
}}
"""
INITIATIVES_QUERY = "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* sb:Initiative }"
FOCUS_QUERY = """
SELECT DISTINCT ?m ?focus WHERE { ?m sb:cbsCode ?code . ?focus a sb:FocusArea ; (sb:locatedIn|schema:containedInPlace)+ ?m }
"""

REACH_QUERY = f"""
SELECT ?m (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  VALUES ?programme {{ {{programme}} }}
  ?m sb:cbsCode ?code .
  ?part (sb:locatedIn|schema:containedInPlace)* ?m .
  ?x ?p ?part .
  ?x (sb:partOf|sb:elaborates)* ?programme .
  FILTER(isIRI(?x) && ?p != sb:governs && !STRSTARTS(STR(?x), "{ID}plaats/"))
}}
GROUP BY ?m
"""


@dataclass
class Municipality:
    iri: str
    code: str
    label: str
    province: str | None
    province_label: str | None
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "code": self.code, "label": self.label, "province": self.province,
                "province_label": self.province_label, "counts": dict(self.counts)}


def _int(value: Any) -> int:
    return int(value) if isinstance(value, Literal) else 0


def overview(store: GraphStore) -> list[Municipality]:
    """Every municipality with its counts per lens (all, initiatives, focus), ordered by CBS code;
    computed once per store version (four queries, about 50 ms on the shipped data)."""
    return _overviews.get(store)


def _overview(store: GraphStore) -> list[Municipality]:
    linked: dict[str, set[str]] = {}
    for row in store.select(LINKED_QUERY):
        linked.setdefault(str(row["m"]), set()).add(str(row["x"]))
    initiatives = {str(row["x"]) for row in store.select(INITIATIVES_QUERY)}
    focus: dict[str, int] = {}
    for row in store.select(FOCUS_QUERY):
        focus[str(row["m"])] = focus.get(str(row["m"]), 0) + 1
    found: dict[str, Municipality] = {}
    labels: dict[str, list[Literal]] = {}
    for row in store.select(MUNICIPALITIES_QUERY):
        iri = str(row["m"])
        if isinstance(name := row.get("label"), Literal):
            labels.setdefault(iri, []).append(name)
        if iri in found:  # a second province or label row: keep the first province
            continue
        entities = linked.get(iri, set())
        found[iri] = Municipality(
            iri=iri,
            code=str(row["code"]),
            label=str(row["code"]),
            province=str(row["province"]) if row.get("province") is not None else None,
            province_label=str(row["provinceLabel"]) if row.get("provinceLabel") is not None else None,
            counts={"all": len(entities), "initiatives": len(entities & initiatives), "focus": focus.get(iri, 0)},
        )
    for iri, names in labels.items():  # several Dutch names ('s-Gravenhage, Den Haag): picked as everywhere
        picked = pick_text(names)
        if picked is not None:
            found[iri].label = picked.value
    return list(found.values())


_overviews: PerStore[GraphStore, list[Municipality]] = PerStore(_overview)


def reach(store: GraphStore, programme: str) -> dict[str, int]:
    """{municipality IRI: entities of `programme` (itself, its components, what is part of them) linked there}."""
    values = iri_values([programme])
    if not values:
        return {}
    rows = store.select(REACH_QUERY.replace("{programme}", values))
    return {str(r["m"]): _int(r.get("n")) for r in rows}


PROGRAMMES_QUERY = """
SELECT DISTINCT ?p ?label WHERE { ?p a/rdfs:subClassOf* sb:Programme ; rdfs:label ?label }
"""


def programmes(store: GraphStore, lang: str) -> list[tuple[str, str]]:
    """(IRI, label in `lang`) of every programme and agreement, sorted by label: the reach lens's choices."""
    labels: dict[str, dict[str, str]] = {}
    for row in store.select(PROGRAMMES_QUERY):
        label = row["label"]
        if isinstance(label, Literal):
            labels.setdefault(str(row["p"]), {}).setdefault(label.language or "", str(label))
    out = [(iri, by.get(lang) or by.get("nl") or next(iter(by.values()))) for iri, by in labels.items()]
    return sorted(out, key=lambda item: item[1].casefold())


EVERY_MUNICIPALITY_QUERY = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?programme ?source ?exact WHERE {
  GRAPH ?source { ?programme sb:reachesEveryMunicipality true }
  ?a oa:hasTarget ?programme ; oa:hasBody sb:reachesEveryMunicipality ; dcterms:source ?source ;
     sb:evidence/oa:hasSelector/oa:exact ?exact .
}
"""


@dataclass(frozen=True)
class NationalReach:
    """A national programme that, by a source, reaches every municipality; how: the quoted words."""

    programme: str
    source: str
    quote: str


def every_municipality(store: GraphStore) -> list[NationalReach]:
    """The programmes that reach every municipality, one row per source that says so."""
    return _every.get(store)


def _every_municipality(store: GraphStore) -> list[NationalReach]:
    rows = store.select(EVERY_MUNICIPALITY_QUERY)
    found = {NationalReach(str(r["programme"]), str(r["source"]), str(r["exact"])) for r in rows}
    return sorted(found, key=lambda n: (n.programme, n.source))


_every: PerStore[GraphStore, list[NationalReach]] = PerStore(_every_municipality)


def is_municipality(store: GraphStore, iri: str) -> bool:
    """Whether `iri` is one of the municipalities (a place with a CBS code)."""
    return iri in _municipality_iris.get(store)


def _municipalities(store: GraphStore) -> frozenset[str]:
    # The places with a CBS code: the municipalities `overview` lists, without its counts (a query
    # over the whole graph, which a place page does not need; minutes at 1M triples).
    return frozenset(str(r["m"]) for r in store.select("SELECT DISTINCT ?m WHERE { ?m sb:cbsCode ?code }"))


_municipality_iris: PerStore[GraphStore, frozenset[str]] = PerStore(_municipalities)


@dataclass(frozen=True)
class LabelledReach:
    """A `NationalReach` with the programme's and the source's labels, for a page."""

    programme: str
    programme_label: Text
    source: str
    source_label: Text
    quote: str

    def as_dict(self) -> dict[str, Any]:
        return {"programme": self.programme, "programme_label": self.programme_label.value, "source": self.source,
                "source_label": self.source_label.value, "quote": self.quote}


def national_reach(store: GraphStore, lang: str) -> list[LabelledReach]:
    """`every_municipality` with labels in `lang`."""
    rows = every_municipality(store)
    labels = texts(store, sorted({URIRef(i) for r in rows for i in (r.programme, r.source)}, key=str), lang)

    def label(iri: str) -> Text:
        return labels.get(URIRef(iri), Text(iri))

    return [LabelledReach(r.programme, label(r.programme), r.source, label(r.source), r.quote) for r in rows]
