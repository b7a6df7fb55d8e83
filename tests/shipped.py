"""The shipped ontology and data parsed once (rdflib), for tests about the curated content."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Dataset, Graph

from tests.conftest import ONTOLOGY, ROOT

DATA = ROOT / "data"


@lru_cache(maxsize=1)
def ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "sociale-basis.ttl", format="turtle")
    return g


@lru_cache(maxsize=1)
def data() -> Dataset:
    ds = Dataset(default_union=True)
    for path in sorted(DATA.rglob("*.trig")):
        ds.parse(path, format="trig")
    return ds
