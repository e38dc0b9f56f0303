from __future__ import annotations

from fastapi import APIRouter

from api import views
from api.deps import ServicesDep
from api.schemas import RegulationDetail, RegulationList

router = APIRouter(tags=["regulations"])


@router.get("/regulations", response_model=RegulationList)
def regulations(
    services: ServicesDep,
    city: str | None = None,
    instrument: str | None = None,
    year: int | None = None,
    aspect: str | None = None,
) -> RegulationList:
    return RegulationList(regulations=views.list_regulations(services.retriever, city, instrument, year, aspect))


@router.get("/regulations/{key}", response_model=RegulationDetail)
def regulation(key: str, services: ServicesDep) -> RegulationDetail:
    return views.regulation_detail(services.retriever, key)
