"""The dataset a query runs on: the store's own default graph, or the graphs FROM / the protocol name.

Oxigraph matches a triple pattern against several FROM graphs as a bag: a triple stated in two of
them is matched twice (oxigraph#1919, still so in pyoxigraph 0.5.13), so COUNT(*) with FROM of
every graph gave 1067 where the data holds 1066. SPARQL 1.1 (section 13.2) makes the default graph
the RDF merge of the FROM graphs, a set. So with two or more FROM graphs the query runs on a merge:

* when they are all of the store's graphs, the store's own default graph, which the build keeps as
  the union of all graphs as a set (no copy);
* otherwise an in-memory store holding the merge as its default graph and the FROM NAMED graphs as
  its named graphs. Making one copies those graphs; a worker keeps the last few for the next query
  with the same dataset, and drops them when the store changes.

Without a dataset the query runs on the store's default graph, as before.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pyoxigraph as ox

# A graph name no data uses: the empty default graph of a query that only names named graphs.
EMPTY_GRAPH = "urn:x-sociale-basis:empty-default-graph"
MERGES_KEPT = 4


class Datasets:
    """One worker's way from a job's dataset to (store to query, keyword arguments for `query`)."""

    def __init__(self, kept: int = MERGES_KEPT) -> None:
        self.kept = kept
        self._owner: object = None
        self._merges: OrderedDict[tuple[tuple[str, ...], tuple[str, ...]], ox.Store] = OrderedDict()

    def target(
        self,
        store: ox.Store,
        default_graphs: tuple[str, ...] | None,
        named_graphs: tuple[str, ...] | None,
    ) -> tuple[ox.Store, dict[str, Any]]:
        """None for both: the store's default graph (the union); otherwise exactly the named graphs."""
        if default_graphs is None and named_graphs is None:
            return store, {}
        default = tuple(dict.fromkeys(default_graphs or ()))  # FROM <a> FROM <a> is still <a> once
        named = tuple(dict.fromkeys(named_graphs or ()))
        named_kwargs = [ox.NamedNode(g) for g in named]
        if not default:
            # Only FROM NAMED / named-graph-uri: the default graph is empty (SPARQL 1.1, 13.2).
            return store, {"default_graph": [ox.NamedNode(EMPTY_GRAPH)], "named_graphs": named_kwargs}
        if len(default) == 1:
            return store, {"default_graph": [ox.NamedNode(default[0])], "named_graphs": named_kwargs}
        # The merge is the default graph of the store that is queried; naming it (and the named
        # graphs) also overrides the query's own FROM clauses, which name graphs a merge lacks.
        merged = {"default_graph": [ox.DefaultGraph()], "named_graphs": named_kwargs}
        if set(default) == _graph_names(store):
            return store, merged
        return self._merge(store, default, named), merged

    def _merge(self, store: ox.Store, default: tuple[str, ...], named: tuple[str, ...]) -> ox.Store:
        if self._owner is not store:  # another store, or the same one opened again after a change
            self._owner = store
            self._merges.clear()
        key = (tuple(sorted(default)), tuple(sorted(named)))
        merged = self._merges.get(key)
        if merged is None:
            merged = ox.Store()
            for graph in default:
                merged.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object)
                    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
                )
            for graph in named:
                merged.bulk_extend(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            self._merges[key] = merged
            while len(self._merges) > self.kept:
                self._merges.popitem(last=False)
        else:
            self._merges.move_to_end(key)
        return merged


def _graph_names(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
