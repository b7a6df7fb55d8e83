"""Likely duplicates of a submission: the same URL, or a (nearly) identical title, among the
publications in the graph and the other submissions."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, Mapping
from urllib.parse import urlsplit

from graph.store.graphstore import GraphStore
from graph.store.labels import pick
from graph.submissions.entity_index import fold
from graph.submissions.store import Submission, SubmissionStore

TITLE_SIMILARITY = 0.9
PUBLICATIONS_QUERY = """
SELECT ?s ?l ?u WHERE {
  ?s a/rdfs:subClassOf* sb:Publication .
  OPTIONAL { ?s rdfs:label ?l }
  OPTIONAL { ?s schema:url ?u }
}
"""


def normalize_url(url: str) -> str:
    """Compare URLs without scheme, 'www.', default port, trailing slash or fragment."""
    text = url.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return text.lower()
    if host.startswith("www."):
        host = host[4:]
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    return f"{netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def title_similarity(a: str, b: str) -> float:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    return SequenceMatcher(None, fa, fb).ratio()


def find_duplicates(store: GraphStore, subs: SubmissionStore, data: Mapping[str, Any], exclude: Submission | None = None) -> list[dict[str, Any]]:
    """[{where: 'graph'|'submission', reason: 'url'|'title', similarity, label, iri | id+status}], best first."""
    url = normalize_url(str(data.get("url") or ""))
    title = str(data.get("title") or "")
    found: list[dict[str, Any]] = []
    own_pub = exclude.publication_iri if exclude else None
    publications: dict[str, dict[str, Any]] = {}
    for row in store.select(PUBLICATIONS_QUERY):
        item = publications.setdefault(str(row["s"]), {"labels": [], "urls": set()})
        if "l" in row:
            item["labels"].append(row["l"])
        if "u" in row:
            item["urls"].add(str(row["u"]))
    for iri, item in publications.items():
        if iri == own_pub:
            continue
        label = pick(item["labels"], "nl") or iri
        reasons = _reasons(url, title, {normalize_url(u) for u in item["urls"]}, [str(text) for text in item["labels"]])
        for reason, similarity in reasons:
            found.append({"where": "graph", "reason": reason, "similarity": similarity, "label": label, "iri": iri})
    for other in subs.list(None, limit=1_000_000):
        if exclude is not None and other.id == exclude.id:
            continue
        reasons = _reasons(url, title, {normalize_url(str(other.data.get("url") or ""))} - {""}, [other.title])
        for reason, similarity in reasons:
            found.append({"where": "submission", "reason": reason, "similarity": similarity, "label": other.title,
                          "id": other.id, "status": other.status})
    found.sort(key=lambda d: (d["reason"] != "url", -d["similarity"]))
    return found


def _reasons(url: str, title: str, urls: set[str], titles: list[str]) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    if url and url in urls:
        out.append(("url", 1.0))
    best = max((title_similarity(title, t) for t in titles), default=0.0)
    if best >= TITLE_SIMILARITY:
        out.append(("title", round(best, 2)))
    return out
