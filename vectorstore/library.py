"""The read side of a library: its store, catalog, lexical index, embedder and gazetteer, opened together.

The API, the engine, the UI's server, the evaluation and the scripts read through this; only ingest writes, with
``ingest.library.LibraryWriter``, which extends it. It implements ``core.library_reader.LibraryReader`` over either
store (Chroma embedded in the data folder, or a ``chroma run`` server).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Self

from core.errors import NotFoundError
from core.gazetteer import Gazetteer
from core.settings import Settings
from core.types import DocumentMeta, LibraryStats, Passage, RegulationEntry, SearchFilters, SearchHit
from vectorstore.catalog import Catalog
from vectorstore.chroma_store import PassageStore
from vectorstore.embeddings import Embedder, make_embedder
from vectorstore.hybrid import HybridRetriever
from vectorstore.lexical import LexicalIndex
from vectorstore.lexical_postgres import PostgresLexicalIndex, ServerLexical
from vectorstore.stored_views import StoredRetriever

logger = logging.getLogger(__name__)


def open_parts(settings: Settings) -> tuple[Embedder, PassageStore, Catalog, Gazetteer]:
    """The parts a library is made of, opened over ``settings``' data folder (created if missing)."""
    data_dir = settings.store.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    embedder = make_embedder(settings)
    store = PassageStore.open(settings, embedder.model_id, embedder.dim)
    return embedder, store, Catalog.for_settings(settings.store), Gazetteer.default()


class Library:
    """A library of documents over one store, opened for reading: it never changes what is stored."""

    def __init__(
        self, settings: Settings, embedder: Embedder, store: PassageStore, catalog: Catalog, gazetteer: Gazetteer
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.catalog = catalog
        self.gazetteer = gazetteer
        self._lexical: LexicalIndex | None = None
        # BK_STORE__LEXICAL=postgres: the index lives in the catalog's database, and nothing of it here.
        self._server_lexical = ServerLexical(catalog.engine) if settings.store.lexical == "postgres" else None
        self._lexical_stamp: tuple[int, int] | None = None
        self._retriever: HybridRetriever | None = None

    @classmethod
    def open(cls, settings: Settings) -> Self:
        return cls(settings, *open_parts(settings))

    @property
    def lexical(self) -> LexicalIndex | PostgresLexicalIndex:
        """The lexical index, loaded from disk when it matches the store, rebuilt from the store otherwise; or the
        database's, at its latest generation."""
        if self._server_lexical is not None:
            return self._server_lexical.current()
        if self._lexical is None or self._lexical_replaced():
            self._lexical = self._load_or_rebuild_lexical()
        return self._lexical

    def _lexical_stamp_now(self) -> tuple[int, int] | None:
        try:
            stat = self._lexical_dir().stat()
        except OSError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def _lexical_replaced(self) -> bool:
        """Through a Chroma server other writers (queue workers) save the index too, each save a new folder
        swapped in: a changed folder means the store changed, and the views over it are read again. An embedded
        store has one writer, this process or none, so it never looks."""
        if not self.settings.store.chroma_host:
            return False
        stamp = self._lexical_stamp_now()
        return stamp is not None and stamp != self._lexical_stamp

    def _lexical_dir(self) -> Path:
        return self.settings.store.data_dir / "lexical"

    def _load_or_rebuild_lexical(self) -> LexicalIndex:
        folder = self._lexical_dir()
        self._lexical_stamp = self._lexical_stamp_now()
        if folder.exists():
            try:
                index = LexicalIndex.load(folder)
                if set(index.ids) == self.store.ids():
                    return index
                logger.info("lexical index is out of step with the store; rebuilding it")
            except (OSError, ValueError) as exc:
                logger.warning("lexical index not used (%s); rebuilding it from the store", exc)
        return self._rebuild_stale_lexical()

    def _rebuild_stale_lexical(self) -> LexicalIndex:
        """A reader builds its own copy in memory; only the writer replaces the one on disk."""
        return LexicalIndex.from_store(self.store)

    def documents(self) -> list[DocumentMeta]:
        return self.catalog.list_documents()

    def document(self, doc_id: str) -> DocumentMeta:
        meta = self.catalog.get_document(doc_id)
        if meta is None:
            raise NotFoundError(f"No document with id {doc_id!r}.", hint="GET /documents lists the ids.")
        return meta

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        return self.store.get(passage_ids)

    def regulations(
        self, city: str | None = None, instrument: str | None = None, year: int | None = None
    ) -> list[RegulationEntry]:
        return self.catalog.list_regulations(city=city, instrument=instrument, year=year)

    @property
    def retriever(self) -> HybridRetriever:
        """The one retriever over this library: its views of the passages (re-read when an ingest or delete
        changes the store) take memory, so the API's routes and :meth:`search` share one."""
        if self._retriever is None:
            stored = self.settings.store.passage_views == "store"
            self._retriever = StoredRetriever(self) if stored else HybridRetriever(self)
        return self._retriever

    def search(self, query: str, filters: SearchFilters | None = None, k: int = 10) -> list[SearchHit]:
        return self.retriever.search(query, filters, k)

    def stored_file(self, doc_id: str) -> Path:
        meta = self.document(doc_id)
        path = self.settings.store.data_dir / meta.source
        if not path.is_file():
            raise NotFoundError(f"The stored file of {meta.filename} is missing.", hint="Re-ingest the document.")
        return path

    def open_stored_file(self, doc_id: str) -> BinaryIO:
        """The stored original, opened for reading; ``NotFoundError`` when the document (or its file) is gone,
        which a concurrent delete can make true at any moment."""
        meta = self.document(doc_id)
        try:
            return (self.settings.store.data_dir / meta.source).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFoundError(f"No document with id {doc_id!r}.", hint="GET /documents lists the ids.") from None

    def stats(self) -> LibraryStats:
        docs = self.documents()
        return LibraryStats(
            documents=len(docs),
            passages=self.store.count(),
            pages=sum(d.page_count for d in docs),
            ocr_pages=sum(len(d.ocr_pages) for d in docs),
            embedding_model=self.embedder.model_id,
            store="server" if self.settings.store.chroma_host else "embedded",
        )

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
