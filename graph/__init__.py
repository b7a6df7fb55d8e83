"""The knowledge graph of the Dutch sociale basis: store, loading, validation and analysis.

Everything that works on the data lives here, so that the CLI, benchmarks and tests use it
without the web app: graph/ never imports Flask. The top level holds the small shared pieces
(`namespaces`, `errors`, `settings`, `formats`, `caching`, `textproc`), which import nothing else
from graph/. Below them the areas are sub-packages, in this dependency order (each imports only
the shared pieces and the packages before it, never one after it):

    store  <-  search  <-  browse
    store  <-  network
    store  <-  sparql
    store  <-  submissions

docs/architecture.md draws the same picture; tests/test_architecture.py enforces it.
"""

__version__ = "0.1.0"
