"""One entity as a page shows it: label, kind, types, description, and every outgoing and incoming
relation grouped by property, with human labels and the sources that state each one.

`describe` returns plain data for the HTML page and its JSON twin; `statements` gives the entity's
own statements (outgoing, the blank nodes they use, and incoming) for the RDF twins.
A handful of queries per page, whatever the size of the store. A link stated both ways (an inverse
or symmetric property, such as skos:related or skos:broader/narrower) is listed once, among the
outgoing relations, with the sources of both statements.

Incoming relations are paged per property, so a hub (a pillar with tens of thousands of links)
costs one count per property and one page of `PER_PROPERTY` values, never a fetch of everything:

- up to `SMALL_INCOMING` incoming statements: all are read, each property's values sorted by label;
- beyond: per property the total (COUNT) and one page (LIMIT/OFFSET) in the store's own index
  order, which is stable while the store does not change; each page is shown sorted by label.

`describe(..., incoming=<property IRI>, page=n)` shows page n of that property (the others show
their first page); each incoming `Group` carries `total`, `offset` and `pages` for the links.
The RDF twins (`statements`) follow the same rule: complete up to `SMALL_INCOMING` incoming
statements, otherwise exactly the incoming values of the page (same `incoming`/`page`), with all
outgoing statements always complete. The SPARQL endpoint and the dumps have everything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.browse.evidence import Assignment, assignments
from graph.browse.vocabulary import Vocabulary, vocabulary
from graph.errors import N_, NotFound
from graph.namespaces import GRAPH_ONTOLOGY, GRAPH_SOURCES, OA, SB, SCHEMA, iri_rows, is_plain_iri, local_name, split_entity_iri
from graph.store.graphstore import GraphStore
from graph.store.present import Text, Value, format_value, in_language, pick_text, texts

SMALL_INCOMING = 200  # incoming statements read at once; beyond, a count and a page per property
PER_PROPERTY = 50  # incoming values per property on a page

Show = Callable[[Value], str]  # the display text of a value (webapp's locale formatting)


def _shown(value: Value, show: Show | None) -> str:
    return show(value) if show is not None else value.text.value

SHOWN_ELSEWHERE = {RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.description, RDF.type,
                   # shown as badges and, with their quotes, under "Themes, pillars and spheres"
                   SB.theme, SB.editorialTheme, SB.addressesPillar, SB.editorialPillar, SB.sphere, SB.editorialSphere}
# Annotations point at entities and concepts (oa:hasTarget, oa:hasBody); a page shows them as evidence,
# not as incoming relations.
HIDDEN_INCOMING_PREFIX = str(OA)
PILLARS = {SB.addressesPillar: False, SB.editorialPillar: True}  # value: editorial
SPHERES = {SB.sphere: False, SB.editorialSphere: True}
THEMES = {SB.theme: False, SB.editorialTheme: True}
# Properties first on a page, in this order; the rest follow by label.
PRIORITY = [
    DCTERMS.title, SKOS.definition, SB.goal, SB.targetGroup, SB.principle, SB.result, SB.recommendation,
    SB.responsibleMinistry, SB.responsiblePerson, SB.signatory, SB.partner, SB.runBy, SB.partOf, SB.elaborates,
    SB.succeeds, SB.fundedBy, SB.coversArea, SB.locatedIn, DCTERMS.publisher, DCTERMS.creator, DCTERMS.contributor,
    SB.commissionedBy, DCTERMS.issued, SB.signedOn, SCHEMA.startDate, SCHEMA.endDate, SB.about, SB.studied,
    SB.theme, SB.editorialTheme, SB.addressesPillar, SB.editorialPillar, SB.sphere, SB.editorialSphere,
    SKOS.broader, SKOS.narrower, SKOS.related, SKOS.inScheme,
]


@dataclass
class Item:
    """One value of a property: a related resource (`iri`) or a literal (`value`), with its sources."""

    sources: list[str]
    iri: str | None = None
    label: Text | None = None
    kind: str | None = None  # IRI segment of a related entity
    value: Value | None = None
    figure: dict[str, Any] | None = None  # for sb:figure blank nodes: value, unit, description

    def as_dict(self, show: Show | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"sources": self.sources}
        if self.iri:
            out.update(iri=self.iri, label=self.label.value if self.label else None, kind=self.kind)
        if self.value:
            out.update(self.value.as_dict(show))
        if self.figure:
            out["figure"] = {k: (v.value if isinstance(v, Text) else _shown(v, show) if isinstance(v, Value) else v)
                             for k, v in self.figure.items()}
        return out


@dataclass
class Group:
    predicate: str
    label: Text
    definition: Text | None
    items: list[Item]
    total: int
    direction: str  # out | in
    offset: int = 0  # of the first item among all values (incoming pages)
    backward: bool = False  # `label` is the relation's own name, to be read from the object's side


    @property
    def page(self) -> int:
        return self.offset // PER_PROPERTY + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PROPERTY)) if self.direction == "in" else 1

    def as_dict(self, show: Show | None = None) -> dict[str, Any]:
        out = {"property": self.predicate, "label": self.label.value, "direction": self.direction,
               "total": self.total, "values": [i.as_dict(show) for i in self.items]}
        if self.direction == "in":
            out.update(offset=self.offset, page=self.page, pages=self.pages, backward=self.backward)
        return out


@dataclass
class SourceRef:
    iri: str
    label: Text
    number: int


@dataclass
class Description:
    iri: str
    kind: str | None
    label: Text
    alt_labels: list[Text]
    description: Text | None
    description_sources: list[str]
    types: list[tuple[str, Text]]
    pillars: list[tuple[str, Text, bool]]
    spheres: list[tuple[str, Text, bool]]
    themes: list[tuple[str, Text, bool]]
    facts: list[Group]
    outgoing: list[Group]
    incoming: list[Group]
    sources: list[SourceRef] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    def source_number(self, iri: str) -> int:
        return next((s.number for s in self.sources if s.iri == iri), 0)

    def as_dict(self, show: Show | None = None) -> dict[str, Any]:
        """Plain data; `show` gives the display text of dates and numbers (webapp passes its Babel formatter)."""
        return {
            "iri": self.iri,
            "kind": self.kind,
            "label": self.label.value,
            "label_lang": self.label.lang,
            "alt_labels": [t.value for t in self.alt_labels],
            "description": self.description.value if self.description else None,
            "types": [{"iri": i, "label": t.value} for i, t in self.types],
            "pillars": [{"iri": i, "label": t.value, "derived": d} for i, t, d in self.pillars],
            "spheres": [{"iri": i, "label": t.value, "derived": d} for i, t, d in self.spheres],
            "themes": [{"iri": i, "label": t.value, "derived": d} for i, t, d in self.themes],
            "assignments": [a.as_dict() for a in self.assignments],
            "facts": [g.as_dict(show) for g in self.facts],
            "relations": [g.as_dict(show) for g in self.outgoing],
            "incoming": [g.as_dict(show) for g in self.incoming],
            "sources": [{"iri": s.iri, "label": s.label.value, "number": s.number} for s in self.sources],
        }


def _graph(term: Node | None) -> URIRef | None:
    """A graph name from a result row (only IRIs name graphs here)."""
    return term if isinstance(term, URIRef) else None


def _outgoing(store: GraphStore, iri: URIRef) -> list[tuple[URIRef, Node, URIRef | None]]:
    rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": iri})
    return [(r["p"], r["o"], _graph(r.get("g"))) for r in rows if isinstance(r["p"], URIRef)]


def _blank_values(store: GraphStore, iri: URIRef) -> dict[Node, list[tuple[Node, Node]]]:
    rows = store.select("SELECT ?s ?b ?p ?o WHERE { ?s ?x ?b FILTER(isBlank(?b)) ?b ?p ?o }", {"s": iri})
    out: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for r in rows:
        out[r["b"]].append((r["p"], r["o"]))
    return out


@dataclass
class Incoming:
    """The incoming statements a page shows: (subject, predicate, graph) rows, the number of
    subjects per predicate, the offset of each predicate's page, and whether `rows` is everything."""

    rows: list[tuple[URIRef, URIRef, URIRef | None]]
    totals: dict[URIRef, int]
    offsets: dict[URIRef, int]
    complete: bool
    seen: bool = True  # some statement (even from a blank node) has the entity as object


def _page_offset(total: int, page: int) -> int:
    last = max(0, (total - 1) // PER_PROPERTY)
    return min(max(0, page - 1), last) * PER_PROPERTY


def _incoming(store: GraphStore, iri: URIRef, focus: str | None = None, page: int = 1) -> Incoming:
    """Incoming statements: all of them for most entities, per property a count and a page for hubs.

    Blank-node subjects are not shown (a filter on them would make the count read every term)."""
    # The default graph is the union as a set, so COUNT(*) counts each subject once per property.
    totals = {r["p"]: int(r["n"]) for r in store.select(
        "SELECT ?o ?p (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?o ?p", {"o": iri})
        if isinstance(r["p"], URIRef) and not str(r["p"]).startswith(HIDDEN_INCOMING_PREFIX)}
    if sum(totals.values()) <= SMALL_INCOMING:
        everything = store.select("SELECT ?x ?p ?o ?g WHERE { GRAPH ?g { ?x ?p ?o } }", {"o": iri})
        got = [(r["x"], r["p"], _graph(r.get("g"))) for r in everything
               if isinstance(r["x"], URIRef) and isinstance(r["p"], URIRef) and r["p"] in totals]
        subjects: dict[URIRef, set[URIRef]] = defaultdict(set)
        for s, p, _g in got:
            subjects[p].add(s)
        shown = {p: len(v) for p, v in subjects.items()}
        offsets = {p: _page_offset(n, page) if str(p) == focus else 0 for p, n in shown.items()}
        return Incoming(got, shown, offsets, True, bool(totals))
    offsets = {p: _page_offset(n, page) if str(p) == focus else 0 for p, n in totals.items()}
    pairs: list[tuple[URIRef, URIRef]] = []
    for p, offset in offsets.items():
        found = store.select(f"SELECT ?x ?p ?o WHERE {{ ?x ?p ?o }} LIMIT {PER_PROPERTY} OFFSET {offset}", {"p": p, "o": iri})
        pairs.extend((x, p) for r in found if isinstance(x := r["x"], URIRef) and is_plain_iri(x))
    rows: list[tuple[URIRef, URIRef, URIRef | None]] = []
    if pairs:
        values = iri_rows(pairs)
        found = store.select(f"SELECT ?x ?p ?o ?g WHERE {{ VALUES (?x ?p) {{ {values} }} GRAPH ?g {{ ?x ?p ?o }} }}", {"o": iri})
        rows = [(r["x"], r["p"], _graph(r.get("g"))) for r in found
                if isinstance(r["x"], URIRef) and isinstance(r["p"], URIRef)]
    return Incoming(rows, totals, offsets, False)


def exists(store: GraphStore, iri: URIRef) -> bool:
    return store.ask("ASK { { ?s ?p ?o } UNION { ?x ?y ?s } }", {"s": iri})


def describe(store: GraphStore, iri: URIRef | str, lang: str = "nl", *, incoming: str | None = None,
             page: int = 1) -> Description:
    """Everything an entity page shows; NotFound when the store says nothing about `iri`.

    `incoming` (a property IRI) and `page` choose which page of that property's incoming values
    to show; an unknown property or a page beyond the last is the nearest page there is."""
    iri = URIRef(iri)
    vocab = vocabulary(store)
    out_rows = _outgoing(store, iri)
    found_in = _incoming(store, iri, incoming, page)
    in_rows, in_totals = found_in.rows, found_in.totals
    if not out_rows and not found_in.seen:
        raise NotFound(N_("unknown resource: %(iri)s"), iri=str(iri))
    blanks = _blank_values(store, iri) if any(isinstance(o, BNode) for _p, o, _g in out_rows) else {}

    # values per predicate with the graphs stating them
    out_values: dict[URIRef, dict[Node, set[str]]] = defaultdict(lambda: defaultdict(set))
    for p, o, g in out_rows:
        out_values[p][o].add(str(g) if g is not None else "")
    in_values: dict[URIRef, dict[URIRef, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, p, g in in_rows:
        in_values[p][s].add(str(g) if g is not None else "")

    related: set[URIRef] = {o for vs in out_values.values() for o in vs if isinstance(o, URIRef)}
    related |= {o for pairs in blanks.values() for p, o in pairs if p == PROV.agent and isinstance(o, URIRef)}
    related |= {s for vs in in_values.values() for s in vs}
    graphs = {g for vs in list(out_values.values()) + list(in_values.values()) for gs in vs.values() for g in gs if g}
    labels = texts(store, list(related | {URIRef(g) for g in graphs} | {iri}), lang)

    sources: dict[str, SourceRef] = {}

    def refs(gs: set[str]) -> list[str]:
        chosen = sorted(g for g in gs if g and g != str(GRAPH_ONTOLOGY))
        for g in chosen:
            if g not in sources and g != str(GRAPH_SOURCES):
                sources[g] = SourceRef(g, labels.get(URIRef(g), Text(local_name(g))), len(sources) + 1)
        return [g for g in chosen if g != str(GRAPH_SOURCES)]

    own_labels = [o for p in (RDFS.label, SKOS.prefLabel) for o in out_values.get(p, {}) if isinstance(o, Literal)]
    label = pick_text(own_labels, lang) or labels.get(iri) or Text(local_name(iri))
    alt = [Text(str(o), o.language or "") for o in in_language([o for o in out_values.get(SKOS.altLabel, {}) if isinstance(o, Literal)], lang)]
    desc_values = out_values.get(DCTERMS.description, {})
    desc_literals = [o for o in desc_values if isinstance(o, Literal)]
    description = pick_text(desc_literals, lang)
    desc_sources = refs({g for o, gs in desc_values.items() if description and str(o) == description.value for g in gs})
    types = vocab.most_specific([o for o in out_values.get(RDF.type, {}) if isinstance(o, URIRef)])
    type_list = [(str(t), vocab.label(t, lang)) for t in types]
    def badges(kinds: dict[URIRef, bool]) -> list[tuple[str, Text, bool]]:
        """(iri, label, editorial) per value; a value both stated and editorial shows as stated."""
        found: dict[str, tuple[str, Text, bool]] = {}
        for p, editorial in kinds.items():
            for o in sorted(out_values.get(p, {}), key=str):
                if isinstance(o, URIRef) and (str(o) not in found or not editorial):
                    found[str(o)] = (str(o), labels.get(o, Text(local_name(o))), editorial)
        return sorted(found.values(), key=lambda b: (b[2], b[1].value.lower()))

    pillars, spheres, themes = badges(PILLARS), badges(SPHERES), badges(THEMES)

    facts: list[Group] = []
    outgoing: list[Group] = []
    out_items: dict[tuple[URIRef, str], Item] = {}  # (property, related IRI) -> the item shown
    for p in _ordered(out_values, vocab, lang):
        if p in SHOWN_ELSEWHERE:
            continue
        values = out_values[p]
        literals = in_language([o for o in values if isinstance(o, Literal)], lang)
        items: list[Item] = [Item(refs(values[o]), value=format_value(o, str(p))) for o in sorted(literals, key=str)]
        for o in sorted((o for o in values if isinstance(o, URIRef)), key=lambda o: labels.get(o, Text(str(o))).value.lower()):
            parts = split_entity_iri(str(o))
            known = parts is not None or str(o).startswith(str(SB)) or o in vocab.terms
            items.append(Item(refs(values[o]), iri=str(o), label=(labels.get(o) if parts else vocab.label(o, lang)) if known else None,
                              kind=parts[0] if parts else None))
        for o in (o for o in values if isinstance(o, BNode)):
            items.append(Item(refs(values[o]), figure=_figure(blanks.get(o, []), lang, vocab, labels)))
        if not items:
            continue
        group = Group(str(p), vocab.label(p, lang), vocab.definition(p, lang), items, len(items), "out")
        (outgoing if any(i.iri for i in items) else facts).append(group)
        out_items.update(((p, i.iri), i) for i in items if i.iri)

    incoming_groups: list[Group] = []
    for p in _ordered(in_totals, vocab, lang):
        in_subjects = in_values.get(p, {})
        ordered = sorted(in_subjects, key=lambda s: (labels.get(s, Text(str(s))).value.lower(), str(s)))
        offset = found_in.offsets.get(p, 0)
        if found_in.complete:  # everything was read: this page of the values sorted by label
            ordered = ordered[offset : offset + PER_PROPERTY]
        items = []
        inverses = vocab.inverses(p)
        repeated = 0
        for subject in ordered:
            # the same link stated the other way (skos:narrower for skos:broader, a symmetric
            # property) is already listed among the outgoing relations: its sources join that entry
            shown = next((out_items[(q, str(subject))] for q in inverses if (q, str(subject)) in out_items), None)
            if shown is not None:
                shown.sources = sorted(set(shown.sources) | set(refs(in_subjects[subject])))
                repeated += 1
                continue
            parts = split_entity_iri(str(subject))
            items.append(Item(refs(in_subjects[subject]), iri=str(subject), label=labels.get(subject),
                              kind=parts[0] if parts else None))
        if repeated and not items and in_totals[p] - repeated <= 0:
            continue
        inverse = vocab.inverse_label(p, lang)
        incoming_groups.append(Group(str(p), inverse or vocab.label(p, lang), vocab.definition(p, lang), items,
                                     in_totals[p] - repeated, "in", offset, backward=inverse is None))

    parts = split_entity_iri(str(iri))
    return Description(
        iri=str(iri),
        kind=parts[0] if parts else None,
        label=label,
        alt_labels=alt,
        description=description,
        description_sources=desc_sources,
        types=type_list,
        pillars=pillars,
        spheres=spheres,
        themes=themes,
        facts=facts,
        outgoing=outgoing,
        incoming=incoming_groups,
        sources=sorted(sources.values(), key=lambda s: s.number),
        graphs=sorted(graphs),
        assignments=assignments(store, iri, lang) if pillars or spheres or themes else [],
    )


def _ordered(values: Mapping[URIRef, Any], vocab: Vocabulary, lang: str) -> list[URIRef]:
    rank = {p: i for i, p in enumerate(PRIORITY)}
    return sorted(values, key=lambda p: (rank.get(p, len(rank)), vocab.label(p, lang).value.lower()))


def _figure(pairs: list[tuple[Node, Node]], lang: str, vocab: Vocabulary,
            labels: Mapping[URIRef, Text] | None = None) -> dict[str, Any]:
    """A blank node as plain data: a schema:QuantitativeValue or MonetaryAmount as number (`more_than`
    for a lower bound), unit and description; a qualified relation (sb:Signing, sb:Running) as its
    agent with the dates on the relation."""
    by_p: dict[Node, list[Node]] = defaultdict(list)
    for p, o in pairs:
        by_p[p].append(o)
    agent = next((o for o in by_p.get(PROV.agent, []) if isinstance(o, URIRef)), None)
    if agent is not None:
        found: dict[str, Any] = {"agent": str(agent), "agent_label": (labels or {}).get(agent, Text(local_name(agent)))}
        for key, predicate in (("date", SB.signedOn), ("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
            value = next((o for o in by_p.get(predicate, []) if isinstance(o, Literal)), None)
            if value is not None:
                found[key] = format_value(value)
        text = pick_text([o for o in by_p.get(DCTERMS.description, []) if isinstance(o, Literal)], lang)
        if text:
            found["description"] = text
        return found
    number = next((o for key in (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue) for o in by_p.get(key, [])), None)
    out: dict[str, Any] = {}
    if isinstance(number, Literal):
        more_than = SCHEMA.minValue in by_p and SCHEMA.value not in by_p
        out["value"] = replace(format_value(number), more_than=more_than)
    unit = pick_text([o for o in by_p.get(SCHEMA.unitText, []) if isinstance(o, Literal)], lang)
    if unit:
        out["unit"] = unit
    text = pick_text([o for o in by_p.get(DCTERMS.description, []) if isinstance(o, Literal)], lang)
    if text:
        out["description"] = text
    return out


def statements(store: GraphStore, iri: URIRef | str, *, incoming: str | None = None,
               page: int = 1) -> list[tuple[Node, Node, Node, URIRef | None]]:
    """The entity's own statements as quads, each in the graph (source) that states it: all with
    it as subject (and the blank nodes they use), then those with it as object: all of them up to
    `SMALL_INCOMING`, beyond that the page of each property that `describe` shows."""
    iri = URIRef(iri)
    quads: list[tuple[Node, Node, Node, URIRef | None]] = [(iri, p, o, g) for p, o, g in _outgoing(store, iri)]
    if any(isinstance(o, BNode) for _s, _p, o, _g in quads):
        rows = store.select("SELECT ?s ?b ?p ?o ?g WHERE { ?s ?x ?b FILTER(isBlank(?b)) GRAPH ?g { ?b ?p ?o } }", {"s": iri})
        quads.extend((r["b"], r["p"], r["o"], _graph(r.get("g"))) for r in rows)
    found = _incoming(store, iri, incoming, page)
    quads.extend((s, p, iri, g) for s, p, g in found.rows)
    return quads


def source_contents(store: GraphStore, source: URIRef, lang: str = "nl", limit: int = 500) -> dict[str, Any]:
    """What a source's named graph holds: its number of statements and the entities it describes."""
    total = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {"g": source})
    rows = store.select(
        f"SELECT ?g ?s (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)) }} GROUP BY ?g ?s ORDER BY DESC(?n) LIMIT {limit}",
        {"g": source},
    )
    # Entities only: a submission's moderation activity and its pseudonymous editor are provenance
    # (`graph.browse.provenance` words them), not subjects; `statements` adds up the listed counts.
    subjects = [r["s"] for r in rows if isinstance(r["s"], URIRef) and split_entity_iri(str(r["s"]))]
    labels = texts(store, subjects, lang)
    entities: list[dict[str, Any]] = []
    for subject, r in ((r["s"], r) for r in rows):
        parts = split_entity_iri(str(subject))
        if parts is None or not isinstance(subject, URIRef):
            continue
        entities.append({"iri": str(subject), "label": labels.get(subject), "kind": parts[0], "statements": int(r["n"])})
    entities.sort(key=lambda e: (e["kind"] or "", e["label"].value.lower() if e["label"] else ""))
    listed = sum(e["statements"] for e in entities)
    all_statements = int(total[0]["n"]) if total else 0
    return {"statements": listed if len(rows) < limit else all_statements, "entities": entities}
