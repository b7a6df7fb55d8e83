"""Shared pieces of the browse pages: RDF twins, negotiation headers, filters and paging from the
query string, and template helpers (URLs, language attributes, numbers)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote_plus, urlencode

import pyoxigraph as ox
from flask import Response, current_app, request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from graph import formats
from graph.caching import PerStore, SharedLRU
from graph.namespaces import KINDS_BY_SEGMENT, PREFIXES
from graph.store.graphstore import to_ox
from graph.store.labels import concept_labels
from graph.store.present import Text, pick_text
from webapp.i18n import date_text, get_lang, localized, number
from webapp.negotiation import FORMATS, media_type
from webapp.state import get_store
from webapp.urls import resource_url

# Linked Data formats of resource pages (direct negotiation, 200 + Vary: Accept).
RDF_TWINS = formats.RESOURCE_FORMATS

# Index pages per kind: Dutch paths.
INDEX_PATHS = {
    "programma": "programmas",
    "onderdeel": "onderdelen",
    "initiatief": "initiatieven",
    "publicatie": "publicaties",
    "organisatie": "organisaties",
    "plaats": "plaatsen",
    "persoon": "personen",
    "begrip": "begrippen",
    "bron": "bronnen",
}
PAGE_SIZE = 20
MAX_OFFSET = 10_000


def rdf_body(quads: Iterable[tuple[Any, Any, Any, Any]], fmt: str) -> bytes:
    """Quads as `fmt`: quad-only formats keep the source graphs, the others give each triple once."""
    if formats.quads_only(fmt):
        items: list[Any] = [
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph()) for s, p, o, g in quads
        ]
    else:
        seen: set[tuple[Any, Any, Any]] = set()
        items = []
        for s, p, o, _g in quads:
            if (s, p, o) not in seen:
                seen.add((s, p, o))
                items.append(ox.Triple(to_ox(s), to_ox(p), to_ox(o)))
    entry = formats.get(fmt)
    prefixes = PREFIXES if entry.prefixes else None
    return ox.serialize(items, format=entry.rdf_format, prefixes=prefixes) or b""


def negotiated(response: Response, *, suffix_given: bool, location: str | None = None,
               alternates: Mapping[str, str] | None = None) -> Response:
    """Headers of a negotiated answer: Vary, Content-Location of the chosen twin, Link to the others."""
    response.headers.add("Vary", "Accept")
    if location and not suffix_given:
        response.headers["Content-Location"] = location
    if alternates:
        response.headers["Link"] = ", ".join(
            f'<{url}>; rel="alternate"; type="{FORMATS[name].media_type}"' for name, url in alternates.items()
        )
    return response


def rdf_response(quads: list[tuple[Any, Any, Any, Any]], fmt: str) -> Response:
    return Response(rdf_body(quads, fmt), mimetype=media_type(fmt).split(";")[0],
                    content_type=media_type(fmt))


FILTER_VALUE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,120}$")


def filters_from_args(allowed: Iterable[str]) -> dict[str, list[str]]:
    allowed = set(allowed)
    out: dict[str, list[str]] = {}
    for name in allowed:
        # Filter values are slugs, kinds, class names or years: anything else is not a value we have.
        values = [v.strip() for v in request.args.getlist(name) if FILTER_VALUE_RE.match(v.strip())]
        if values:
            out[name] = sorted(set(values))[:10]
    return out


def page_args(size: int = PAGE_SIZE) -> tuple[int, int]:
    """(offset, page number) from ?pagina=N."""
    try:
        page = max(1, int(request.args.get("pagina", "1")))
    except ValueError:
        page = 1
    offset = min((page - 1) * size, MAX_OFFSET)
    return offset, offset // size + 1


def url_with(endpoint: str, base_args: Mapping[str, Any], **changes: Any) -> str:
    """A URL for `endpoint` with the current arguments changed (None removes one)."""
    args: dict[str, Any] = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in base_args.items()}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    args = {k: v for k, v in args.items() if v not in ("", [], None)}
    return url_for(endpoint) + ("?" + urlencode(args, doseq=True) if args else "")


def current_args(exclude: Iterable[str] = ("lang", "pagina")) -> dict[str, list[str]]:
    skip = set(exclude)
    return {k: request.args.getlist(k) for k in request.args if k not in skip}


_quoted_short = lru_cache(maxsize=16_384)(quote_plus)


def _quoted(text: str) -> str:
    """quote_plus, memoised for the short strings facet names and values are (the same few
    thousand from page to page); anything longer a visitor typed into the URL is not kept."""
    return _quoted_short(text) if len(text) <= 120 else quote_plus(text)


class FilterToggle:
    """`toggle(facet, value)`: the current page with `facet=value` added, or removed when it is
    already chosen (the facet links of a page). The current arguments are read, and the endpoint's
    URL and each argument's part of the query string built, once per page rather than once per link
    (a search page has some fifty): the same URLs as `url_with` gives."""

    def __init__(self, endpoint: str) -> None:
        self.path = url_for(endpoint)
        self.args = current_args()
        self.encoded = {k: urlencode({k: v}, doseq=True) for k, v in self.args.items() if v}

    def __call__(self, facet: str, value: str) -> str:
        values = list(self.args.get(facet, []))
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        parts = dict(self.encoded)
        if values:
            name = _quoted(facet)
            parts[facet] = "&".join(f"{name}={_quoted(v)}" for v in values)  # as urlencode(doseq=True) writes it
        else:
            parts.pop(facet, None)
        return self.path + ("?" + "&".join(parts.values()) if parts else "")


def index_url(kind: str, fmt: str | None = None, **params: Any) -> str:
    if kind not in INDEX_PATHS:
        return url_for("find.search")
    return url_for(f"lists.index_{kind}", **params) + ("" if not fmt else "")


def safe_url(endpoint: str, **params: Any) -> str | None:
    """url_for, or None when that page is not (yet) part of the app."""
    try:
        return url_for(endpoint, **params)
    except BuildError:
        return None


def hit_json(hit: Any) -> dict[str, Any]:
    """A search or list hit as plain JSON (the lists' and the search's twins)."""
    return {
        "iri": hit.iri,
        "url": resource_url(hit.iri),
        "label": hit.label.value,
        "label_lang": hit.label.lang,
        "kind": hit.kind,
        "type": hit.type,
        "description": hit.description.value if hit.description else None,
        "date": hit.date or None,
        "pillars": [{"value": p, "derived": d} for p, d in hit.pillars],
    }


def lang_attr(text: Text | None) -> Markup:
    """' lang="nl"' when the text is in another language than the page, else nothing."""
    if text is None or not getattr(text, "lang", "") or text.lang == get_lang():
        return Markup("")
    return Markup(' lang="{}"').format(escape(text.lang))


def num(value: int | float | str) -> str:
    return number(value)


def nice_date(value: str) -> str:
    return date_text(value) if value else ""


def kind_label(segment: str | None, plural: bool = False) -> str:
    kind = KINDS_BY_SEGMENT.get(segment or "")
    if kind is None:
        return segment or ""
    return localized(kind, "plural" if plural else "label")


_concept_labels: PerStore[Any, dict[str, list[Any]]] = PerStore(concept_labels)


def concept_label(slug: str) -> Text:
    """The label of a concept by slug (pillar badges): all concept labels in one query, kept
    until the store changes."""
    found = pick_text(_concept_labels.get(get_store()).get(slug, []), get_lang())
    return found or Text(slug.replace("-", " ").capitalize())


PAGE_CACHE = "sociale_basis_pages"


def cached_page(render: Callable[[], str], *, also: int = 0) -> str:
    """A rendered page, kept per store version, language, host and URL until the store changes:
    a resource or search page holds nothing per visitor, so a second visit of a heavy page costs a
    lookup instead of its queries and its template (graph/caching.SharedLRU, bounded by
    PAGE_CACHE_MB). `also` is one more thing the page depends on (the search index's generation)."""
    budget = int(current_app.config.get("PAGE_CACHE_MB", 0)) * 1024 * 1024
    if budget <= 0:
        return render()
    cache: SharedLRU[tuple[int, str, str, str, int], str] | None = current_app.extensions.get(PAGE_CACHE)
    if cache is None:
        cache = current_app.extensions.setdefault(PAGE_CACHE, SharedLRU(budget, getsizeof=len))
    version = get_store().version
    key = (version, get_lang(), request.host, request.full_path, also)
    page = cache.get(key)
    if page is None:
        page = render()
        if cache.put(key, page):
            cache.discard(lambda k: k[0] == version)  # pages of an older store version go
    return page


def group_label(group: Any) -> Text:
    """A relation group's heading: its label, or, where the vocabulary gives no backward reading of an
    incoming relation, 'is <label> of' worded in the page's language."""
    if getattr(group, "backward", False):
        return Text(gettext("is %(label)s of", label=group.label.value), group.label.lang)
    return group.label


def word_backward(groups: list[dict[str, Any]]) -> None:
    """The JSON twin's incoming groups get the same headings as the page (in place)."""
    for g in groups:
        if g.get("backward"):
            g["label"] = gettext("is %(label)s of", label=g["label"])


def template_helpers() -> dict[str, Any]:
    return {
        "group_label": group_label,
        "resource_url": resource_url,
        "index_url": index_url,
        "safe_url": safe_url,
        "lang_attr": lang_attr,
        "num": num,
        "nice_date": nice_date,
        "kind_label": kind_label,
        "concept_label": concept_label,
        "INDEX_PATHS": INDEX_PATHS,
    }
