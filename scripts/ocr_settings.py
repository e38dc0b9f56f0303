"""OCR settings measured on real scans: pages/s and word accuracy against hand-checked truth text.

    .venv/bin/python scripts/ocr_settings.py            # every setting on every truth page
    (also run by ``scripts/benchmark.py``, its "ocr" section)

The truth pages are in ``tests/devset/ocr-truth/``: ``<pdf stem>.p<N>.txt`` is page N (1-based) of
``tests/devset/regulations/<pdf stem>.pdf``, typed from the rendered page and checked against it by eye. Typed text
only: handwriting, stamps and watermarks are left out, so whatever a setting reads from them counts against it.

Word accuracy is 1 − (word edit distance ÷ truth words), over lower-cased words with punctuation dropped (the
usual OCR word accuracy; insertions count, so it can go below 0 and is floored there). Each setting reads each page
once, in the order setting-major, so a load change on the shared machine spreads over all settings: the load
average is printed beside the figures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.settings import PROJECT_ROOT  # noqa: E402

TRUTH_DIR = PROJECT_ROOT / "tests" / "devset" / "ocr-truth"
REGULATIONS = PROJECT_ROOT / "tests" / "devset" / "regulations"


@dataclass(frozen=True)
class OcrSetting:
    dpi: int
    psm: int
    oem: int  # 1 = LSTM, what ingest uses (Debian's ind/eng data has no legacy engine: oem 0 fails to start)

    @property
    def label(self) -> str:
        return f"{self.dpi} dpi, psm {self.psm}, oem {self.oem}"


# Ingest's setting before the fifteenth stop (300 dpi capped at the scan's own, psm 3, oem default = LSTM) first;
# ingest now reads with psm 4 (the third row).
SETTINGS = (
    OcrSetting(300, 3, 1),
    OcrSetting(200, 3, 1),
    OcrSetting(300, 4, 1),
    OcrSetting(300, 6, 1),
    OcrSetting(200, 4, 1),
)
QUICK_SETTINGS = SETTINGS[:4]


@dataclass
class OcrRow:
    setting: str
    pages: int
    seconds: float
    word_accuracy: float  # mean over pages
    per_page: dict[str, float]
    error: str = ""

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def edit_distance(a: list[str], b: list[str]) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def word_accuracy(truth: str, read: str) -> float:
    expected = words(truth)
    return max(0.0, 1 - edit_distance(expected, words(read)) / max(1, len(expected)))


def truth_pages() -> list[tuple[Path, int, str]]:
    """(pdf, 0-based page index, truth text) for every truth file."""
    out = []
    for path in sorted(TRUTH_DIR.glob("*.p*.txt")):
        stem, _, page = path.name.removesuffix(".txt").rpartition(".p")
        out.append((REGULATIONS / f"{stem}.pdf", int(page) - 1, path.read_text(encoding="utf-8")))
    return out


def render(pdf_path: Path, index: int, dpi: int) -> object:
    """The page as ingest renders it: grayscale, at ``dpi`` but never above the scan's own (floor 150 dpi)."""
    import pypdfium2 as pdfium

    from ingest.ocr import _render_dpi

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[index]
        return page.render(scale=_render_dpi(page, dpi) / 72, grayscale=True).to_pil().copy()
    finally:
        pdf.close()


def read(image: object, setting: OcrSetting, languages: str) -> str:
    """Tesseract's text for ``image`` (one thread, as the ingest workers run it)."""
    import pytesseract

    with tempfile.TemporaryDirectory(prefix="bk-ocr-bench-") as folder:
        page = Path(folder) / "page.png"
        image.save(page)  # type: ignore[attr-defined]
        done = subprocess.run([pytesseract.pytesseract.tesseract_cmd, str(page), "stdout", "-l", languages,
                               "--psm", str(setting.psm), "--oem", str(setting.oem)],
                              capture_output=True, check=False, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip()[-300:])
    return done.stdout.decode("utf-8", "replace")


def measure(settings: tuple[OcrSetting, ...] = SETTINGS, languages: str = "ind+eng") -> list[OcrRow]:
    pages = truth_pages()
    rows = []
    for setting in settings:
        images = [render(pdf, index, setting.dpi) for pdf, index, _ in pages]  # rendering is not OCR time
        scores: dict[str, float] = {}
        started = time.perf_counter()
        try:
            texts = [read(image, setting, languages) for image in images]
        except RuntimeError as error:
            rows.append(OcrRow(setting.label, 0, 0.0, 0.0, {}, str(error).splitlines()[-1]))
            continue
        seconds = time.perf_counter() - started
        for (pdf, index, truth), text in zip(pages, texts, strict=True):
            scores[f"{pdf.stem[:32]} p{index + 1}"] = word_accuracy(truth, text)
        rows.append(OcrRow(setting.label, len(pages), seconds, sum(scores.values()) / len(scores), scores))
    return rows


def print_rows(rows: list[OcrRow]) -> None:
    print(f"{'setting':<24}{'pages/s':>9}{'word acc':>10}   per page")
    for row in rows:
        if row.error:
            print(f"{row.setting:<24} failed: {row.error}")
            continue
        pages = ", ".join(f"{v:.3f}" for v in row.per_page.values())
        print(f"{row.setting:<24}{row.pages_per_s:>9.3f}{row.word_accuracy:>10.3f}   {pages}")


def main() -> None:
    print(f"{len(truth_pages())} truth pages in {TRUTH_DIR.relative_to(PROJECT_ROOT)}; load avg "
          f"{os.getloadavg()[0]:.1f}")
    rows = measure()
    print_rows(rows)
    print(f"load avg after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
