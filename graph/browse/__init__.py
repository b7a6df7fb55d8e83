"""Reading the graph as pages: a resource described (relations, provenance, its themes, pillars and
spheres with their quoted evidence), concept schemes as trees, the library of publications, the
municipality lens, and the vocabulary (/def/) as plain data for the views.

May import graph.search, graph.store and the shared top-level modules.
"""
