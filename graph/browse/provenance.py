"""A source's provenance as plain data a page can say in sentences: what the source is (a web page,
a file, an approved submission), who published it and when, what it is about, its licence, and
where the knowledge graph lists it.

Read from the source's metadata (dcterms, schema:url, foaf:primaryTopic, sb:sourceFile) and, for a
submission, from its PROV record (`prov:generatedAtTime`, the moderation activity). The editor who
approved a submission is a pseudonymous agent and is never named. `COVERED` lists the properties
the account says, so a page can leave them out of its raw property lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV

from graph.namespaces import SB, SCHEMA, split_entity_iri
from graph.store.graphstore import GraphStore
from graph.store.present import Text, Value, format_value, pick_text, texts

# The properties the account puts into words (all of PROV too, see `covered`).
COVERED = {
    DCTERMS.title, DCTERMS.created, DCTERMS.issued, DCTERMS.license, DCTERMS.publisher, DCTERMS.creator,
    DCTERMS.isReferencedBy, FOAF.primaryTopic, SB.sourceFile, SCHEMA.url,
}
# Licences by their usual short names; another licence is named by its web site.
LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://data.overheid.nl/licenties/cc-0": "CC0",
}


def covered(predicate: str) -> bool:
    """Whether the account of a source says what this property states."""
    return URIRef(predicate) in COVERED or predicate.startswith(str(PROV))


@dataclass
class Link:
    iri: str
    label: Text
    kind: str | None = None  # IRI segment of an entity, None for a web address

    def as_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label.value, "kind": self.kind}


@dataclass
class Account:
    """What a source is, in parts a page words as sentences."""

    iri: str
    title: Text | None = None
    url: str | None = None
    site: str | None = None  # the host name of `url`
    file: str | None = None
    issued: Value | None = None
    publishers: list[Link] = field(default_factory=list)
    creators: list[Link] = field(default_factory=list)
    topics: list[Link] = field(default_factory=list)
    listed_in: list[Link] = field(default_factory=list)
    licence: Link | None = None
    submission: bool = False
    submitted: Value | None = None
    approved: Value | None = None

    def as_dict(self) -> dict[str, Any]:
        def raw(v: Value | None) -> str | None:
            return v.text.value if v else None

        return {
            "iri": self.iri, "title": self.title.value if self.title else None, "url": self.url, "site": self.site,
            "file": self.file, "issued": raw(self.issued),
            "publishers": [x.as_dict() for x in self.publishers], "creators": [x.as_dict() for x in self.creators],
            "topics": [x.as_dict() for x in self.topics], "listed_in": [x.as_dict() for x in self.listed_in],
            "licence": self.licence.as_dict() if self.licence else None,
            "submission": self.submission, "submitted": raw(self.submitted), "approved": raw(self.approved),
        }


def _site(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host or None


def source_account(store: GraphStore, source: URIRef | str, lang: str = "nl") -> Account:
    """The account of one source (a named graph described as sb:Source)."""
    source = URIRef(source)
    values: dict[URIRef, list[Any]] = {}
    for row in store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"s": source}):
        if isinstance(row["p"], URIRef):
            values.setdefault(row["p"], []).append(row["o"])

    def literals(p: URIRef) -> list[Literal]:
        return [o for o in values.get(p, []) if isinstance(o, Literal)]

    def iris(p: URIRef) -> list[URIRef]:
        return sorted({o for o in values.get(p, []) if isinstance(o, URIRef)})

    linked = iris(DCTERMS.publisher) + iris(DCTERMS.creator) + iris(FOAF.primaryTopic) + iris(DCTERMS.isReferencedBy)
    labels = texts(store, linked, lang)

    def links(p: URIRef) -> list[Link]:
        out = []
        for o in iris(p):
            parts = split_entity_iri(str(o))
            out.append(Link(str(o), labels.get(o, Text(str(o))), parts[0] if parts else None))
        return sorted(out, key=lambda x: x.label.value.lower())

    account = Account(str(source), title=pick_text(literals(DCTERMS.title), lang))
    url = next((str(o) for o in values.get(SCHEMA.url, [])), None)
    if url and url.startswith(("http://", "https://")):
        account.url, account.site = url, _site(url)
    account.file = next((str(o) for o in literals(SB.sourceFile)), None)
    issued = next(iter(literals(DCTERMS.issued)), None)
    account.issued = format_value(issued, str(DCTERMS.issued)) if issued is not None else None
    account.publishers, account.creators = links(DCTERMS.publisher), links(DCTERMS.creator)
    account.topics, account.listed_in = links(FOAF.primaryTopic), links(DCTERMS.isReferencedBy)
    licence = next(iter(iris(DCTERMS.license)), None)
    if licence is not None:
        account.licence = Link(str(licence), Text(LICENCES.get(str(licence)) or _site(str(licence)) or str(licence)))
    approved = next(iter(literals(PROV.generatedAtTime)), None)
    activities = iris(PROV.wasGeneratedBy)
    if approved is not None or activities:  # an approved submission (graph.submissions.rdf)
        account.submission = True
        account.approved = format_value(approved, str(PROV.generatedAtTime)) if approved is not None else None
        created = next(iter(literals(DCTERMS.created)), None)
        account.submitted = format_value(created, str(DCTERMS.created)) if created is not None else None
    return account

