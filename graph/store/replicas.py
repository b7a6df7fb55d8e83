"""Read scaling on Oxigraph server: one writer (`oxigraph serve`), any number of read-only servers
(`oxigraph serve-read-only`), each serving a snapshot of the writer's dataset.

A snapshot is taken through the writer's Graph Store Protocol (`GET` of the whole dataset as
N-Quads: one consistent read) and bulk-loaded into a new store folder with pyoxigraph, the same
engine and storage format the server uses. (`oxigraph backup` of a store another process has open
sees only what that process has flushed, so it can miss the latest approvals.) Snapshots go into
numbered folders beside a `current` link that is switched atomically; a reader is swapped to the
new snapshot by restarting it on `current` (docs/deploy.md shows a systemd unit for it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.request import Request, urlopen

import pyoxigraph as ox

from graph.errors import StoreError

CURRENT = "current"
KEEP = 3  # snapshots kept: the current one and the two before it (a reader may still be on one)


@dataclass(frozen=True)
class Snapshot:
    path: Path
    quads: int
    seconds_read: float
    seconds_load: float


def take_snapshot(store_url: str, folder: str | Path, *, timeout: float = 300.0) -> Snapshot:
    """Copy the writer's whole dataset into a new store under `folder` and make it `current`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".nq", delete=False) as dump:
        request = Request(store_url, headers={"Accept": "application/n-quads"})
        try:
            with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured writer
                shutil.copyfileobj(response, dump, 1 << 20)
        except OSError as exc:
            Path(dump.name).unlink(missing_ok=True)
            raise StoreError(f"cannot read the dataset from {store_url}: {exc}") from exc
    read = time.perf_counter() - started
    target = folder / f"snapshot-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 1_000_000_000:09d}"
    try:
        store = ox.Store(str(target))
        store.bulk_load(path=dump.name, format=ox.RdfFormat.N_QUADS)
        store.flush()
        quads = len(store)
        del store
    finally:
        Path(dump.name).unlink(missing_ok=True)
    _switch(folder, target)
    _prune(folder)
    return Snapshot(target, quads, read, time.perf_counter() - started - read)


def current(folder: str | Path) -> Path:
    """The folder of the current snapshot (what `current` links to)."""
    return (Path(folder) / CURRENT).resolve()


def _switch(folder: Path, target: Path) -> None:
    """Point `current` at `target` in one step (a new link renamed over the old one)."""
    link = folder / CURRENT
    fresh = folder / f".{CURRENT}.{os.getpid()}"
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(target.name)
    os.replace(fresh, link)


def _prune(folder: Path) -> None:
    keep = current(folder)
    snapshots = sorted(p for p in folder.glob("snapshot-*") if p.is_dir())
    for old in snapshots[:-KEEP]:
        if old.resolve() != keep:
            shutil.rmtree(old, ignore_errors=True)
