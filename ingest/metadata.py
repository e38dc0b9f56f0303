"""Document-level metadata: the manifest's word first, then what the text itself says."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from core.gazetteer import Gazetteer
from core.language import detect_language
from core.types import DocType, Language, LegalDocument, ManifestEntry, Region

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_PLAN_WORDS = re.compile(r"\b(RPJMD|RPJPD|RKPD|RENSTRA|Rencana Pembangunan Jangka)\b", re.IGNORECASE)
_PAPER_WORDS = re.compile(r"\b(ABSTRACT|ABSTRAK|Keywords|Kata Kunci|References|Daftar Pustaka)\b", re.IGNORECASE)
_MIN_SHARE_OF_MENTIONS = 0.2


def infer_title(text: str, filename: str, legal: LegalDocument | None) -> str:
    if legal is not None and legal.regulation is not None:
        ref = legal.regulation
        subject = f" tentang {ref.subject}" if ref.subject else ""
        return f"{ref.label}{subject}"
    for line in text.splitlines():
        line = line.strip(" #*\t")
        if 12 <= len(line) <= 250:
            return line
    return Path(filename).stem.replace("_", " ")


def infer_year(text: str, legal: LegalDocument | None) -> int | None:
    if legal is not None and legal.regulation is not None and legal.regulation.year:
        return legal.regulation.year
    # A paper's own year shows up most in its front matter (copyright, received/accepted dates).
    years = Counter(int(y) for y in _YEAR.findall(text[:3000]))
    return years.most_common(1)[0][0] if years else None


def infer_doc_type(text: str, legal: LegalDocument | None) -> DocType:
    if legal is not None and legal.regulation is not None:
        return "regulation"
    head = text[:4000]
    if _PLAN_WORDS.search(head):
        return "plan"
    if _PAPER_WORDS.search(text):
        return "paper"
    return "other"


def infer_cities(text: str, gazetteer: Gazetteer, legal: LegalDocument | None) -> tuple[str, ...]:
    """Cities a document is about: its issuer, else the kab/kota that dominate its mentions."""
    if legal is not None and legal.regulation is not None and legal.regulation.region_code:
        return (legal.regulation.region_code,)
    counts = Counter(m.region.code for m in gazetteer.city_mentions(text) if m.region.kind != "provinsi")
    total = sum(counts.values())
    if not total:
        return ()
    return tuple(code for code, n in counts.most_common() if n >= 2 and n / total >= _MIN_SHARE_OF_MENTIONS)


def resolve_cities(names: tuple[str, ...], gazetteer: Gazetteer) -> tuple[str, ...]:
    regions = [gazetteer.resolve(name) for name in names]
    return tuple(dict.fromkeys(r.code for r in regions if r is not None))


def document_language(text: str, entry: ManifestEntry | None) -> Language:
    if entry is not None and entry.language is not None:
        return entry.language
    return detect_language(text[:20000])


def primary_region(cities: tuple[str, ...], gazetteer: Gazetteer) -> Region | None:
    """The region local instruments default to when a passage does not name its issuer."""
    if len(cities) != 1:
        return None
    return gazetteer.get(cities[0])
