"""The project's two cache shapes, both safe to share between threads.

- `SharedLRU`: cachetools' `LRUCache` behind one lock (search result sets, SPARQL service answers,
  data dumps, rate-limit windows), bounded by a number of entries or, with `getsizeof`, a total size.
- `PerStore`: a value derived from a whole store (the network, the vocabulary, the entity index,
  concept labels), kept per store object (weakly, so a closed store's value goes with it) until
  the store's `version` changes.

A shared top-level module: it imports nothing else from graph/.
"""

from __future__ import annotations

import threading
import weakref
from typing import Callable, Generic, Hashable, Protocol, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Versioned(Protocol):
    """What `PerStore` needs of a store: a number that changes whenever its contents do."""

    @property
    def version(self) -> int: ...


S = TypeVar("S", bound=Versioned)


class SharedLRU(Generic[K, V]):
    """An LRU cache of at most `maxsize` entries (or total `getsizeof`), safe to use from threads.

    `lock` is re-entrant, so a caller can hold it around a read-then-update of an entry.
    A `maxsize` of 0 keeps nothing (a cache that is switched off).
    """

    def __init__(self, maxsize: int, getsizeof: Callable[[V], float] | None = None) -> None:
        self.maxsize = maxsize
        self._getsizeof = getsizeof
        self._items: LRUCache[K, V] = LRUCache(maxsize=max(1, maxsize), getsizeof=getsizeof)
        self.lock = threading.RLock()

    def get(self, key: K) -> V | None:
        """The value of `key` (now the most recently used), or None."""
        with self.lock:
            return self._items.get(key)

    def put(self, key: K, value: V) -> bool:
        """Keep `value`, dropping the least recently used beyond the bound; False when it cannot
        fit at all (larger than the whole bound, or the cache is off)."""
        size = self._getsizeof(value) if self._getsizeof is not None else 1
        if self.maxsize <= 0 or size > self.maxsize:
            return False
        with self.lock:
            self._items[key] = value
        return True

    def discard(self, keep: Callable[[K], bool]) -> None:
        """Drop every entry whose key `keep` refuses (say, those of an older store version)."""
        with self.lock:
            for key in [k for k in self._items if not keep(k)]:
                del self._items[key]

    def keys(self) -> list[K]:
        with self.lock:
            return list(self._items)

    def clear(self) -> None:
        with self.lock:
            self._items.clear()

    @property
    def currsize(self) -> float:
        """Entries held, or their total size with `getsizeof`."""
        with self.lock:
            return self._items.currsize

    def __len__(self) -> int:
        with self.lock:
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self.lock:
            return key in self._items


class PerStore(Generic[S, V]):
    """`compute(store)`, kept per store until the store's version changes. One computation at a
    time: a second caller waits for the first instead of building the same value twice."""

    def __init__(self, compute: Callable[[S], V]) -> None:
        self._compute = compute
        self._items: weakref.WeakKeyDictionary[S, tuple[int, V]] = weakref.WeakKeyDictionary()
        self.lock = threading.RLock()

    def get(self, store: S) -> V:
        """The value for the store's current version, computed on first use and after each change."""
        with self.lock:
            cached = self._items.get(store)
            if cached is not None and cached[0] == store.version:
                return cached[1]
            version = store.version
            value = self._compute(store)
            self._items[store] = (version, value)
            return value

    def clear(self) -> None:
        with self.lock:
            self._items.clear()
