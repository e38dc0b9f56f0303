"""The ayat of a Pasal: "(1)", "(2)" … at a line start or inline after a full stop, as OCR leaves them.

A number may be skipped ("(2)" then "(4)") but never runs backwards, which keeps a reference wrapped onto a
new line ("... ayat\\n(5) dituangkan") and OCR noise from opening one.
"""

from __future__ import annotations

import re
from functools import cache

from core.types import PassageKind, Section
from ingest.legal.headings import Heading
from ingest.legal.lines import lines, rstrip_end

# Where an ayat may open: at a line start, or after a full stop once cleaning joined it to the ayat before.
_INLINE_AYAT = re.compile(r"(?<=\.)[ \t]+(?=[(\[])")
_STRICT_AYAT = re.compile(r"\((\d{1,2})\)(?!\s*[a-z])")
# "1) Pemerintah ..." where the scan lost the opening bracket: an ayat only if a later "(2)" confirms it.
_OPENERLESS_AYAT = re.compile(r"(\d{1,2})\)(?!\s*[a-z])")


def ayat_sections(text: str, pasal: Heading, path: tuple[str, ...]) -> list[Section]:
    """One ``kind="ayat"`` section per ayat of ``pasal``, named '<Pasal> ayat (n)' under ``path``."""
    starts = _ayat_starts(text, pasal)
    out = []
    for k, (n, begin) in enumerate(starts):
        stop = starts[k + 1][1] if k + 1 < len(starts) else pasal.end
        out.append(Section(path=(*path[:-1], f"{path[-1]} ayat ({n})"), start=begin,
                           end=rstrip_end(text, begin, stop), kind=PassageKind.AYAT))
    return out


@cache
def _ayat_pattern(n: int, inline: bool) -> re.Pattern[str]:
    # Tesseract turns "(2)" into "(21" or "l2l"; expecting a number keeps that from being read as ayat 21. Ayat
    # text starts with a capital: "(5) dituangkan" at a line start is a reference wrapped onto a new line.
    confusable = {"1": "[1lI|]", "0": "[0Oo]", "5": "[5S]"}
    digits = "".join(confusable.get(d, d) for d in str(n))
    opening = r"[(\[]" if inline else r"[(\[lI1|]"
    follows = r"[ \t]+(?=[A-Z])" if inline else r"(?!\s*[a-z])"
    return re.compile(rf"{opening}\s*{digits}\s*[)\]lI1|}}]{follows}")


@cache
def _inserted_ayat(after: int) -> re.Pattern[str]:
    """An ayat an amendment inserted after ayat ``after``: "(2a)"."""
    return re.compile(rf"\(\s*{after}\s*([a-z])\s*\)(?!\s*[a-z])")


def _ayat_starts(text: str, pasal: Heading) -> list[tuple[str, int]]:
    """(number, offset) of each ayat, in order."""
    candidates = {(_skip_space(text, max(line.start, pasal.head_end), pasal.end), False)
                  for line in lines(text, pasal.head_end, pasal.end)}
    candidates |= {(m.end(), True) for m in _INLINE_AYAT.finditer(text, pasal.head_end, pasal.end)}
    strict = [(pos, int(m.group(1))) for pos, inline in candidates
              if not inline and (m := _STRICT_AYAT.match(text, pos))]
    starts: list[tuple[str, int]] = []
    for pos, inline in sorted(candidates):
        last = _leading_number(starts[-1][0]) if starts else 0
        number = _ayat_number(text, pos, inline, last, [m for p, m in strict if p > pos])
        if number:
            starts.append((number, pos))
    return starts


def _leading_number(ayat: str) -> int:
    """'2a' → 2."""
    m = re.match(r"\d+", ayat)
    return int(m.group()) if m else 0


def _ayat_number(text: str, pos: int, inline: bool, last: int, later: list[int]) -> str | None:
    """The ayat opening at ``pos``, if any: the next number or the one after, given the ayat before."""
    if last and (m := _inserted_ayat(last).match(text, pos)):
        return f"{last}{m.group(1)}"
    for n in (last + 1, last + 2) if last else (1,):
        if _ayat_pattern(n, inline).match(text, pos):
            return str(n)
        bare = None if inline else _OPENERLESS_AYAT.match(text, pos)
        if bare and int(bare.group(1)) == n and any(m > n for m in later):
            return str(n)
    return None


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos
