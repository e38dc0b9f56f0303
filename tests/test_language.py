"""detect_language on real passages of the corpus: English papers, Indonesian papers and regulations."""

from __future__ import annotations

from functools import cache

import pypdf
import pytest

from core.language import detect_language
from core.settings import PROJECT_ROOT
from core.types import CleanDocument, Page
from ingest.chunking import split_passages
from ingest.cleaning import clean_pages
from ingest.structure import find_sections

DOCUMENTS = PROJECT_ROOT / "documents"


@cache
def paper(name: str) -> CleanDocument:
    raw = next((DOCUMENTS / "papers").glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return clean_pages([Page(number=1, text=raw)])


@cache
def regulation(name: str, count: int) -> CleanDocument:
    reader = pypdf.PdfReader(next((DOCUMENTS / "regulations").glob(f"{name}*.pdf")))
    return clean_pages([Page(number=i + 1, text=reader.pages[i].extract_text() or "") for i in range(count)])


def passages(doc: CleanDocument, *, skip_sections: tuple[str, ...] = ()) -> list[str]:
    chunks = split_passages(doc, find_sections(doc.text))
    return [doc.text[c.start : c.end] for c in chunks if c.section and not c.section.startswith(skip_sections)]


def share(texts: list[str], language: str) -> float:
    return sum(detect_language(t) == language for t in texts) / len(texts)


def test_english_paper_passages_are_english():
    assert share(passages(paper("001")), "en") == 1.0


def test_indonesian_paper_body_is_indonesian_and_its_english_abstract_english():
    body = passages(paper("002"), skip_sections=("ABSTRACT",))
    assert share(body, "id") >= 0.95  # one passage quotes an English definition at length
    abstract = passages(paper("002"))[0]
    assert abstract.startswith("ABSTRACT") and detect_language(abstract) == "en"


def test_indonesian_paper_with_markdown_and_english_references():
    body = passages(paper("004"), skip_sections=("Abstract", "Daftar Pustaka"))
    assert share(body, "id") == 1.0


@pytest.mark.parametrize("name", ["perwako_singkawang", "peraturan_bssn", "perpres_82_2023"])
def test_regulation_passages_are_indonesian_even_through_ocr_noise(name):
    doc = regulation(name, 6)
    texts = [doc.text[c.start : c.end] for c in split_passages(doc, [])]
    assert share(texts, "id") == 1.0


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Smart Governance Implementation in Balikpapan City, East Kalimantan", "en"),
        ("Penerapan Smart Governance di Kota Balikpapan", "id"),
        ("Examining Practice Smart City in Local Government: A Smart Governance Perspective", "en"),
        ("Collaborative Governance sebagai Pengungkit Inovasi Smart City", "id"),
        ("Pasal 5", "id"),
        ("What does the regulation say about data?", "en"),
        ("Apa isi peraturan tentang satu data?", "id"),
    ],
)
def test_short_texts_and_titles(text, language):
    assert detect_language(text) == language


def test_mixed_text_goes_to_the_language_carrying_the_sentence():
    mixed = (
        "Pemerintah Kota Balikpapan menerapkan smart governance dan e-government melalui aplikasi "
        "Hospital Online Reservation yang dikembangkan bersama Dinas Kesehatan."
    )
    assert detect_language(mixed) == "id"


def test_ocr_noise_does_not_flip_the_language():
    noisy = "Pemerintah sebagaimana dimaksud da1am Pasa1 2 ayat (21 menugaskan Perum Peruri untuk penye1enggaraan"
    assert detect_language(noisy) == "id"


def test_long_documents_are_judged_on_samples_quickly():
    text = paper("000").text * 200  # ~9 MB
    assert detect_language(text) == "en"
