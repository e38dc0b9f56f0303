"""The definition a question asks for by name ("apa yang dimaksud dengan barang milik daerah"): read from the
text's own definitions, whatever else the evidence shares with the question."""

from __future__ import annotations

from collections.abc import Sequence

from api.engine.citations import split_sentences
from api.engine.features import asked_term, defined_term
from api.engine.instruments import as_hit
from api.engine.plan import QueryPlan
from core.types import PassageRole, SearchHit
from vectorstore.hybrid import HybridRetriever

# Without a named instrument: the documents of this many best passages are where the term is looked up.
SCOPE_PASSAGES = 3


def first(hits: Sequence[SearchHit], *leading: SearchHit) -> list[SearchHit]:
    """``hits`` with ``leading`` moved (or put) first, each passage once."""
    ids = {h.passage.passage_id for h in leading}
    return [*leading, *(h for h in hits if h.passage.passage_id not in ids)]


def asked_definition(
    retriever: HybridRetriever, plan: QueryPlan, doc_ids: Sequence[str], hits: Sequence[SearchHit]
) -> SearchHit | None:
    """For "what is meant by barang milik daerah": the passage defining the very term the question names (the
    longest such term: "Barang Milik Daerah" rather than "Daerah"), among the evidence or the definitions of
    the named instrument (``doc_ids``). A definition states its own term, so it answers whatever else it shares.
    With no instrument resolved ("the Permendikbud on accreditation"), the definitions read are those of the
    documents the best passages come from: a long definitions article is split, and the part defining the term
    need not share the question's other words."""
    if plan.answer_type != "definition":
        return None
    pool = list(hits)
    scope = doc_ids or list(dict.fromkeys(h.passage.doc_id for h in hits[:SCOPE_PASSAGES]))
    pool += [as_hit(retriever, p) for d in scope for p in retriever.passages_of(d)
             if p.role == PassageRole.DEFINITIONS]
    best: tuple[int, SearchHit] | None = None
    for hit in pool:
        for sentence in split_sentences(hit.passage.text):
            term = defined_term(sentence.text)
            if term and asked_term(plan.asks_in, term) and (best is None or len(term) > best[0]):
                best = (len(term), hit)
    return best[1] if best is not None else None
