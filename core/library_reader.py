"""What the API, the CLI and the evaluation read from a library, as one typed Protocol.

``vectorstore.library.Library`` implements it over either store (Chroma embedded in the data folder, or a
``chroma run`` server): the readers depend on this contract, not on the store behind it, and
``tests/test_library_reader.py`` runs the same checks against both. Writing (ingest, delete, rebuild) is
``ingest.library.LibraryWriter``'s, which extends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from core.types import DocumentMeta, Passage, RegulationEntry, SearchFilters, SearchHit


@runtime_checkable
class LibraryReader(Protocol):
    """The read side of a library."""

    def documents(self) -> list[DocumentMeta]:
        """Every document held, with its metadata."""
        ...

    def document(self, doc_id: str) -> DocumentMeta:
        """One document's metadata; ``core.errors.NotFoundError`` when no document has that id."""
        ...

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        """The passages with these ids, in the order asked; ids the library does not hold are left out."""
        ...

    def regulations(
        self, city: str | None = None, instrument: str | None = None, year: int | None = None
    ) -> list[RegulationEntry]:
        """The regulation registry: each instrument named or held, with where it occurs, optionally filtered by
        issuing region (code or official name), instrument kind and year."""
        ...

    def search(self, query: str, filters: SearchFilters | None = None, k: int = 10) -> list[SearchHit]:
        """The ``k`` passages that best answer ``query`` (dense and lexical retrieval fused), within ``filters``."""
        ...
