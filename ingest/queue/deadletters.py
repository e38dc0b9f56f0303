"""The dead-letter list: one record per file that failed for good, with the reason, in Redis beside the queue."""

from __future__ import annotations

import redis

from core.types import DeadLetter

DEAD_LETTERS = "banding-kota:dead-letters"


def record(client: redis.Redis, letter: DeadLetter) -> None:
    """Keyed by the file's path: a file that fails again replaces its record rather than adding one."""
    client.hset(DEAD_LETTERS, letter.path, letter.model_dump_json())


def clear(client: redis.Redis, path: str) -> None:
    """The file was ingested after all (queued again once repaired, or a retry got through)."""
    client.hdel(DEAD_LETTERS, path)


def dead_letters(client: redis.Redis) -> list[DeadLetter]:
    """Every record, oldest failure first."""
    raw = client.hgetall(DEAD_LETTERS)
    letters = [DeadLetter.model_validate_json(value) for value in raw.values()]
    return sorted(letters, key=lambda letter: letter.failed_at)
