"""Facets of a result set: per facet the values with their counts, the most frequent first.

Counts come from `IndexArrays.counts` (over every result, not only the page shown). Values that
are entities (themes, pillars, organisations, programmes, places) are labelled from the index's own
document rows, the store is asked only for those the index does not hold.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np
from rdflib import URIRef

from graph.errors import N_
from graph.namespaces import KINDS_BY_SEGMENT, SB, SLUG_RE, entity_iri
from graph.search.arrays import IndexArrays
from graph.search.docs import FACET_VALUE_KINDS
from graph.store.graphstore import GraphStore
from graph.store.present import Text, texts

# Facet titles as message ids (English; webapp translates them through the catalogs).
FACET_LABELS: dict[str, str] = {
    "kind": N_("Kind"),
    "type": N_("Type"),
    "theme": N_("Theme"),
    "editorial_theme": N_("Theme (editorial)"),
    "pillar": N_("Pillar"),
    "editorial_pillar": N_("Pillar (editorial)"),
    "sphere": N_("Sphere"),
    "editorial_sphere": N_("Sphere (editorial)"),
    "organisation": N_("Organisation"),
    "publisher": N_("Publisher"),
    "programme": N_("Programme"),
    "place": N_("Place"),
    "year": N_("Year"),
}
SEARCH_FACETS = ("kind", "theme", "editorial_theme", "pillar", "editorial_pillar", "sphere", "editorial_sphere",
                 "organisation", "programme", "place", "year")
FACET_VALUES_SHOWN = 12
ALL_VALUES_SHOWN = {"kind", "year", "pillar", "editorial_pillar", "sphere", "editorial_sphere", "type"}


@dataclass
class FacetValue:
    value: str
    label: Text
    count: int
    selected: bool
    iri: str | None = None


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    hidden: int = 0  # further values not shown


def facet_label(name: str) -> str:
    """The facet's title as a message id (the name itself for a facet without one)."""
    return FACET_LABELS.get(name, name)


@lru_cache(maxsize=65_536)
def value_iri(facet: str, value: str) -> str | None:
    """The IRI a facet value stands for (a theme, pillar, organisation, ... or a class), or None
    (memoised: a search page asks for some fifty values, mostly the same ones)."""
    if not SLUG_RE.match(value) and not (facet == "type" and value.isidentifier()):
        return None
    if facet in FACET_VALUE_KINDS:
        return str(entity_iri(FACET_VALUE_KINDS[facet], value))
    if facet == "type":
        return str(SB[value])
    return None


def pick_column(values: dict[str, str], lang: str) -> Text | None:
    for candidate in (lang, "nl", "en", ""):
        if values.get(candidate):
            return Text(values[candidate], candidate)
    return None


def entity_labels(conn: sqlite3.Connection, store: GraphStore, iris: list[str], lang: str) -> dict[str, Text]:
    """Labels of entities from the index's documents; the store labels the rest."""
    out: dict[str, Text] = {}
    wanted = list(dict.fromkeys(iris))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            f"SELECT iri, label_nl, label_en, label_x FROM docs WHERE iri IN ({','.join('?' * len(chunk))})", chunk
        )
        for iri, l_nl, l_en, l_x in rows:
            label = pick_column({"nl": l_nl, "en": l_en, "": l_x}, lang)
            if label:
                out[iri] = label
    missing = [URIRef(i) for i in wanted if i not in out]
    if missing:
        out.update({str(k): v for k, v in texts(store, missing, lang).items()})
    return out


def _chosen_values(
    arrays: IndexArrays, counts: np.ndarray, name: str, filters: Mapping[str, list[str]]
) -> tuple[list[tuple[str, int]], int]:
    """The values of one facet to show with their counts, and how many have a count at all."""
    fids = arrays.fids_by_facet.get(name, np.zeros(0, dtype=np.int64))
    fids = fids[fids < len(counts)]
    nonzero = fids[counts[fids] > 0]
    total = int(len(nonzero))
    if name not in ALL_VALUES_SHOWN and len(nonzero) > FACET_VALUES_SHOWN:
        nonzero = nonzero[np.argpartition(-counts[nonzero], FACET_VALUES_SHOWN - 1)[:FACET_VALUES_SHOWN]]
    values = [(arrays.by_id[int(f)][1], int(counts[f])) for f in nonzero]
    if name == "year":
        values.sort(key=lambda vn: vn[0], reverse=True)
    else:
        values.sort(key=lambda vn: (-vn[1], vn[0]))
    shown = {v for v, _ in values}
    for value in filters.get(name, []):
        if value not in shown:
            fid = arrays.by_value.get((name, value))
            values.append((value, int(counts[fid]) if fid is not None and fid < len(counts) else 0))
    return values, total


def facets(conn: sqlite3.Connection, store: GraphStore, arrays: IndexArrays, counts: np.ndarray,
           filters: Mapping[str, list[str]], names: Iterable[str], lang: str) -> list[Facet]:
    """The facets `names` of a result set whose counts per value id are `counts`."""
    names = list(names)
    chosen = {name: _chosen_values(arrays, counts, name, filters) for name in names}
    iris = [iri for name in names if name != "kind" for value, _ in chosen[name][0] if (iri := value_iri(name, value))]
    labels = entity_labels(conn, store, [i for i in iris if not i.startswith(str(SB))], lang)
    if any(i.startswith(str(SB)) for i in iris):
        labels.update({str(k): v for k, v in texts(store, [URIRef(i) for i in iris if i.startswith(str(SB))], lang).items()})
    order = list(KINDS_BY_SEGMENT)
    out: list[Facet] = []
    for name in names:
        values_counts, total = chosen[name]
        values = []
        for value, n in values_counts:
            iri = value_iri(name, value)
            if name == "kind":
                k = KINDS_BY_SEGMENT.get(value)
                label = Text((k.plural_en if lang == "en" else k.plural_nl) if k else value, lang)
            elif iri:
                label = labels.get(iri, Text(value))
            else:
                label = Text(value)
            values.append(FacetValue(value, label, n, value in filters.get(name, []), iri))
        if name == "kind":
            values.sort(key=lambda fv: order.index(fv.value) if fv.value in order else 99)
        if values:
            out.append(Facet(name, facet_label(name), values, max(0, total - len(values))))
    return out
