"""The store, opened once per app and reached through one accessor."""

from __future__ import annotations

from flask import Flask, current_app

from graph.build import open_store
from graph.store import GraphStore

EXTENSION = "sociale_basis_store"


def init_app(app: Flask) -> None:
    store = open_store(app.config)
    app.extensions[EXTENSION] = store


def get_store() -> GraphStore:
    """The app's store (the one accessor views use)."""
    return current_app.extensions[EXTENSION]
