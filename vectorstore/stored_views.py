"""The retriever without passage views (``BK_STORE__PASSAGE_VIEWS=store``): what a search reads of the passages is
asked of the passage store per search instead of held in the process.

``HybridRetriever`` holds every passage's text and metadata, the filter index, the heading map and unit titles:
about 4 KB a passage (measured over a synthetic store, docs/benchmark.md), 4 GB at a million. Here a search's
filters are one Chroma ``where`` (``chroma_store.where_for``, the filter index's meaning), its candidates' kinds and
the passages under their headings one read by id, its hits' text another; the catalog's document entries (one per
document, not per passage) are still held. The rankings are the same as the in-memory retriever's
(tests/test_stored_views.py holds them to it); each search costs a few more round trips to the store.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np

from core.types import DocumentMeta, Passage, SearchFilters
from vectorstore.chroma_store import where_for
from vectorstore.hybrid import HybridRetriever, LibraryLike, glossary_translation, key_matches, query_identifiers, rrf
from vectorstore.hybrid import with_roles as roles_of

Ranked = list[tuple[str, tuple[float, float | None, float | None]]]


class StoredRetriever(HybridRetriever):
    """``HybridRetriever``'s ``search`` with the passages read from the store per search. Its whole-store views
    (``passages()``, ``filter_index()`` ...) are still there for the answer engine, built on first use."""

    def __init__(self, library: LibraryLike) -> None:
        super().__init__(library)
        self._metas_lock = threading.Lock()
        self._metas: dict[str, DocumentMeta] = {}
        self._metas_of: object | None = None

    def documents(self) -> dict[str, DocumentMeta]:
        """Catalog entries by id, re-read when the lexical index changes (as the in-memory views are), without
        reading any passage."""
        index = self.library.lexical
        with self._metas_lock:
            if self._metas_of is not index:
                self._metas = {d.doc_id: d for d in self.library.catalog.list_documents()}
                self._metas_of = index
            return self._metas

    def _ranked(self, query: str, filters: SearchFilters, city: str | None, k: int) -> Ranked:
        library = self.library
        city_codes = [city] if city else []
        metas = self.documents()
        where = where_for(filters, city_codes, self._own_documents(filters, metas))
        allowed = frozenset(library.store.ids_where(where)) if where is not None else None
        if allowed is not None and not allowed:
            return []
        knobs = library.settings.retrieval
        depth = max(knobs.candidates_per_list, k * 3)
        dense = self._dense_where(self._query_vector(query), where, allowed, depth)
        lexical = library.lexical.search(query, depth, allowed_ids=allowed, expand=True)
        translated = glossary_translation(query) if knobs.translated_dense else None
        across = self._dense_where(self._query_vector(translated), where, allowed, depth) if translated else []
        headed = self._headed_of([pid for pid, _ in (*dense, *lexical, *across)], allowed)
        rankings = [[pid for pid, _ in _headed(ranking, headed)] for ranking in (dense, lexical)]
        if translated:
            rankings.append([pid for pid, _ in _headed(across, headed)])
        dense, lexical = _headed(dense, headed), _headed(lexical, headed)
        fused = rrf(rankings, knobs.rrf_k)
        for pid, boost in self._stored_boosts(query, where, allowed, metas).items():
            fused[pid] = fused.get(pid, 0.0) + boost
        dense_of, lexical_of = dict(dense), dict(lexical)
        order = sorted(fused, key=lambda pid: (-fused[pid], pid))[:k]
        return [(pid, (fused[pid], dense_of.get(pid), lexical_of.get(pid))) for pid in order]

    def _dense_where(
        self, vector: np.ndarray, where: dict[str, Any] | None, allowed: AbstractSet[str] | None, depth: int
    ) -> list[tuple[str, float]]:
        """Chroma's ranking with the filters as its ``where`` (no vectors in this process)."""
        dense = self.library.store.query(vector, depth if allowed is None else min(depth, len(allowed)), where)
        return dense if allowed is None else [(pid, s) for pid, s in dense if pid in allowed]

    def _own_documents(self, filters: SearchFilters, metas: Mapping[str, DocumentMeta]) -> list[str]:
        """The documents that are the filtered regulation itself (see ``FilterIndex.regulation_documents``)."""
        if not filters.regulation:
            return []
        key = filters.regulation.lower()
        return sorted(d for d, m in metas.items() if m.regulation is not None and m.regulation.key == key)

    def _headed_of(self, ids: Sequence[str], allowed: AbstractSet[str] | None) -> dict[str, str]:
        """Of these candidates, each heading passage → the passage under it (``hybrid.headed_passages``), when that
        passage passes the filters."""
        headings = [p for p in self.library.store.get(list(dict.fromkeys(ids))) if p.kind == "heading"]
        if not headings:
            return {}
        clauses = [{"$and": [{"doc_id": p.doc_id}, {"index": p.index + 1}]} for p in headings]
        following = self.library.store.find(clauses[0] if len(clauses) == 1 else {"$or": clauses})
        at = {(p.doc_id, p.index): p.passage_id for p in following}
        headed = {p.passage_id: at[(p.doc_id, p.index + 1)] for p in headings if (p.doc_id, p.index + 1) in at}
        return {h: t for h, t in headed.items() if allowed is None or t in allowed}

    def _stored_boosts(
        self, query: str, where: dict[str, Any] | None, allowed: AbstractSet[str] | None,
        metas: Mapping[str, DocumentMeta],
    ) -> dict[str, float]:
        """``HybridRetriever._identifier_boosts`` with its sets read from the store, each within the filters."""
        idents = query_identifiers(query)
        knobs = self.library.settings.retrieval
        store = self.library.store

        def within(clause: dict[str, Any]) -> set[str]:
            return set(store.ids_where({"$and": [clause, where]} if where is not None else clause))

        boosts: dict[str, float] = {}
        if idents.numbers:
            own_docs = sorted(d for d, m in metas.items()
                              if m.regulation is not None and key_matches(m.regulation.key, idents.numbers))
            own = within({"doc_id": {"$in": own_docs}}) if own_docs else set()
            keys = self._mentioned_keys(idents.numbers)
            mentioning = within({"$or": [{"regulations": {"$contains": k}} for k in keys]} if len(keys) > 1
                                else {"regulations": {"$contains": keys[0]}}) if keys else set()
            found = self.library.lexical.search(" ".join(idents.tokens), 200, allowed_ids=allowed)
            for pid in own | mentioning | {pid for pid, _ in found}:
                boosts[pid] = knobs.identifier_boost
            if idents.pasal and own:
                for pid in within({"$and": [{"doc_id": {"$in": own_docs}}, {"pasal": {"$in": list(idents.pasal)}}]}):
                    boosts[pid] += knobs.pasal_boost
        elif idents.pasal:
            for pasal in idents.pasal:
                for pid in within({"pasal": pasal}):
                    boosts[pid] = boosts.get(pid, 0.0) + knobs.identifier_boost / 2
        return boosts

    def _mentioned_keys(self, numbers: Sequence[tuple[str, int]]) -> list[str]:
        """The registry's keys of instruments with one of these (number, year) pairs, whatever their type or issuer
        (``FilterIndex.mentioning``'s rule: "224" also finds "224/bappeda")."""
        keys: set[str] = set()
        for number, year in set(numbers):
            for entry in self.library.catalog.list_regulations(year=year):
                parts = entry.ref.key.split("|")
                if len(parts) >= 4 and number.lower() in {parts[2].lower(), parts[2].lower().split("/")[0]}:
                    keys.add(entry.ref.key)
        return sorted(keys)

    def _hit_passages(self, ids: Sequence[str]) -> Mapping[str, Passage]:
        return roles_of(self.library.store.get(ids), self.documents())


def _headed(ranking: list[tuple[str, float]], headed: Mapping[str, str]) -> list[tuple[str, float]]:
    """``HybridRetriever._headed_content`` over a heading map read for these candidates."""
    best: dict[str, float] = {}
    for pid, score in ranking:
        target = headed.get(pid, pid)
        best[target] = max(score, best.get(target, score))
    return list(best.items())
