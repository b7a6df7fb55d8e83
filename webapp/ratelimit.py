"""Rate limits: an in-memory sliding window per client address and bucket ('submit', 'login', …).

`limit(bucket, rate)` counts the current request against `rate` ("COUNT/SECONDS", from the
settings) and raises TooManyRequests (429 with Retry-After) once the client is over it. Requests
are counted before anything else is checked, so failed ones (wrong CSRF token, bad password) count too.
The window lives in the process: one server process, one memory (waitress runs threads).
"""

from __future__ import annotations

import math
import time
from collections import deque
from typing import Callable

from flask import current_app, request

from graph.caching import SharedLRU
from graph.errors import N_, ConfigError, TooManyRequests

EXTENSION = "sociale_basis_ratelimiter"


def parse_rate(rate: str) -> tuple[int, float]:
    """'5/60' -> (5, 60.0): at most 5 requests in any 60 seconds."""
    try:
        count_text, seconds_text = str(rate).split("/", 1)
        count, seconds = int(count_text), float(seconds_text)
    except ValueError as exc:
        raise ConfigError(f"rate '{rate}' is not COUNT/SECONDS (like 5/60)") from exc
    if count < 1 or seconds <= 0:
        raise ConfigError(f"rate '{rate}' must allow at least 1 request in a positive number of seconds")
    return count, seconds


class SlidingWindowLimiter:
    """Timestamps of recent requests per (bucket, client); at most `max_clients` of them are kept,
    the least recently seen client is forgotten first."""

    def __init__(self, max_clients: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._hits: SharedLRU[tuple[str, str], deque[float]] = SharedLRU(max_clients)
        self.max_clients = max_clients
        self.clock = clock

    def hit(self, bucket: str, client: str, count: int, seconds: float) -> int | None:
        """Count one request; None when allowed, else the seconds until the client may try again."""
        now = self.clock()
        key = (bucket, client)
        with self._hits.lock:
            window = self._hits.get(key)
            if window is None:
                window = deque()
                self._hits.put(key, window)
            while window and window[0] <= now - seconds:
                window.popleft()
            if len(window) >= count:
                return max(1, math.ceil(window[0] + seconds - now))
            window.append(now)
            return None

    def reset(self) -> None:
        self._hits.clear()


def limiter() -> SlidingWindowLimiter:
    """The app's limiter (created on first use)."""
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = current_app.extensions.setdefault(EXTENSION, SlidingWindowLimiter())
    return found


def client_address() -> str:
    """The client's address (behind a proxy with TRUST_PROXY, ProxyFix has put the real one here)."""
    return request.remote_addr or "unknown"


def limit(bucket: str, rate: str) -> None:
    """Count this request in `bucket`; 429 with Retry-After when the client is over `rate`."""
    count, seconds = parse_rate(rate)
    retry = limiter().hit(bucket, client_address(), count, seconds)
    if retry is not None:
        raise TooManyRequests(
            N_("Too many requests; try again in %(seconds)s seconds."), seconds=retry,
            retry_after=retry,
        )
