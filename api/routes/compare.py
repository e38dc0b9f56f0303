from __future__ import annotations

from fastapi import APIRouter

from api.deps import RateLimited, ServicesDep
from api.engine.compare import compare as compare_cities
from api.schemas import CompareRequest, ComparisonResponse, TimelineEntry

router = APIRouter(tags=["answers"])


@router.post("/compare", response_model=ComparisonResponse, dependencies=[RateLimited])
def compare(body: CompareRequest, services: ServicesDep) -> ComparisonResponse:
    comparison, timeline = compare_cities(services.retriever, body.cities, body.topic, body.aspects, body.k_per_city)
    return ComparisonResponse(**comparison.model_dump(), timeline=tuple(TimelineEntry(**t) for t in timeline))
