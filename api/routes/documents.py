from __future__ import annotations

import mimetypes

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


@router.get("/documents/{doc_id}/file")
def document_file(doc_id: str, services: ServicesDep) -> FileResponse:
    meta = services.library.document(doc_id)
    path = services.library.stored_file(doc_id)
    media_type = meta.media_type or mimetypes.guess_type(meta.filename)[0] or "application/octet-stream"
    # inline, so a browser opens a PDF at #page=N instead of downloading it
    return FileResponse(path, media_type=media_type, filename=meta.filename, content_disposition_type="inline")


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
