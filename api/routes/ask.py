from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import LangDep, ServicesDep, charge
from api.engine.extractive import answer_extractive
from api.engine.generative import answer_generative
from api.engine.targets import answer_targets
from core.api_models import AskRequest
from core.types import Answer

router = APIRouter(tags=["answers"])


@router.post("/ask", response_model=Answer)
def ask(body: AskRequest, request: Request, services: ServicesDep, header_lang: LangDep) -> Answer:
    charge(request, services, len(body.question), body.k)
    lang = body.lang or header_lang
    llm = services.settings.llm
    generative = body.engine == "generative" or (body.engine == "auto" and llm.base_url)
    if generative:
        return answer_generative(services.retriever, llm, body.question, body.filters, body.k, lang)
    # A plan's target for a year is a table cell: the indicator row answers it, cited, before passage search (and a
    # plan's figure no row names is the passage answer only when a quoted sentence states it).
    if (targets := answer_targets(services.retriever, body.question, body.filters, body.k, lang)) is not None:
        return targets
    return answer_extractive(services.retriever, body.question, body.filters, body.k, lang)
