"""Indexes derived from the store (such as the full-text search index), rebuilt with it.

`rebuild_all` runs after every build; each derived index also keeps itself in step with later
changes by listening to the store (see `GraphStore.add_listener`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from graph.store import GraphStore

Builder = Callable[[GraphStore, Path], None]


def builders() -> list[Builder]:
    """The derived-index builders, in order."""
    from graph.searchindex import build_search_index

    return [build_search_index]


def rebuild_all(store: GraphStore, data_dir: Path) -> None:
    for builder in builders():
        builder(store, data_dir)
