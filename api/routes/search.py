from __future__ import annotations

import time

from fastapi import APIRouter, Request

from api.deps import ServicesDep, charge
from api.engine.search import search_planned
from core.api_models import SearchRequest, SearchResponse

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, request: Request, services: ServicesDep) -> SearchResponse:
    charge(request, services, len(body.query), body.k)
    started = time.perf_counter()
    hits = search_planned(services.retriever, body.query, body.filters, body.k, services.settings.answer)
    return SearchResponse(query=body.query, hits=hits, took_ms=round((time.perf_counter() - started) * 1000, 1))
