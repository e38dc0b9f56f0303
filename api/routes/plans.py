from __future__ import annotations

from fastapi import APIRouter, Query

from api import plans
from api.deps import ServicesDep
from core.api_models import IndicatorList, PlanList

router = APIRouter(tags=["plans"])


@router.get("/plans", response_model=PlanList)
def list_plans(services: ServicesDep, city: str | None = None) -> PlanList:
    """Development plans (RPJPD, RPJMD, RKPD, Renstra, Renja) with their region, period, chapters and how many
    indicator rows their target tables gave."""
    return plans.list_plans(services.retriever, city)


@router.get("/plans/{key:path}/indicators", response_model=IndicatorList)
def plan_indicators(
    key: str,
    services: ServicesDep,
    indicator: str | None = Query(None, max_length=200, description="Words the indicator must contain."),
    year: int | None = Query(None, ge=1900, le=2100, description="A year the row has a target or value for."),
    agency: str | None = Query(None, max_length=200, description="The responsible Perangkat Daerah (substring)."),
) -> IndicatorList:
    """A plan's indicator rows (baseline, target per year, end-of-period target, goal, programme, agency, page and
    cell boxes), each with the citation of its words in the plan's text. The key may hold '|' (a PlanRef key) or be
    the plan's document id."""
    return plans.plan_indicators(services.retriever, key, text=indicator, year=year, agency=agency)
