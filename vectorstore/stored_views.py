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

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

import numpy as np

from core.types import DocumentMeta, Passage, SearchFilters
from vectorstore.chroma_store import where_for
from vectorstore.hybrid import (
    HybridRetriever,
    LibraryLike,
    glossary_translation,
    headed_content,
    key_matches,
    query_identifiers,
    rrf,
)
from vectorstore.hybrid import with_roles as roles_of
from vectorstore.lexical import unit_titles, with_headings

Ranked = list[tuple[str, tuple[float, float | None, float | None]]]
_View = TypeVar("_View")
# Documents whose passages (and unit titles) are kept between questions: a question reads a few dozen, and /compare
# a few per city; a bound, so that a long-running replica's memory stays flat.
DOCUMENTS_CACHED = 128
# Passage id → document, for the passages handed out: bounded as the documents are.
PASSAGES_REMEMBERED = 50_000


class StoredRetriever(HybridRetriever):
    """``HybridRetriever``'s ``search`` with the passages read from the store per search. Its whole-store views
    (``passages()``, ``filter_index()`` ...) are still there for the answer engine, built on first use."""

    def __init__(self, library: LibraryLike) -> None:
        super().__init__(library)
        self._metas_lock = threading.Lock()
        self._metas: dict[str, DocumentMeta] = {}
        self._metas_of: object | None = None
        self._documents_read: OrderedDict[str, tuple[list[Passage], dict[str, str]]] = OrderedDict()
        self._doc_of: dict[str, str] = {}
        self._scopes: OrderedDict[str, frozenset[str]] = OrderedDict()

    # --- one document's or a few passages' views ------------------------------------------------------------------

    def passages_of(self, doc_id: str) -> list[Passage]:
        self.read_documents([doc_id])
        with self._metas_lock:
            cached = self._documents_read.get(doc_id)
        return cached[0] if cached is not None else []

    def read_documents(self, doc_ids: Iterable[str]) -> None:
        """Read these documents' passages (and unit titles) among the recent ones, those not there in one request:
        answering reads the documents of a search's hits (their titles, the articles they cite) one by one."""
        metas = self.documents()  # first: a changed store forgets the documents read
        with self._metas_lock:
            for doc_id in doc_ids:
                if doc_id in self._documents_read:
                    self._documents_read.move_to_end(doc_id)
            missing = sorted({d for d in doc_ids if d not in self._documents_read})
        if not missing:
            return
        by_doc: dict[str, list[Passage]] = {doc_id: [] for doc_id in missing}
        where = {"doc_id": missing[0]} if len(missing) == 1 else {"doc_id": {"$in": missing}}
        for passage in self.library.store.find(where):
            by_doc[passage.doc_id].append(passage)
        read = {}
        for doc_id, found in by_doc.items():
            passages = list(roles_of(sorted(found, key=lambda p: p.index), metas).values())
            read[doc_id] = (passages, {p.passage_id: " ".join(t) for p, headings in with_headings(passages)
                                       if (t := unit_titles(p, headings))})
            self._remember(passages)
        with self._metas_lock:
            self._documents_read.update(read)
            while len(self._documents_read) > max(DOCUMENTS_CACHED, len(read)):
                self._documents_read.popitem(last=False)

    def openings(self, last: int) -> Iterator[tuple[str, list[Passage]]]:
        """Streamed from the store a page at a time; a document's passages lie together in it (a document is stored
        at once), and one met again later (rewritten apart) is yielded again with those passages."""
        metas = self.documents()
        doc_id, held = "", list[Passage]()
        for passage in self.library.store.iter_passages(where={"index": {"$lte": last}}):
            if passage.doc_id != doc_id and held:
                yield doc_id, list(roles_of(sorted(held, key=lambda p: p.index), metas).values())
                held = []
            doc_id = passage.doc_id
            held.append(passage)
        if held:
            yield doc_id, list(roles_of(sorted(held, key=lambda p: p.index), metas).values())

    def passages_by_id(self, ids: Iterable[str]) -> dict[str, Passage]:
        found = dict(roles_of(self.library.store.get(list(dict.fromkeys(ids))), self.documents()))
        self._remember(found.values())
        return found

    def allowed(self, filters: SearchFilters, cities: Sequence[str] = ()) -> AbstractSet[str] | None:
        return self._scope(filters, cities)[1]

    def _scope(
        self, filters: SearchFilters, cities: Sequence[str]
    ) -> tuple[dict[str, Any] | None, AbstractSet[str] | None]:
        """The filters as a Chroma ``where`` and the ids of the passages passing them (both None: no filter)."""
        where = where_for(filters, cities, self._own_documents(filters, self.documents()))
        return where, self._ids_where(where) if where is not None else None

    def _ids_where(self, where: dict[str, Any]) -> frozenset[str]:
        """The ids passing a ``where``, kept among the recent scopes (``store.scopes_cached``) until the store
        changes: a city's questions all need its ids, and a large city's are several pages of a request."""
        key = json.dumps(where, sort_keys=True)
        with self._metas_lock:
            if key in self._scopes:
                self._scopes.move_to_end(key)
                return self._scopes[key]
        ids = frozenset(self.library.store.ids_where(where))
        with self._metas_lock:
            self._scopes[key] = ids
            while len(self._scopes) > self.library.settings.store.scopes_cached:
                self._scopes.popitem(last=False)
        return ids

    def unit_titles(self) -> Mapping[str, str]:
        """Passage id → titles of the chapters and parts it sits in, read with the passage's document."""
        return _StoredTitles(self)

    def unit_title(self, passage_id: str) -> str | None:
        doc_id = self._doc_of.get(passage_id)
        if doc_id is None:
            found = self.passages_by_id([passage_id]).get(passage_id)
            if found is None:
                return None
            doc_id = found.doc_id
        self.passages_of(doc_id)
        with self._metas_lock:
            cached = self._documents_read.get(doc_id)
        return cached[1].get(passage_id) if cached is not None else None

    def _remember(self, passages: Iterable[Passage]) -> None:
        self._remember_documents((p.passage_id, p.doc_id) for p in passages)

    def _remember_documents(self, doc_of: Iterable[tuple[str, str]]) -> None:
        with self._metas_lock:
            if len(self._doc_of) > PASSAGES_REMEMBERED:
                self._doc_of.clear()
            self._doc_of.update(doc_of)

    def documents(self) -> dict[str, DocumentMeta]:
        """Catalog entries by id, re-read when the lexical index changes (as the in-memory views are), without
        reading any passage."""
        index = self.library.lexical
        with self._metas_lock:
            if self._metas_of is not index:
                self._metas = {d.doc_id: d for d in self.library.catalog.list_documents()}
                self._documents_read.clear()  # an ingest or delete may have changed them
                self._scopes.clear()
                self._derived = {}
                self._metas_of = index
            return self._metas

    def derived(self, name: str, build: Callable[[], _View]) -> _View:
        """A view kept until the store changes, as ``HybridRetriever.derived`` but without reading every passage
        (answering's views here are per document or per region, each read when first asked for)."""
        self.documents()
        views = self._derived
        if name not in views:
            views[name] = build()
        view: _View = views[name]
        return view

    def _ranked(self, query: str, filters: SearchFilters, city: str | None, k: int) -> Ranked:
        library = self.library
        metas = self.documents()
        where, allowed = self._scope(filters, [city] if city else [])
        if allowed is not None and not allowed:
            return []
        knobs = library.settings.retrieval
        depth = max(knobs.candidates_per_list, k * 3)
        translated = glossary_translation(query) if knobs.translated_dense else None
        vectors = [self._query_vector(q) for q in (query, translated) if q]
        dense, *translations = self._dense_where(vectors, where, allowed, depth)
        across = translations[0] if translations else []
        lexical = library.lexical.search(query, depth, allowed_ids=allowed, expand=True)
        headed = self._headed_of([pid for pid, _ in (*dense, *lexical, *across)])
        rankings = [[pid for pid, _ in headed_content(ranking, headed, allowed)] for ranking in (dense, lexical)]
        if translated:
            rankings.append([pid for pid, _ in headed_content(across, headed, allowed)])
        dense, lexical = headed_content(dense, headed, allowed), headed_content(lexical, headed, allowed)
        fused = rrf(rankings, knobs.rrf_k)
        for pid, boost in self._stored_boosts(query, where, allowed, metas).items():
            fused[pid] = fused.get(pid, 0.0) + boost
        dense_of, lexical_of = dict(dense), dict(lexical)
        order = sorted(fused, key=lambda pid: (-fused[pid], pid))[:k]
        return [(pid, (fused[pid], dense_of.get(pid), lexical_of.get(pid))) for pid in order]

    def _dense_where(
        self, vectors: Sequence[np.ndarray], where: dict[str, Any] | None, allowed: AbstractSet[str] | None,
        depth: int,
    ) -> list[list[tuple[str, float]]]:
        """Chroma's ranking of each vector with the filters as its ``where`` (no vectors in this process), in one
        request."""
        found = self.library.store.query_many(vectors, depth if allowed is None else min(depth, len(allowed)), where)
        return found if allowed is None else [[(pid, s) for pid, s in dense if pid in allowed] for dense in found]

    def _own_documents(self, filters: SearchFilters, metas: Mapping[str, DocumentMeta]) -> list[str]:
        """The documents that are the filtered regulation itself (see ``FilterIndex.regulation_documents``)."""
        if not filters.regulation:
            return []
        key = filters.regulation.lower()
        return sorted(d for d, m in metas.items() if m.regulation is not None and m.regulation.key == key)

    def _headed_of(self, ids: Sequence[str]) -> dict[str, str]:
        """Of these candidates, each heading passage → the passage under it (``hybrid.headed_passages``). Their
        documents are remembered on the way: the hits are among them, and their documents are read next."""
        placed = self.library.store.placements(list(dict.fromkeys(ids)))
        self._remember_documents((pid, doc_id) for pid, (doc_id, _, _) in placed.items())
        headings = [(pid, doc_id, index) for pid, (doc_id, index, kind) in placed.items() if kind == "heading"]
        if not headings:
            return {}
        clauses = [{"$and": [{"doc_id": doc_id}, {"index": index + 1}]} for _, doc_id, index in headings]
        following = self.library.store.find(clauses[0] if len(clauses) == 1 else {"$or": clauses})
        at = {(p.doc_id, p.index): p.passage_id for p in following}
        return {pid: at[(doc_id, index + 1)] for pid, doc_id, index in headings if (doc_id, index + 1) in at}

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
        """The keys passages record of instruments with one of these (number, year) pairs, whatever their type or
        issuer (``FilterIndex.mentioning``'s rule: "224" also finds "224/bappeda")."""
        keys: set[str] = set()
        for number, year in set(numbers):
            for key in self.library.catalog.mentioned_keys(year):
                own = key.split("|")[2].lower()
                if number.lower() in {own, own.split("/")[0]}:
                    keys.add(key)
        return sorted(keys)

    def _hit_passages(self, ids: Sequence[str]) -> Mapping[str, Passage]:
        """The hits taken from their documents, read in one request (answering reads those documents next); a
        hit whose document the search did not meet (an identifier boost's) is read by id first."""
        with self._metas_lock:
            doc_of = {pid: self._doc_of.get(pid) for pid in ids}
        found = self.passages_by_id([pid for pid, doc_id in doc_of.items() if doc_id is None])
        doc_ids = {doc_id for doc_id in doc_of.values() if doc_id is not None}
        self.read_documents(doc_ids | {p.doc_id for p in found.values()})
        wanted = set(ids)
        for doc_id in doc_ids:
            found.update((p.passage_id, p) for p in self.passages_of(doc_id) if p.passage_id in wanted)
        missing = [pid for pid in ids if pid not in found]  # a passage its remembered document no longer holds
        return found | self.passages_by_id(missing) if missing else found


class _StoredTitles(Mapping[str, str]):
    """Unit titles looked up per passage (its document read once, then kept among the recent ones); a passage with
    no titles is not a key. Not listable: the whole store's titles are what this mode does not hold."""

    def __init__(self, retriever: StoredRetriever) -> None:
        self._retriever = retriever

    def __getitem__(self, passage_id: str) -> str:
        title = self._retriever.unit_title(passage_id)
        if title is None:
            raise KeyError(passage_id)
        return title

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a stored retriever's unit titles are read per passage, not listed")

    def __len__(self) -> int:
        raise TypeError("a stored retriever's unit titles are read per passage, not counted")
