"""Switching a store to another embedding model without reading its documents again (``banding-kota reembed``).

Parsing and OCR are the slow part of an ingest, and their output, the passages with their provenance, is already
in the store: only the vectors depend on the model. So every stored passage is embedded again by the configured
model into a new collection, which then replaces the old one (``vectorstore.chroma_store.reembed_collection``),
and the catalog records the model. The lexical index and the catalog's text do not change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

from core.settings import Settings
from core.types import Passage
from vectorstore.catalog import Catalog
from vectorstore.chroma_store import reembed_collection
from vectorstore.embeddings import make_embedder
from vectorstore.locking import writer_lock


@dataclass(frozen=True)
class ReembedReport:
    previous_model: str | None  # None: the store held no collection yet
    model: str
    passages: int  # embedded again; 0 when the store was already on the model
    documents: int  # whose catalog entry now names the model
    seconds: float


def reembed(settings: Settings, progress: Callable[[int, int], None] | None = None) -> ReembedReport:
    """Embed every stored passage with the configured model and swap the new vectors in. With the embedded store
    this holds the writer lock, so no ingest runs meanwhile; a running API must be restarted afterwards."""
    started = time.perf_counter()
    embedder = make_embedder(settings)

    def embed(passages: Sequence[Passage]) -> np.ndarray:
        return embedder.embed_passages([p.embedded_text for p in passages])

    with nullcontext() if settings.store.chroma_host else writer_lock(settings.store.data_dir):
        previous, passages = reembed_collection(settings, embed, embedder.model_id, embedder.dim, progress=progress)
        catalog = Catalog.for_settings(settings.store)
        try:
            documents = catalog.set_embedding_model(embedder.model_id)
        finally:
            catalog.close()
    return ReembedReport(previous, embedder.model_id, passages, documents, time.perf_counter() - started)
