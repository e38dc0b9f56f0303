"""Files and folders written beside their target and renamed into place.

Parse workers may OCR the same page at once, and two processes may build the same model on first use: a reader
must never find half a file. A rename within one folder is atomic on POSIX, so a target is either the old one or
the whole new one; a crash leaves at most a hidden staging name behind, never a damaged target.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_atomically(target: Path, *, suffix: str = ".tmp", folder: bool = False,
                       keep_existing: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """A staging file (or, with ``folder``, an empty folder) beside ``target`` to write into; it replaces
    ``target`` when the block ends, and is removed if the block raises. ``keep_existing`` says whether a target
    that appeared meanwhile (another process finished first) is kept, and the staged copy dropped."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if folder:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=suffix, dir=target.parent)
        os.close(fd)
        staging = Path(name)
    try:
        yield staging
        if target.exists() and keep_existing is not None and keep_existing(target):
            return
        if folder and target.exists():
            shutil.rmtree(target)
        staging.replace(target)
    finally:
        if folder:
            shutil.rmtree(staging, ignore_errors=True)
        else:
            staging.unlink(missing_ok=True)
