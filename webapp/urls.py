"""URLs are built here, in one place: resource pages, their data twins, and site pages."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import url_for

from graph.namespaces import BASE, split_entity_iri
from webapp.negotiation import FORMATS

LOCAL_PAGES = (BASE + "id/", BASE + "def/", BASE + "graph/")


def is_local(iri: str) -> bool:
    """True for IRIs this site serves as pages (instances under id/, the vocabulary under def/, the
    named graphs under graph/)."""
    return str(iri).startswith(LOCAL_PAGES)


def resource_path(iri: str, fmt: str | None = None) -> str:
    """'/id/programma/gala' (or '.ttl' etc. with `fmt`) for a project IRI; the IRI itself otherwise."""
    text = str(iri)
    if not is_local(text):
        return text
    path = "/" + text[len(BASE) :]
    if fmt:
        path += "." + FORMATS[fmt].suffix
    return path


def resource_url(iri: str, fmt: str | None = None, **params: Any) -> str:
    """Link to a resource page (or its twin): the site's own path for project IRIs."""
    parts = split_entity_iri(str(iri))
    if parts is None:
        return resource_path(iri, fmt)
    kind, slug = parts
    return url_for("resources.resource", kind=kind, slug=slug + ("." + FORMATS[fmt].suffix if fmt else ""), **params)


def graph_page_url(iri: str, fmt: str | None = None) -> str | None:
    """The page describing a named graph (or its twin): '/graph/redactie/toekenningen' for the project's
    graphs, the resource page '/id/bron/<slug>' for a source; None for a graph named elsewhere."""
    text = str(iri)
    if split_entity_iri(text) is not None:
        return resource_url(text, fmt)
    if text.startswith(BASE + "graph/") and len(text) > len(BASE + "graph/"):
        name = text[len(BASE + "graph/") :] + ("." + FORMATS[fmt].suffix if fmt else "")
        return url_for("graphs.graph_page", name=name)
    return None


def iri_for_path(path: str) -> str:
    """The IRI a local path like '/id/programma/gala' stands for."""
    return BASE + path.lstrip("/")


# -- network views (webapp/network) -------------------------------------------------------------

def resource_url_function() -> Callable[[str], str]:
    """A fast `resource_url` for many IRIs at once (one url_for per call, then string work)."""
    template = url_for("resources.resource", kind="__kind__", slug="__slug__")

    def url_of(iri: str) -> str:
        parts = split_entity_iri(str(iri))
        if parts is None:
            return resource_path(iri)
        return template.replace("__kind__", parts[0]).replace("__slug__", parts[1])

    return url_of


def _ext(fmt: str | None) -> str | None:
    return FORMATS[fmt].suffix if fmt else None


def explore_url(fmt: str | None = None, **params: Any) -> str:
    """The concept map ('/verkennen'), or its twin in `fmt` ('/verkennen.json')."""
    return url_for("network.concept_map", ext=_ext(fmt), **params)


def ego_url(iri: str, fmt: str | None = None, **params: Any) -> str:
    """The ego network of an entity ('/verkennen/programma/gala?diepte=2'), or its twin."""
    parts = split_entity_iri(str(iri))
    if parts is None:
        raise ValueError(f"not an entity IRI: {iri}")
    kind, slug = parts
    return url_for("network.ego", kind=kind, slug=slug + ("." + FORMATS[fmt].suffix if fmt else ""), **params)


def ego_json_template(depth: int = 1) -> str:
    """The ego twin's URL with '__kind__' and '__slug__' to fill in (for scripts that expand nodes)."""
    return url_for("network.ego", kind="__kind__", slug="__slug__.json", diepte=depth)


def path_url(source: str | None = None, target: str | None = None, fmt: str | None = None, **params: Any) -> str:
    """'How are X and Y connected?' ('/pad?van=…&naar=…')."""
    if source:
        params["van"] = source
    if target:
        params["naar"] = target
    return url_for("network.paths", ext=_ext(fmt), **params)


def compare_url(programmes: Iterable[str] = (), fmt: str | None = None, **params: Any) -> str:
    """Programme comparison ('/vergelijk?programma=…&programma=…')."""
    chosen = list(programmes)
    if chosen:
        params["programma"] = chosen
    return url_for("network.compare", ext=_ext(fmt), **params)


def matrix_url(fmt: str | None = None, **params: Any) -> str:
    """The pillar x sphere matrix ('/matrix')."""
    return url_for("network.matrix", ext=_ext(fmt), **params)


def metrics_url(fmt: str | None = None, **params: Any) -> str:
    """Network metrics ('/metrieken')."""
    return url_for("network.metrics", ext=_ext(fmt), **params)
