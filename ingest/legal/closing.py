"""Where the batang tubuh ends, and what follows the closing: Penjelasan and Lampiran."""

from __future__ import annotations

import re

from core.legal_patterns import DECIDING, ENACTING, SMALL_ROMAN_LETTER
from core.types import OutlineNode
from ingest.legal.lines import first_at, rstrip_end

MENETAPKAN = re.compile(rf"^\s*(?:{ENACTING}|{DECIDING})\b", re.M)
_CLOSING = re.compile(
    r"^[^\n]{0,40}?\b(?:Agar\s+setiap\s+orang\s+mengetahuinya|Ditetapkan\s+di)\b"
    # Inside a line too, where cleaning joined the closing to the last article's sentence ("… dalam Berita
    # Daerah Provinsi DKI Jakarta Ditetapkan di Jakarta pada tanggal …"): the enactment formula, or a signature's
    # place and date — as OCR misreads it ("Ditetapkap-di Pinrang pada eraggal"), and the promulgation's when the
    # scan lost the enactment's.
    r"|\bAgar\s+setiap\s+orang\s+mengetahuinya\b"
    r"|\b(?:Ditetap\w{1,4}|Diundangkan)\s*-?\s*di\s+[A-Z][^\n]{0,40}?\bpada\s+\S",
    re.M,
)
# OCR may read a speck before the heading as a quote or a bar ('" LAMPIRAN KEPUTUSAN BUPATI …').
_TAIL = re.compile(r"^[ \t]*(?:[\"'“”‘’|][ \t]*)?(?P<kind>PENJELASAN|LAMPIRAN)\b(?P<rest>[^\n]*)", re.M)


def closing_start(text: str, body_from: int) -> int | None:
    """The enactment formula ("Agar setiap orang mengetahuinya ...") or the signature place, whichever is first."""
    return first_at(_CLOSING, text, body_from, len(text))


def tail_nodes(text: str, start: int) -> list[OutlineNode]:
    """Penjelasan and each Lampiran after ``start``. The Penjelasan heading stands alone on its line; a
    "PENJELASAN" with words after it is taken for running text."""
    heads = [m for m in _TAIL.finditer(text, start) if m.group("kind") == "LAMPIRAN" or not m.group("rest").strip()]
    nodes = []
    for n, m in enumerate(heads):
        begin = m.start("kind")
        stop = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        roman = re.match(rf"\s*({SMALL_ROMAN_LETTER}+)\b", m.group("rest"))
        label = m.group("kind") + (f" {roman.group(1)}" if roman and m.group("kind") == "LAMPIRAN" else "")
        nodes.append(OutlineNode(kind=m.group("kind").lower(), label=label, start=begin,
                                 end=rstrip_end(text, begin, stop)))
    return nodes
