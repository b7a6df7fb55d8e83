"""Generate the theme, pillar and sphere assignments with quoted evidence
(`data/redactie/toekenningen.trig`, written by `sociale-basis assign SOURCES_DIR`).

How an assignment is found, so that nothing is invented:
- The *passages* of an entity are the lines of the source documents that speak of it: in
  `programmafeiten.md`, the lines citing one of the entity's source pages that name the entity
  (or, in the section about the entity itself, its descriptive lines); in the other documents,
  the lines that name it. Lines marked "(onzeker)" are not used, except a derived pillar line.
- *Stated*: a passage names the concept itself (a theme's preferred or alternative label, a
  pillar's or sphere's name). The triple goes into the source's graph.
- *Editorial*: the editors judge it from a quoted passage: a theme from one of its cue words
  (`skos:hiddenLabel`), a pillar or sphere from a theme by the rule tables below (the social
  quality theory of the Kennisplein and the spheres of the Verwey-Jonker Instituut), and the
  pillars that `programmafeiten.md` marks "(afgeleid)". These go into the editorial graph.
- *Editorial, through a stated relation*: an entity whose own passages support no theme (or no
  pillar) takes those of what a source states it is part of, is about or funds (`sb:partOf`,
  `dcterms:isPartOf`, `sb:about`, `sb:studied`, `sb:elaborates`, the object of `sb:fundedBy`): a
  progress report on Kansrijke Start is about what Kansrijke Start is about. The annotation keeps
  the parent's source and quote and names the parent's annotation (`prov:wasDerivedFrom`), so a
  page can say "via Kansrijke Start". Spheres are never inherited: a component is often a
  professional service outside every sphere.
Every assignment is an `oa:Annotation` (motivation `oa:classifying`) with the source, a quote of
at most 12 words as an `oa:TextQuoteSelector`, and for editorial ones the editors as agent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.namespaces import (
    ASSIGNMENTS,
    EDITORS,
    GRAPH_ASSIGNMENTS,
    GRAPH_SOURCES,
    ID,
    OA,
    PREFIXES,
    SB,
    SCHEMA,
)
from graph.store.evidence import MAX_QUOTE_WORDS, Quote, quote_at, read_documents

CON = ID + "begrip/"
OUTPUT = Path("redactie") / "toekenningen.trig"
FACTS_FILE = "programmafeiten.md"
FACTS_SOURCE = URIRef(ID + "bron/programmafeiten")

TARGET_CLASSES = (SB.Programme, SB.ProgrammeComponent, SB.Initiative, SB.Publication)
PILLARS = {  # "de vier condities"/"vier pijlers" names all four at once
    "sociaaleconomische-zekerheid": ("sociaaleconomische zekerheid", "vier condities", "vier pijlers"),
    "sociale-cohesie": ("sociale cohesie", "vier condities", "vier pijlers"),
    "sociale-inclusie": ("sociale inclusie", "vier condities", "vier pijlers"),
    "sociale-empowerment": ("sociale empowerment", "vier condities", "vier pijlers"),
}
SPHERES = {
    "persoonlijke-sfeer": ("persoonlijke sfeer",),
    "gemeenschappelijke-sfeer": ("gemeenschappelijke sfeer",),
    "institutionele-sfeer": ("institutionele sfeer",),
}
# (dimension, slug, pattern) for every way a passage can name a pillar or sphere itself.
NAMED_CONCEPTS = tuple((dimension, slug, re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)", re.IGNORECASE))
                       for dimension, table in (("pillar", PILLARS), ("sphere", SPHERES))
                       for slug, words in table.items() for w in words)
# The editors' rule tables: which pillar of social quality, and which sphere of the social base,
# a theme belongs to. Themes of target groups, ways of working, policy and research have none.
THEME_PILLARS: dict[str, tuple[str, ...]] = {
    "verbondenheid": ("sociale-cohesie",),
    "alledaagse-attentheid": ("sociale-cohesie",),
    "eenzaamheid": ("sociale-inclusie", "sociale-cohesie"),
    "ontmoeting": ("sociale-cohesie",),
    "ontmoetingsplekken": ("sociale-cohesie",),
    "buurthuis": ("sociale-cohesie",),
    "buurtkamer": ("sociale-cohesie",),
    "kringloopwinkel": ("sociale-cohesie",),
    "vrijwillige-inzet": ("sociale-cohesie",),
    "mantelzorg": ("sociale-cohesie",),
    "samenlevingsopbouw": ("sociale-cohesie", "sociale-empowerment"),
    "zorg-en-ondersteuning": ("sociaaleconomische-zekerheid",),
    "ouderenzorg": ("sociaaleconomische-zekerheid",),
    "welzijn-op-recept-thema": ("sociale-inclusie",),
    "gezondheid": ("sociaaleconomische-zekerheid",),
    "preventie": ("sociaaleconomische-zekerheid",),
    "mentale-gezondheid": ("sociaaleconomische-zekerheid",),
    "sport-en-bewegen": ("sociaaleconomische-zekerheid",),
    "leefstijl": ("sociaaleconomische-zekerheid",),
    "bestaanszekerheid": ("sociaaleconomische-zekerheid",),
    "armoede": ("sociaaleconomische-zekerheid",),
    "wonen": ("sociaaleconomische-zekerheid",),
    "zelfstandig-thuis": ("sociaaleconomische-zekerheid",),
    "leefbaarheid": ("sociale-cohesie",),
    "veiligheid": ("sociaaleconomische-zekerheid",),
    "meedoen": ("sociale-inclusie",),
    "burgerkracht": ("sociale-empowerment",),
    "inclusie-en-diversiteit": ("sociale-inclusie",),
    "cultuur": ("sociale-inclusie",),
    "kansrijke-start-thema": ("sociaaleconomische-zekerheid",),
    "arbeidsmarkt": ("sociaaleconomische-zekerheid",),
    "wijkaanpak": ("sociale-cohesie",),  # the Kennisplein's criterion "gaat over buurten en wijken"
    "sociaal-werk": ("sociale-empowerment",),
    "onbegrepen-gedrag": ("sociale-inclusie",),
}
THEME_SPHERES: dict[str, tuple[str, ...]] = {
    "mantelzorg": ("persoonlijke-sfeer",),  # "persoonlijk (iemands persoonlijk netwerk)"
    "vrijwillige-inzet": ("gemeenschappelijke-sfeer",),  # "informele en formele netwerken"
    "burgerkracht": ("gemeenschappelijke-sfeer",),
    "ontmoetingsplekken": ("institutionele-sfeer",),  # "collectieve, vrij toegankelijke voorzieningen"
    "buurthuis": ("institutionele-sfeer",),
    "buurtkamer": ("institutionele-sfeer",),
    "kringloopwinkel": ("institutionele-sfeer",),
    "samenlevingsopbouw": ("institutionele-sfeer",),
}
# A programme reaches every municipality where a passage about it says so (how: the quoted words).
REACH = re.compile(r"(?<!\w)(alle gemeenten|elke gemeente|iedere gemeente)(?!\w)", re.IGNORECASE)
PROGRAMME_CLASSES = (SB.Programme,)
# Fields of programmafeiten.md lines that describe a programme in its own section.
DESCRIPTIVE_FIELDS = ("full_name_nl", "type", "vision", "goal", "component", "target_group", "pillar", "note",
                      "principle", "funding", "focus", "approach", "finding", "content", "title", "theme")
STOPWORDS = frozenset("de het een en van voor in op met tot bij aan uit naar over door als of the and of".split())
LIST_ITEM = re.compile(r"^\s*[-•«|]|\s>\s")  # a list item, or "NAME > what it is" on a slide: another subject
GENERIC_NAMES = frozenset({"de sociale basis", "sociale basis", "sociale kwaliteit"})
_LINE = re.compile(r"^- (?P<field>[^:]+): (?P<value>.*?)\s*\[source: (?P<url>[^\]]+)\]\s*$")


@dataclass(frozen=True)
class Passage:
    """A line of a source document that speaks of an entity."""

    source: URIRef  # the source that states it (a page, or the document itself)
    file: str  # the document the words stand in
    text: str  # the whole document
    start: int  # where the usable part of the line begins and ends in the document
    end: int
    derived_pillar: bool = False  # a "pillar (afgeleid ...)" line of programmafeiten.md


@dataclass(frozen=True)
class Assignment:
    entity: URIRef
    concept: URIRef
    dimension: str  # theme | pillar | sphere | reach
    stated: bool
    source: URIRef
    file: str
    quote: Quote
    graph: URIRef  # where the shortcut triple goes: the source's graph, or the editorial graph
    via: URIRef | None = None  # the parent whose assignment this one is inherited from


@dataclass
class Term:
    concept: str  # slug
    words: str
    stated: bool
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.pattern = re.compile(r"(?<!\w)" + re.escape(self.words) + r"(?!\w)", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case without accents or quote marks, for matching labels against lines."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^\w+]+", " ", text).strip()


def load(data_dir: Path, ontology: list[Path]) -> Dataset:
    """The shipped data without the generated assignments, with the ontology for its class tree."""
    ds = Dataset()
    for path in ontology:
        ds.parse(path, format="turtle")
    for path in sorted(data_dir.rglob("*.trig")):
        if path.relative_to(data_dir) != OUTPUT:
            ds.parse(path, format="trig")
    return ds


def theme_terms(ds: Dataset) -> list[Term]:
    """The words each theme is found by: labels (stated) and cue words (editorial), longest first."""
    terms: list[Term] = []
    scheme = URIRef(CON + "themas")
    for concept, _p, _o, _g in ds.quads((None, SKOS.inScheme, scheme, None)):
        slug = str(concept).removeprefix(CON)
        for predicate, stated in ((SKOS.prefLabel, True), (SKOS.altLabel, True), (SKOS.hiddenLabel, False)):
            for _s, _p2, label, _g2 in ds.quads((concept, predicate, None, None)):
                if isinstance(label, Literal) and label.language == "nl":
                    terms.append(Term(slug, str(label), stated))
    return sorted({(t.concept, t.words.casefold(), t.stated): t for t in terms}.values(),
                  key=lambda t: (-len(t.words), t.concept))


def targets(ds: Dataset, roots: tuple[URIRef, ...] = TARGET_CLASSES) -> list[URIRef]:
    """Programmes, components, initiatives and publications (or `roots`), subclasses included."""
    classes = set(roots)
    changed = True
    while changed:
        changed = False
        for sub, _p, sup, _g in ds.quads((None, RDFS.subClassOf, None, None)):
            if sup in classes and sub not in classes and isinstance(sub, URIRef):
                classes.add(sub)
                changed = True
    found = {s for cls in classes for s, _p, _o, _g in ds.quads((None, RDF.type, cls, None)) if isinstance(s, URIRef)}
    return sorted(found, key=str)


def _labels(ds: Dataset, entity: URIRef) -> list[str]:
    """The entity's Dutch names, also without a parenthesised part and split at a colon."""
    names: set[str] = set()
    for predicate in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
        for _s, _p, label, _g in ds.quads((entity, predicate, None, None)):
            if isinstance(label, Literal) and label.language in ("nl", None):
                text = str(label)
                names.add(text)
                names.add(re.sub(r"\s*\([^)]*\)", "", text))
                names.update(part for part in re.split(r"[:–]", text) if len(part.strip()) > 3)
                names.update(re.findall(r"\(([^)]+)\)", text))
    return [n for n in (fold(n) for n in names) if len(n) >= 3 and n not in GENERIC_NAMES]


def _names(line: str, names: list[str], whole: bool = False) -> bool:
    """Whether a line names the entity: a whole name, or (unless `whole`) most significant words of a
    longer one."""
    folded = f" {fold(line)} "
    for name in names:
        if f" {name} " in folded:
            return True
        if whole:
            continue
        words = [w for w in name.split() if len(w) >= 4 and w not in STOPWORDS]
        if len(words) >= 3 and sum(f" {w} " in folded for w in words) * 3 >= len(words) * 2:
            return True
    return False


def _norm_url(url: str) -> str:
    return url.strip().rstrip("/").replace("://www.", "://")


class Fact(NamedTuple):
    """A cited line of programmafeiten.md: where its value stands, its field, the page it cites."""

    section: int
    start: int
    end: int
    field: str
    url: str
    heading: str

    @property
    def derived_pillar(self) -> bool:
        return self.field.startswith("pillar") and "afgeleid" in self.field


@dataclass
class Documents:
    """The source documents, with programmafeiten.md split into sections and cited lines."""

    texts: dict[str, str]
    facts: list[Fact] = field(default_factory=list)
    by_url: dict[str, list[Fact]] = field(default_factory=dict)  # the facts citing each page

    @classmethod
    def read(cls, sources_dir: Path) -> "Documents":
        docs = cls(read_documents(sources_dir))
        texts = docs.texts
        text = texts.get(FACTS_FILE, "")
        section, heading, offset = 0, "", 0
        for line in text.splitlines(keepends=True):
            head = re.match(r"^## (\d+)\. (.*)", line)
            if head:
                section, heading = int(head.group(1)), head.group(2)
            elif line.startswith("## "):
                section, heading = 0, ""
            m = _LINE.match(line.rstrip("\n"))
            if m:
                start = offset + m.start("value")
                fact = Fact(section, start, offset + m.end("value"), m.group("field").strip(), _norm_url(m.group("url")), heading)
                docs.facts.append(fact)
                docs.by_url.setdefault(fact.url, []).append(fact)
            offset += len(line)
        return docs


@dataclass
class Sources:
    """The page (URL) and document (sb:sourceFile) of each source, read once from graph/bronnen."""

    url: dict[URIRef, str]
    file: dict[URIRef, str]
    by_url: dict[str, URIRef]

    @classmethod
    def read(cls, ds: Dataset) -> "Sources":
        meta = ds.graph(GRAPH_SOURCES)
        url = {s: _norm_url(str(o)) for s, o in meta.subject_objects(SCHEMA.url) if isinstance(s, URIRef)}
        file = {s: str(o) for s, o in meta.subject_objects(SB.sourceFile) if isinstance(s, URIRef)}
        return cls(url, file, {u: s for s, u in url.items()})


def passages(ds: Dataset, docs: Documents, sources: Sources, entity: URIRef) -> list[Passage]:
    """The lines of the source documents that speak of the entity (see the module docstring)."""
    names = _labels(ds, entity)
    graphs = {g for _s, _p, _o, g in ds.quads((entity, None, None, None)) if isinstance(g, URIRef)}
    found: list[Passage] = []
    facts_text = docs.texts.get(FACTS_FILE, "")
    for fact in docs.facts:
        # A pillar the facts file derived ("pillar (afgeleid)") belongs to the subject of its section.
        if fact.derived_pillar and fact.url in sources.by_url and _names(fact.heading, names, True):
            found.append(Passage(sources.by_url[fact.url], FACTS_FILE, facts_text, fact.start, fact.end, True))
    for graph in sorted(graphs, key=str):
        cited: list[tuple[int, int]] = []
        for fact in docs.by_url.get(sources.url.get(graph, ""), ()):
            value = facts_text[fact.start:fact.end]
            if "onzeker" in fact.field + value or fact.derived_pillar:
                continue
            own = _names(fact.heading, names, True) and fact.field.split(" ")[0] in DESCRIPTIVE_FIELDS
            if own or _names(value, names):
                found.append(Passage(graph, FACTS_FILE, facts_text, fact.start, fact.end))
            else:
                cited.append((fact.start, fact.end))
        if cited and not any(p.source == graph for p in found):
            found.extend(Passage(graph, FACTS_FILE, facts_text, a, b) for a, b in _distinctive(facts_text, cited, names))
        file = sources.file.get(graph)
        if file and file != FACTS_FILE and file in docs.texts:
            found.extend(_text_passages(graph, file, docs.texts[file], names))
    return found


def _stems(text: str) -> set[str]:
    return {w[:6] for w in fold(text).split() if len(w) >= 5 and w not in STOPWORDS}


def _distinctive(text: str, lines: list[tuple[int, int]], names: list[str]) -> list[tuple[int, int]]:
    """Where no line of a page names the entity, the lines sharing a word of its name that not every
    line of that page has (a component "Deelakkoord roken" in the line "roken")."""
    stems = set().union(*(_stems(n) for n in names)) if names else set()
    per_line = [(a, b, _stems(text[a:b]) & stems) for a, b in lines]
    everywhere = set.intersection(*(m for _a, _b, m in per_line)) if len(per_line) > 1 else set()
    best = max((len(m - everywhere) for _a, _b, m in per_line), default=0)
    return [(a, b) for a, b, m in per_line if best and len(m - everywhere) == best]


def _text_passages(source: URIRef, file: str, text: str, names: list[str]) -> Iterator[Passage]:
    """Lines of a plain-text document that name the entity; a short line (a slide title) takes the
    lines after it up to a slide break (three line breaks), a list item or about 400 characters."""
    lines = list(re.finditer(r"[^\n]+", text))
    for i, m in enumerate(lines):
        if not _names(m.group(), names):
            continue
        yield Passage(source, file, text, m.start(), m.end())
        if len(m.group()) < 80:
            taken, previous_end = 0, m.end()
            for nxt in lines[i + 1:i + 12]:
                slide_break = text.count("\n", previous_end, nxt.start()) >= 3
                if taken > 400 or slide_break or LIST_ITEM.search(nxt.group()):
                    break
                yield Passage(source, file, text, nxt.start(), nxt.end())
                taken, previous_end = taken + len(nxt.group()), nxt.end()


def short_quote(passage: Passage, start: int, end: int) -> Quote:
    """The matched words with up to two words either side, within the line and at most 12 words."""
    text = passage.text
    words = list(re.finditer(r"\S+", text[passage.start:passage.end]))
    spans = [(passage.start + w.start(), passage.start + w.end()) for w in words]
    first = next(i for i, (a, b) in enumerate(spans) if b > start)
    last = max(i for i, (a, b) in enumerate(spans) if a < end)
    lo, hi = max(0, first - 2), min(len(spans) - 1, last + 2)
    while hi - lo + 1 > MAX_QUOTE_WORDS and hi > last:
        hi -= 1
    while hi - lo + 1 > MAX_QUOTE_WORDS and lo < first:
        lo += 1
    a, b = spans[lo][0], spans[hi][1]
    while b > a and text[b - 1] in ".,;:)(\"'[":
        b -= 1
    while a < b and text[a] in "(\"'[":
        a += 1
    return quote_at(text, a, b)


def _find(passages_: Iterable[Passage], pattern: re.Pattern[str],
          masked: re.Pattern[str] | None = None) -> tuple[Passage, Quote] | None:
    """The first match in the passages, skipping matches inside `masked` (another programme's name:
    "Eén tegen eenzaamheid" named in a line about another programme is not about loneliness)."""
    for passage in passages_:
        blocked = [(m.start(), m.end()) for m in masked.finditer(passage.text, passage.start, passage.end)] if masked else []
        for m in pattern.finditer(passage.text, passage.start, passage.end):
            if not any(a <= m.start() and m.end() <= b for a, b in blocked):
                return passage, short_quote(passage, m.start(), m.end())
    return None


def programme_names(ds: Dataset, programmes: Iterable[URIRef]) -> dict[URIRef, list[str]]:
    """The Dutch names of the programmes with more than one word, to mask in other entities' lines."""
    out: dict[URIRef, list[str]] = {}
    for programme in programmes:
        names = {str(o) for p in (RDFS.label, SKOS.altLabel) for _s, _p, o, _g in ds.quads((programme, p, None, None))
                 if isinstance(o, Literal) and o.language == "nl"}
        out[programme] = sorted({re.sub(r"\s*\([^)]*\)", "", n) for n in names if len(n.split()) > 1}, key=len, reverse=True)
    return out


def _mask(names: dict[URIRef, list[str]], entity: URIRef) -> re.Pattern[str] | None:
    others = [n for p, ns in names.items() if p != entity for n in ns if n]
    return re.compile("|".join(re.escape(n) for n in others), re.IGNORECASE) if others else None


def assign(ds: Dataset, docs: Documents) -> list[Assignment]:
    """Every assignment the sources support, stated before editorial, one quote each."""
    terms = theme_terms(ds)
    out: list[Assignment] = []
    programmes = set(targets(ds, PROGRAMME_CLASSES))
    names = programme_names(ds, programmes)
    sources = Sources.read(ds)
    members = targets(ds)
    for entity in members:
        found = passages(ds, docs, sources, entity)
        if found:
            out.extend(_assign_one(entity, found, terms, _mask(names, entity), entity in programmes))
    return out + inherited(ds, out, set(members))


# Relations along which an entity shares its parent's themes and pillars: (predicate, parent is object).
INHERIT_ALONG = ((SB.partOf, True), (DCTERMS.isPartOf, True), (SB.about, True), (SB.studied, True),
                 (SB.elaborates, True), (SB.fundedBy, False))
INHERITED_DIMENSIONS = ("theme", "pillar")
# Themes about how a parent works (its funding, research, ways of working, context) say nothing about
# what its parts and reports are about, so they are not inherited: these top concepts and below.
NOT_INHERITED_UNDER = ("werkwijzen", "beleid-en-financiering", "kennis-en-onderzoek", "maatschappelijke-ontwikkelingen")


def parents(ds: Dataset, entity: URIRef, members: set[URIRef]) -> list[URIRef]:
    """What a source states the entity is part of, is about, elaborates or funds (targets only)."""
    found: set[URIRef] = set()
    for predicate, forward in INHERIT_ALONG:
        pattern = (entity, predicate, None, None) if forward else (None, predicate, entity, None)
        for s, _p, o, _g in ds.quads(pattern):
            other = o if forward else s
            if isinstance(other, URIRef) and other in members and other != entity:
                found.add(other)
    return sorted(found, key=str)


def _below(ds: Dataset, tops: list[URIRef]) -> set[URIRef]:
    """The concepts and everything narrower (by `skos:broader`)."""
    found, todo = set(tops), list(tops)
    while todo:
        concept = todo.pop()
        for narrower, _p, _o, _g in ds.quads((None, SKOS.broader, concept, None)):
            if isinstance(narrower, URIRef) and narrower not in found:
                found.add(narrower)
                todo.append(narrower)
    return found


def inherited(ds: Dataset, direct: list[Assignment], members: set[URIRef]) -> list[Assignment]:
    """Editorial themes and pillars for the `members` (the targets) whose own passages support none
    of that dimension, from their parents' own assignments (one step; see the module docstring)."""
    closed = _below(ds, [URIRef(CON + slug) for slug in NOT_INHERITED_UNDER])
    own: dict[tuple[URIRef, str], list[Assignment]] = {}
    for a in direct:
        own.setdefault((a.entity, a.dimension), []).append(a)
    out: list[Assignment] = []
    for entity in sorted(members, key=str):
        for dimension in INHERITED_DIMENSIONS:
            if (entity, dimension) in own:
                continue
            taken: set[URIRef] = set()
            for parent in parents(ds, entity, members):
                for a in own.get((parent, dimension), ()):
                    if a.concept not in taken and a.concept not in closed:
                        taken.add(a.concept)
                        out.append(Assignment(entity, a.concept, dimension, False, a.source, a.file, a.quote,
                                              GRAPH_ASSIGNMENTS, via=parent))
    return out


def _assign_one(entity: URIRef, found: list[Passage], terms: list[Term], masked: re.Pattern[str] | None,
                is_programme: bool) -> list[Assignment]:
    """One entity's assignments from its passages (see the module docstring)."""
    chosen: dict[tuple[str, str], Assignment] = {}

    def add(dimension: str, slug: str, stated: bool, source: URIRef, file: str, quote: Quote) -> None:
        key = (dimension, slug)
        if key in chosen and (chosen[key].stated or not stated):
            return
        chosen[key] = Assignment(entity, URIRef(CON + slug), dimension, stated, source, file, quote,
                                 source if stated else GRAPH_ASSIGNMENTS)

    usable = [p for p in found if not p.derived_pillar]
    if is_programme:
        reach = _find(usable, REACH)
        if reach:
            passage, quote = reach
            chosen[("reach", "")] = Assignment(entity, SB.reachesEveryMunicipality, "reach", True, passage.source,
                                               passage.file, quote, passage.source)
    derived = [p for p in found if p.derived_pillar]
    for term in terms:
        hit = _find(usable, term.pattern, masked)
        if hit:
            add("theme", term.concept, term.stated, hit[0].source, hit[0].file, hit[1])
    for dimension, slug, pattern in NAMED_CONCEPTS:
        hit = _find(usable, pattern)
        if hit:
            add(dimension, slug, True, hit[0].source, hit[0].file, hit[1])
        hit = _find(derived, pattern) if dimension == "pillar" else None
        if hit:
            add(dimension, slug, False, hit[0].source, hit[0].file, hit[1])
    for (dimension, slug), a in list(chosen.items()):
        if dimension == "theme":
            for pillar in THEME_PILLARS.get(slug, ()):
                add("pillar", pillar, False, a.source, a.file, a.quote)
            for sphere in THEME_SPHERES.get(slug, ()):
                add("sphere", sphere, False, a.source, a.file, a.quote)
    return sorted(chosen.values(), key=lambda a: (a.dimension, str(a.concept)))


def theme_evidence(ds: Dataset, docs: Documents) -> list[tuple[URIRef, URIRef, str, Quote]]:
    """Per theme, the first place a source document names it: (theme, source, file, quote)."""
    sources = {str(o): s for s, o in ds.graph(GRAPH_SOURCES).subject_objects(SB.sourceFile)
               if isinstance(s, URIRef) and str(o) != FACTS_FILE}
    sources[FACTS_FILE] = FACTS_SOURCE
    out = []
    best: dict[str, tuple[URIRef, str, Quote]] = {}
    for term in theme_terms(ds):
        if not term.stated or term.concept in best:
            continue
        for file in sorted(sources):
            text = docs.texts.get(file, "")
            m = term.pattern.search(text)
            if m:
                line_start = text.rfind("\n", 0, m.start()) + 1
                line_end = text.find("\n", m.end())
                passage = Passage(sources[file], file, text, line_start, line_end if line_end >= 0 else len(text))
                best[term.concept] = (sources[file], file, short_quote(passage, m.start(), m.end()))
                break
    for slug, (source, file, quote) in sorted(best.items()):
        out.append((URIRef(CON + slug), source, file, quote))
    return out


PROPERTIES = {
    ("theme", True): SB.theme, ("theme", False): SB.editorialTheme,
    ("pillar", True): SB.addressesPillar, ("pillar", False): SB.editorialPillar,
    ("sphere", True): SB.sphere, ("sphere", False): SB.editorialSphere,
}


def quads(assignments: list[Assignment], evidence: list[tuple[URIRef, URIRef, str, Quote]]) -> list[tuple]:
    """The RDF of the assignments: shortcut triples and their annotations."""
    out: list[tuple] = []
    g, meta = GRAPH_ASSIGNMENTS, GRAPH_SOURCES
    out.append((g, RDF.type, SB.EditorialGraph, meta))
    out.append((g, RDFS.label, Literal("Toekenningen van thema's, pijlers en sferen (redactie)", lang="nl"), meta))
    out.append((g, RDFS.label, Literal("Assignments of themes, pillars and spheres (editors)", lang="en"), meta))
    out.append((g, DCTERMS.title, Literal("Toekenningen van thema's, pijlers en sferen"), meta))
    out.append((g, PROV.wasAttributedTo, EDITORS, meta))
    for a in assignments:
        if a.dimension == "reach":
            out.append((a.entity, SB.reachesEveryMunicipality, Literal(True), a.graph))
        else:
            out.append((a.entity, PROPERTIES[(a.dimension, a.stated)], a.concept, a.graph))
        ann = annotation_iri(a.entity, a)
        out += _annotation(ann, a.entity, a.concept, a.source, a.file, a.quote, OA.classifying)
        out.append((ann, SB.assignmentKind, SB.Stated if a.stated else SB.Editorial, g))
        out.append((ann, SB.dimension, Literal(a.dimension), g))
        if not a.stated:
            out.append((ann, PROV.wasAttributedTo, EDITORS, g))
        if a.via is not None:
            out.append((ann, PROV.wasDerivedFrom, annotation_iri(a.via, a), g))
    for concept, source, file, quote in evidence:
        ann = URIRef(f"{ASSIGNMENTS}thema--{_slug(concept)}")
        out += _annotation(ann, None, concept, source, file, quote, OA.tagging)
    return out


def annotation_iri(entity: URIRef, a: Assignment) -> URIRef:
    """The annotation of `a`'s concept and dimension on `entity`: one per entity and concept."""
    what = "elke-gemeente" if a.dimension == "reach" else _slug(a.concept)
    return URIRef(f"{ASSIGNMENTS}{_slug(entity)}--{what}")


def _annotation(ann: URIRef, entity: URIRef | None, concept: URIRef, source: URIRef, file: str, quote: Quote,
                motivation: URIRef) -> list[tuple]:
    g = GRAPH_ASSIGNMENTS
    target = URIRef(str(ann) + "#bron")
    selector = URIRef(str(ann) + "#citaat")
    document = FACTS_SOURCE if file == FACTS_FILE else source
    out: list[tuple] = [
        (ann, RDF.type, OA.Annotation, g),
        (ann, OA.motivatedBy, motivation, g),
        (ann, OA.hasBody, concept, g),
        (ann, SB.evidence, target, g),
        (ann, DCTERMS.source, source, g),
        (target, RDF.type, OA.SpecificResource, g),
        (target, OA.hasSource, document, g),
        (target, OA.hasSelector, selector, g),
        (selector, RDF.type, OA.TextQuoteSelector, g),
        (selector, OA.exact, Literal(quote.exact, lang="nl"), g),
    ]
    out.append((ann, OA.hasTarget, entity if entity is not None else target, g))
    if quote.prefix or quote.suffix:
        out.append((selector, OA.prefix, Literal(quote.prefix, lang="nl"), g))
        out.append((selector, OA.suffix, Literal(quote.suffix, lang="nl"), g))
    return out


def _slug(iri: URIRef) -> str:
    return str(iri).removeprefix(ID).replace("/", "-")


def write(sources_dir: Path, data_dir: Path, ontology: list[Path]) -> tuple[Path, list[Assignment], dict[str, dict[str, int]]]:
    """Generate data/redactie/toekenningen.trig from the shipped data and the source documents."""
    import pyoxigraph as ox

    ds = load(data_dir, ontology)
    docs = Documents.read(sources_dir)
    assignments = assign(ds, docs)
    rows = quads(assignments, theme_evidence(ds, docs))
    oxq = [ox.Quad(_ox(s), _ox(p), _ox(o), _ox(g)) for s, p, o, g in rows]  # type: ignore[arg-type]
    oxq.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    prefixes = dict(PREFIXES, redactie=str(EDITORS).rsplit("/", 1)[0] + "/")
    body = (ox.serialize(oxq, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b"").decode("utf-8")
    path = data_dir / OUTPUT
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Theme, pillar and sphere assignments with quoted evidence; generated by `sociale-basis assign`\n"
              "# from data/ and the source documents. Do not edit by hand: edit data/redactie/themas.trig or\n"
              "# the rule tables in graph/store/assign.py and generate again.\n")
    path.write_text(header + body, encoding="utf-8")
    return path, assignments, coverage(ds, assignments)


def _ox(term: object) -> object:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(term)




KIND_ROOTS = {"programmes": SB.Programme, "components": SB.ProgrammeComponent, "initiatives": SB.Initiative,
              "publications": SB.Publication}


def coverage(ds: Dataset, assignments: list[Assignment]) -> dict[str, dict[str, int]]:
    """Per kind: how many entities, how many have a theme, a pillar, a sphere (stated or editorial),
    and how many assignments of each dimension are stated and editorial."""
    out: dict[str, dict[str, int]] = {}
    for kind, root in KIND_ROOTS.items():
        members = set(targets(ds, (root,)))
        mine = [a for a in assignments if a.entity in members]
        row = {"entities": len(members)}
        for dimension in ("theme", "pillar", "sphere"):
            row[dimension] = len({a.entity for a in mine if a.dimension == dimension})
            row[dimension + "_stated"] = sum(1 for a in mine if a.dimension == dimension and a.stated)
            row[dimension + "_editorial"] = sum(1 for a in mine if a.dimension == dimension and not a.stated)
        row["theme_and_pillar"] = len({a.entity for a in mine if a.dimension == "theme"} &
                                      {a.entity for a in mine if a.dimension == "pillar"})
        out[kind] = row
    return out
