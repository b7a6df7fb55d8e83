"""The theme, pillar and sphere assignments of an entity with their evidence: whether the source
states it or the editors judged it, the source, and the short quote (W3C Web Annotation), so a
page can always show which is which. An assignment inherited from a parent (a component from its
programme) names the parent, so the page can say "via Kansrijke Start"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from graph.namespaces import SB
from graph.store.graphstore import GraphStore
from graph.store.present import Text, texts

DIMENSIONS = ("theme", "pillar", "sphere", "reach")

_QUERY = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX sb: <https://w3id.org/sociale-basis/def/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?target ?concept ?dimension ?kind ?source ?document ?exact ?via WHERE {
  ?a oa:hasTarget ?target ; oa:hasBody ?concept ; sb:dimension ?dimension ; sb:assignmentKind ?kind ;
     dcterms:source ?source ; sb:evidence ?evidence .
  ?evidence oa:hasSource ?document ; oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?a prov:wasDerivedFrom/oa:hasTarget ?via }
}
"""


@dataclass(frozen=True)
class Assignment:
    """One assignment: the concept, what it assigns, stated or editorial, and its evidence."""

    concept: str
    label: Text
    dimension: str  # theme | pillar | sphere
    stated: bool
    source: str
    source_label: Text
    quote: str
    document: str
    via: str | None = None  # the parent the assignment is inherited from (its quote is the parent's)
    via_label: Text | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {"concept": self.concept, "label": self.label.value, "dimension": self.dimension,
               "kind": "stated" if self.stated else "editorial", "source": self.source,
               "sourceLabel": self.source_label.value, "quote": self.quote, "document": self.document}
        if self.via is not None:
            out.update(via=self.via, viaLabel=self.via_label.value if self.via_label else self.via)
        return out


def assignments(store: GraphStore, iri: URIRef | str, lang: str = "nl") -> list[Assignment]:
    """The entity's assignments, by dimension, stated first, then by concept label."""
    rows = store.select(_QUERY, {"target": URIRef(iri)})
    wanted: set[URIRef] = set()
    for r in rows:
        wanted.update(term for term in (r["concept"], r["source"], r.get("via")) if isinstance(term, URIRef))
    labels = texts(store, sorted(wanted, key=str), lang)
    out = []
    for r in rows:
        concept, source, exact, via = r["concept"], r["source"], r["exact"], r.get("via")
        if not (isinstance(concept, URIRef) and isinstance(source, URIRef) and isinstance(exact, Literal)):
            continue
        parent = via if isinstance(via, URIRef) else None
        out.append(Assignment(str(concept), labels.get(concept, Text(str(concept))), str(r["dimension"]),
                              r["kind"] == SB.Stated, str(source), labels.get(source, Text(str(source))),
                              str(exact), str(r["document"]), str(parent) if parent else None,
                              labels.get(parent, Text(str(parent))) if parent else None))
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    return sorted(set(out), key=lambda a: (order.get(a.dimension, 9), not a.stated, a.label.value.lower()))
