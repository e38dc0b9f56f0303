"""The konsiderans: Menimbang (the bahwa clauses), Mengingat (the legal bases) and Menetapkan.

They are placed by what they say rather than by their labels alone: OCR and two-column layouts print a
label apart from its text, or all labels in a row ("Menimbang :\\nMengingat :").
"""

from __future__ import annotations

import re

from core.legal_patterns import ARTICLE, DECIDING, NAMING_WORD, PARAGRAPH, UNIT
from ingest.legal.lines import first_at, rstrip_end

Part = tuple[str, int, int]  # (Menimbang | Mengingat | Menetapkan, start, end)

_MARKERS = {
    "Menimbang": re.compile(r"^\s*Menimbang\b", re.M),
    "Mengingat": re.compile(r"^\s*Mengingat\b", re.M),
    "Menetapkan": re.compile(rf"^\s*{DECIDING}\b", re.M),
}
# A Menimbang clause opens with "bahwa" ("a. bahwa ...", or after a comma once OCR lost the letters).
_BAHWA = re.compile(r"(?<![\w.])(?:[a-z]\s*\.\s*)?bahwa\b")
# A clause ends at ';' or a full stop before a new line or sentence, or where a label or a numbered item starts.
_CLAUSE_END = re.compile(r";|\.(?=\s*\n|\s+[A-Z(]|\s*$)|^(?=Mengingat\b|\d{1,2}\s*\.\s)", re.M)
# The first legal basis: a numbered item, the constitution ("Pasal 18 ayat (6) Undang-Undang Dasar ...") or a
# regulation reference.
_LEGAL_BASIS = re.compile(
    r"^\d{1,2}\s*\.\s"
    rf"|(?:{UNIT}(?:\s*(?:,|dan)\s*(?:{ARTICLE}|{PARAGRAPH}))*\s+)?"
    r"Undang-Undang\s+Dasar\b"
    rf"|(?<![\w-])(?:{NAMING_WORD})\b[^\n;]{{0,120}}?\bNomor\b",
    re.M,
)
_ITEM_MARK = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}|[a-z])\s*\.\s*$")
_LABEL_ONLY = re.compile(r"(?:^|\n)[ \t]*Menetapkan\s*:?\s*$")


def konsiderans(text: str, start: int, body_start: int) -> list[Part]:
    """Menimbang, Mengingat and Menetapkan between the title block (``start``) and the batang tubuh."""
    decide = first_at(_MARKERS["Menetapkan"], text, start, body_start)
    stop = body_start if decide is None else decide
    weighing, basis_from = _weighing(text, start, stop)
    basis = _LEGAL_BASIS.search(text, basis_from, stop)
    recalling = (_labelled_start(text, "Mengingat", _item_start(text, basis.start()), start) if basis
                 else first_at(_MARKERS["Mengingat"], text, basis_from, stop))
    deciding = None if decide is None else _deciding_start(text, decide, recalling or weighing or start)
    found = sorted((pos, name) for name, pos in
                   (("Menimbang", weighing), ("Mengingat", recalling), ("Menetapkan", deciding)) if pos is not None)
    parts = []
    for n, (pos, name) in enumerate(found):
        stop_at = found[n + 1][0] if n + 1 < len(found) else body_start
        if stop_at > pos:
            parts.append((name, pos, rstrip_end(text, pos, stop_at)))
    return parts


def _weighing(text: str, start: int, stop: int) -> tuple[int | None, int]:
    """(where Menimbang starts, where the search for the legal bases may start): after the last bahwa clause."""
    clauses = [m.start() for m in _BAHWA.finditer(text, start, stop)]
    if clauses:
        end = _CLAUSE_END.search(text, clauses[-1] + len("bahwa"), stop)
        return _labelled_start(text, "Menimbang", clauses[0], start), end.end() if end else stop
    weighing = first_at(_MARKERS["Menimbang"], text, start, stop)
    return weighing, start if weighing is None else weighing


def _labelled_start(text: str, name: str, content: int, lo: int) -> int:
    """Where a part starts: at its label when the label stands right before the content, else at the content."""
    labels = list(_MARKERS[name].finditer(text, lo, content))
    if labels and re.fullmatch(r"[\s:]*", text[labels[-1].end() : content]):
        return labels[-1].end() - len(name)
    return content


def _item_start(text: str, pos: int) -> int:
    """Back over the item mark ("1. ", "a. ") that the content follows on its line."""
    line_start = text.rfind("\n", 0, pos) + 1
    mark = _ITEM_MARK.search(text, line_start, pos)
    return mark.start() if mark else pos


def _deciding_start(text: str, decide: int, lo: int) -> int:
    """A 'Menetapkan' label printed alone just above MEMUTUSKAN belongs to the decision, not to Mengingat."""
    label = _LABEL_ONLY.search(text[lo:decide].rstrip())
    if not label:
        return decide
    return lo + label.start() + (text[lo + label.start()] == "\n")
