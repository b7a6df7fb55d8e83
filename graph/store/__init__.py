"""The store: the `GraphStore` interface (Oxigraph on disk, or a remote SPARQL 1.1 server in
`remote`: Oxigraph server or Virtuoso), snapshots of a remote writer for read-only copies
(`replicas`), the content-hash build from the shipped files, RDF file handling, SHACL validation, statistics, the
label and value readers (`labels`, `present`) every other area uses to show a resource, the named
graphs with their kind and labels (`namedgraphs`), and the
generators of shipped data from the source documents (`identifiers`; `assign` with `evidence`,
the quoted phrases behind every theme, pillar and sphere assignment).

May import only the shared top-level modules of graph/ (namespaces, errors, settings, formats,
caching, textproc). Indexes derived from the store (search) are passed into `build` by the
caller, so the store never imports the packages above it.
"""
