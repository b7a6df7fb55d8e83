"""URLs are built here, in one place: resource pages, their data twins, and site pages."""

from __future__ import annotations

from flask import url_for

from graph.namespaces import BASE, split_entity_iri
from webapp.negotiation import FORMATS


def is_local(iri: str) -> bool:
    """True for IRIs this site serves as pages (instances under id/ and the vocabulary under def/)."""
    return str(iri).startswith(BASE + "id/") or str(iri).startswith(BASE + "def/")


def resource_path(iri: str, fmt: str | None = None) -> str:
    """'/id/programma/gala' (or '.ttl' etc. with `fmt`) for a project IRI; the IRI itself otherwise."""
    text = str(iri)
    if not is_local(text):
        return text
    path = "/" + text[len(BASE) :]
    if fmt:
        path += "." + FORMATS[fmt].suffix
    return path


def resource_url(iri: str, fmt: str | None = None, **params: str) -> str:
    """Link to a resource page (or its twin): the site's own path for project IRIs."""
    parts = split_entity_iri(str(iri))
    if parts is None:
        return resource_path(iri, fmt)
    kind, slug = parts
    return url_for("browse.resource", kind=kind, slug=slug + ("." + FORMATS[fmt].suffix if fmt else ""), **params)


def iri_for_path(path: str) -> str:
    """The IRI a local path like '/id/programma/gala' stands for."""
    return BASE + path.lstrip("/")
