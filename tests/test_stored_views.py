"""The retriever that reads passages from the store per search (``BK_STORE__PASSAGE_VIEWS=store``) ranks as the one
holding them in memory, over the sample corpus, and holds no view of the whole store while it does."""

from __future__ import annotations

import json

import pytest

from api.engine.search import search_planned, warm
from core.settings import PROJECT_ROOT
from core.types import SearchFilters, SearchHit
from vectorstore.hybrid import HybridRetriever
from vectorstore.library import Library
from vectorstore.stored_views import StoredRetriever

DEVSET = PROJECT_ROOT / "tests" / "devset" / "questions.jsonl"


def _over(library, views: str) -> Library:
    """The fixture's library again, its passages read as ``views`` says; both retrievers rank dense candidates with
    Chroma's index (no vectors in memory), so only where the passages are read differs."""
    store = library.settings.store.model_copy(update={"passage_views": views, "exact_subset_max": 0})
    settings = library.settings.model_copy(update={"store": store})
    return Library(settings, library.embedder, library.store, library.catalog, library.gazetteer)


@pytest.fixture(scope="module")
def pair(library) -> tuple[HybridRetriever, HybridRetriever]:
    memory, stored = _over(library, "memory").retriever, _over(library, "store").retriever
    assert type(memory) is HybridRetriever and isinstance(stored, StoredRetriever)
    return memory, stored


def _key(hits: list[SearchHit]) -> list[tuple[object, ...]]:
    return [(h.passage, h.score, h.dense_score, h.lexical_score, h.title, h.citation_label, h.highlights) for h in hits]


def _questions() -> list[str]:
    return [json.loads(line)["question"] for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_sample_question_gets_the_same_hits_from_the_store_as_from_memory(pair):
    memory, stored = pair
    for question in _questions():
        assert _key(stored.search(question, k=10)) == _key(memory.search(question, k=10)), question


@pytest.mark.parametrize(("query", "filters"), [
    ("organisasi", SearchFilters(cities=["Surabaya"])),
    ("informasi publik", SearchFilters(doc_types=["regulation"], year_from=2015)),
    ("smart governance", SearchFilters(language="en", year_to=2022)),
    ("tugas dan fungsi", SearchFilters(pasal="8")),
    ("Pasal 8 Peraturan Walikota Singkawang Nomor 24 Tahun 2018", SearchFilters()),
    ("What is Mayor's Regulation 31/2020 about?", SearchFilters(cities=["Kota Malang", "Singkawang"])),
])
def test_filtered_and_identifier_searches_match_too(pair, query, filters):
    memory, stored = pair
    hits = stored.search(query, filters, k=10)
    assert hits, "the case finds something, so that the comparison means something"
    assert _key(hits) == _key(memory.search(query, filters, k=10))


def test_a_regulation_filter_keeps_its_own_text_and_its_mentions(pair, library):
    memory, stored = pair
    keys = [m.regulation.key for m in library.documents() if m.regulation is not None]
    assert keys
    for key in keys[:3]:
        filters = SearchFilters(regulation=key)
        assert _key(stored.search("ketentuan", filters, k=10)) == _key(memory.search("ketentuan", filters, k=10))


def test_post_search_answers_every_sample_question_alike_from_the_store(pair, library):
    memory, stored = pair
    answer = library.settings.answer
    for question in _questions():
        assert (search_planned(stored, question, SearchFilters(), 10, answer)
                == search_planned(memory, question, SearchFilters(), 10, answer)), question


def test_warming_and_searching_read_no_view_of_the_whole_store(library):
    stored = _over(library, "store").retriever
    warm(stored)
    stored.search("smart city regulations in Malang and Singkawang", k=10)
    for question in _questions():
        search_planned(stored, question, SearchFilters(), 10, library.settings.answer)
    assert not stored.holds_passages
    memory = _over(library, "memory").retriever
    memory.search("smart city", k=3)
    assert memory.holds_passages


def test_recent_scopes_are_kept_within_their_bound_and_rank_as_read_afresh(pair, library):
    memory, _ = pair
    store = library.settings.store.model_copy(update={"passage_views": "store", "exact_subset_max": 0,
                                                      "scopes_cached": 2})
    bounded = Library(library.settings.model_copy(update={"store": store}), library.embedder, library.store,
                      library.catalog, library.gazetteer).retriever
    assert isinstance(bounded, StoredRetriever)
    for _ in range(2):  # the second round reads the scopes kept by the first, or reads them again once evicted
        for city in ("Surabaya", "Kota Malang", "Singkawang"):
            filters = SearchFilters(cities=[city])
            assert _key(bounded.search("organisasi", filters, k=10)) == _key(memory.search("organisasi", filters,
                                                                                            k=10))
    assert len(bounded._scopes) == 2
