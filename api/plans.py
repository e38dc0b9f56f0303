"""Plain functions behind the plan routes: the plans in the corpus and their indicator rows, each row cited."""

from __future__ import annotations

from api.engine.citations import Sentence, make_citation
from core.api_models import IndicatorHit, IndicatorList, PlanList, PlanSummary
from core.errors import NotFoundError
from core.types import Citation, DocumentMeta, IndicatorRow
from vectorstore.hybrid import HybridRetriever


def _chapters(retriever: HybridRetriever, doc_id: str) -> list[str]:
    """The chapters the plan's passages lie in, in text order ('BAB I PENDAHULUAN', ...)."""
    passages = sorted((p for p in retriever.passages().values() if p.doc_id == doc_id), key=lambda p: p.start)
    heads = (p.section.split(" › ")[0] for p in passages)
    return list(dict.fromkeys(h for h in heads if h.startswith("BAB ")))


def _summary(retriever: HybridRetriever, meta: DocumentMeta, counts: dict[str, int]) -> PlanSummary:
    if meta.plan is None:
        raise NotFoundError(f"{meta.filename} is not a plan.")
    return PlanSummary(key=meta.plan.key, label=meta.plan.label, plan=meta.plan, doc_id=meta.doc_id,
                       title=meta.title, filename=meta.filename, page_count=meta.page_count,
                       chapters=_chapters(retriever, meta.doc_id), indicators=counts.get(meta.doc_id, 0))


def _plan_documents(retriever: HybridRetriever) -> list[DocumentMeta]:
    return [m for m in retriever.documents().values() if m.plan is not None]


def list_plans(retriever: HybridRetriever, city: str | None = None) -> PlanList:
    """The plans in the corpus, optionally of one region (code or name, as the gazetteer resolves it)."""
    counts = retriever.library.catalog.indicator_counts()
    metas = _plan_documents(retriever)
    if city:
        region = retriever.library.gazetteer.resolve(city)
        metas = [m for m in metas if m.plan and region is not None and m.plan.region_code == region.code]
    return PlanList(plans=[_summary(retriever, m, counts) for m in metas])


def find_plan(retriever: HybridRetriever, key: str) -> DocumentMeta:
    """A plan by its key or by its document id."""
    for meta in _plan_documents(retriever):
        if meta.plan is not None and key.lower() in (meta.plan.key, meta.doc_id):
            return meta
    raise NotFoundError(f"No plan with key {key!r}.", hint="GET /plans lists the plans and their keys.")


def row_citation(retriever: HybridRetriever, row: IndicatorRow, meta: DocumentMeta, marker: int = 1) -> Citation | None:
    """The indicator's words in the plan's text, cited; None when the text layer does not hold them."""
    if row.passage_id is None or row.start is None or row.end is None:
        return None
    passage = retriever.passages().get(row.passage_id)
    if passage is None or not (passage.start <= row.start and row.end <= passage.end):
        return None
    sentence = Sentence(row.start - passage.start, row.end - passage.start,
                        passage.text[row.start - passage.start:row.end - passage.start])
    return make_citation(marker, passage, meta, sentence)


def plan_indicators(retriever: HybridRetriever, key: str, *, text: str | None = None, year: int | None = None,
                    agency: str | None = None) -> IndicatorList:
    meta = find_plan(retriever, key)
    catalog = retriever.library.catalog
    rows = catalog.indicators(doc_id=meta.doc_id, text=text, year=year, agency=agency)
    hits = [IndicatorHit(row=row, citation=row_citation(retriever, row, meta, i + 1)) for i, row in enumerate(rows)]
    return IndicatorList(plan=_summary(retriever, meta, catalog.indicator_counts()),
                         filters={"text": text, "year": year, "agency": agency}, indicators=hits)
