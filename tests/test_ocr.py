"""OCR: Tesseract reads real and generated scans, the loader decides which pages need it, results are cached."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings
from ingest.loaders import load_document
from ingest.ocr import CACHE_DIRNAME, ocr_pdf_page, tesseract_available
from testing import filemakers

KENDARI = (PROJECT_ROOT / "documents" / "regulations"
           / "perwali_kendari_19_2024_perubahan_ketiga_hspk_asb_SCAN_image_only.pdf")


def make_settings(data_dir: Path, **ocr: object) -> Settings:
    base = Settings()
    return base.model_copy(update={
        "store": base.store.model_copy(update={"data_dir": data_dir}),
        "ocr": base.ocr.model_copy(update=ocr),
    })


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One OCR cache for the module, so each page is read by Tesseract once."""
    return tmp_path_factory.mktemp("ocr") / "data"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", text.lower()))


def test_tesseract_with_indonesian_and_english_is_installed() -> None:
    assert tesseract_available("ind+eng"), "CI needs tesseract-ocr with the ind and eng languages"
    assert not tesseract_available("ind+qqq")


def test_ocr_reads_the_title_block_of_the_real_kendari_scan(data_dir: Path) -> None:
    text, confidence = ocr_pdf_page(KENDARI, 0, make_settings(data_dir))
    flat = " ".join(text.split()).upper()
    # One misread letter per word is tolerated; the phrase must still be there.
    assert re.search(r"HARGA\s?SATUAN\s?POKOK\s?KEGIATAN", flat) or _near("HARGA SATUAN POKOK KEGIATAN", flat), flat
    assert "KENDARI" in flat
    assert 50 < confidence <= 100


def _near(phrase: str, text: str) -> bool:
    from difflib import SequenceMatcher

    n = len(phrase)
    return any(SequenceMatcher(None, phrase, text[i : i + n]).ratio() >= 0.9 for i in range(len(text) - n + 1))


def test_ocr_of_a_generated_scan_recovers_its_text(tmp_path: Path, data_dir: Path) -> None:
    pages = filemakers.SAMPLE_PAGES[:1]
    scan = filemakers.scanned_pdf(tmp_path / "scan.pdf", pages)
    text, confidence = ocr_pdf_page(scan, 0, make_settings(data_dir))
    expected = _words(pages[0][0] + " " + " ".join(pages[0][1]))
    assert len(expected & _words(text)) / len(expected) >= 0.9, text
    assert "KETENTUAN UMUM" in text
    assert confidence > 70


def test_ocr_results_are_cached_by_page_content(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"  # its own cache: this test plants a marker in it
    settings = make_settings(data_dir)
    scan = filemakers.scanned_pdf(tmp_path / "scan.pdf")
    first, _ = ocr_pdf_page(scan, 0, settings)
    cached = list((data_dir / CACHE_DIRNAME).rglob("*.json"))
    entry = next(p for p in cached if json.loads(p.read_text(encoding="utf-8"))["text"] == first)
    # Mark the cache entry: a second read must come from it, also for a copy of the file under another name.
    entry.write_text(json.dumps({"text": "DARI CACHE", "confidence": 1.0}), encoding="utf-8")
    copy = tmp_path / "salinan.pdf"
    copy.write_bytes(scan.read_bytes())
    assert ocr_pdf_page(copy, 0, settings) == ("DARI CACHE", 1.0)
    # Another language setting is another key: Tesseract reads the page again.
    other, _ = ocr_pdf_page(scan, 0, make_settings(data_dir, languages="eng"))
    assert other != "DARI CACHE" and "KETENTUAN" in other
    # So is another page segmentation mode.
    automatic, _ = ocr_pdf_page(scan, 0, make_settings(data_dir, psm=3))
    assert automatic != "DARI CACHE" and "KETENTUAN" in automatic


def test_pages_are_read_in_the_configured_segmentation_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    scan = filemakers.scanned_pdf(tmp_path / "scan.pdf")
    for psm in (3, 4):
        ocr_pdf_page(scan, 0, make_settings(data_dir, psm=psm))
    # One cache entry per mode: the mode reaches Tesseract's key, not only its command line.
    assert len(list((data_dir / CACHE_DIRNAME).rglob("*.json"))) == 2


def test_loader_ocrs_pages_without_a_text_layer(tmp_path: Path, data_dir: Path) -> None:
    scan = filemakers.scanned_pdf(tmp_path / "scan.pdf", filemakers.SAMPLE_PAGES[:2])
    doc = load_document(scan, make_settings(data_dir))
    assert [(p.number, p.source) for p in doc.pages] == [(1, "ocr"), (2, "ocr")]
    assert "KETENTUAN UMUM" in doc.pages[0].text and "RUANG LINGKUP" in doc.pages[1].text
    assert all(p.ocr_confidence is not None and p.ocr_confidence > 70 for p in doc.pages)
    assert doc.warnings == ()


def test_loader_ocrs_over_a_garbled_text_layer(tmp_path: Path, data_dir: Path) -> None:
    pdf = filemakers.garbled_layer_pdf(tmp_path / "garbled.pdf")
    page = load_document(pdf, make_settings(data_dir)).pages[0]
    assert page.source == "ocr"
    assert "KETENTUAN UMUM" in page.text and filemakers.caesar("KETENTUAN") not in page.text
    assert page.text_quality is not None and page.text_quality > 0.8


def test_pages_of_one_scan_read_in_parallel_give_what_one_at_a_time_gives(tmp_path: Path) -> None:
    scan = filemakers.scanned_pdf(tmp_path / "tiga.pdf", filemakers.SAMPLE_PAGES)
    parallel = load_document(scan, make_settings(tmp_path / "parallel", page_threads=3))
    serial = load_document(scan, make_settings(tmp_path / "serial", page_threads=1))
    assert [p.source for p in parallel.pages] == ["ocr"] * 3
    assert parallel.pages == serial.pages and parallel.warnings == serial.warnings
    # Read ahead, the page limit still holds: the pages past it are not read at all.
    limited = load_document(scan, make_settings(tmp_path / "limited", page_threads=3, max_pages=2))
    assert [p.source for p in limited.pages] == ["ocr", "ocr", "none"]
    assert len(list((tmp_path / "limited" / CACHE_DIRNAME).rglob("*.json"))) == 2


def test_loader_respects_the_ocr_page_limit(tmp_path: Path, data_dir: Path) -> None:
    scan = filemakers.scanned_pdf(tmp_path / "tiga.pdf", filemakers.SAMPLE_PAGES)
    doc = load_document(scan, make_settings(data_dir, max_pages=1))
    assert [p.source for p in doc.pages] == ["ocr", "none", "none"]
    assert doc.pages[1].note == doc.pages[2].note == "no text layer; OCR page limit (1) reached"
    assert any("tiga.pdf" in w and "2–3" in w for w in doc.warnings)


def test_loader_ocrs_a_scan_whose_only_text_is_a_watermark(tmp_path: Path, data_dir: Path) -> None:
    pdf = filemakers.watermarked_scan_pdf(tmp_path / "watermarked.pdf")
    page = load_document(pdf, make_settings(data_dir)).pages[0]
    assert page.source == "ocr"
    assert "KETENTUAN UMUM" in page.text


def test_a_typed_page_with_a_logo_keeps_its_text_layer(tmp_path: Path, data_dir: Path) -> None:
    pdf = filemakers.text_pdf(tmp_path / "typed.pdf")
    page = load_document(pdf, make_settings(data_dir)).pages[0]
    assert page.source == "text"
