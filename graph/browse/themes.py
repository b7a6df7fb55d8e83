"""A theme's page data: the programmes, initiatives, publications and components it is the theme
of, split by pillar and by sphere, each entry marked stated or editorial (of the theme, and of the
pillar or sphere), so a policymaker sees where the attention on a theme goes and what is judged."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from graph.namespaces import ID, split_entity_iri
from graph.store.graphstore import GraphStore
from graph.store.present import Text, texts

THEMES_SCHEME = URIRef(ID + "begrip/themas")

_QUERY = """
SELECT ?theme ?e ?themeKind ?dim ?value ?valueKind WHERE {
  { ?e sb:theme ?theme BIND("stated" AS ?themeKind) } UNION { ?e sb:editorialTheme ?theme BIND("editorial" AS ?themeKind) }
  OPTIONAL {
    VALUES (?p ?dim ?valueKind) {
      (sb:addressesPillar "pillar" "stated") (sb:editorialPillar "pillar" "editorial")
      (sb:sphere "sphere" "stated") (sb:editorialSphere "sphere" "editorial")
    }
    ?e ?p ?value .
  }
}
"""


@dataclass
class Entry:
    iri: str
    label: Text
    kind: str
    theme_stated: bool
    value_stated: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label.value, "kind": self.kind,
                "theme": "stated" if self.theme_stated else "editorial",
                "assignment": "stated" if self.value_stated else "editorial"}


@dataclass
class Split:
    """Entries per pillar and per sphere (concept IRI, or "" for none), with the concepts' labels."""

    pillars: dict[str, list[Entry]] = field(default_factory=dict)
    spheres: dict[str, list[Entry]] = field(default_factory=dict)
    labels: dict[str, Text] = field(default_factory=dict)
    total: int = 0

    def as_dict(self) -> dict[str, Any]:
        def side(groups: dict[str, list[Entry]]) -> list[dict[str, Any]]:
            return [{"concept": k or None, "label": self.labels[k].value if k else None,
                     "entries": [e.as_dict() for e in v]} for k, v in groups.items()]
        return {"total": self.total, "pillars": side(self.pillars), "spheres": side(self.spheres)}


def is_theme(store: GraphStore, iri: URIRef | str) -> bool:
    return store.ask("ASK { ?c skos:inScheme ?s }", {"c": URIRef(iri), "s": THEMES_SCHEME})


def split(store: GraphStore, iri: URIRef | str, lang: str = "nl") -> Split:
    """What the theme is the theme of, by pillar and by sphere ("" collects what has none)."""
    rows = store.select(_QUERY, {"theme": URIRef(iri)})
    entities = sorted({str(r["e"]) for r in rows if isinstance(r["e"], URIRef)})
    concepts = sorted({str(r["value"]) for r in rows if isinstance(r.get("value"), URIRef)})
    labels = texts(store, [URIRef(i) for i in entities + concepts], lang)
    theme_stated: dict[str, bool] = defaultdict(bool)
    values: dict[str, dict[str, dict[str, bool]]] = defaultdict(lambda: {"pillar": {}, "sphere": {}})
    for r in rows:
        e = str(r["e"])
        theme_stated[e] |= str(r["themeKind"]) == "stated"
        if isinstance(r.get("value"), URIRef):
            stated = str(r["valueKind"]) == "stated"
            seen = values[e][str(r["dim"])]
            seen[str(r["value"])] = seen.get(str(r["value"]), False) or stated
    out = Split(labels={c: labels.get(URIRef(c), Text(c)) for c in concepts}, total=len(entities))
    for dim, groups in (("pillar", out.pillars), ("sphere", out.spheres)):
        found: dict[str, list[Entry]] = defaultdict(list)
        for e in entities:
            kind = (split_entity_iri(e) or ("", ""))[0]
            label = labels.get(URIRef(e), Text(e))
            chosen = values[e][dim] if e in values else {}
            for concept, stated in (chosen.items() or [("", True)]):
                found[concept].append(Entry(e, label, kind, theme_stated[e], stated))
        for concept in sorted(found, key=lambda c: (c == "", out.labels[c].value.lower() if c else "")):
            groups[concept] = sorted(found[concept], key=lambda x: (x.kind, x.label.value.lower()))
    return out
