"""Exact dense ranking inside a filtered subset agrees with Chroma's filtered query and with brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.types import SearchFilters
from vectorstore.chroma_store import where_for
from vectorstore.hybrid import HybridRetriever
from vectorstore.vector_cache import VectorCache


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**16), st.integers(1, 12))
def test_rank_is_brute_force_cosine_within_the_subset(n, seed, k):
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(n, 8)).astype(np.float32)
    ids = [f"p{i}" for i in range(n)]
    allowed = {pid for pid in ids if rng.random() < 0.5} | {"not-stored"}
    query = rng.normal(size=8).astype(np.float32)
    got = VectorCache(ids, matrix).rank(query, allowed, k)
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    sims = {pid: float(unit[i] @ (query / np.linalg.norm(query))) for i, pid in enumerate(ids) if pid in allowed}
    expected = sorted(sims, key=lambda pid: (-sims[pid], int(pid[1:])))[:k]
    assert [pid for pid, _ in got] == expected
    assert all(abs(score - sims[pid]) < 1e-5 for pid, score in got)


def test_city_ranking_matches_chromas_filtered_query(library):
    retriever = HybridRetriever(library)
    cache = VectorCache.from_store(library.store)
    assert len(cache) == library.store.count()
    vector = library.embedder.embed_query("pelayanan publik digital dan keamanan informasi")
    for city in ("64.71", "64.72", "35.78"):
        allowed = retriever.filter_index().allowed(SearchFilters(), [city])
        exact = [pid for pid, _ in cache.rank(vector, allowed, 15)]
        chroma = [pid for pid, _ in library.store.query(vector, 15, where_for(SearchFilters(), [city]))]
        assert exact == chroma, city
