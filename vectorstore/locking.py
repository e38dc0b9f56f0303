"""One writer at a time for the embedded store.

The embedded Chroma store, the catalog and the lexical index are written together by an ingest;
two processes doing that at once would interleave and corrupt the lexical index. A second writer
therefore fails fast with a message naming the holder instead of waiting for minutes.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from core.errors import StoreLockedError

logger = logging.getLogger(__name__)

LOCK_NAME = "writer.lock"
OWNER_NAME = "writer.lock.owner"


def _read_owner(path: Path) -> str:
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
        return f"process {owner['pid']} on {owner['host']} (since {owner['since']})"
    except (OSError, ValueError, KeyError):
        return "another process"


@contextmanager
def writer_lock(data_dir: Path, timeout_s: float = 3.0) -> Iterator[Path]:
    """Hold the store's writer lock for the duration of the block; yields the lock file's path."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lock_path, owner_path = data_dir / LOCK_NAME, data_dir / OWNER_NAME
    lock = FileLock(str(lock_path), timeout=timeout_s)
    try:
        lock.acquire()
    except Timeout as exc:
        raise StoreLockedError(
            f"The store in {data_dir} is being written by {_read_owner(owner_path)}; "
            f"lock file {lock_path} is held (waited {timeout_s:.0f} s).",
            hint="Wait for that ingest to finish and try again, or run a Chroma server "
            "(BK_STORE__CHROMA_HOST) when several processes must write at once.",
        ) from exc
    try:
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%dT%H:%M:%S")}
        owner_path.write_text(json.dumps(owner), encoding="utf-8")
        logger.debug("writer lock %s taken by pid %s", lock_path, os.getpid())
        yield lock_path
    finally:
        owner_path.unlink(missing_ok=True)
        lock.release()
