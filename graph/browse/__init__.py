"""Reading the graph as pages: a resource described (relations, provenance), concept schemes as
trees, the library of publications, and the vocabulary (/def/) as plain data for the views.

May import graph.search, graph.store and the shared top-level modules.
"""
