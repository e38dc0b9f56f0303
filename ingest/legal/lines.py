"""The text a regulation is read from, as lines with their offsets.

Headings are read line by line, so every line keeps where it stands in the clean text; offsets found on a
line are offsets into the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Non-blank lines of text[start:end], stripped, with their offsets."""
    out = []
    for m in re.finditer(r"[^\n]+", text[: len(text) if end is None else end]):
        if m.end() <= start:
            continue
        raw = m.group()
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(m.start() + lead, m.start() + lead + len(stripped), stripped))
    return out


def rstrip_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing whitespace, so a unit's span ends on its last character."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def is_caps(line: str) -> bool:
    """Mostly capitals: BAB titles and title blocks are printed so, and OCR lowers a letter here and there."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def first_at(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """Where ``pattern`` first matches in text[start:end], past any whitespace it matched first."""
    m = pattern.search(text, start, end)
    return m.start() + (len(m.group()) - len(m.group().lstrip())) if m else None
