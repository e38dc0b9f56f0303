"""The LangChain retriever reads the running service's /search and keeps each passage's provenance."""

from __future__ import annotations

import pytest

from api.langchain_retriever import BandingKotaRetriever
from core.types import SearchFilters


def test_documents_carry_provenance(api_server):
    retriever = BandingKotaRetriever(base_url=api_server, k=4)
    docs = retriever.invoke("Hospital Online Reservation HORE")
    assert 0 < len(docs) <= 4
    assert any("HORE" in d.page_content for d in docs)
    for d in docs:
        meta = d.metadata
        assert {"doc_id", "passage_id", "title", "page", "start", "end", "citation_label"} <= set(meta)
        assert meta["end"] - meta["start"] == len(d.page_content)


def test_filters_are_sent_to_the_service(api_server):
    retriever = BandingKotaRetriever(base_url=api_server, k=5, filters=SearchFilters(cities=["Surabaya"]))
    docs = retriever.invoke("organisasi sekretariat")
    assert docs and all("35.78" in d.metadata["about_cities"] for d in docs)


def test_service_errors_are_raised_with_the_envelope_message(api_server):
    retriever = BandingKotaRetriever(base_url=api_server, filters=SearchFilters(cities=["Atlantis"]))
    with pytest.raises(RuntimeError, match="unknown_city"):
        retriever.invoke("anything")
