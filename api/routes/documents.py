from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from api import source_view, views
from api.deps import ServicesDep, WriteAccess
from api.upload import receive_upload
from core.api_models import (
    DocumentDetail,
    DocumentList,
    ErrorEnvelope,
    JobAccepted,
    PageHighlights,
    PassageList,
    PassageView,
    QuoteContext,
)
from core.types import DocType, Language

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=DocumentList)
def documents(
    services: ServicesDep,
    city: str | None = None,
    doc_type: DocType | None = None,
    year: int | None = None,
    language: Language | None = None,
) -> DocumentList:
    return DocumentList(documents=views.list_documents(services.retriever, city, doc_type, year, language))


@router.get("/documents/{doc_id}", response_model=DocumentDetail)
def document(doc_id: str, services: ServicesDep) -> DocumentDetail:
    return views.document_detail(services.retriever, doc_id)


# A stored original is someone else's file served from the API's own origin: an uploaded HTML page must never
# run there (its scripts could call DELETE /documents/...). Every original is sandboxed (an opaque origin, no
# scripts) and never sniffed; a PDF opens inline so the browser shows #page=N (Chromium's viewer works under
# this policy), plain text is shown as text, and everything else (HTML, DOCX) is only ever downloaded.
ORIGINAL_FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}
FILE_CHUNK_BYTES = 256 * 1024
_SHOWN_INLINE = {"application/pdf": "application/pdf", "text/plain": "text/plain", "text/markdown": "text/plain"}


def original_file_response(handle: BinaryIO, filename: str, media_type: str) -> StreamingResponse:
    """Streams an already opened original: once open, a DELETE that unlinks the file cannot cut the answer off
    (a path-based FileResponse stats and opens the path only after the route returned, so a delete in between
    was a 500)."""
    shown_as = _SHOWN_INLINE.get(media_type)
    size = os.fstat(handle.fileno()).st_size
    disposition = "inline" if shown_as else "attachment"
    quoted = quote(filename)
    named = f'filename="{filename}"' if quoted == filename else f"filename*=utf-8''{quoted}"
    headers = {**ORIGINAL_FILE_HEADERS, "Content-Length": str(size), "Content-Disposition": f"{disposition}; {named}"}

    def chunks() -> Iterator[bytes]:
        with handle:
            while block := handle.read(FILE_CHUNK_BYTES):
                yield block

    return StreamingResponse(chunks(), media_type=shown_as or media_type, headers=headers)


@router.get("/documents/{doc_id}/file")
def document_file(doc_id: str, services: ServicesDep) -> StreamingResponse:
    meta = services.library.document(doc_id)
    handle = services.library.open_stored_file(doc_id)
    media_type = meta.media_type or mimetypes.guess_type(meta.filename)[0] or "application/octet-stream"
    return original_file_response(handle, meta.filename, media_type)


@router.get("/documents/{doc_id}/context", response_model=QuoteContext)
def document_context(
    doc_id: str,
    services: ServicesDep,
    start: int = Query(ge=0),
    end: int = Query(ge=0),
    window: int = Query(400, ge=0, le=views.MAX_WINDOW),
) -> QuoteContext:
    return views.quote_context(services.retriever, doc_id, start, end, window)


@router.get("/documents/{doc_id}/passages", response_model=PassageList)
def document_passages(doc_id: str, services: ServicesDep) -> PassageList:
    """The document's passages in reading order, with page and section path (a table of contents)."""
    return source_view.passage_list(services.retriever, doc_id)


@router.get("/documents/{doc_id}/passages/{passage_id}", response_model=PassageView)
def document_passage(
    doc_id: str, passage_id: str, services: ServicesDep, window: int = Query(1500, ge=0, le=views.MAX_WINDOW)
) -> PassageView:
    """A passage in its place: the clean text around it (from word boundaries), its section path, the previous
    and next passages, its page and whether that page can be rendered (PDF)."""
    return source_view.passage_view(services.retriever, doc_id, passage_id, window)


PAGE_IMAGE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"image/png": {}}, "description": "The page as PNG, the span highlighted."},
}


@router.get("/documents/{doc_id}/pages/{page}/image", response_class=Response, responses=PAGE_IMAGE_RESPONSES)
def page_image(
    doc_id: str,
    page: int,
    services: ServicesDep,
    start: int | None = Query(None, ge=0),
    end: int | None = Query(None, ge=0),
    width: int = Query(1100, ge=200, le=2000),
) -> Response:
    """A PDF page rendered at `width` pixels with clean_text[start:end] highlighted where it lies on the page
    (boxes from the text layer, or from OCR word boxes on a scanned page). `X-Highlight-Boxes` says how many
    boxes were drawn: 0 when the page does not hold the span."""
    png, boxes = source_view.page_image(services.library, services.settings, doc_id, page, start, end, width)
    return Response(png, media_type="image/png", headers={"X-Highlight-Boxes": str(len(boxes))})


@router.get("/documents/{doc_id}/pages/{page}/highlights", response_model=PageHighlights)
def page_highlights(
    doc_id: str, page: int, services: ServicesDep, start: int = Query(ge=0), end: int = Query(ge=0)
) -> PageHighlights:
    """Where clean_text[start:end] lies on a PDF page, as fractions of the page."""
    _png, boxes = source_view.page_image(services.library, services.settings, doc_id, page, start, end, 200)
    return PageHighlights(doc_id=doc_id, page=page,
                          boxes=[(b.left, b.top, b.right, b.bottom) for b in boxes])


# The body is streamed to disk by ``receive_upload`` (size limit enforced while reading), so FastAPI does not
# parse it; this documents the form it expects.
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary",
                                        "description": "PDF, DOCX, HTML, TXT or Markdown."}},
                "required": ["file"],
            }
        }
    },
}


@router.post(
    "/documents",
    status_code=202,
    response_model=JobAccepted,
    dependencies=[WriteAccess],
    openapi_extra={"requestBody": UPLOAD_BODY},
    responses={
        413: {"model": ErrorEnvelope, "description": "The file is larger than the upload limit."},
        415: {"model": ErrorEnvelope, "description": "Not a format Banding Kota reads."},
        423: {"model": ErrorEnvelope, "description": "This server is read-only (another process is writing)."},
    },
)
async def upload_document(request: Request, services: ServicesDep) -> JobAccepted:
    settings = services.settings
    path = await receive_upload(request, services.writing().upload_dir, settings.api.max_upload_mb, settings.ingest)
    job = services.jobs.submit(path, path.name)
    return JobAccepted(job_id=job.job_id, filename=job.filename)


@router.delete("/documents/{doc_id}", status_code=204, dependencies=[WriteAccess])
def delete_document(doc_id: str, services: ServicesDep) -> Response:
    with services.write_lock:
        services.writing().delete_document(doc_id)
    return Response(status_code=204)
