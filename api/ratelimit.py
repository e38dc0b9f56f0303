"""Per-client token buckets for the expensive routes (/search, /ask, /compare), in process, charged by cost.

A flat count let one client send 2,000-character queries at the rate of short ones (each about 2 s of CPU):
two such clients saturated the machine. A request is charged in units of what a short question costs, so a
client's budget is CPU time rather than a number of calls.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from core.settings import ApiSettings


class TokenBucket:
    """``capacity`` requests at once, refilled at ``per_minute`` / 60 tokens a second, per client key."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, cost: float = 1.0) -> float:
        """0 when the request may go ahead (``cost`` tokens are taken), else the seconds until enough are free.
        A request dearer than the whole bucket waits for a full one, so no request is refused for ever."""
        cost = min(max(cost, 0.0), self.capacity)
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= cost:
                self._store(client, tokens - cost, now)
                return 0.0
            self._store(client, tokens, now)
            return (cost - tokens) / self.rate

    def _store(self, client: str, tokens: float, now: float) -> None:
        if client not in self._buckets and len(self._buckets) >= self._max_clients:
            # Full buckets carry no state worth keeping; dropping them bounds memory under many clients.
            full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.capacity]
            for key in full:
                del self._buckets[key]
        self._buckets[client] = (tokens, now)


def retry_after_seconds(wait: float) -> int:
    return max(1, math.ceil(wait))


def request_cost(chars: int, passages: int, api: ApiSettings) -> float:
    """What a request costs in units: 1 for a short question asking few passages, more for a long or wide one."""
    return max(1.0, chars / api.cost_chars_per_unit + passages / api.cost_k_per_unit)
