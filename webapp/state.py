"""The store, opened once per app and reached through one accessor."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from graph.search.index import open_index
from graph.search.searcher import Searcher
from graph.store.build import open_store
from graph.store.graphstore import GraphStore

EXTENSION = "sociale_basis_store"
SEARCH = "sociale_basis_search"


def init_app(app: Flask) -> None:
    store = open_store(app.config)
    app.extensions[EXTENSION] = store
    # The search index: rebuilt if missing or stale, then kept in step with every store change.
    index = open_index(store, Path(app.config["DATA_DIR"]))
    store.add_listener(index.on_change)
    app.extensions[SEARCH] = Searcher(index)
    app.extensions[SEARCH].warm()


def get_store() -> GraphStore:
    """The app's store (the one accessor views use)."""
    return current_app.extensions[EXTENSION]


def get_searcher() -> Searcher:
    """The app's full-text search over the store."""
    return current_app.extensions[SEARCH]
