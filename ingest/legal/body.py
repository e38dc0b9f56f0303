"""The batang tubuh's headings, read in order: BAB, Bagian, Paragraf, Pasal, a Keputusan's diktum (KESATU …)
and, in an amending regulation, Pasal I / II, their numbered changes and the amended articles they quote.

A heading stands on its own line, so "sebagaimana dimaksud dalam Pasal 5" inside a sentence never opens an
article. Article numbers must also run forward, which keeps a reference that happens to sit alone on a
line, and OCR noise, from opening one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.legal_patterns import DIKTUM_ORDINAL, PART, ROMAN_LETTER, SUBPART, chapter_heading, roman_value
from ingest.legal.amendments import AMEND_ITEM, DIRECTIVE_LINE, amended_action
from ingest.legal.headings import Heading
from ingest.legal.lines import Line, collapse, is_caps, lines
from ingest.legal.numbers import ARTICLE_DIGIT, OCR_ROMAN_LETTER, ORDINAL_INDEX, arabic, number_key, roman

# A scan's chapter number as OCR reads it ("BAB l1"), :func:`roman` checks and repairs it.
_BAB = re.compile(rf"^{chapter_heading(f'{OCR_ROMAN_LETTER}{{1,7}}')}\b\.?\s*(?P<title>[A-Z][A-Z0-9 ,/&()-]*)?$")
# Cleaning may glue a heading it did not recognise to the line after it ("BagianKeenam LLID",
# "Pasal II Peraturan ini mulai berlaku"); what follows such a heading starts with a capital or "(1)".
_REST = r"(?:\s+(?P<rest>[A-Z(][^\n]*))?$"
_BAGIAN = re.compile(rf"^{PART}{_REST}", re.I)
_PARAGRAF = re.compile(rf"^{SUBPART}{_REST}")
# An article's heading as OCR reads it: "Pa5al", "Pasa1 l2", "Pasal7" (the l read as 7); numbered in Roman in an
# amendment ("Pasal II").
_PASAL_TOKEN = rf"Pa[s5]a[l1I7|]?\s*(?P<num>{ARTICLE_DIGIT}{{1,3}}[A-Z]?|{ROMAN_LETTER}{{1,6}})"
_PASAL = re.compile(rf"^{_PASAL_TOKEN}{_REST}")
# ... or glue it to the end of the sentence before: "... keuangan negara. Pasa77".
_PASAL_AT_END = re.compile(rf"(?<=[.;:])\s+(?P<head>{_PASAL_TOKEN})$")
# The label's colon as OCR may misread it ("KEDUA 1 Mengangkat …", "KETIGA ; Segala …") before the text's capital.
_DIKTUM = re.compile(rf"^{DIKTUM_ORDINAL}\s*(?::|$|[;1l|]\s+(?=[A-Z]))")
_MAX_PASAL_GAP = 5
# A heading-alone line that is really the tail of a sentence ("... dimaksud dalam\nPasal 5").
_DANGLING = re.compile(r"(?:\b(?:dalam|pada|dan|atau|dengan|dimaksud|oleh|dari|di)|,)$", re.I)


def scan_body(text: str, start: int, end: int, amendment: bool) -> list[Heading]:
    """The headings of text[start:end] in order, flat (:func:`ingest.legal.headings.nest` makes the tree)."""
    scanner = _BodyScanner(amendment)
    body = lines(text, start, end)
    return [h for i in range(len(body)) if (h := scanner.read(body, i)) is not None]


def _title_after(body: Sequence[Line], i: int, *, caps: bool, max_lines: int) -> tuple[str, int]:
    """The heading title on the lines after body[i] (BAB titles are capitals, Bagian titles short)."""
    parts: list[str] = []
    end = body[i].end
    for line in body[i + 1 : i + 1 + max_lines]:
        if _heading_kind(line.text) or (caps and not is_caps(line.text)) or len(line.text) > 120:
            break
        if not caps and (parts or line.text[0] in "(0123456789" or line.text.endswith((".", ";", ":"))):
            break
        parts.append(line.text)
        end = line.end
    return collapse(" ".join(parts)), end


def _heading_kind(line: str) -> str | None:
    for kind, pattern in (("bab", _BAB), ("bagian", _BAGIAN), ("paragraf", _PARAGRAF), ("pasal", _PASAL)):
        if pattern.match(line):
            return kind
    return None


class _BodyScanner:
    """Reads the batang tubuh's headings in order, keeping article numbers plausible."""

    def __init__(self, amendment: bool) -> None:
        self.amendment = amendment
        self.last_pasal: tuple[int, str] | None = None
        self.last_article = 0
        self.last_item = 0
        self.directive = ""
        self.next_diktum = 0

    def read(self, body: Sequence[Line], i: int) -> Heading | None:
        text = body[i].text
        if self.last_article and (m := AMEND_ITEM.match(text)) and int(m.group("num")) == self.last_item + 1:
            self.last_item, self.directive, self.last_pasal = int(m.group("num")), text, None
            return Heading("amendment_item", f"angka {self.last_item}", m.group("num"), body[i].start, "",
                           body[i].end)
        if self.last_article and DIRECTIVE_LINE.search(text):
            self.directive = text
        heading = self._bab(body, i) or self._bagian(body, i)
        if heading is not None:
            return heading
        if _PASAL.match(text) or _PASAL_AT_END.search(text):
            return self._pasal_line(body, i)
        return self._diktum(body[i])

    def _bab(self, body: Sequence[Line], i: int) -> Heading | None:
        m = _BAB.match(body[i].text)
        numeral = roman(m.group(1)) if m else None
        if not m or not numeral:
            return None
        title, head_end = m.group("title") or "", body[i].end
        if not title:
            title, head_end = _title_after(body, i, caps=True, max_lines=3)
        return Heading("bab", f"BAB {numeral}", numeral, body[i].start, collapse(title), head_end)

    def _bagian(self, body: Sequence[Line], i: int) -> Heading | None:
        line = body[i]
        m = _BAGIAN.match(line.text) or _PARAGRAF.match(line.text)
        if not m:
            return None
        kind = "bagian" if line.text[:1] in "Bb" else "paragraf"
        label = f"Bagian {collapse(m.group('ord')).title()}" if kind == "bagian" else f"Paragraf {m.group('num')}"
        if m.group("rest"):
            return Heading(kind, label, label, line.start, collapse(m.group("rest")), line.end)
        title, head_end = _title_after(body, i, caps=False, max_lines=1)
        return Heading(kind, label, label, line.start, title, head_end)

    def _pasal_line(self, body: Sequence[Line], i: int) -> Heading | None:
        line = body[i]
        if m := _PASAL.match(line.text):
            return self._pasal(body, i, m.group("num"), line.start, line.start + m.end("num"), bool(m.group("rest")))
        if m := _PASAL_AT_END.search(line.text):
            return self._pasal(body, i, m.group("num"), line.start + m.start("head"), line.end, True)
        return None

    def _diktum(self, line: Line) -> Heading | None:
        m = _DIKTUM.match(line.text)
        if not m or ORDINAL_INDEX.get(collapse(m.group("ord"))) != self.next_diktum:
            return None
        self.next_diktum += 1
        return Heading("diktum", collapse(m.group("ord")), str(self.next_diktum), line.start, "", line.end)

    def _pasal(self, body: Sequence[Line], i: int, token: str, start: int, head_end: int,
               glued: bool) -> Heading | None:
        if not glued and i > 0 and _DANGLING.search(body[i - 1].text):
            return None
        if not glued and i + 1 < len(body) and body[i + 1].text[:1].islower():
            return None
        numeral = roman(token) if re.fullmatch(rf"{ROMAN_LETTER}+", token) else None
        if numeral and self.amendment:
            return self._amending_article(numeral, start, head_end)
        # Outside an amendment "Pasal I" / "Pasal l" is Tesseract's reading of "Pasal 1".
        number = arabic(token.replace("I", "1").replace("l", "1") if re.fullmatch(r"[Il|]+", token) else token)
        if number is None or not self._follows(number_key(number), glued):
            return None
        self.last_pasal = number_key(number)
        if self.amendment and self.last_article:
            return self._amended(body, i, number, start, head_end)
        return Heading("pasal", f"Pasal {number}", number, start, "", head_end)

    def _follows(self, key: tuple[int, str], glued: bool) -> bool:
        """Article numbers run forward, a few at most skipped; an amendment quotes articles of any number."""
        if self.last_pasal is not None and key <= self.last_pasal:
            return False
        limit = (self.last_pasal[0] if self.last_pasal else 0) + _MAX_PASAL_GAP
        unbounded = self.amendment and self.last_article > 0 and not glued
        return key[0] <= limit or unbounded

    def _amending_article(self, numeral: str, start: int, head_end: int) -> Heading | None:
        value = roman_value(numeral)
        if value != self.last_article + 1:
            return None
        self.last_article, self.last_pasal, self.last_item, self.directive = value, None, 0, ""
        return Heading("amendment_article", f"Pasal {numeral}", numeral, start, "", head_end)

    def _amended(self, body: Sequence[Line], i: int, number: str, start: int, head_end: int) -> Heading:
        """An article of the amended regulation, quoted in an amending article; it opens at the line
        announcing it, so that the new wording is cited together with what happened to it."""
        lead = body[i - 1] if i > 0 and DIRECTIVE_LINE.search(body[i - 1].text) else None
        action = amended_action(lead.text if lead else self.directive, number)
        return Heading("amended_pasal", f"Pasal {number}", number, lead.start if lead else start, action, head_end)
