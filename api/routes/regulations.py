from __future__ import annotations

from fastapi import APIRouter

from api import views
from api.deps import ServicesDep
from core.api_models import RegulationDetail, RegulationList

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


# ``:path`` because keys may hold a "/" (Kepgub Kalbar "kepgub|61|224/bappeda|2023"), which the router
# decodes from %2F before matching, so a plain parameter could never match such a key.
@router.get("/regulations/{key:path}", response_model=RegulationDetail)
def regulation(key: str, services: ServicesDep) -> RegulationDetail:
    """One regulation: identity, outline, relations and mentions. `newer_amendment` is true when a regulation
    in the corpus amends it; `revoked_by` lists the regulations that revoke it. `amended_units` lists its units
    that other regulations change ("Pasal 11 diubah by ..."), `changes` the units an amending regulation changes,
    each with its directive cited. A yearless or regionless key that `GET /regulations` counts under a fuller
    instrument (its `aliases`) returns that instrument."""
    return views.regulation_detail(services.retriever, key)
