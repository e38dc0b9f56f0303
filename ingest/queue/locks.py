"""Locks in Redis that outlive no worker: renewed while their holder runs, expiring soon after it dies.

A document's lock makes sure one worker at a time ingests a given content (a task delivered again while its
first delivery still runs, or the same file queued twice); the lexical index's lock serialises its rebuilds,
each read from the store after the lock is taken, so the last one saved holds every committed document.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from redis.exceptions import LockError

logger = logging.getLogger(__name__)

LEXICAL_LOCK = "banding-kota:lock:lexical"


class LockBusy(Exception):
    """Another live worker holds the lock."""


def document_lock_name(doc_id: str) -> str:
    return f"banding-kota:lock:doc:{doc_id}"


@contextmanager
def held_lock(client: redis.Redis, name: str, ttl_s: float, *, wait: bool) -> Iterator[None]:
    """Hold ``name`` for the block; ``wait=False`` raises :class:`LockBusy` at once when it is taken."""
    lock = client.lock(name, timeout=ttl_s, thread_local=False)
    if not lock.acquire(blocking=wait, blocking_timeout=None):
        raise LockBusy(name)
    stop = threading.Event()
    renewer = threading.Thread(target=_renew, args=(lock, ttl_s, stop), name=f"renew {name}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        try:
            lock.release()
        except LockError:
            logger.warning("lock %s expired before its holder released it (the worker stalled longer than %.0f s)",
                           name, ttl_s)


def _renew(lock: redis.lock.Lock, ttl_s: float, stop: threading.Event) -> None:
    while not stop.wait(ttl_s / 3):
        try:
            lock.extend(ttl_s, replace_ttl=True)
        except (LockError, redis.RedisError) as exc:
            logger.warning("could not renew lock %s: %s", lock.name, exc)
