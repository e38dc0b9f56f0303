"""Per-client token buckets for the expensive routes (/ask, /compare), in process."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class TokenBucket:
    """``capacity`` requests at once, refilled at ``per_minute`` / 60 tokens a second, per client key."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until a token is free."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._store(client, tokens - 1.0, now)
                return 0.0
            self._store(client, tokens, now)
            return (1.0 - tokens) / self.rate

    def _store(self, client: str, tokens: float, now: float) -> None:
        if client not in self._buckets and len(self._buckets) >= self._max_clients:
            # Full buckets carry no state worth keeping; dropping them bounds memory under many clients.
            full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.capacity]
            for key in full:
                del self._buckets[key]
        self._buckets[client] = (tokens, now)


def retry_after_seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
