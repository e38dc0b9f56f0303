"""PDF: each page's text layer, measured; pages with no layer or a garbled one go through OCR.

A scanner's OCR layer with a few misread letters is kept (measured on the Perpres 82/2023
scan: 92–100 % word-like tokens per page; Tesseract would not do better), while a page with no
layer (the Kendari scan) or a layer of garbage (broken font encodings) is OCR'd when Tesseract
is installed. Without it, such pages stay empty or as they are, with a note saying why.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from core.errors import DocumentError, EmptyDocumentError, EncryptedDocumentError
from core.settings import Settings
from core.types import ExtractedDocument, Page
from ingest import ocr
from ingest.loaders.pdf_chatter import chatter_warning, held_pypdf_messages
from ingest.loaders.pdf_fonts import share_parsed_fonts
from ingest.loaders.pdf_images import page_has_images
from ingest.loaders.pdf_visibility import HiddenText, drop_hidden_text
from ingest.textquality import word_share

logger = logging.getLogger(__name__)
share_parsed_fonts()

_DAMAGED_HINT = "Open it in a PDF viewer and save or print it to a new PDF, then re-add it."
_PASSWORD_HINT = "Remove the password (e.g. `qpdf --decrypt --password=... in.pdf out.pdf`) and re-add the file."
_JUNK_TITLES = ("microsoft word", "untitled", "document", "doc1")
# Hidden text of fewer bytes than this (a white page number, a stray mark) is dropped without a warning.
HIDDEN_WARN_BYTES = 16
# An electronic signature (TTE) stamps its certificate as invisible text: BSrE (the national certification
# body, under BSSN) and the private certification authorities write these words; an injection has no reason to.
ESIGN_WORDS = re.compile(
    r"BSrE|Balai\s+Sertifikasi\s+Elektronik|sertifikat\s+elektronik|ditandatangani\s+secara\s+elektronik|"
    r"tanda\s+tangan\s+elektronik|digitally\s+signed|Signature\s+Not\s+Verified|Privy|Peruri", re.I)
# Hidden text that speaks to a reader or a model is what a prompt injection looks like; hidden layout
# remnants of official PDFs (a white paraf table, a "ttd." of a salinan) do not.
ADDRESSED_WORDS = re.compile(
    r"\b(?:ignore|disregard|instructions?|prompt|assistant|system|you\s+(?:are|must|should)|respond|answer|"
    r"language\s+model|AI|abaikan|jawablah|perintah\s+sebelumnya)\b", re.I)
_SAMPLE_CHARS = 60
# An image of at least this many pixels is a scanned page (A4 at 90 dpi and up); logos and stamps are far smaller.
SCAN_PIXELS = 800_000


@dataclass
class _Layer:
    text: str
    quality: float | None
    error: str | None = None
    hostile: bool = False
    hidden: HiddenText = HiddenText()

    @property
    def usable(self) -> bool:
        return bool(self.text.strip())


def check_readable(path: Path) -> None:
    """Opens the PDF exactly as the loader will, raising its errors; the API runs it (isolated) on uploads."""
    _open(path)


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            _decrypt(reader, path)
        if len(reader.pages) == 0:
            raise DocumentError(str(path), "has no pages", hint=_DAMAGED_HINT)
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedDocumentError(str(path), "is protected by a password", hint=_PASSWORD_HINT) from exc
    except Exception as exc:  # pypdf raises many types (PdfReadError, KeyError, RecursionError ...) on damage
        raise DocumentError(str(path), f"is damaged and could not be read as a PDF ({type(exc).__name__}: {exc})",
                            hint=_DAMAGED_HINT) from exc
    return reader


def _decrypt(reader: PdfReader, path: Path) -> None:
    # Many government PDFs are "encrypted" only to forbid editing, with an empty user password.
    try:
        result = reader.decrypt("")
    except DependencyError as exc:
        raise DocumentError(str(path), f"uses AES encryption, which needs the `cryptography` package ({exc})",
                            hint="Install cryptography (pip install cryptography) and re-add the file.") from exc
    except NotImplementedError as exc:
        raise EncryptedDocumentError(str(path), f"uses an unsupported encryption ({exc})",
                                     hint=_PASSWORD_HINT) from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise EncryptedDocumentError(str(path), "is protected by a password", hint=_PASSWORD_HINT)


def _text_layer(page: PageObject) -> _Layer:
    try:
        dropped = drop_hidden_text(page)
        text = page.extract_text() or ""
    except (LimitReachedError, MemoryError):
        # A decompression bomb: rendering the page for OCR would only hit the same wall in C code.
        return _Layer("", None, error="page content exceeds the decompression limits", hostile=True)
    except Exception as exc:  # one damaged content stream should cost that page, not the document
        return _Layer("", None, error=f"text layer unreadable ({type(exc).__name__})")
    text = text.replace("\x00", "")
    return _Layer(text, word_share(text) if text.strip() else None, hidden=dropped)


def _sample(text: str) -> str:
    """The first words of hidden text, printable only (a font's private encoding reads as noise)."""
    words = " ".join("".join(c for c in text if c.isprintable() and c not in '"\\').split())
    return words[:_SAMPLE_CHARS] + ("…" if len(words) > _SAMPLE_CHARS else "")


def _largest_image_pixels(page: PageObject) -> int:
    """Pixels of the page's largest image, from the image headers (nothing is decoded)."""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return 0
        sizes = [int(x.get("/Width", 0)) * int(x.get("/Height", 0))
                 for x in (v.get_object() for v in xobjects.get_object().values()) if x.get("/Subtype") == "/Image"]
    except Exception:  # a damaged resource dictionary only means we cannot tell
        return 0
    return max(sizes, default=0)


def _title(reader: PdfReader) -> str | None:
    try:
        title = (reader.metadata.title if reader.metadata else None) or ""
    except Exception:  # damaged /Info dictionaries are common and never worth failing over
        return None
    title = " ".join(str(title).split())
    if len(title) < 4 or title.lower().startswith(_JUNK_TITLES) or title.lower().endswith((".doc", ".docx", ".pdf")):
        return None
    return title[:300] if word_share(title) >= 0.5 else None


def _page_ranges(numbers: list[int]) -> str:
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)


class _PageReader:
    """Reads pages one by one, keeping count of OCR done and of pages left degraded (for the warnings)."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.ocr_ok = settings.ocr.enabled and ocr.tesseract_available(settings.ocr.languages)
        self.ocr_done: list[int] = []
        self.degraded: dict[str, list[int]] = {}
        self.hidden_text: list[int] = []
        self.esign_layer: list[int] = []
        self.hidden_layout: list[int] = []
        self.hidden_sample = ""
        self.ahead: _OcrAhead | None = None

    def ocr_candidates(self, assessed: list[tuple[_Layer, bool, bool]]) -> list[int]:
        """The pages that will be OCR'd if all goes well: wanting it, not hostile, within the page limit."""
        if self._why_not_ocr() is not None:
            return []
        wanted = [i for i, (layer, _, wants) in enumerate(assessed) if wants and not layer.hostile]
        limit = self.settings.ocr.max_pages
        return wanted if limit is None else wanted[:limit]

    def _why_not_ocr(self) -> str | None:
        if not self.settings.ocr.enabled:
            return "OCR disabled"
        if not self.ocr_ok:
            return "OCR not installed"
        limit = self.settings.ocr.max_pages
        if limit is not None and len(self.ocr_done) >= limit:
            return f"OCR page limit ({limit}) reached"
        return None

    def assess(self, pdf_page: PageObject) -> tuple[_Layer, bool, bool]:
        """The page's text layer, whether that layer is only part of a scanned page (a watermark, a stamp), and
        whether the page wants OCR."""
        layer = _text_layer(pdf_page)
        # A scan whose only text is a watermark ("SUBBAG HUKUM") or a stamp: the page itself is the image.
        partial = layer.usable and len("".join(layer.text.split())) < self.settings.ocr.min_scan_layer_chars \
            and _largest_image_pixels(pdf_page) >= SCAN_PIXELS
        kept = layer.usable and not partial and layer.quality is not None \
            and layer.quality >= self.settings.ocr.min_word_share
        return layer, partial, not kept

    def read(self, index: int, pdf_page: PageObject, assessed: tuple[_Layer, bool, bool]) -> Page:
        number = index + 1
        layer, partial, wants_ocr = assessed
        # Still dropped, but only worth a warning when it could say something: a page number drawn in white
        # on every page of a real regulation is not an attack.
        if layer.hidden.size >= HIDDEN_WARN_BYTES:
            if ESIGN_WORDS.search(layer.hidden.text):
                self.esign_layer.append(number)
            elif ADDRESSED_WORDS.search(layer.hidden.text):
                self.hidden_text.append(number)
            else:
                self.hidden_layout.append(number)
                self.hidden_sample = self.hidden_sample or _sample(layer.hidden.text)
        if not wants_ocr:
            return Page(number=number, text=layer.text, source="text", text_quality=layer.quality)
        problem = layer.error or ("text layer covers only part of a scanned page" if partial
                                  else "text layer looks garbled" if layer.usable else "no text layer")
        reason = "skipped" if layer.hostile else self._why_not_ocr()
        if reason is None:
            ocr_page = self._ocr(index, layer, partial)
            if ocr_page is not None:
                return ocr_page
            reason = "OCR failed"
        self.degraded.setdefault(f"{problem}; {reason}", []).append(number)
        return Page(number=number, text=layer.text, source="text" if layer.usable else "none",
                    text_quality=layer.quality, note=f"{problem}; {reason}")

    def _ocr(self, index: int, layer: _Layer, partial: bool = False) -> Page | None:
        try:
            read_ahead = self.ahead.take(index) if self.ahead else None
            text, confidence = read_ahead.result() if read_ahead else ocr.ocr_pdf_page(self.path, index,
                                                                                        self.settings)
        except Exception as exc:  # Tesseract or pdfium failing on one page costs that page only
            logger.warning("%s: OCR of page %d failed: %s", self.path, index + 1, exc)
            return None
        self.ocr_done.append(index + 1)
        quality = word_share(text) if text.strip() else None
        if partial:  # the layer's few words against the whole page's: keep whichever reads more
            better = len(text.split()) * (quality or 0.0) >= len(layer.text.split()) * (layer.quality or 0.0)
            if better:
                return Page(number=index + 1, text=text, source="ocr", ocr_confidence=confidence, text_quality=quality)
            return Page(number=index + 1, text=layer.text, source="text", text_quality=layer.quality)
        if layer.usable and (quality or 0.0) < (layer.quality or 0.0):
            return Page(number=index + 1, text=layer.text, source="text", text_quality=layer.quality,
                        note="text layer looks garbled; OCR read no better, layer kept")
        return Page(number=index + 1, text=text, source="ocr", ocr_confidence=confidence, text_quality=quality)

    def warnings(self) -> tuple[str, ...]:
        # The file's name, not its path: warnings reach API clients, and server paths are not theirs to see.
        name = self.path.name
        out = [f"{name}: page(s) {_page_ranges(pages)}: {why}" for why, pages in self.degraded.items()]
        if self.hidden_text:
            out.append(f"{name}: page(s) {_page_ranges(self.hidden_text)}: text drawn invisibly (white, "
                       "transparent, tiny or unpainted) that addresses its reader was left out; it is likely a "
                       "prompt injection")
        if self.hidden_layout:
            out.append(f"{name}: page(s) {_page_ranges(self.hidden_layout)}: text drawn invisibly (white, "
                       f"transparent, tiny or unpainted) was left out of the index (\"{self.hidden_sample}\"); "
                       "open the page if it matters")
        if self.esign_layer:
            out.append(f"{name}: page(s) {_page_ranges(self.esign_layer)}: the invisible text of an electronic "
                       "signature (its certificate details) was left out; the signature itself is not verified here")
        if any("OCR not installed" in why for why in self.degraded):
            out.append(f"{name}: install Tesseract with the {self.settings.ocr.languages} languages "
                       "(Debian: tesseract-ocr tesseract-ocr-ind) to read scanned pages")
        return tuple(out)


class _OcrAhead:
    """The pages a scan will need read, ``ocr.page_threads`` at a time in threads (Tesseract runs as its own
    process, so they read in parallel), while the pages are assembled in order; a lone large scan no longer
    leaves a core idle."""

    def __init__(self, path: Path, settings: Settings, indices: list[int]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=settings.ocr.page_threads, thread_name_prefix="ocr")
        self._futures = {i: self._pool.submit(ocr.ocr_pdf_page, path, i, settings) for i in indices}

    def take(self, index: int) -> Future[tuple[str, float]] | None:
        """The page's reading when it was read ahead; None when it was not (a page past a failed one)."""
        return self._futures.pop(index, None)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _read_pages(reader: PdfReader, pages_reader: _PageReader, path: Path, settings: Settings) -> list[Page]:
    assessed = [pages_reader.assess(pdf_page) for pdf_page in reader.pages]
    candidates = pages_reader.ocr_candidates(assessed)
    if settings.ocr.page_threads > 1 and len(candidates) > 1:
        pages_reader.ahead = _OcrAhead(path, settings, candidates)
    try:
        return [pages_reader.read(index, pdf_page, assessed[index]) for index, pdf_page in enumerate(reader.pages)]
    finally:
        if pages_reader.ahead is not None:
            pages_reader.ahead.close()


def load_pdf(path: Path, settings: Settings) -> ExtractedDocument:
    with held_pypdf_messages() as messages:
        reader = _open(path)
        pages_reader = _PageReader(path, settings)
        try:
            pages = _read_pages(reader, pages_reader, path, settings)
        except DocumentError:
            raise
        except Exception as exc:  # a damaged page tree surfaces while iterating
            raise DocumentError(str(path), f"has a damaged page tree ({type(exc).__name__}: {exc})",
                                hint=_DAMAGED_HINT) from exc
        title = _title(reader)
    if pages_reader.ocr_done:
        logger.info("%s: OCR'd page(s) %s", path, _page_ranges(pages_reader.ocr_done))
    _refuse_if_nothing_to_read(path, pages, reader)
    chatter = chatter_warning(path.name, messages)
    return ExtractedDocument(
        path=str(path),
        media_type="application/pdf",
        pages=tuple(pages),
        title_hint=title,
        warnings=pages_reader.warnings() + ((chatter,) if chatter else ()),
    )


def _refuse_if_nothing_to_read(path: Path, pages: list[Page], reader: PdfReader) -> None:
    """A PDF whose every page decoded to no text and draws no image is empty, like a blank one, whether or not
    OCR ran: nothing on it could ever be read. Pages whose content could not be decoded (a bomb, damage) are
    unknown rather than empty, so they keep the document, with their note."""
    if any(page.text.strip() or (page.note and not page.note.startswith("no text layer")) for page in pages):
        return
    if any(page_has_images(pdf_page) for pdf_page in reader.pages):
        return
    raise EmptyDocumentError(str(path), "contains no text and no images to read (every page is empty)",
                             hint="Check that the file has content; a scan must hold its page images.")
