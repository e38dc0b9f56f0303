"""Citation labels (core/citation_labels.py): the unit, the instrument and the page, as lawyers cite them."""

from __future__ import annotations

import pytest

from core.citation_labels import citation_label, legal_unit
from core.types import DocumentMeta, Passage, RegulationRef


@pytest.mark.parametrize(
    ("section", "unit"),
    [
        ("BAB II › Pasal 2 ayat (4)–(6)", "Pasal 2 ayat (4)–(6)"),
        ("BAB VI › Bagian Kesatu › Pasal 10", "Pasal 10"),
        # An article quoted inside an amending one is cited as part of the amending regulation.
        ("Pasal I › angka 1 › Pasal 11 (diubah)", "Pasal I angka 1 (Pasal 11 diubah)"),
        ("Konsiderans › Menimbang", "Menimbang"),
        ("Diktum KESATU", "Diktum KESATU"),
    ],
)
def test_the_cited_unit_reads_as_lawyers_write_it(section, unit):
    assert legal_unit(section) == unit


def _passage(section: str, pasal: str | None = None, ocr: float | None = None) -> Passage:
    return Passage(passage_id="p", doc_id="d", index=0, text="Cukup.", start=0, end=6, page_start=9, page_end=9,
                   section=section, pasal=pasal, ocr_confidence=ocr)


def test_a_regulations_passage_is_cited_by_unit_instrument_and_page() -> None:
    ref = RegulationRef(instrument="Perwali", number="3", year=2020, region_code="61.72",
                        region_name="Kota Singkawang")
    meta = DocumentMeta(doc_id="d", filename="d.pdf", media_type="application/pdf", title="Tata Kelola Data",
                        regulation=ref)
    assert citation_label(_passage("BAB II › Pasal 12 ayat (3)"), meta) == \
        f"Pasal 12 ayat (3), {ref.label}, p. 9"
    assert citation_label(_passage("", pasal="4"), meta, page=10) == f"Pasal 4, {ref.label}, p. 10"


def test_another_document_is_cited_by_title_page_and_section_and_ocr_says_how_sure() -> None:
    meta = DocumentMeta(doc_id="d", filename="d.pdf", media_type="application/pdf", title="A Study")
    assert citation_label(_passage("2 Methods › 2.1 Data"), meta) == "A Study, p. 9, 2.1 Data"
    assert citation_label(_passage("", ocr=88.4), None) == "d, p. 9 (OCR, confidence 88%)"
