"""The curator's manifest (``manifest.json`` beside the documents): what is known about each file."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

from core.types import ManifestEntry

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"


@lru_cache(maxsize=64)
def _read(manifest_path: Path, mtime: float) -> dict[str, ManifestEntry]:
    try:
        raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("%s: manifest unreadable (%s); documents will get inferred metadata", manifest_path, exc)
        return {}
    entries: dict[str, ManifestEntry] = {}
    for row in raw.get("documents", []):
        try:
            entry = ManifestEntry.model_validate(row)
        except ValueError as exc:
            logger.warning("%s: skipping invalid manifest row %r: %s", manifest_path, row.get("file"), exc)
            continue
        entries[str((manifest_path.parent / entry.file).resolve())] = entry
    return entries


def manifest_entry_for(path: Path) -> ManifestEntry | None:
    """The entry describing ``path`` in the nearest ``manifest.json`` of its folder or any parent folder."""
    target = str(path.resolve())
    for folder in path.resolve().parents:
        candidate = folder / MANIFEST_NAME
        if candidate.is_file():
            entry = _read(candidate, candidate.stat().st_mtime).get(target)
            if entry is not None:
                return entry
    return None
