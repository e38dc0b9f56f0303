"""Plain functions behind the source viewer: a passage in its place (text around it, neighbours, page) and a PDF
page rendered with a cited span highlighted."""

from __future__ import annotations

import re

from api.page_highlight import Box, highlighted_page, page_count
from core.api_models import PassageEntry, PassageList, PassageView
from core.errors import InvalidRequestError, NotFoundError
from core.settings import Settings
from core.types import CleanDocument, Passage
from vectorstore.hybrid import HybridRetriever
from vectorstore.library import Library
from vectorstore.library_parts import CatalogLike

PDF_TYPES = frozenset({"application/pdf"})
MAX_SPAN = 20_000
_SPACE = re.compile(r"\s")


def word_window(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    """The ``window`` characters before ``start`` and after ``end`` in ``text``, cut at word boundaries: a
    snippet that would begin or end inside a word drops that partial word."""
    lo, hi = max(0, start - window), min(len(text), end + window)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and not _SPACE.match(text[lo - 1]):
        first_space = _SPACE.search(before)
        before = before[first_space.end():] if first_space else ""
    if hi < len(text) and not _SPACE.match(text[hi]):
        spaces = list(_SPACE.finditer(after))
        after = after[: spaces[-1].start()] if spaces else ""
    return before.lstrip(), after.rstrip()


def _clean(catalog: CatalogLike, doc_id: str) -> CleanDocument:
    clean = catalog.get_clean(doc_id)
    if clean is None:
        raise NotFoundError(f"The text of document {doc_id!r} is missing.", hint="Re-ingest the document.",
                            key="text_missing", values={"doc_id": repr(doc_id)})
    return clean


def _passage(retriever: HybridRetriever, doc_id: str, passage_id: str) -> Passage:
    passage = retriever.passages().get(passage_id)
    if passage is None or passage.doc_id != doc_id:
        raise NotFoundError(f"Document {doc_id!r} has no passage {passage_id!r}.",
                            hint="Use the passage_id of a citation.", key="passage_not_found",
                            values={"doc_id": repr(doc_id), "passage_id": repr(passage_id)})
    return passage


def passage_view(retriever: HybridRetriever, doc_id: str, passage_id: str, window: int) -> PassageView:
    meta = retriever.library.document(doc_id)
    passage = _passage(retriever, doc_id, passage_id)
    clean = _clean(retriever.library.catalog, doc_id)
    neighbours = {p.index: p.passage_id for p in retriever.passages().values()
                  if p.doc_id == doc_id and abs(p.index - passage.index) == 1}
    before, after = word_window(clean.text, passage.start, passage.end, window)
    page_span = next((s for s in clean.pages if s.number == passage.page_start), None)
    return PassageView(
        doc_id=doc_id, passage_id=passage_id, title=meta.title, filename=meta.filename, media_type=meta.media_type,
        is_pdf=meta.media_type in PDF_TYPES, page=passage.page_start, page_end=passage.page_end,
        page_count=meta.page_count or len(clean.pages),
        page_source="ocr" if page_span is not None and page_span.source == "ocr" else "text",
        section=passage.section, start=passage.start, end=passage.end, text=passage.text,
        before=before, after=after,
        previous_id=neighbours.get(passage.index - 1), next_id=neighbours.get(passage.index + 1),
        regulation_key=meta.regulation.key if meta.regulation else None, acronyms=passage.acronyms,
    )


def passage_list(retriever: HybridRetriever, doc_id: str) -> PassageList:
    retriever.library.document(doc_id)
    ordered = sorted((p for p in retriever.passages().values() if p.doc_id == doc_id), key=lambda p: p.index)
    return PassageList(doc_id=doc_id, passages=[PassageEntry(passage_id=p.passage_id, index=p.index,
                                                             page=p.page_start, section=p.section) for p in ordered])


def span_on_page(clean: CleanDocument, page: int, start: int, end: int) -> str:
    """The part of clean_text[start:end] that lies on ``page`` (a passage may run on to the next page)."""
    span = next((s for s in clean.pages if s.number == page), None)
    if span is None:
        return ""
    lo, hi = max(start, span.start), min(end, span.end)
    return clean.text[lo:hi] if lo < hi else ""


def page_image(library: Library, settings: Settings, doc_id: str, page: int, start: int | None,
               end: int | None, width: int) -> tuple[bytes, list[Box]]:
    """PNG of a PDF page with clean_text[start:end] highlighted where it lies on that page."""
    meta = library.document(doc_id)
    if meta.media_type not in PDF_TYPES:
        raise InvalidRequestError(f"Document {doc_id!r} is not a PDF; its pages cannot be rendered.",
                                  hint="Show its text with GET /documents/{doc_id}/passages/{passage_id}.",
                                  key="not_a_pdf", values={"doc_id": repr(doc_id)})
    path = library.stored_file(doc_id)
    pages = page_count(path)
    if not 1 <= page <= pages:
        raise NotFoundError(f"Document {doc_id!r} has no page {page} (it has {pages}).",
                            hint="Pages are numbered from 1.", key="page_not_found",
                            values={"doc_id": repr(doc_id), "page": page, "pages": pages})
    quote = ""
    if start is not None and end is not None:
        clean = _clean(library.catalog, doc_id)
        if not 0 <= start <= end <= len(clean.text) or end - start > MAX_SPAN:
            raise InvalidRequestError(
                f"The span {start}..{end} is not inside the document (its text has {len(clean.text)} characters).",
                hint="Use the start and end of a citation.", key="span_outside",
                values={"start": start, "end": end, "length": len(clean.text)},
            )
        quote = span_on_page(clean, page, start, end)
    ocr = settings.ocr
    return highlighted_page(path, page, quote, width_px=width,
                            ocr_languages=ocr.languages if ocr.enabled and page in meta.ocr_pages else None)
