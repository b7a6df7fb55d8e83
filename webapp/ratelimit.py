"""Rate limits per client address and bucket ('submit', 'login', 'check'), through Flask-Limiter's
storage layer (the `limits` library).

`limit(bucket, rate)` counts the current request against `rate` ("COUNT/SECONDS", from the
settings) and raises TooManyRequests (429 with Retry-After, worded by the app's error handler in
the client's format and language) once the client is over it. Requests are counted before anything
else is checked, so failed ones (wrong CSRF token, bad password) count too; a refused request is not
counted. The window slides: at most COUNT requests in any SECONDS (limits' moving window).

The counters live where RATELIMIT_STORAGE says (a Flask-Limiter storage URI): `memory://` in the
process, or `redis://host:port/db`, shared by every web process that uses it. When that storage
cannot be reached, requests are let through and the failure is logged: the per-account sign-in
backoff (graph.submissions.audit) lives in the submissions database and still holds.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, request
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from graph.errors import N_, ConfigError, TooManyRequests

EXTENSION = "sociale_basis_ratelimiter"
KEY_PREFIX = "sociale-basis"  # first part of every counter's key, so a shared Redis can hold other things too

log = logging.getLogger(__name__)


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/60' -> (5, 60): at most 5 requests in any 60 seconds (whole seconds, as Redis expiries are)."""
    try:
        count_text, seconds_text = str(rate).split("/", 1)
        count, seconds = int(count_text), int(seconds_text)
    except ValueError as exc:
        raise ConfigError(f"rate '{rate}' is not COUNT/SECONDS in whole numbers (like 5/60)") from exc
    if count < 1 or seconds < 1:
        raise ConfigError(f"rate '{rate}' must allow at least 1 request in at least 1 second")
    return count, seconds


def init_app(app: Flask) -> None:
    """Open the counters' storage (RATELIMIT_STORAGE) with Flask-Limiter's storage layer, the `limits`
    library, and its moving-window strategy. Flask-Limiter's request hook is not installed: it would
    look for route limits on every request, and every limit here is a `limit()` call. Checks the
    configured rates at start."""
    for name in ("SUBMIT_RATE", "LOGIN_RATE", "CHECK_RATE"):
        parse_rate(app.config[name])
    storage = storage_from_string(app.config["RATELIMIT_STORAGE"], wrap_exceptions=True)
    app.extensions[EXTENSION] = MovingWindowRateLimiter(storage)


def limiter() -> MovingWindowRateLimiter:
    """The app's rate limiter (a `limits` strategy on the configured storage)."""
    return current_app.extensions[EXTENSION]


def client_address() -> str:
    """The client's address (behind a proxy with TRUST_PROXY, ProxyFix has put the real one here)."""
    return request.remote_addr or "unknown"


def limit(bucket: str, rate: str) -> None:
    """Count this request in `bucket`; 429 with Retry-After when the client is over `rate`."""
    count, seconds = parse_rate(rate)
    item: RateLimitItem = RateLimitItemPerSecond(count, seconds)
    keys = (KEY_PREFIX, bucket, client_address())
    strategy = limiter()
    try:
        if strategy.hit(item, *keys):
            return
        reset_at = strategy.get_window_stats(item, *keys).reset_time
    except StorageError as exc:  # the storage (Redis) is down: let the request through, say so in the log
        log.warning("rate limit storage unavailable, %s not counted: %s", bucket, exc)
        return
    retry = max(1, math.ceil(reset_at - time.time()))
    raise TooManyRequests(
        N_("Too many requests; try again in %(seconds)s seconds."), seconds=retry,
        retry_after=retry,
    )
