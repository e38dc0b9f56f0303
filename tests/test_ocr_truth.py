"""The OCR-settings benchmark's scoring and truth set (scripts/ocr_settings.py): word accuracy counts what a reader
would, and every hand-checked page names a real scanned page of the devset."""

from __future__ import annotations

import sys

import pypdfium2 as pdfium

from core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

import ocr_settings  # noqa: E402


def test_word_accuracy_counts_substitutions_insertions_and_deletions():
    truth = "Peraturan Daerah Kabupaten Pinrang Nomor 1 Tahun 2008"
    assert ocr_settings.word_accuracy(truth, "peraturan daerah, kabupaten PINRANG nomor 1 tahun 2008.") == 1.0
    assert ocr_settings.word_accuracy(truth, "Peraturan Daerah Kabupaten Pinrang Nomor l Tahun 2008") == 7 / 8
    assert ocr_settings.word_accuracy(truth, "Peraturan Daerah Kabupaten Pinrang Nomor 1 Tahun") == 7 / 8
    assert ocr_settings.word_accuracy(truth, "SUBBAG " + truth) == 7 / 8
    assert ocr_settings.word_accuracy(truth, "x " * 40) == 0.0


def test_each_truth_page_is_a_page_of_a_devset_scan():
    pages = ocr_settings.truth_pages()
    assert len(pages) >= 3
    for pdf_path, index, truth in pages:
        assert pdf_path.is_file(), pdf_path
        assert "_SCAN_" in pdf_path.name
        assert 0 <= index < len(pdfium.PdfDocument(str(pdf_path)))
        assert len(ocr_settings.words(truth)) > 100
