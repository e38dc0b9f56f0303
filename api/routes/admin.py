from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep, WriteAccess
from core.api_models import Reindexed

router = APIRouter(tags=["admin"])


@router.post("/admin/reindex", response_model=Reindexed, dependencies=[WriteAccess])
def reindex(services: ServicesDep) -> Reindexed:
    with services.write_lock:
        index = services.writing().rebuild_lexical()
    return Reindexed(passages=len(index))
