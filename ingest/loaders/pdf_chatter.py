"""What pypdf says while reading a file, caught and turned into one line a user can act on.

pypdf logs every quirk it works around ("Ignoring wrong pointing object 9 0", "fontTools is required to
fully parse the encoding of a CFF Type1 font …"), once per font or object, so a single file can print dozens
of lines in the middle of a progress bar. Those lines are held back while a PDF is read; what they mean for
the file's text becomes at most one warning of the file's own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

PYPDF_LOGGER = "pypdf"

# (what pypdf says, what it means for the file's text), most consequential first
_MEANINGS = (
    ("fontTools is required", "some fonts' character maps could not be read (pypdf needs fontTools), so a few "
     "letters may be missing or wrong; `pip install fonttools` reads them"),
    ("Could not find", "parts of the file's font or structure data are missing; a few characters may be wrong"),
    ("Advanced encoding", "a font uses an encoding pypdf does not know; some characters may be wrong"),
)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed record is itself chatter
            self.messages.append(str(record.msg))


@contextmanager
def held_pypdf_messages() -> Iterator[list[str]]:
    """pypdf's warnings while the block runs, kept from the console and returned in the yielded list."""
    logger = logging.getLogger(PYPDF_LOGGER)
    collector = _Collector()
    propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def chatter_warning(name: str, messages: list[str]) -> str | None:
    """One line for the file, or None when pypdf only repaired the file's structure (its text is unaffected)."""
    for marker, meaning in _MEANINGS:
        count = sum(marker in message for message in messages)
        if count:
            return f"{name}: {meaning} ({count} message(s) from the PDF reader)"
    logging.getLogger(__name__).debug("%s: pypdf repaired the file's structure: %s", name, messages[:5])
    return None
