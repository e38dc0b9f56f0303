"""What a passage is in its document (:class:`core.types.PassageRole`), from its structural kind, section path and
text. Pure functions: ingest stores the role, and stores built before roles existed get it on read.

The closing formulas and the legal-basis shape come from the form every Indonesian regulation takes
(UU 12/2011 Lampiran II, "Teknik Penyusunan Peraturan Perundang-undangan"): Mengingat lists the legal bases,
the closing says where and when it was enacted ("Ditetapkan di … pada tanggal …") and promulgated
("Diundangkan di …", Lembaran/Berita Daerah), then the signature.
"""

from __future__ import annotations

import re

from core.legal_patterns import TITLE_WORD
from core.types import PassageRole

# The closing's formulas, as UU 12/2011 Lampiran II prescribes them (and the signature block under them).
_CLOSING = re.compile(
    r"\b(?:Ditetapkan\s+di|Diundangkan\s+di|Agar\s+setiap\s+orang\s+mengetahuinya|"
    r"(?:LEMBARAN|BERITA|TAMBAHAN\s+LEMBARAN)\s+(?:DAERAH|NEGARA)|Salinan\s+sesuai\s+dengan\s+aslinya|"
    r"NOREG\b|NIP[\s.:]+\d)",
    re.IGNORECASE,
)
_MENGINGAT = re.compile(r"^\W*Mengingat\b", re.IGNORECASE)
_DEFINITION = re.compile(r"yang\s+dimaksud\s+dengan|\badalah\b", re.IGNORECASE)
# A numbered item citing an instrument by number and year: the shape of a list of legal bases.
_BASIS_ITEM = re.compile(r"(?:Nomor|No\.)\s*[\w./\-]+\s+Tahun\s+(?:19|20)\d\d", re.IGNORECASE)
_TABLE_LINE = re.compile(r"^\s*(?:\d+[.)]?|[|])\s*\S")

_KIND_ROLES = {
    "title": PassageRole.TITLE,
    "heading": PassageRole.HEADING,
    "references": PassageRole.BIBLIOGRAPHY,
    "diktum": PassageRole.ARTICLE,
    "table": PassageRole.TABLE,
    "penjelasan": PassageRole.PENJELASAN,
}


def is_closing(text: str) -> bool:
    """A sentence or passage that is a closing formula or a signature block, not a rule."""
    return bool(_CLOSING.search(text))


_PARENTHESES = re.compile(r"\([^()]*\)")


# A gazette's name, up to where its citation ends.
_GAZETTE = re.compile(r"(?:LEMBARAN|BERITA|TAMBAHAN\s+LEMBARAN)\s+(?:DAERAH|NEGARA)\b[^;()]*", re.IGNORECASE)
_GAZETTE_CITATION = re.compile(r"\b(?:Tahun\s+(?:19|20)\d\d|Nomor\s+\d)", re.IGNORECASE)


def closing_sentence(text: str) -> bool:
    """A sentence that is a closing formula or signature line. An article citing an instrument with its gazette
    in brackets ("Peraturan Menteri Nomor 44 Tahun 2015 (Berita Negara … Nomor 1952) dicabut …") is a rule, and
    so is one whose OCR lost the bracket: a gazette named after a cited instrument is that instrument's."""
    bare = _PARENTHESES.sub(" ", text)
    if not is_closing(bare):
        return False
    return is_closing(_GAZETTE.sub(
        lambda m: " " if _BASIS_ITEM.search(bare[: m.start()]) or _running_mention(m.group()) else m.group(), bare))


def _running_mention(gazette: str) -> bool:
    """A gazette named in a rule's running text ("… sah menjadi Perda dan wajib diundangkan dalam Lembaran
    Daerah"): a closing's gazette line is set in capitals or cites its year and number."""
    return not gazette.split()[0].isupper() and not _GAZETTE_CITATION.search(gazette)


# An annex opens by repeating the instrument's identity ("LAMPIRAN II PERATURAN MENTERI … NOMOR 3 TAHUN 2020
# TENTANG …"): a title, not a rule.
_ANNEX_HEADING = re.compile(rf"^\W*LAMPIRAN\b.{{0,60}}?\b(?:{TITLE_WORD})\b.*?\bNOMOR\b",
                            re.DOTALL)


def annex_heading(text: str) -> bool:
    """A sentence that is an annex's identity heading."""
    return bool(_ANNEX_HEADING.match(text))


def passage_role(kind: str, section: str, text: str, pasal: str | None, *, is_regulation: bool) -> PassageRole:
    """The role of one passage. A passage that opens with the closing formulas is the closing even when the
    chunker left it inside the last article."""
    # An article keeps its role unless the closing starts it; other text is the closing when it opens with it.
    head = text[:60] if kind in ("pasal", "ayat") else text[:240]
    if kind in _KIND_ROLES:
        return _KIND_ROLES[kind]
    path = section.upper()
    if kind == "konsiderans":
        if _MENGINGAT.search(text) or "MENGINGAT" in path:
            return PassageRole.LEGAL_BASIS
        # "MEMUTUSKAN: Menetapkan: PERATURAN … TENTANG …" restates the title: it identifies, it does not reason.
        return PassageRole.TITLE if "MENETAPKAN" in path else PassageRole.KONSIDERANS
    several = len(_CLOSING.findall(text)) >= 2 and kind not in ("pasal", "ayat")
    if is_regulation and (is_closing(head) or several):
        return PassageRole.CLOSING
    if "PENJELASAN" in path:
        return PassageRole.PENJELASAN
    if "LAMPIRAN" in path:
        return _lampiran_role(text)
    if kind in ("pasal", "ayat"):
        if pasal == "1" and _DEFINITION.search(text):
            return PassageRole.DEFINITIONS
        return PassageRole.ARTICLE
    if is_regulation and _legal_basis_list(text):
        return PassageRole.LEGAL_BASIS
    return PassageRole.BODY


def _lampiran_role(text: str) -> PassageRole:
    if _legal_basis_list(text):
        return PassageRole.LEGAL_BASIS
    lines = [line for line in text.splitlines() if line.strip()]
    short = sum(len(line.split()) <= 6 or bool(_TABLE_LINE.match(line)) for line in lines)
    return PassageRole.LAMPIRAN_TABLE if lines and short / len(lines) >= 0.6 else PassageRole.LAMPIRAN


def _legal_basis_list(text: str) -> bool:
    """Three or more instruments cited by number and year, making up most of the text."""
    items = _BASIS_ITEM.findall(text)
    return len(items) >= 3 and len(items) * 90 >= len(text) * 0.5
