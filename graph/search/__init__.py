"""Full-text search: the SQLite FTS5 index kept in step with the store, ranked queries with
facets, and the text documents the index is built from.

May import graph.store and the shared top-level modules; nothing else in graph/.
"""
