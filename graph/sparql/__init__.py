"""The public SPARQL service: the query checker (read-only, no SERVICE, bounded), killable worker
processes with a deadline, execution and result serialisation, pass-through to a remote store,
the saved example queries, and the VoID/DCAT description with its dumps.

May import graph.store and the shared top-level modules; nothing else in graph/.
"""
