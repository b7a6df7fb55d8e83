"""Knowledge submitted by visitors: the submission store (SQLite; never in the graph while
pending), form fields and their checks, the Kennisplein criteria, duplicate detection against
known entities, moderation (approval into a named graph with PROV, withdrawal) and export/import.

May import graph.store and the shared top-level modules; nothing else in graph/.
"""
