"""IRIs of the project: base, vocabulary, instance kinds and well-known graphs, in one place."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

BASE = "https://w3id.org/sociale-basis/"
SB = Namespace(BASE + "def/")
ID = BASE + "id/"
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")  # W3C Web Annotation: quoted evidence

GRAPH_ONTOLOGY = URIRef(BASE + "graph/ontologie")
GRAPH_SOURCES = URIRef(BASE + "graph/bronnen")
# The editors' own words and judgements: graphs beside the source graphs, described in graph/bronnen
# as sb:EditorialGraph; the editors as agent; assignments (oa:Annotation) outside id/, like graphs.
EDITORIAL_GRAPHS = BASE + "graph/redactie/"
GRAPH_THEMES = URIRef(EDITORIAL_GRAPHS + "themas")
GRAPH_ASSIGNMENTS = URIRef(EDITORIAL_GRAPHS + "toekenningen")
EDITORS = URIRef(BASE + "redactie/team")
# The moderation record of submissions (status and history, no names): in exports, and in a store that loads one.
GRAPH_MODERATION = URIRef(BASE + "graph/moderatie")
ASSIGNMENTS = BASE + "toekenning/"

PREFIXES: dict[str, str] = {
    "sb": str(SB),
    "prog": ID + "programma/",
    "comp": ID + "onderdeel/",
    "init": ID + "initiatief/",
    "pub": ID + "publicatie/",
    "orgn": ID + "organisatie/",
    "place": ID + "plaats/",
    "pers": ID + "persoon/",
    "con": ID + "begrip/",
    "src": ID + "bron/",
    "redg": BASE + "graph/redactie/",
    "toek": BASE + "toekenning/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "sh": str(SH),
    "oa": str(OA),
}


@dataclass(frozen=True)
class Kind:
    """A kind of entity: its IRI segment, the class that marks it, and plural labels for indexes."""

    segment: str
    cls: URIRef
    label_nl: str
    label_en: str
    plural_nl: str
    plural_en: str


KINDS: tuple[Kind, ...] = (
    Kind("programma", SB.Programme, "programma", "programme", "Programma's en akkoorden", "Programmes and agreements"),
    Kind("onderdeel", SB.ProgrammeComponent, "programmaonderdeel", "programme component", "Programmaonderdelen", "Programme components"),
    Kind("initiatief", SB.Initiative, "initiatief", "initiative", "Initiatieven", "Initiatives"),
    Kind("publicatie", SB.Publication, "publicatie", "publication", "Publicaties", "Publications"),
    Kind("organisatie", SB.Organisation, "organisatie", "organisation", "Organisaties", "Organisations"),
    Kind("plaats", SB.Place, "plaats", "place", "Plaatsen", "Places"),
    Kind("persoon", SB.Person, "persoon", "person", "Personen", "People"),
    Kind("begrip", SKOS.Concept, "begrip", "concept", "Begrippen", "Concepts"),
    Kind("bron", SB.Source, "bron", "source", "Bronnen", "Sources"),
)
KINDS_BY_SEGMENT = {k.segment: k for k in KINDS}

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ENTITY_IRI_RE = re.compile(
    "^" + re.escape(ID) + "(" + "|".join(k.segment for k in KINDS) + r")/([a-z0-9]+(?:-[a-z0-9]+)*)$"
)


def entity_iri(kind: str, slug: str) -> URIRef:
    """The IRI of an entity of `kind` (an IRI segment such as 'programma') with `slug`."""
    return URIRef(f"{ID}{kind}/{slug}")


def split_entity_iri(iri: str) -> tuple[str, str] | None:
    """(kind, slug) for an IRI in the project's instance pattern, else None."""
    match = ENTITY_IRI_RE.match(str(iri))
    return (match.group(1), match.group(2)) if match else None


def slugify(text: str, max_length: int = 80) -> str:
    """Lowercase ASCII slug with hyphens; accents folded ('Eén' -> 'een')."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:max_length].strip("-")


def local_name(iri: str) -> str:
    """The last path or fragment segment of an IRI, for a label of last resort."""
    text = str(iri).rstrip("/#")
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def is_plain_iri(term: object) -> bool:
    """An absolute IRI that can be written between angle brackets as it is (SPARQL IRIREF): the
    only IRIs code may paste into query text (VALUES blocks); anything else is dropped, never escaped."""
    text = str(term)
    return bool(text) and ":" in text and not isinstance(term, (bytes,)) and _IRI_FORBIDDEN.search(text) is None


def iri_values(iris: "Iterable[object]") -> str:
    """'<a> <b> …' for a VALUES block, leaving out every term that is not a plain IRI."""
    return " ".join(f"<{i}>" for i in iris if is_plain_iri(i))


def iri_rows(rows: "Iterable[Sequence[object]]") -> str:
    """'(<a> <b>) (<c> <d>) …' for a VALUES block of several variables, leaving out every row with a
    term that is not a plain IRI."""
    return " ".join("(" + " ".join(f"<{i}>" for i in row) + ")" for row in rows if all(map(is_plain_iri, row)))


def iri_ref(term: object) -> str:
    """'<iri>' for one IRI that code pastes into query or update text (a graph name, say).

    ValueError for anything that is not a plain IRI: such a value is a bug upstream, and pasting it
    would let it rewrite the query, so it is refused rather than escaped or dropped."""
    if not is_plain_iri(term):
        raise ValueError(f"not a plain IRI, refused in query text: {str(term)!r}")
    return f"<{term}>"


def sparql_prefixes(names: list[str] | None = None) -> str:
    """PREFIX lines for the given prefixes (all when None)."""
    chosen = PREFIXES if names is None else {n: PREFIXES[n] for n in names}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in chosen.items())
