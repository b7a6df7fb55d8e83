"""The knowledge graph of the Dutch sociale basis: store, loading, validation and analysis.

This package holds everything that works on the data; it never imports Flask so that the CLI,
benchmarks and tests can use it without the web app.
"""

__version__ = "0.1.0"
