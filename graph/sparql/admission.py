"""Admission of public queries beyond the concurrency limit: a budget of query seconds per client.

A client (address) may use `seconds_per_minute` seconds of query time in any sliding minute, counted
when its queries end (a query stopped at the time limit counts in full). Once it has used them, its
next query gets 429 with Retry-After: the time until enough of its earlier use has aged out. This is
how the Wikidata Query Service shares its workers between clients; the bounded wait for a worker
itself is in `graph.sparql.workers.QueryPool`.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

from graph.caching import SharedLRU
from graph.errors import N_, TooManyRequests
from graph.sparql.execute import number

WINDOW = 60.0  # seconds
MAX_CLIENTS = 10_000  # clients remembered at once (least recently seen forgotten first)


@dataclass
class _Spent:
    """One client's query time in the window: its uses in order, and their running total (so a check
    costs the same however many queries the client ran this minute)."""

    uses: deque[tuple[float, float]] = field(default_factory=deque)
    total: float = 0.0

    def age_out(self, now: float) -> None:
        while self.uses and self.uses[0][0] <= now - WINDOW:
            self.total -= self.uses.popleft()[1]
        if not self.uses:
            self.total = 0.0  # no drift from the float subtractions


class QueryBudget:
    """Query seconds per client per sliding minute; `seconds_per_minute <= 0` switches it off."""

    def __init__(self, seconds_per_minute: float, *, max_clients: int = MAX_CLIENTS) -> None:
        self.budget = float(seconds_per_minute)
        self._spent: SharedLRU[str, _Spent] = SharedLRU(max_clients)

    def check(self, client: str) -> None:
        """TooManyRequests (429, Retry-After) when `client` has used its budget of the last minute."""
        if self.budget <= 0:
            return
        now = time.monotonic()
        with self._spent.lock:
            spent = self._spent.get(client)
            if spent is None:
                return
            spent.age_out(now)
            used = spent.total
            if used < self.budget:
                return
            # Retry once enough of the earliest use has aged out to bring the total under the budget.
            excess, freed, retry = used - self.budget, 0.0, WINDOW
            for at, seconds in spent.uses:
                freed += seconds
                if freed > excess:
                    retry = at + WINDOW - now
                    break
        raise TooManyRequests(
            N_("you used %(used)s seconds of query time in the last minute, the most one client may use "
               "(%(budget)s); try again in %(retry)s s"),
            used=number(math.ceil(used)), budget=number(math.ceil(self.budget)), retry=number(max(1, math.ceil(retry))),
            retry_after=max(1, math.ceil(retry)),
        )

    def spend(self, client: str, seconds: float) -> None:
        """Record `seconds` of query time used by `client` now."""
        if self.budget <= 0:
            return
        with self._spent.lock:
            spent = self._spent.get(client)
            if spent is None:
                spent = _Spent()
                self._spent.put(client, spent)
            now = time.monotonic()
            spent.age_out(now)
            spent.uses.append((now, seconds))
            spent.total += seconds
