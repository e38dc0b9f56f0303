"""PDF: each page's text layer, measured; pages with no layer or a garbled one go through OCR.

A scanner's OCR layer with a few misread letters is kept (measured on the Perpres 82/2023
scan: 92–100 % word-like tokens per page; Tesseract would not do better), while a page with no
layer (the Kendari scan) or a layer of garbage (broken font encodings) is OCR'd when Tesseract
is installed. Without it, such pages stay empty or as they are, with a note saying why.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
from pypdf.generic import ContentStream, DictionaryObject, NameObject, is_null_or_none

from core.errors import DocumentError, EncryptedDocumentError
from core.settings import Settings
from core.types import ExtractedDocument, Page
from ingest import ocr
from ingest.textquality import word_share

logger = logging.getLogger(__name__)

_DAMAGED_HINT = "Open it in a PDF viewer and save or print it to a new PDF, then re-add it."
_PASSWORD_HINT = "Remove the password (e.g. `qpdf --decrypt --password=... in.pdf out.pdf`) and re-add the file."
_JUNK_TITLES = ("microsoft word", "untitled", "document", "doc1")


@dataclass
class _Layer:
    text: str
    quality: float | None
    error: str | None = None
    hostile: bool = False
    hidden_runs: int = 0

    @property
    def usable(self) -> bool:
        return bool(self.text.strip())


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


# --- text a reader cannot see --------------------------------------------------------------------
# Prompt injection hides instructions in text drawn white on white, with zero alpha or a glyph size
# below a point. Such show-text operations are dropped from the content stream before pypdf reads
# it, so pages without hidden text read exactly as before. Render mode 3 (no paint) is how a scan
# carries its OCR layer, so it is kept when the page shows a page-sized image and dropped otherwise.

_Matrix = tuple[float, float, float, float]  # the 2x2 part: translations never change visibility
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0)
_SHOW_TEXT = frozenset({b"Tj", b"TJ", b"'", b'"'})
_MIN_GLYPH_PT = 1.0
_NEAR_WHITE = 0.95  # a tint this light on a white page cannot be read
_SCAN_IMAGE_SHARE = 0.5  # an image covering half the page or more is a scanned page
_MAX_FORM_DEPTH = 8
_SPACE_COMPONENTS = {"/DeviceGray": "gray", "/CalGray": "gray", "/G": "gray", "/DeviceRGB": "rgb",
                     "/CalRGB": "rgb", "/RGB": "rgb", "/DeviceCMYK": "cmyk", "/CMYK": "cmyk"}
_ICC_COMPONENTS = {1: "gray", 3: "rgb", 4: "cmyk"}


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3])


def _numbers(operands: list[Any]) -> list[float] | None:
    try:
        return [float(value) for value in operands]
    except (TypeError, ValueError):
        return None


def _matrix(operands: Any) -> _Matrix | None:
    values = _numbers(list(operands)[:4]) if isinstance(operands, list) else None
    return (values[0], values[1], values[2], values[3]) if values and len(values) == 4 else None


def _is_white(space: str | None, operands: list[Any]) -> bool:
    values = _numbers(operands)
    if space is None or not values:
        return False  # patterns, separations, indexed colours: assume the ink shows
    if space == "cmyk":
        return len(values) == 4 and max(values) <= 1 - _NEAR_WHITE
    return len(values) == (1 if space == "gray" else 3) and min(values) >= _NEAR_WHITE


@dataclass
class _GState:
    ctm: _Matrix = _IDENTITY
    fill_space: str | None = "gray"
    stroke_space: str | None = "gray"
    fill_white: bool = False
    stroke_white: bool = False
    fill_clear: bool = False
    stroke_clear: bool = False
    render_mode: int = 0
    font_size: float | None = None
    h_scale: float = 1.0

    def copy(self) -> _GState:
        return replace(self)


@dataclass
class _Stream:
    """A parsed content stream and the indices of its show-text operations to drop."""

    content: ContentStream
    hidden: set[int] = field(default_factory=set)
    unpainted: set[int] = field(default_factory=set)  # render mode 3/7: an OCR layer if over a scan


class _VisibilityWalk:
    """Follows the graphics state through a page (and the forms it draws) to find text no one sees."""

    def __init__(self, page: PageObject) -> None:
        box = page.cropbox
        self.page_area = abs(float(box.width) * float(box.height)) or 1.0
        self.pdf = page.pdf
        self.forms: dict[int, tuple[DictionaryObject, NameObject, DictionaryObject, _Stream]] = {}
        self.scan_image = False

    def walk(self, stream: _Stream, resources: Any, state: _GState, depth: int = 0) -> None:
        resources = resources.get_object() if resources is not None else DictionaryObject()
        stack: list[_GState] = []
        text_matrix = _IDENTITY
        for index, (operands, operator) in enumerate(stream.content.operations):
            if operator in _SHOW_TEXT:
                self._judge(stream, index, state, text_matrix)
            elif operator == b"q":
                stack.append(state.copy())
            elif operator == b"Q":
                state = stack.pop() if stack else state
            elif operator == b"BT":
                text_matrix = _IDENTITY
            elif operator == b"Tm":
                text_matrix = _matrix(operands) or text_matrix
            elif operator == b"cm":
                state.ctm = _mul(_matrix(operands) or _IDENTITY, state.ctm)
            elif operator in (b"Do", b"INLINE IMAGE"):
                self._draw(operands, operator, resources, state, depth)
            else:
                self._set_state(operator, operands, resources, state)

    def _judge(self, stream: _Stream, index: int, state: _GState, text_matrix: _Matrix) -> None:
        if state.render_mode in (3, 7):
            stream.unpainted.add(index)
            return
        fills = state.render_mode in (0, 2, 4, 6)
        strokes = state.render_mode in (1, 2, 5, 6)
        fill_shows = fills and not (state.fill_white or state.fill_clear)
        stroke_shows = strokes and not (state.stroke_white or state.stroke_clear)
        if not (fill_shows or stroke_shows) or self._tiny(state, text_matrix):
            stream.hidden.add(index)

    @staticmethod
    def _tiny(state: _GState, text_matrix: _Matrix) -> bool:
        if state.font_size is None:
            return False
        a, b, c, d = _mul(text_matrix, state.ctm)
        size = abs(state.font_size)
        return size * math.hypot(c, d) < _MIN_GLYPH_PT or size * state.h_scale * math.hypot(a, b) < _MIN_GLYPH_PT

    def _set_state(self, operator: bytes, operands: list[Any], resources: Any, state: _GState) -> None:
        if operator == b"Tf" and len(operands) >= 2:
            sizes = _numbers(operands[1:2])
            state.font_size = sizes[0] if sizes else state.font_size
        elif operator == b"Tr" and operands:
            modes = _numbers(operands[:1])
            state.render_mode = int(modes[0]) if modes else state.render_mode
        elif operator == b"Tz" and operands:
            scales = _numbers(operands[:1])
            state.h_scale = scales[0] / 100 if scales else state.h_scale
        elif operator in (b"g", b"rg", b"k"):
            state.fill_space = {b"g": "gray", b"rg": "rgb", b"k": "cmyk"}[operator]
            state.fill_white = _is_white(state.fill_space, operands)
        elif operator in (b"G", b"RG", b"K"):
            state.stroke_space = {b"G": "gray", b"RG": "rgb", b"K": "cmyk"}[operator]
            state.stroke_white = _is_white(state.stroke_space, operands)
        elif operator in (b"sc", b"scn"):
            state.fill_white = _is_white(state.fill_space, operands)
        elif operator in (b"SC", b"SCN"):
            state.stroke_white = _is_white(state.stroke_space, operands)
        elif operator == b"cs" and operands:
            state.fill_space, state.fill_white = _colour_space(operands[0], resources), False
        elif operator == b"CS" and operands:
            state.stroke_space, state.stroke_white = _colour_space(operands[0], resources), False
        elif operator == b"gs" and operands:
            self._ext_gstate(operands[0], resources, state)

    @staticmethod
    def _ext_gstate(name: Any, resources: Any, state: _GState) -> None:
        try:
            params = resources["/ExtGState"][name].get_object()
        except (KeyError, TypeError, AttributeError):
            return
        for key, attribute in (("/ca", "fill_clear"), ("/CA", "stroke_clear")):
            alpha = _numbers([params[key]]) if key in params else None
            if alpha:
                setattr(state, attribute, alpha[0] <= 1 - _NEAR_WHITE)

    def _draw(self, operands: list[Any], operator: bytes, resources: Any, state: _GState, depth: int) -> None:
        if operator == b"INLINE IMAGE":
            self._note_image(state)
            return
        try:
            xobjects = resources["/XObject"].get_object()
            name = operands[0]
            xobject = xobjects[name].get_object()
            subtype = xobject.get("/Subtype")
        except (KeyError, TypeError, AttributeError, IndexError):
            return
        if subtype == "/Image":
            self._note_image(state)
        elif subtype == "/Form" and depth < _MAX_FORM_DEPTH:
            self._enter_form(xobjects, name, xobject, resources, state, depth)

    def _note_image(self, state: _GState) -> None:
        a, b, c, d = state.ctm
        if abs(a * d - b * c) >= _SCAN_IMAGE_SHARE * self.page_area:
            self.scan_image = True

    def _enter_form(self, xobjects: Any, name: Any, form: Any, resources: Any, state: _GState, depth: int) -> None:
        key = id(form)
        if key not in self.forms:
            self.forms[key] = (xobjects, name, form, _Stream(ContentStream(form, self.pdf, "bytes")))
        inner = state.copy()
        inner.ctm = _mul(_matrix(form.get("/Matrix")) or _IDENTITY, state.ctm)
        self.walk(self.forms[key][3], form.get("/Resources") or resources, inner, depth + 1)


def _colour_space(name: Any, resources: Any) -> str | None:
    if str(name) in _SPACE_COMPONENTS:
        return _SPACE_COMPONENTS[str(name)]
    try:
        space = resources["/ColorSpace"][name].get_object()
        family = str(space[0]) if isinstance(space, list) else str(space)
        if family == "/ICCBased":
            return _ICC_COMPONENTS.get(int(space[1].get_object()["/N"]))
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        return None
    return _SPACE_COMPONENTS.get(family)


def _page_content(page: PageObject) -> ContentStream | None:
    contents = page.get("/Contents")
    if contents is None or is_null_or_none(contents.get_object()):
        return None
    # Parsed as pypdf parses it for extract_text, so pages without hidden text read exactly as before.
    return ContentStream(contents.get_object(), page.pdf, "bytes")


def _without(operations: list[tuple[Any, bytes]], drop: set[int]) -> list[tuple[Any, bytes]]:
    kept: list[tuple[Any, bytes]] = []
    for index, (operands, operator) in enumerate(operations):
        if index not in drop:
            kept.append((operands, operator))
        elif operator == b"'":  # keep the line break the operator also makes
            kept.append(([], b"T*"))
        elif operator == b'"' and len(operands) >= 2:
            kept += [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")]
    return kept


def _rewrite(stream: _Stream, scan_image: bool) -> int:
    drop = stream.hidden if scan_image else stream.hidden | stream.unpainted
    if drop:
        stream.content.operations = _without(stream.content.operations, drop)
    return len(drop)


def _drop_hidden_text(page: PageObject) -> int:
    """Removes invisible show-text operations from the page (in memory); returns how many were found."""
    content = _page_content(page)
    if content is None:
        return 0
    walk = _VisibilityWalk(page)
    top = _Stream(content)
    walk.walk(top, page.get("/Resources"), _GState())
    # The parsed stream is handed back to the page so pypdf reads it instead of parsing it again.
    page[NameObject("/Contents")] = content
    dropped = _rewrite(top, walk.scan_image)
    for xobjects, name, form, stream in walk.forms.values():
        if found := _rewrite(stream, walk.scan_image):
            dropped += found
            stream.content.update({k: v for k, v in form.items() if k not in ("/Filter", "/DecodeParms", "/Length")})
            xobjects[name] = stream.content
    return dropped


def _text_layer(page: PageObject) -> _Layer:
    try:
        dropped = _drop_hidden_text(page)
        text = page.extract_text() or ""
    except (LimitReachedError, MemoryError):
        # A decompression bomb: rendering the page for OCR would only hit the same wall in C code.
        return _Layer("", None, error="page content exceeds the decompression limits", hostile=True)
    except Exception as exc:  # one damaged content stream should cost that page, not the document
        return _Layer("", None, error=f"text layer unreadable ({type(exc).__name__})")
    text = text.replace("\x00", "")
    return _Layer(text, word_share(text) if text.strip() else None, hidden_runs=dropped)


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

    def _why_not_ocr(self) -> str | None:
        if not self.settings.ocr.enabled:
            return "OCR disabled"
        if not self.ocr_ok:
            return "OCR not installed"
        limit = self.settings.ocr.max_pages
        if limit is not None and len(self.ocr_done) >= limit:
            return f"OCR page limit ({limit}) reached"
        return None

    def read(self, index: int, pdf_page: PageObject) -> Page:
        number = index + 1
        layer = _text_layer(pdf_page)
        if layer.hidden_runs:
            self.hidden_text.append(number)
        min_share = self.settings.ocr.min_word_share
        if layer.usable and layer.quality is not None and layer.quality >= min_share:
            return Page(number=number, text=layer.text, source="text", text_quality=layer.quality)
        problem = layer.error or ("text layer looks garbled" if layer.usable else "no text layer")
        reason = "skipped" if layer.hostile else self._why_not_ocr()
        if reason is None:
            ocr_page = self._ocr(index, layer)
            if ocr_page is not None:
                return ocr_page
            reason = "OCR failed"
        self.degraded.setdefault(f"{problem}; {reason}", []).append(number)
        return Page(number=number, text=layer.text, source="text" if layer.usable else "none",
                    text_quality=layer.quality, note=f"{problem}; {reason}")

    def _ocr(self, index: int, layer: _Layer) -> Page | None:
        try:
            text, confidence = ocr.ocr_pdf_page(self.path, index, self.settings)
        except Exception as exc:  # Tesseract or pdfium failing on one page costs that page only
            logger.warning("%s: OCR of page %d failed: %s", self.path, index + 1, exc)
            return None
        self.ocr_done.append(index + 1)
        quality = word_share(text) if text.strip() else None
        if layer.usable and (quality or 0.0) < (layer.quality or 0.0):
            return Page(number=index + 1, text=layer.text, source="text", text_quality=layer.quality,
                        note="text layer looks garbled; OCR read no better, layer kept")
        return Page(number=index + 1, text=text, source="ocr", ocr_confidence=confidence, text_quality=quality)

    def warnings(self) -> tuple[str, ...]:
        out = [f"{self.path}: page(s) {_page_ranges(pages)}: {why}" for why, pages in self.degraded.items()]
        if self.hidden_text:
            out.append(f"{self.path}: page(s) {_page_ranges(self.hidden_text)}: text drawn invisibly (white, "
                       "transparent, tiny or unpainted) was left out; it may be a prompt injection")
        if any("OCR not installed" in why for why in self.degraded):
            out.append(f"{self.path}: install Tesseract with the {self.settings.ocr.languages} languages "
                       "(Debian: tesseract-ocr tesseract-ocr-ind) to read scanned pages")
        return tuple(out)


def load_pdf(path: Path, settings: Settings) -> ExtractedDocument:
    reader = _open(path)
    pages_reader = _PageReader(path, settings)
    pages: list[Page] = []
    try:
        for index, pdf_page in enumerate(reader.pages):
            pages.append(pages_reader.read(index, pdf_page))
    except DocumentError:
        raise
    except Exception as exc:  # a damaged page tree surfaces while iterating
        raise DocumentError(str(path), f"has a damaged page tree ({type(exc).__name__}: {exc})",
                            hint=_DAMAGED_HINT) from exc
    if pages_reader.ocr_done:
        logger.info("%s: OCR'd page(s) %s", path, _page_ranges(pages_reader.ocr_done))
    return ExtractedDocument(
        path=str(path),
        media_type="application/pdf",
        pages=tuple(pages),
        title_hint=_title(reader),
        warnings=pages_reader.warnings(),
    )
