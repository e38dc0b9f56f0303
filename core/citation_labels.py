"""The label a citation carries, written the way an Indonesian lawyer cites: the unit (Pasal, ayat, the article
an amendment quotes), the instrument, the page; a document that is no regulation by its title, page and section.

Formatting, not retrieval: the retriever attaches a label to each hit and the answer layer to each quote, and both
read it from here. Pure functions of the core types.
"""

from __future__ import annotations

import re

from core.types import DocumentMeta, Passage

_AMENDED_PASAL = re.compile(r"^(Pasal\s+\S+)\s+\((\w+)\)$")


def legal_unit(section: str) -> str:
    """The unit a lawyer cites, from a section path: "BAB II › Pasal 2 ayat (4)–(6)" → "Pasal 2 ayat (4)–(6)";
    an article quoted inside an amending one, "Pasal I › angka 1 › Pasal 11 (diubah)" → "Pasal I angka 1
    (Pasal 11 diubah)": Pasal 11 belongs to the amended regulation, the citation to the amending one. Parts
    before any Pasal (konsiderans, Lampiran, diktum) are cited by their last part."""
    parts = [part.strip() for part in section.split("›") if part.strip()]
    outer = next((i for i, part in enumerate(parts) if part.startswith("Pasal ")), None)
    if outer is None:
        return parts[-1] if parts else ""
    words = [parts[outer]]
    for part in parts[outer + 1 :]:
        amended = _AMENDED_PASAL.match(part)
        words.append(f"({amended[1]} {amended[2]})" if amended else part)
    return " ".join(words)



def citation_label(passage: Passage, meta: DocumentMeta | None, page: int | None = None) -> str:
    """"Pasal 12 ayat (3), Perwali Kota Singkawang No. 24 Tahun 2018, p. 9" for regulations,
    "Title, p. 4, Section" for other documents; OCR'd text says how sure the OCR was."""
    page = page if page is not None else passage.page_start
    parts: list[str] = []
    title = meta.title if meta else passage.doc_id
    if meta is not None and meta.regulation is not None:
        unit = legal_unit(passage.section)
        if not unit and passage.pasal:
            unit = f"Pasal {passage.pasal}"
        parts = [p for p in (unit, meta.regulation.label, f"p. {page}") if p]
    else:
        section = passage.section.split("›")[-1].strip() if passage.section else ""
        parts = [p for p in (title, f"p. {page}", section) if p]
    label = ", ".join(parts)
    if passage.ocr_confidence is not None:
        label += f" (OCR, confidence {passage.ocr_confidence:.0f}%)"
    return label
