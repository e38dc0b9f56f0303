"""``POST /search``: the evidence the answer reads, in the order it reads it (see ``api.engine.extractive.gather``).

Each group of the plan (a compared instrument or region, else the one) contributes its focus first (the article
the question names, an amendment's directives, the clause on revocation or entry into force, the closing or
title block of an instrument asked about itself), then its re-ranked passages; the groups take turns, so each has
its share of the ``k`` hits.
"""

from __future__ import annotations

from api.engine.definitions import first
from api.engine.extractive import gather
from api.engine.instruments import instruments_by_region
from api.engine.plan import opening_identifiers
from api.engine.targets import target_evidence
from core.settings import AnswerSettings
from core.types import SearchFilters, SearchHit
from vectorstore.hybrid import HybridRetriever


def search_planned(
    retriever: HybridRetriever, query: str, filters: SearchFilters | None, k: int, settings: AnswerSettings
) -> list[SearchHit]:
    groups, _ = gather(retriever, query, filters or SearchFilters(), k, settings=settings, judge=False)
    lists = []
    for group in groups:
        seen: dict[str, SearchHit] = {}
        for hit in (*group.focus, *group.hits):
            seen.setdefault(hit.passage.passage_id, hit)
        lists.append(list(seen.values()))
    merged: dict[str, SearchHit] = {}
    for position in range(max((len(hits) for hits in lists), default=0)):
        for hits in lists:
            if position < len(hits):
                merged.setdefault(hits[position].passage.passage_id, hits[position])
        if len(merged) >= k:
            break
    hits = list(merged.values())[:k]
    # A plan's target for a year is answered from its indicator row (api.engine.targets): that row is the evidence.
    row = target_evidence(retriever, query, filters)
    return first(hits, row)[:k] if row is not None else hits


def warm(retriever: HybridRetriever) -> None:
    """Build what answering reads from the whole store (the passages and lexical index, each region's
    instruments, each document's passages and opening identifiers, the articles each passage cites) now, not
    inside the first questions that need them: at 120k passages they take tens of seconds together. The query
    embedder loads (and on a first run exports its ONNX graph) here too."""
    retriever.library.embedder.embed_query("pemanasan")
    if retriever.library.settings.store.passage_views == "store":
        # A replica that holds no passages reads them per question; only the title blocks' identifiers (a few
        # tokens per document, streamed from the store) are read ahead.
        opening_identifiers(retriever)
        return
    retriever.passages()
    instruments_by_region(retriever)  # reads each document's passages (retriever.passages_of) too
    opening_identifiers(retriever)
