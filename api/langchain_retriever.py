"""A LangChain retriever backed by a running Banding Kota service (``POST /search`` over HTTP).

Each ``Document`` carries its provenance, so a chain can cite it exactly: doc id, passage id, title, pages,
section, offsets into the document's clean text, cities and the lawyer-style citation label.
"""

from __future__ import annotations

from typing import Any

import httpx
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from core.types import SearchFilters, SearchHit


class BandingKotaRetriever(BaseRetriever):
    base_url: str = "http://127.0.0.1:8700"
    k: int = 8
    filters: SearchFilters | None = None
    timeout_s: float = 60.0

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        payload: dict[str, Any] = {"query": query, "k": self.k,
                                   "filters": (self.filters or SearchFilters()).model_dump()}
        response = httpx.post(f"{self.base_url.rstrip('/')}/search", json=payload, timeout=self.timeout_s)
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
                message = f"{error['code']}: {error['message']}"
            except (ValueError, KeyError, TypeError):
                message = f"HTTP {response.status_code}"
            raise RuntimeError(f"Banding Kota /search failed: {message}")
        return [to_document(SearchHit.model_validate(hit)) for hit in response.json()["hits"]]


def to_document(hit: SearchHit) -> Document:
    passage = hit.passage
    metadata = {
        "doc_id": passage.doc_id,
        "passage_id": passage.passage_id,
        "title": hit.title,
        "doc_type": hit.doc_type,
        "page": passage.page_start,
        "page_end": passage.page_end,
        "section": passage.section,
        "start": passage.start,
        "end": passage.end,
        "language": passage.language,
        "about_cities": list(passage.about_cities),
        "regulations": list(passage.regulations),
        "citation_label": hit.citation_label,
        "score": hit.score,
    }
    return Document(page_content=passage.text, metadata=metadata, id=passage.passage_id)
