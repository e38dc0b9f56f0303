from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse

from api import views
from api.deps import ServicesDep, WriteAccess
from api.schemas import DocumentDetail, DocumentList, ErrorEnvelope, JobAccepted, QuoteContext
from api.upload import receive_upload
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
_SHOWN_INLINE = {"application/pdf": "application/pdf", "text/plain": "text/plain", "text/markdown": "text/plain"}


def original_file_response(path: Path, filename: str, media_type: str) -> FileResponse:
    shown_as = _SHOWN_INLINE.get(media_type)
    return FileResponse(path, media_type=shown_as or media_type, filename=filename,
                        content_disposition_type="inline" if shown_as else "attachment",
                        headers=ORIGINAL_FILE_HEADERS)


@router.get("/documents/{doc_id}/file")
def document_file(doc_id: str, services: ServicesDep) -> FileResponse:
    meta = services.library.document(doc_id)
    path = services.library.stored_file(doc_id)
    media_type = meta.media_type or mimetypes.guess_type(meta.filename)[0] or "application/octet-stream"
    return original_file_response(path, meta.filename, media_type)


@router.get("/documents/{doc_id}/context", response_model=QuoteContext)
def document_context(
    doc_id: str,
    services: ServicesDep,
    start: int = Query(ge=0),
    end: int = Query(ge=0),
    window: int = Query(400, ge=0, le=views.MAX_WINDOW),
) -> QuoteContext:
    return views.quote_context(services.retriever, doc_id, start, end, window)


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
    path = await receive_upload(
        request, settings.store.data_dir / "uploads", settings.api.max_upload_mb, settings.ingest
    )
    job = services.jobs.submit(path, path.name)
    return JobAccepted(job_id=job.job_id, filename=job.filename)


@router.delete("/documents/{doc_id}", status_code=204, dependencies=[WriteAccess])
def delete_document(doc_id: str, services: ServicesDep) -> Response:
    with services.write_lock:
        services.library.delete_document(doc_id)
    return Response(status_code=204)
