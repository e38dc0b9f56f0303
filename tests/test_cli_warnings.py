"""`banding-kota ingest` tells the user about every document stored with warnings (which file, which pages,
what to do), not only its status, and counts them in the run summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from testing.corpus import corpus_env
from testing.filemakers import SAMPLE_PAGES, scanned_pdf, text_pdf

# An installed Tesseract without the (made-up) "qqq" language counts as "OCR not installed".
NO_OCR = {"BK_OCR__LANGUAGES": "ind+qqq"}


def run_ingest(inbox: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "ingest", str(inbox)],
        env=corpus_env(data_dir, **NO_OCR, COLUMNS="200"),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    scanned_pdf(folder / "perwali_scan.pdf", SAMPLE_PAGES[:2])
    text_pdf(folder / "perwali_text.pdf")
    return folder


def test_ingest_prints_each_documents_warnings_and_counts_them(inbox: Path, tmp_path: Path):
    first = run_ingest(inbox, tmp_path / "data")
    lines = first.stderr.splitlines()
    assert "Done: 2 added; 1 with warnings." in lines
    assert "warning perwali_scan.pdf (added):" in lines
    assert "  page(s) 1–2: no text layer; OCR not installed" in lines
    assert any(line.startswith("  install Tesseract with the ind+qqq languages") for line in lines)
    assert "perwali_text.pdf" not in first.stderr.split("Done:")[1], "a clean document has nothing to report"

    # Still unread on the next run, which skips the unchanged file: say so, and how to parse it again.
    again = run_ingest(inbox, tmp_path / "data")
    assert "Done: 2 unchanged; 1 with warnings." in again.stderr
    assert "warning perwali_scan.pdf (unchanged):" in again.stderr
    assert "  page(s) 1–2: no text layer; OCR not installed" in again.stderr.splitlines()
    assert "banding-kota delete " in again.stderr
