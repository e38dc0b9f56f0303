from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep
from core.api_models import Health

router = APIRouter(tags=["health"])


def _ocr_available() -> bool:
    try:
        from ingest.ocr import tesseract_available
    except ImportError:
        return False
    return tesseract_available()


@router.get("/health", response_model=Health)
def health(services: ServicesDep) -> Health:
    stats = services.library.stats()
    return Health(
        status="ok" if services.writable else "degraded",
        documents=stats["documents"],
        passages=stats["passages"],
        embedding_model=stats["embedding_model"],
        store="server" if services.settings.store.chroma_host else "embedded",
        ocr_available=_ocr_available(),
        llm_configured=bool(services.settings.llm.base_url),
    )
