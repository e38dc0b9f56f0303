"""Each font of a PDF parsed once per document, not once per page.

pypdf (7.1) builds a page's fonts anew for every page it extracts, parsing each font's /ToUnicode CMap again.
A CMap whose bfrange spans the whole 16-bit code space makes that parse cost most of a second: the Boven Digoel
Perda in the devset (9 such fonts on each of 36 pages) took 260 s to read, past the parse time limit. The font
objects are the same indirect objects on every page, so the parsed font is kept per document (per reader) and
handed out as a copy, since pypdf adjusts a font's space width per page.
"""

from __future__ import annotations

import copy
import threading
import weakref
from typing import Any

from pypdf.generic import DictionaryObject
from pypdf.generic._font import Font

_lock = threading.Lock()
_parsed: weakref.WeakKeyDictionary[Any, dict[tuple[int, int], Font]] = weakref.WeakKeyDictionary()
_original = Font.from_font_resource.__func__  # type: ignore[attr-defined]
_installed = False


def _from_font_resource(cls: type[Font], pdf_font_dict: DictionaryObject) -> Font:
    reference = getattr(pdf_font_dict, "indirect_reference", None)
    reader = getattr(reference, "pdf", None)
    if reference is None or reader is None:
        return _original(cls, pdf_font_dict)
    key = (reference.idnum, reference.generation)
    with _lock:
        fonts = _parsed.setdefault(reader, {})
        font = fonts.get(key)
    if font is None:
        font = _original(cls, pdf_font_dict)
        with _lock:
            fonts[key] = font
    return copy.copy(font)


def share_parsed_fonts() -> None:
    """Install the per-document font cache (idempotent)."""
    global _installed
    with _lock:
        if not _installed:
            Font.from_font_resource = classmethod(_from_font_resource)  # type: ignore[method-assign,assignment]
            _installed = True
