from __future__ import annotations

from fastapi import APIRouter

from api import views
from api.deps import ServicesDep
from core.api_models import CityList

router = APIRouter(tags=["cities"])


@router.get("/cities", response_model=CityList)
def cities(services: ServicesDep) -> CityList:
    return CityList(cities=views.city_counts(services.retriever))
