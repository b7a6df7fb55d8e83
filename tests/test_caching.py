"""graph.caching.SharedLRU: the one bounded cache (by entries or by total size), least recently used out first."""

from __future__ import annotations

import threading

from graph.caching import SharedLRU


def test_bounded_by_entries_least_recently_used_out() -> None:
    cache: SharedLRU[str, int] = SharedLRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the least recently used
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_bounded_by_size() -> None:
    cache: SharedLRU[str, bytes] = SharedLRU(10, getsizeof=len)
    assert cache.put("a", b"12345")
    assert cache.put("b", b"1234")
    assert cache.put("c", b"123")  # 12 > 10: "a" goes
    assert cache.keys() == ["b", "c"] and cache.currsize == 7
    assert not cache.put("big", b"x" * 11)  # larger than the whole budget: not kept, nothing dropped
    assert cache.keys() == ["b", "c"]


def test_size_zero_keeps_nothing() -> None:
    cache: SharedLRU[str, int] = SharedLRU(0)
    assert not cache.put("a", 1)
    assert cache.get("a") is None and len(cache) == 0


def test_discard_and_clear() -> None:
    cache: SharedLRU[tuple[int, str], int] = SharedLRU(10)
    for version in (1, 2):
        for path in ("x", "y"):
            cache.put((version, path), version)
    cache.discard(lambda key: key[0] == 2)
    assert sorted(cache.keys()) == [(2, "x"), (2, "y")]
    cache.clear()
    assert len(cache) == 0


def test_threads_share_it() -> None:
    cache: SharedLRU[int, int] = SharedLRU(50)

    def work(start: int) -> None:
        for n in range(start, start + 500):
            cache.put(n % 80, n)
            cache.get((n * 7) % 80)

    threads = [threading.Thread(target=work, args=(i * 1000,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 50


class _Store:
    """Anything with a version: PerStore asks no more of a store."""

    def __init__(self) -> None:
        self.version = 1


def test_per_store_keeps_a_value_until_the_store_changes():
    from graph.caching import PerStore

    calls: list[int] = []
    memo: PerStore = PerStore(lambda store: calls.append(store.version) or f"v{store.version}")
    first, second = _Store(), _Store()
    assert memo.get(first) == "v1" and memo.get(first) == "v1"
    assert calls == [1]  # computed once
    assert memo.get(second) == "v1" and calls == [1, 1]  # per store object
    first.version = 2
    assert memo.get(first) == "v2" and calls == [1, 1, 2]


def test_per_store_computes_once_when_threads_ask_together():
    import threading
    import time

    from graph.caching import PerStore

    calls: list[int] = []

    def slow(store):
        calls.append(1)
        time.sleep(0.05)
        return "value"

    memo: PerStore = PerStore(slow)
    store = _Store()
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(memo.get(store))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["value"] * 8 and calls == [1]


def test_per_store_lets_a_closed_store_go():
    import gc

    from graph.caching import PerStore

    memo: PerStore = PerStore(lambda store: "value")
    store = _Store()
    memo.get(store)
    del store
    gc.collect()
    assert len(memo._items) == 0
