from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import ServicesDep, charge
from api.engine.extractive import answer_extractive
from api.engine.generative import answer_generative
from api.schemas import AskRequest
from core.types import Answer

router = APIRouter(tags=["answers"])


@router.post("/ask", response_model=Answer)
def ask(body: AskRequest, request: Request, services: ServicesDep) -> Answer:
    charge(request, services, len(body.question), body.k)
    llm = services.settings.llm
    generative = body.engine == "generative" or (body.engine == "auto" and llm.base_url)
    if generative:
        return answer_generative(services.retriever, llm, body.question, body.filters, body.k)
    return answer_extractive(services.retriever, body.question, body.filters, body.k)
