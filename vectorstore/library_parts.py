"""The parts of a library the retriever and the answer engine read, as Protocols: the passage store, the catalog
and the lexical index, each with only the calls the readers make.

``vectorstore.hybrid.LibraryLike`` types its parts with these, so mypy checks every call the engine makes
through ``retriever.library`` against one declaration, and a reader may be handed any implementation (a test
double, another store) that answers them. ``PassageStore``, ``Catalog`` and ``LexicalIndex`` (or
``PostgresLexicalIndex``) implement them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from core.types import CleanDocument, DocumentMeta, IndicatorRow, OutlineNode, Passage, RegulationEntry, RegulationRef

if TYPE_CHECKING:  # the catalog's own result tuples
    from vectorstore.catalog import AmendmentsOf, RelationsOf


class StoreLike(Protocol):
    """The passage store: nearest passages by vector, passages by id or by a ``where``, and every passage and vector
    for the views built on them."""

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]: ...

    def query_many(
        self, vectors: Sequence[np.ndarray], k: int, where: dict[str, Any] | None = None
    ) -> list[list[tuple[str, float]]]: ...

    def get(self, ids: Sequence[str]) -> list[Passage]: ...

    def placements(self, ids: Sequence[str]) -> dict[str, tuple[str, int, str]]: ...

    def find(self, where: dict[str, Any]) -> list[Passage]: ...

    def ids_where(self, where: dict[str, Any], batch: int = 5000) -> list[str]: ...

    def iter_passages(self, batch: int = 1000, where: dict[str, Any] | None = None) -> Iterator[Passage]: ...

    def vectors(self, batch: int = 5000) -> tuple[list[str], np.ndarray]: ...

    def count(self) -> int: ...


class LexicalLike(Protocol):
    """The BM25 index: ranked passages for a query, and how widespread a word is."""

    def __len__(self) -> int: ...

    def search(
        self, query: str, k: int, allowed_ids: AbstractSet[str] | None = None, *, expand: bool = False
    ) -> list[tuple[str, float]]: ...

    def document_frequency(self, term: str) -> int: ...


class CatalogLike(Protocol):
    """The catalog as the readers see it: documents and their clean text, the regulation registry with its
    relations, amendments and outlines, and the plans' indicator rows."""

    def list_documents(self) -> list[DocumentMeta]: ...

    def get_clean(self, doc_id: str) -> CleanDocument | None: ...

    def get_outline(self, doc_id: str) -> tuple[OutlineNode, ...]: ...

    def get_regulation(self, key: str) -> RegulationRef | None: ...

    def list_regulations(
        self, city: str | None = None, instrument: str | None = None, year: int | None = None
    ) -> list[RegulationEntry]: ...

    def relations_of(self, key: str) -> RelationsOf: ...

    def mentioned_keys(self, year: int) -> set[str]: ...

    def amendment_keys(self) -> set[str]: ...

    def amendments_of(self, key: str) -> AmendmentsOf: ...

    def indicators(
        self, plan_key: str | None = None, *, text: str | None = None, year: int | None = None,
        agency: str | None = None, doc_id: str | None = None,
    ) -> list[IndicatorRow]: ...

    def indicator_counts(self) -> dict[str, int]: ...
