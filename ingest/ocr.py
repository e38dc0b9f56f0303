"""OCR of PDF pages: render with pypdfium2, read with Tesseract (``ind+eng``), cache on disk.

Why pytesseract rather than tesserocr or ocrmypdf: pytesseract runs the Debian ``tesseract``
binary as a subprocess, so it needs no compiled binding matched to the installed libtesseract
(tesserocr does, and has no wheels for every Python/Tesseract pair), a Tesseract crash or hang
stays in that subprocess, and one ``image_to_data`` call gives both the words and their
confidences. Its per-call process start (~50 ms) is nothing next to seconds of OCR per page.
ocrmypdf rewrites whole PDFs (and needs ghostscript); we only need each page's text.

The binary is started here rather than by ``pytesseract.image_to_data`` (pytesseract still finds it,
lists its languages and parses its TSV) because the Tesseract child must die with the parse worker:
the worker is SIGKILLed at its deadline or memory limit, and a child started by pytesseract went on
reading the page for minutes after that. On Linux the child asks the kernel for SIGKILL when its
parent dies (``PR_SET_PDEATHSIG``); everywhere, one page may take no longer than a whole file may.

Pages are rendered at ``settings.ocr.dpi`` but never above the resolution of the page's own
scan (with a floor of 150 dpi): upsampling a 150 dpi scan to 300 dpi gave the same text on the
Kendari scan (99.5 % identical) at twice the OCR time.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytesseract

from core.atomic_write import written_atomically
from core.settings import Settings

logger = logging.getLogger(__name__)

CACHE_DIRNAME = "ocr-cache"
_CACHE_VERSION = "1"
_PDFIUM = threading.Lock()
_MIN_RENDER_DPI = 150


@lru_cache(maxsize=1)
def _installed_languages() -> frozenset[str] | None:
    try:
        pytesseract.get_tesseract_version()
        return frozenset(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError) as exc:
        logger.info("Tesseract is not usable: %s", exc)
        return None


def tesseract_available(languages: str | None = None) -> bool:
    """Whether the Tesseract binary runs and (if given, e.g. ``"ind+eng"``) every language is installed."""
    installed = _installed_languages()
    if installed is None:
        return False
    wanted = [lang for lang in (languages or "").split("+") if lang]
    return all(lang in installed for lang in wanted)


def _render_dpi(page: pdfium.PdfPage, wanted: int) -> int:
    native = 0.0
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        try:
            native = max(native, float(image.get_metadata().horizontal_dpi))
        except pdfium.PdfiumError:
            continue
    if native <= 0:
        return wanted
    return int(min(wanted, max(native, _MIN_RENDER_DPI)))


def _cache_path(settings: Settings, key: str) -> Path:
    return settings.store.data_dir / CACHE_DIRNAME / key[:2] / f"{key}.json"


@dataclass(frozen=True)
class OcrWord:
    """One word Tesseract read, with its box in pixels of the page image and its place in Tesseract's layout."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # (block, paragraph, line)


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float
    words: tuple[OcrWord, ...]


def _read_cache(path: Path) -> tuple[str, float] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["text"]), float(data["confidence"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_json(path: Path, data: object) -> None:
    # Parallel workers may OCR the same page: each writes its own staging file and renames it into place.
    try:
        with written_atomically(path) as staging:
            staging.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        logger.warning("could not write the OCR cache %s: %s", path, exc)


def _write_cache(path: Path, text: str, confidence: float) -> None:
    _write_json(path, {"text": text, "confidence": confidence})


def _words(data: dict[str, list]) -> tuple[OcrWord, ...]:
    return tuple(
        OcrWord(str(text).strip(), float(conf), int(left), int(top), int(width), int(height),
                (int(block), int(par), int(line)))
        for text, conf, left, top, width, height, block, par, line in zip(
            data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"], data["block_num"],
            data["par_num"], data["line_num"], strict=True)
        if str(text).strip()
    )


def _text_and_confidence(words: tuple[OcrWord, ...]) -> tuple[str, float]:
    """Rebuild lines from Tesseract's word boxes; blocks (layout regions) are separated by a blank line."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    confidences = [word.confidence for word in words if word.confidence >= 0]
    parts: list[str] = []
    previous_block = None
    for (block, _par, _line), texts in lines.items():
        if previous_block is not None:
            parts.append("\n\n" if block != previous_block else "\n")
        parts.append(" ".join(texts))
        previous_block = block
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return "".join(parts), round(confidence, 1)


_PR_SET_PDEATHSIG = 1


def _dies_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has the kernel SIGKILL the child when the process starting it dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before the fork, not in the child
    parent = os.getpid()

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return arm


# One Tesseract per core on the whole machine: each parse worker reads the pages of its scan in parallel
# (``ocr.page_threads``), and with several workers reading scans that would put more Tesseracts than cores to work.
# Two workers with two threads each took 20 % longer over the devset's scans than without threads, for no gain.
# Per user: another user's folder in the shared temporary directory could not be opened.
_SLOTS = Path(tempfile.gettempdir()) / f"banding-kota-ocr-slots-{os.getuid()}"


@contextlib.contextmanager
def _tesseract_slot() -> Iterator[None]:
    """Hold one of the machine's Tesseract slots (a locked file; a process that dies releases its lock)."""
    _SLOTS.mkdir(exist_ok=True)
    slots = [_SLOTS / f"slot-{k}.lock" for k in range(len(os.sched_getaffinity(0)) or 1)]
    while True:
        for slot in slots:
            handle = slot.open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            try:
                yield
                return
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
        time.sleep(0.05)


def _run_tesseract(image: object, languages: str, timeout_s: float, *, psm: int = 3,
                   whitelist: str | None = None) -> OcrResult:
    with _tesseract_slot():
        return _run_tesseract_now(image, languages, timeout_s, psm=psm, whitelist=whitelist)


def _run_tesseract_now(image: object, languages: str, timeout_s: float, *, psm: int,
                       whitelist: str | None) -> OcrResult:
    # Tesseract's OpenMP threads fight each other when parse workers OCR in parallel on few
    # cores: one thread per process measured 6-8 s per Kendari page against 14 s with OpenMP.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="bk-ocr-") as folder:
        page = Path(folder) / "page.png"
        image.save(page)  # type: ignore[attr-defined]
        command = [pytesseract.pytesseract.tesseract_cmd, str(page), "stdout", "-l", languages, "--psm", str(psm),
                   *(["-c", f"tessedit_char_whitelist={whitelist}"] if whitelist else []),
                   "-c", "tessedit_create_tsv=1", "tsv"]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False,
                                  preexec_fn=_dies_with_parent())  # noqa: PLW1509 - the worker is single-threaded
        except FileNotFoundError as exc:
            raise pytesseract.TesseractNotFoundError() from exc
    if done.returncode != 0:
        raise pytesseract.TesseractError(done.returncode, done.stderr.decode("utf-8", "replace").strip()[-500:])
    data = pytesseract.pytesseract.file_to_dict(done.stdout.decode("utf-8", "replace"), "\t", -1)
    if not data:
        return OcrResult("", 0.0, ())
    words = _words(data)
    text, confidence = _text_and_confidence(words)
    return OcrResult(text, confidence, words)


def render_page(pdf_path: Path, page_index: int, settings: Settings) -> tuple[object, int]:
    """One page (0-based index) as the grayscale PIL image OCR reads, and its dpi."""
    # PDFium is not thread-safe: the pages of one scan are rendered one at a time and read by Tesseract in parallel.
    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            page = pdf[page_index]
            dpi = _render_dpi(page, settings.ocr.dpi)
            return page.render(scale=dpi / 72, grayscale=True).to_pil().copy(), dpi  # its own pixels, not pdfium's
        finally:
            pdf.close()


def _image_key(image: object, *parts: object) -> str:
    # The page text's key is the one written before tables were read (v1|languages|dpi|size|mode|): caches stay warm.
    fields = (f"v{_CACHE_VERSION}", *parts, image.size, image.mode)  # type: ignore[attr-defined]
    digest = hashlib.sha256(("|".join(str(f) for f in fields) + "|").encode())
    digest.update(image.tobytes())  # type: ignore[attr-defined]
    return digest.hexdigest()


def ocr_page_text(image: object, dpi: int, settings: Settings) -> tuple[str, float]:
    """Text and mean word confidence (0-100) of a rendered page, from the cache when possible."""
    languages, psm = settings.ocr.languages, settings.ocr.psm
    # A page read in Tesseract's automatic mode keeps the key written before the mode was a setting.
    cache_file = _cache_path(settings, _image_key(image, languages, dpi, *(() if psm == 3 else (f"psm{psm}",))))
    cached = _read_cache(cache_file)
    if cached is not None:
        return cached
    result = _run_tesseract(image, languages, settings.ingest.parse_timeout_s, psm=psm)
    _write_cache(cache_file, result.text, result.confidence)
    return result.text, result.confidence


def ocr_image_words(image: object, settings: Settings, *, psm: int = 3, timeout_s: float | None = None,
                    whitelist: str | None = None) -> tuple[OcrWord, ...]:
    """The words Tesseract reads on an image (a table with its ruling erased, say) with their boxes in the image's
    pixels, from the cache when the same image was read before; ``whitelist`` limits the characters it may read."""
    languages = settings.ocr.languages
    # The key of a read without a whitelist is the one written before whitelists existed: caches stay warm.
    extra = (whitelist,) if whitelist else ()
    cache_file = _cache_path(settings, _image_key(image, "words", languages, psm, *extra))
    try:
        return tuple(OcrWord(str(w[0]), float(w[1]), int(w[2]), int(w[3]), int(w[4]), int(w[5]),
                             (int(w[6]), int(w[7]), int(w[8])))
                     for w in json.loads(cache_file.read_text(encoding="utf-8"))["words"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass
    result = _run_tesseract(image, languages, timeout_s or settings.ingest.parse_timeout_s, psm=psm,
                            whitelist=whitelist)
    _write_json(cache_file, {"words": [[w.text, w.confidence, w.left, w.top, w.width, w.height, *w.line]
                                       for w in result.words]})
    return result.words


def ocr_pdf_page(pdf_path: Path, page_index: int, settings: Settings) -> tuple[str, float]:
    """Text and mean word confidence (0–100) of one page (0-based index), from the cache when possible.

    The cache key hashes the rendered bitmap with the languages and dpi, so the same page in a
    re-ingested (or renamed) file is not read again, while any change to the page is.
    """
    image, dpi = render_page(pdf_path, page_index, settings)
    return ocr_page_text(image, dpi, settings)
