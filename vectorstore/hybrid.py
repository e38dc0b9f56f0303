"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank, with an exact
identifier boost, filters and city-aware shares.

Why both: dense vectors find paraphrases and cross-language matches but blur identifiers
("Perwali 14/2022" and "41/2022" embed alike); BM25 matches identifiers and rare terms exactly.
Why city shares: a question about two cities must not be answered from the city with more text, so
each named city gets its own retrieval, restricted to passages that are evidence *for* it.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np

from core.citation_labels import citation_label
from core.errors import UnknownCityError
from core.language import detect_language
from core.legal_patterns import (
    ARTICLE_REFERENCE,
    JOINED_WORD,
    NUMBER_WORD,
    YEAR_WORD,
    identifiers_in,
    normalise_numbers,
    same_number,
)
from core.library_reader import LibraryReader
from core.roles import passage_role
from core.settings import Settings
from core.types import DocumentMeta, Passage, Region, SearchFilters, SearchHit
from vectorstore.chroma_store import where_for
from vectorstore.filter_index import FilterIndex
from vectorstore.glossary import indonesian_of
from vectorstore.lexical import STOPWORDS, tokenize, unit_titles, with_headings
from vectorstore.library_parts import CatalogLike, LexicalLike, StoreLike
from vectorstore.vector_cache import VectorCache

if TYPE_CHECKING:  # the parts' own modules import this one's neighbours; their types are all that is needed
    from core.gazetteer import Gazetteer
    from vectorstore.embeddings import Embedder

logger = logging.getLogger(__name__)
# Whatever a derived view is: each caller names its own type (:meth:`HybridRetriever.derived`).
_View = TypeVar("_View")



class LibraryLike(LibraryReader, Protocol):
    """What the retriever needs of ``vectorstore.library.Library``: its read side, and the parts it searches."""

    settings: Settings
    embedder: Embedder
    gazetteer: Gazetteer

    @property
    def store(self) -> StoreLike: ...

    @property
    def catalog(self) -> CatalogLike: ...

    @property
    def lexical(self) -> LexicalLike: ...

    def documents(self) -> list[DocumentMeta]: ...

    def document(self, doc_id: str) -> DocumentMeta: ...


@dataclass(frozen=True)
class QueryIdentifiers:
    """Exact identifiers found in a query: (number, year) pairs of instruments and Pasal numbers."""

    numbers: tuple[tuple[str, int], ...] = ()
    pasal: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()


# Asked once per city share of one search: the same query translates the same way.
@lru_cache(maxsize=256)
def glossary_translation(query: str) -> str | None:
    """An English query with each word the glossary knows replaced by its Indonesian words ("What penalty does
    the bylaw set" → "What pidana denda sanksi does the peraturan daerah set"), or None for an Indonesian query
    or one the glossary cannot help with."""
    if detect_language(query) != "en":
        return None
    out, changed = [], False
    for word in re.findall(r"[\w'\-]+|[^\w\s]", query):
        indonesian = indonesian_of(word.lower())
        if indonesian:
            out.append(" ".join(indonesian[:3]))
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def query_identifiers(query: str) -> QueryIdentifiers:
    """"Nomor 14 Tahun 2022", "Perwali 48/2021", "No. 8 of 2024", "224/BAPPEDA/2023" and "Pasal 12"."""
    text = normalise_numbers(query.lower())
    numbers: list[tuple[str, int]] = []
    tokens: list[str] = []
    for _, number, year in identifiers_in(text):
        numbers.append((number, year))
        tokens.append(f"{number}/{year}")
    pasal = [m.group(1).lower() for m in ARTICLE_REFERENCE.finditer(query)]
    return QueryIdentifiers(tuple(dict.fromkeys(numbers)), tuple(dict.fromkeys(pasal)), tuple(dict.fromkeys(tokens)))


def key_matches(key: str, numbers: Iterable[tuple[str, int]]) -> bool:
    """Does a RegulationRef key ("perwali|64.71|31|2020") carry one of the (number, year) pairs?"""
    parts = key.split("|")
    if len(parts) < 4:
        return False
    number, year = parts[2], parts[3]
    return any(year == str(y) and same_number(number, n) for n, y in numbers)


def content_terms(text: str) -> list[str]:
    """Query words worth matching (stopwords and one-letter words dropped), lowercased, in order."""
    return list(dict.fromkeys(t for t in tokenize(text) if t not in STOPWORDS))


def highlight_spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``text`` holding a query word (whole words, case-insensitive), left to right, merged."""
    return highlighter(query)(text)


def highlighter(query: str) -> Callable[[str], tuple[tuple[int, int], ...]]:
    """:func:`highlight_spans` for one query, its words and instrument numbers read once for all the hits."""
    terms = {t for t in content_terms(query) if "/" not in t}
    patterns = [re.compile(rf"(?i)\b(?:{NUMBER_WORD}\.?)?\s*{re.escape(number)}\s*(?:{YEAR_WORD}\.?|/)\s*{year}\b")
                for number, year in query_identifiers(query).numbers]

    def spans_of(text: str) -> tuple[tuple[int, int], ...]:
        spans: list[tuple[int, int]] = []
        for match in JOINED_WORD.finditer(text):
            word = match.group().lower()
            if word in terms or any(p in terms for p in _JOINS.split(word) if len(p) > 2):
                spans.append(match.span())
        for pattern in patterns:
            spans.extend(m.span() for m in pattern.finditer(text))
        return _merged(spans)

    return spans_of


_JOINS = re.compile(r"[./\-]")


def _merged(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def headed_passages(passages: Iterable[Passage]) -> dict[str, str]:
    """Each ``heading`` passage (a chapter or part title standing alone) → the next passage of its document."""
    by_position = {(p.doc_id, p.index): p for p in passages}
    headed: dict[str, str] = {}
    for (doc_id, index), passage in by_position.items():
        following = by_position.get((doc_id, index + 1))
        if passage.kind == "heading" and following is not None:
            headed[passage.passage_id] = following.passage_id
    return headed


def with_roles(passages: Iterable[Passage], metas: Mapping[str, DocumentMeta]) -> dict[str, Passage]:
    """Passages by id, each with its role; a store built before roles existed gets them here, and a considering
    clause's is read again (a few per document), so a store keeps up with how the enacting formula is read."""
    out: dict[str, Passage] = {}
    for passage in passages:
        if passage.role is None or passage.kind == "konsiderans":
            meta = metas.get(passage.doc_id)
            regulation = meta is not None and (meta.regulation is not None or meta.doc_type == "regulation")
            role = passage_role(passage.kind, passage.section, passage.text, passage.pasal, is_regulation=regulation)
            passage = passage.model_copy(update={"role": role})
        out[passage.passage_id] = passage
    return out


def headed_content(
    ranking: list[tuple[str, float]], headed: Mapping[str, str], allowed: AbstractSet[str] | None
) -> list[tuple[str, float]]:
    """A heading that matches stands for the passage under it (``headed``: heading → that passage) when that passage
    passes the filters (``allowed``; None: every passage does): a chapter title is not an answer, the article it
    heads may be. The passage takes the heading's place and its better score."""
    best: dict[str, float] = {}
    for pid, score in ranking:
        target = headed.get(pid, pid)
        if allowed is not None and target not in allowed:
            target = pid
        best[target] = max(score, best.get(target, score))
    return list(best.items())


def rrf(rankings: Sequence[Sequence[str]], k: int = 60) -> dict[str, float]:
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, pid in enumerate(ranking, start=1):
            fused[pid] = fused.get(pid, 0.0) + 1.0 / (k + rank)
    return fused


class HybridRetriever:
    """``search(query, filters, k) -> list[SearchHit]`` over a Library (store, catalog, lexical index, gazetteer)."""

    def __init__(self, library: LibraryLike) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._passages: dict[str, Passage] = {}
        self._headed: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._documents: dict[str, DocumentMeta] = {}
        self._filters = FilterIndex()
        self._vectors: VectorCache | None = None
        self._passages_of: object | None = None
        self._derived: dict[str, Any] = {}

    # --- cached views ---------------------------------------------------------------------------

    def passages(self) -> dict[str, Passage]:
        """Every passage by id, re-read whenever the lexical index is rebuilt (ingest and delete rebuild it)."""
        index = self.library.lexical
        with self._lock:
            if self._passages_of is not index:
                # Every ingest and delete rebuilds the lexical index, so it also marks the catalog as changed.
                self._documents = {d.doc_id: d for d in self.library.catalog.list_documents()}
                self._passages = with_roles(self.library.store.iter_passages(), self._documents)
                self._headed = headed_passages(self._passages.values())
                self._titles = {
                    p.passage_id: " ".join(titles)
                    for p, headings in with_headings(self._passages.values())
                    if (titles := unit_titles(p, headings))
                }
                self._filters = FilterIndex.build(self._passages.values(), self._documents)
                exact_max = self.library.settings.store.exact_subset_max
                self._vectors = VectorCache.from_store(self.library.store) if exact_max else None
                self._derived = {}
                self._passages_of = index
            return self._passages

    @property
    def holds_passages(self) -> bool:
        """Whether the views of every passage (:meth:`passages` and those read with it) are in memory."""
        return self._passages_of is not None

    def derived(self, name: str, build: Callable[[], _View]) -> _View:
        """A view computed from the passages (``build``), kept until they are re-read."""
        self.passages()
        views = self._derived
        if name not in views:
            views[name] = build()  # outside the lock: build() reads the cached views itself
        view: _View = views[name]
        return view

    def headed(self) -> dict[str, str]:
        """Heading passage id → id of the passage it heads (see :func:`headed_passages`)."""
        self.passages()
        return self._headed

    def unit_titles(self) -> Mapping[str, str]:
        """Passage id → titles of the chapters and parts it sits in ("KEDUDUKAN DAN SUSUNAN ORGANISASI")."""
        self.passages()
        return self._titles

    def filter_index(self) -> FilterIndex:
        self.passages()
        return self._filters

    # --- one document's or a few passages' views: what answering reads for the hits at hand ----------------------

    def passages_of(self, doc_id: str) -> list[Passage]:
        """A document's passages in reading order (with their roles)."""
        def build() -> dict[str, list[Passage]]:
            by_doc: dict[str, list[Passage]] = {}
            for passage in self.passages().values():
                by_doc.setdefault(passage.doc_id, []).append(passage)
            return {doc_id: sorted(items, key=lambda p: p.index) for doc_id, items in by_doc.items()}

        return self.derived("passages by document", build).get(doc_id, [])

    def openings(self, last: int) -> Iterator[tuple[str, list[Passage]]]:
        """Each document's opening passages (index ``last`` and before), in reading order, document by document."""
        for doc_id in dict.fromkeys(p.doc_id for p in self.passages().values()):
            yield doc_id, [p for p in self.passages_of(doc_id) if p.index <= last]

    def passages_by_id(self, ids: Iterable[str]) -> dict[str, Passage]:
        """The passages with these ids (with their roles); ids not in the store are left out."""
        passages = self.passages()
        return {pid: passages[pid] for pid in ids if pid in passages}

    def allowed(self, filters: SearchFilters, cities: Sequence[str] = ()) -> AbstractSet[str] | None:
        """Ids of the passages that pass ``filters`` and are about one of ``cities``; None when that is all of them."""
        index = self.filter_index()
        allowed = index.allowed(filters, cities)
        return None if allowed is index.all_ids else allowed

    def documents(self) -> dict[str, DocumentMeta]:
        """Catalog entries by id, cached with the passages (re-parsing every record per search cost ~30 ms)."""
        self.passages()
        return self._documents

    # --- cities ---------------------------------------------------------------------------------

    def resolve_city(self, name: str) -> Region:
        region = self.library.gazetteer.resolve(name)
        if region is None:
            raise UnknownCityError(
                f"Unknown city or regency: {name!r}.",
                hint="Use a Kemendagri name or code, e.g. 'Kota Balikpapan', 'Balikpapan' or '64.71'.",
            )
        return region

    def cities_in(self, text: str) -> list[Region]:
        """Cities and regencies named in a question (provinces are not cities)."""
        regions = [m.region for m in self.library.gazetteer.city_mentions(text) if m.region.kind != "provinsi"]
        return list({r.code: r for r in regions}.values())

    def question_cities(self, query: str, filters: SearchFilters) -> list[Region]:
        if filters.cities:
            return list({r.code: r for r in (self.resolve_city(c) for c in filters.cities)}.values())
        return self.cities_in(query)

    # --- search ---------------------------------------------------------------------------------

    def search(self, query: str, filters: SearchFilters | None = None, k: int = 10) -> list[SearchHit]:
        filters = filters or SearchFilters()
        cities = self.question_cities(query, filters)
        return self.search_cities(query, filters, k, [c.code for c in cities])

    def search_cities(self, query: str, filters: SearchFilters, k: int, cities: Sequence[str]) -> list[SearchHit]:
        """Each city gets its own share of ``k`` (at least one hit each), taken in turns; a passage another
        city already took (a paper on both) does not use up a share. No cities: one unrestricted ranking."""
        if not cities:
            return self._hits(query, self._ranked(query, filters, None, k), k)
        share = max(1, math.ceil(k / len(cities)))
        rankings = [iter(self._ranked(query, filters, city, share * len(cities))) for city in cities]
        merged: dict[str, tuple[float, float | None, float | None]] = {}
        for _ in range(share):
            for ranking in rankings:
                for pid, scores in ranking:
                    if pid not in merged:
                        merged[pid] = scores
                        break
        return self._hits(query, list(merged.items()), len(merged))

    def _ranked(
        self, query: str, filters: SearchFilters, city: str | None, k: int
    ) -> list[tuple[str, tuple[float, float | None, float | None]]]:
        """(passage id, (fused, dense, lexical)) best first, for one city share (or all)."""
        library = self.library
        city_codes = [city] if city else []
        passages = self.passages()
        metas = self.documents()
        filter_index = self.filter_index()
        allowed = filter_index.allowed(filters, city_codes)
        if not allowed:
            return []
        knobs = library.settings.retrieval
        depth = max(knobs.candidates_per_list, k * 3)
        vector = self._query_vector(query)
        dense = self._headed_content(self._dense(vector, filters, city_codes, allowed, depth), allowed)
        # An unrestricted search needs no mask (building one costs a pass over every id).
        lexical_allowed = None if allowed is filter_index.all_ids else allowed
        lexical = self._headed_content(
            library.lexical.search(query, depth, allowed_ids=lexical_allowed, expand=True), allowed
        )
        rankings = [[pid for pid, _ in dense], [pid for pid, _ in lexical]]
        translated = glossary_translation(query) if knobs.translated_dense else None
        if translated:
            across = self._dense(self._query_vector(translated), filters, city_codes, allowed, depth)
            rankings.append([pid for pid, _ in self._headed_content(across, allowed)])
        fused = rrf(rankings, knobs.rrf_k)
        for pid, boost in self._identifier_boosts(query, allowed, lexical_allowed, passages, metas).items():
            fused[pid] = fused.get(pid, 0.0) + boost
        dense_of, lexical_of = dict(dense), dict(lexical)
        order = sorted(fused, key=lambda pid: (-fused[pid], pid))[:k]
        return [(pid, (fused[pid], dense_of.get(pid), lexical_of.get(pid))) for pid in order]

    def _dense(
        self, vector: np.ndarray, filters: SearchFilters, city_codes: Sequence[str], allowed: AbstractSet[str],
        depth: int,
    ) -> list[tuple[str, float]]:
        """Dense ranking inside ``allowed``: exact from the vectors in memory for a small subset, else Chroma's
        index (with the same filters as a ``where``)."""
        vectors = self._vectors
        restricted = allowed is not self.filter_index().all_ids
        if restricted and vectors is not None and len(allowed) <= self.library.settings.store.exact_subset_max:
            return vectors.rank(vector, allowed, depth)
        own = sorted(self.filter_index().regulation_documents(filters.regulation)) if filters.regulation else []
        where = where_for(filters, city_codes, own) if (city_codes or _has_filters(filters)) else None
        dense = self.library.store.query(vector, min(depth, len(allowed)), where)
        return [(pid, s) for pid, s in dense if pid in allowed]

    def _headed_content(self, ranking: list[tuple[str, float]], allowed: AbstractSet[str]) -> list[tuple[str, float]]:
        return headed_content(ranking, self.headed(), allowed)

    def _query_vector(self, query: str) -> np.ndarray:
        # One embedding per question (and its translation) even when it is searched once per city.
        cached: dict[str, np.ndarray] = getattr(self, "_last_vectors", {})
        if query not in cached:
            cached = {k: v for k, v in list(cached.items())[-1:]}
            cached[query] = self.library.embedder.embed_query(query)
            self._last_vectors = cached
        return cached[query]

    def _identifier_boosts(
        self,
        query: str,
        allowed: AbstractSet[str],
        lexical_allowed: AbstractSet[str] | None,
        passages: dict[str, Passage],
        metas: dict[str, DocumentMeta],
    ) -> dict[str, float]:
        """Passages mentioning an instrument the query names by number, the instrument's own text, and
        (when the query names a Pasal) that article of it."""
        idents = query_identifiers(query)
        knobs = self.library.settings.retrieval
        index = self.filter_index()
        boosts: dict[str, float] = {}
        if idents.numbers:
            own_docs = {
                doc_id
                for doc_id, meta in metas.items()
                if meta.regulation is not None and key_matches(meta.regulation.key, idents.numbers)
            }
            mentioning = index.mentioning(idents.numbers)
            ident_query = " ".join(idents.tokens)
            lexical_ids = {pid for pid, _ in self.library.lexical.search(ident_query, 200, allowed_ids=lexical_allowed)}
            own = {pid for doc_id in own_docs for pid in index.by_doc.get(doc_id, ())}
            for pid in (own | mentioning | lexical_ids) & allowed:
                # The instrument's own text (any article of it: "who runs X under Perpres 82/2023" is answered
                # in its Pasal 3, not its title) and the passages elsewhere that name it, once each; the
                # question's other words then rank them.
                boosts[pid] = knobs.identifier_boost
                if idents.pasal and pid in own and passages[pid].pasal in idents.pasal:
                    boosts[pid] += knobs.pasal_boost
        elif idents.pasal:
            for pasal in idents.pasal:
                for pid in index.by_pasal.get(pasal, set()) & allowed:
                    boosts[pid] = boosts.get(pid, 0.0) + knobs.identifier_boost / 2
        return boosts

    def _hit_passages(self, ids: Sequence[str]) -> Mapping[str, Passage]:
        """The passages of a search's hits, by id."""
        return self.passages()

    def _hits(
        self, query: str, ranked: list[tuple[str, tuple[float, float | None, float | None]]], k: int
    ) -> list[SearchHit]:
        passages = self._hit_passages([pid for pid, _ in ranked[:k]])
        metas = self.documents()
        hits: list[SearchHit] = []
        spans_of = highlighter(query)
        for pid, (fused, dense, lexical) in ranked[:k]:
            passage = passages.get(pid)
            if passage is None:
                continue
            meta = metas.get(passage.doc_id)
            hits.append(
                SearchHit(
                    passage=passage,
                    title=meta.title if meta else passage.doc_id,
                    doc_type=meta.doc_type if meta else "other",
                    score=round(fused, 6),
                    dense_score=dense,
                    lexical_score=lexical,
                    highlights=spans_of(passage.text),
                    citation_label=citation_label(passage, meta),
                )
            )
        return hits


def _has_filters(filters: SearchFilters) -> bool:
    return where_for(filters) is not None
