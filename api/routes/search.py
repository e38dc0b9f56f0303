from __future__ import annotations

import time

from fastapi import APIRouter

from api.deps import ServicesDep
from api.schemas import SearchRequest, SearchResponse

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, services: ServicesDep) -> SearchResponse:
    started = time.perf_counter()
    hits = services.retriever.search(body.query, body.filters, body.k)
    return SearchResponse(query=body.query, hits=hits, took_ms=round((time.perf_counter() - started) * 1000, 1))
