"""Logging set up once for every entry point (CLI, API server)."""

from __future__ import annotations

import logging

# Libraries that set their own loggers to DEBUG and would otherwise print internals to users.
QUIET = ("bm25s",)


def setup_logging(level: str, fmt: str = "%(levelname)s %(name)s: %(message)s") -> None:
    logging.basicConfig(level=level.upper(), format=fmt)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
