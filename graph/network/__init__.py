"""The graph as a network: the networkx projection of the store and its cache, the views built on
it (concept map, ego, paths, comparison, the pillar x sphere matrix), analytics, layout, the groups
of a map's nodes (by theme or by community), the vis-network payload and the exports (GraphML,
Turtle, standalone HTML).

May import graph.store and the shared top-level modules; nothing else in graph/.
"""
