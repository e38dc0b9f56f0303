"""Text a reader cannot see, removed before pypdf reads a page.

Prompt injection hides instructions in text drawn white on white, with zero alpha or a glyph size
below a point. Such show-text operations are dropped from the content stream before pypdf reads
it, so pages without hidden text read exactly as before. Render mode 3 (no paint) is how a scan
carries its OCR layer, so it is kept when the page shows a page-sized image and dropped otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PageObject
from pypdf.generic import ContentStream, DictionaryObject, NameObject, is_null_or_none

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


@dataclass(frozen=True)
class HiddenText:
    """What was dropped from a page: show-text operations and the bytes of text they carried (a glyph takes
    one or two bytes), which tell a white page number from a hidden paragraph."""

    runs: int = 0
    size: int = 0
    text: str = ""  # what the runs spelled, as far as their bytes read as Latin-1: enough to tell what it is

    def __add__(self, other: HiddenText) -> HiddenText:
        return HiddenText(self.runs + other.runs, self.size + other.size, (self.text + " " + other.text)[:_SAMPLE])


_SAMPLE = 2000


def _text_of(operands: Any) -> str:
    if isinstance(operands, bytes):
        return operands.decode("latin-1")
    if isinstance(operands, str):
        return operands
    if isinstance(operands, list):
        return "".join(_text_of(item) for item in operands)
    return ""


def _text_bytes(operands: Any) -> int:
    if isinstance(operands, (bytes, str)):
        return len(operands)
    if isinstance(operands, list):  # TJ's array, or the operand list itself
        return sum(_text_bytes(item) for item in operands)
    return 0


def _rewrite(stream: _Stream, scan_image: bool) -> HiddenText:
    drop = stream.hidden if scan_image else stream.hidden | stream.unpainted
    if not drop:
        return HiddenText()
    operations = stream.content.operations
    size = sum(_text_bytes(operations[i][0]) for i in drop)
    sample = " ".join(_text_of(operations[i][0]) for i in sorted(drop))[:_SAMPLE]
    stream.content.operations = _without(operations, drop)
    return HiddenText(len(drop), size, sample)


def drop_hidden_text(page: PageObject) -> HiddenText:
    """Removes invisible show-text operations from the page (in memory); returns what was found."""
    content = _page_content(page)
    if content is None:
        return HiddenText()
    walk = _VisibilityWalk(page)
    top = _Stream(content)
    walk.walk(top, page.get("/Resources"), _GState())
    # The parsed stream is handed back to the page so pypdf reads it instead of parsing it again.
    page[NameObject("/Contents")] = content
    dropped = _rewrite(top, walk.scan_image)
    for xobjects, name, form, stream in walk.forms.values():
        found = _rewrite(stream, walk.scan_image)
        if found.runs:
            dropped += found
            stream.content.update({k: v for k, v in form.items() if k not in ("/Filter", "/DecodeParms", "/Length")})
            xobjects[name] = stream.content
    return dropped
