from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import ServicesDep, charge
from api.engine.compare import compare as compare_cities
from core.api_models import CompareRequest, ComparisonResponse

router = APIRouter(tags=["answers"])


@router.post("/compare", response_model=ComparisonResponse)
def compare(body: CompareRequest, request: Request, services: ServicesDep) -> ComparisonResponse:
    chars = len(body.topic) + sum(len(a) for a in body.aspects or ())
    charge(request, services, chars, len(body.cities) * body.k_per_city)
    comparison, timeline = compare_cities(services.retriever, body.cities, body.topic, body.aspects, body.k_per_city)
    return ComparisonResponse(**comparison.model_dump(), timeline=tuple(timeline))
