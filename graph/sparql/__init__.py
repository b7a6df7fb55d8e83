"""The public SPARQL service: the query checker (read-only, no SERVICE, bounded), killable worker
processes with a deadline, execution and result serialisation, pass-through to a remote store,
the saved example queries and their parameter choices, the editor's completion, the VoID/DCAT
description with its dumps, and one named graph described for its page (`namedgraph`).

May import graph.store and the shared top-level modules; nothing else in graph/.
"""

# The base IRI of every public query: relative IRIs (`CONSTRUCT { <s> <p> 1 } WHERE {}`) resolve
# against the site's base rather than the host the request came to, so a query means the same on
# every mirror and a relative name lands in the dataset's own namespace. It is graph.namespaces.BASE
# (a test keeps them equal), written out here so that query worker processes need not import rdflib.
QUERY_BASE = "https://w3id.org/sociale-basis/"
