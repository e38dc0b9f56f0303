"""The passage store: passages, their vectors and their provenance in one Chroma collection.

Embedded (``PersistentClient`` under ``data_dir/chroma``) by default; a Chroma server when
``settings.store.chroma_host`` is set. The collection never gets an embedding function: Chroma's
default one downloads a model, and vectors from two models must never be mixed, so callers always
pass vectors and the collection records which model made them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateHNSWConfiguration
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from core.errors import ModelMismatchError, StoreUnavailableError
from core.settings import Settings, StoreSettings
from core.types import Passage, SearchFilters
from vectorstore.embeddings import setting_for

logger = logging.getLogger(__name__)

MODEL_KEY = "embedding_model"
DIM_KEY = "embedding_dim"
# Passage fields stored as Chroma array metadata. Chroma refuses empty lists, so an empty tuple is
# simply left out of the metadata and read back as ().
LIST_FIELDS = ("cities", "about_cities", "regulations", "acronyms")
# Document-level fields copied onto every passage so that filters can use them.
DOC_FIELDS = ("year", "doc_type")

Scalar = str | int | float | bool
Where = dict[str, Any]


def passage_metadata(passage: Passage, doc_fields: Mapping[str, Scalar | None] | None = None) -> dict[str, Any]:
    """Flatten a passage (minus its id and text, which Chroma stores itself) into Chroma metadata."""
    meta: dict[str, Any] = {}
    for name, value in passage.model_dump(exclude={"passage_id", "text"}).items():
        if value is None or (name in LIST_FIELDS and not value):
            continue
        meta[name] = list(value) if name in LIST_FIELDS else value
    for name, value in (doc_fields or {}).items():
        if name not in DOC_FIELDS:
            raise ValueError(f"unknown document field {name!r}; expected one of {DOC_FIELDS}")
        if value is not None:
            meta[name] = value
    return meta


def passage_from_record(passage_id: str, text: str, meta: Mapping[str, Any]) -> Passage:
    """The inverse of :func:`passage_metadata`; document-level fields are dropped."""
    fields = {k: v for k, v in meta.items() if k in Passage.model_fields}
    for name in LIST_FIELDS:
        fields[name] = tuple(fields.get(name) or ())
    return Passage(passage_id=passage_id, text=text, **fields)


def _any_of(field: str, values: Sequence[str], op: str) -> Where:
    clauses = [{field: {op: v}} for v in values]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def where_for(
    filters: SearchFilters, city_codes: Sequence[str] | None = None, regulation_docs: Sequence[str] = ()
) -> Where | None:
    """Translate search filters into a Chroma ``where``.

    ``city_codes`` are the region codes of ``filters.cities`` already resolved by the caller (the
    gazetteer lives upstream, in ingest); when omitted, ``filters.cities`` are taken as codes.
    ``regulation_docs`` are the documents that *are* ``filters.regulation`` (its own articles never cite it).
    A passage whose document has no known year never matches a year range.
    """
    clauses: list[Where] = []
    cities = list(city_codes) if city_codes is not None else filters.cities
    if cities:
        clauses.append(_any_of("about_cities", cities, "$contains"))
    if filters.doc_types:
        clauses.append({"doc_type": {"$in": list(filters.doc_types)}})
    if filters.year_from is not None:
        clauses.append({"year": {"$gte": filters.year_from}})
    if filters.year_to is not None:
        clauses.append({"year": {"$lte": filters.year_to}})
    if filters.language:
        clauses.append({"language": filters.language})
    if filters.doc_ids:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if filters.pasal:
        clauses.append({"pasal": filters.pasal})
    if filters.regulation:
        mentions: Where = {"regulations": {"$contains": filters.regulation}}
        own: Where = {"doc_id": {"$in": list(regulation_docs)}}
        clauses.append({"$or": [mentions, own]} if regulation_docs else mentions)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _client(settings: Settings) -> ClientAPI:
    store = settings.store
    if not store.chroma_host:
        path = store.data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if store.chroma_token:
        # Sent as "Authorization: Bearer <token>", the header Chroma's token auth reads by default.
        chroma_settings = ChromaSettings(
            anonymized_telemetry=False,
            chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
            chroma_client_auth_credentials=store.chroma_token,
        )
    try:
        return chromadb.HttpClient(
            host=store.chroma_host, port=store.chroma_port, ssl=store.chroma_ssl, settings=chroma_settings
        )
    except Exception as exc:  # chromadb raises plain ValueError/ConnectError flavours here
        scheme = "https" if store.chroma_ssl else "http"
        raise StoreUnavailableError(
            f"Cannot reach the Chroma server at {scheme}://{store.chroma_host}:{store.chroma_port}: {exc}",
            hint="Start the server (`chroma run --path <dir> --port <port>`), check BK_STORE__CHROMA_HOST/PORT, "
            "or unset BK_STORE__CHROMA_HOST to use the embedded store.",
        ) from exc


def _hnsw_configuration(store: StoreSettings) -> CreateHNSWConfiguration:
    return CreateHNSWConfiguration(
        space="cosine",
        ef_search=store.hnsw_ef_search,
        ef_construction=store.hnsw_ef_construction,
        max_neighbors=store.hnsw_max_neighbors,
    )


def _collection_options(store: StoreSettings, model_id: str, dim: int) -> dict[str, Any]:
    """How a passage collection is made: cosine HNSW as configured, the model that fills it recorded, and no
    embedding function (Chroma's default downloads a model)."""
    return {"configuration": {"hnsw": _hnsw_configuration(store)}, "metadata": {MODEL_KEY: model_id, DIM_KEY: dim},
            "embedding_function": None}


def _widen_search(collection: Collection, ef_search: int) -> None:
    """Apply the configured search width to a collection created earlier (only ef_search can change later)."""
    hnsw = (collection.configuration or {}).get("hnsw") or {}
    if hnsw.get("ef_search") != ef_search:
        collection.modify(configuration={"hnsw": {"ef_search": ef_search}})


def _check_model(collection: Collection, model_id: str, dim: int) -> None:
    recorded = dict(collection.metadata or {})
    stored_model, stored_dim = recorded.get(MODEL_KEY), recorded.get(DIM_KEY)
    if stored_model is None and collection.count() == 0:
        recorded.update({MODEL_KEY: model_id, DIM_KEY: dim})
        collection.modify(metadata=recorded)
        return
    if stored_model != model_id or stored_dim != dim:
        setting = setting_for(str(stored_model or ""))
        again = f" with {setting}" if setting else ""
        raise ModelMismatchError(
            f"The passage store '{collection.name}' was built with embedding model "
            f"'{stored_model or 'unknown'}' (dim {stored_dim or '?'}), but '{model_id}' (dim {dim}) is configured. "
            "Vectors from different models cannot be compared.",
            hint=f"Either configure the same model again ('{stored_model or 'unknown'}'{again}), or move the store to "
            f"'{model_id}': `banding-kota reembed` embeds the stored passages again (no parsing or OCR).",
        )


# Where a store's passages are embedded anew before it replaces the store's collection (:func:`reembed_collection`).
REEMBED_SUFFIX = "__reembed"


def reembed_collection(
    settings: Settings, embed: Callable[[Sequence[Passage]], np.ndarray], model_id: str, dim: int,
    batch: int = 256, progress: Callable[[int, int], None] | None = None,
) -> tuple[str | None, int]:
    """Every passage of the store's collection embedded again by ``embed`` (``model_id``, ``dim``) into a new
    collection, which then takes the old one's name: (the model the store had, passages embedded). Text and
    provenance are copied as they are; parsing and OCR are not repeated. Until the swap the old collection is
    untouched, so an interrupted run loses nothing: the next run starts over, or finishes a swap cut between
    dropping the old collection and renaming the new one. A store already on ``model_id`` is left as it is."""
    client = _client(settings)
    name = settings.store.collection
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    if name not in names and name + REEMBED_SUFFIX in names:
        client.get_collection(name + REEMBED_SUFFIX).modify(name=name)
        names = {name}
    if name not in names:
        return None, 0
    old = client.get_collection(name)
    previous = (old.metadata or {}).get(MODEL_KEY)
    if previous == model_id and (old.metadata or {}).get(DIM_KEY) == dim:
        return str(previous), 0
    if name + REEMBED_SUFFIX in names:
        client.delete_collection(name + REEMBED_SUFFIX)
    new = client.create_collection(name + REEMBED_SUFFIX, **_collection_options(settings.store, model_id, dim))
    total, done = old.count(), 0
    while done < total:
        page = old.get(include=["documents", "metadatas"], limit=batch, offset=done)
        if not page["ids"]:
            break
        passages = [passage_from_record(pid, text, meta) for pid, text, meta in
                    zip(page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True)]
        new.upsert(ids=page["ids"], embeddings=embed(passages), documents=page["documents"],
                   metadatas=page["metadatas"])
        done += len(page["ids"])
        if progress is not None:
            progress(done, total)
    client.delete_collection(name)
    new.modify(name=name)
    return (str(previous) if previous else None), done


class PassageStore:
    """Passages with their vectors; ids are passage ids, the text is the Chroma document."""

    def __init__(self, client: ClientAPI, collection: Collection, model_id: str, dim: int) -> None:
        self._client = client
        self._collection = collection
        self.model_id = model_id
        self.dim = dim

    @classmethod
    def open(cls, settings: Settings, model_id: str, dim: int) -> PassageStore:
        client = _client(settings)
        try:
            collection = client.get_or_create_collection(
                settings.store.collection, **_collection_options(settings.store, model_id, dim)
            )
        except Exception as exc:
            if settings.store.chroma_host:
                raise StoreUnavailableError(
                    f"The Chroma server at {settings.store.chroma_host}:{settings.store.chroma_port} "
                    f"did not open collection '{settings.store.collection}': {exc}",
                    hint="Check that the server is running and that the token (BK_STORE__CHROMA_TOKEN) is right.",
                ) from exc
            raise
        _check_model(collection, model_id, dim)
        _widen_search(collection, settings.store.hnsw_ef_search)
        return cls(client, collection, model_id, dim)

    def close(self) -> None:
        # ``close`` is on the concrete clients (chromadb >= 1.1) but not on the ClientAPI protocol.
        close = getattr(self._client, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> PassageStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def add(
        self,
        passages: Sequence[Passage],
        vectors: np.ndarray,
        doc_fields: Mapping[str, Scalar | None] | None = None,
    ) -> None:
        """Add (or overwrite) passages. ``doc_fields`` (``year``, ``doc_type``) apply to every passage,
        so a call that sets them must hold passages of one document only."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(passages), self.dim):
            raise ValueError(f"expected vectors of shape ({len(passages)}, {self.dim}), got {vectors.shape}")
        if doc_fields and len({p.doc_id for p in passages}) > 1:
            raise ValueError("doc_fields apply to one document; add each document's passages separately")
        batch = self._client.get_max_batch_size()
        for lo in range(0, len(passages), batch):
            chunk = passages[lo : lo + batch]
            self._collection.upsert(
                ids=[p.passage_id for p in chunk],
                embeddings=vectors[lo : lo + batch],
                documents=[p.text for p in chunk],
                metadatas=[passage_metadata(p, doc_fields) for p in chunk],
            )

    def delete_document(self, doc_id: str) -> int:
        ids = self._collection.get(where={"doc_id": doc_id}, include=[])["ids"]
        batch = self._client.get_max_batch_size()
        for lo in range(0, len(ids), batch):
            self._collection.delete(ids=ids[lo : lo + batch])
        return len(ids)

    # --- reading -------------------------------------------------------------------------------

    def query(self, vector: np.ndarray, k: int, where: Where | None = None) -> list[tuple[str, float]]:
        """The ``k`` nearest passages as (passage id, cosine similarity), best first."""
        return self.query_many([vector], k, where)[0]

    def query_many(
        self, vectors: Sequence[np.ndarray], k: int, where: Where | None = None
    ) -> list[list[tuple[str, float]]]:
        """:meth:`query` for each vector, in one request (a question and its translation are ranked together: with
        a Chroma server each request is a round trip)."""
        if k <= 0 or not vectors:
            return [[] for _ in vectors]
        result = self._collection.query(
            query_embeddings=np.stack([np.asarray(v, dtype=np.float32).reshape(-1) for v in vectors]),
            n_results=k,
            where=where,
            include=["distances"],
        )
        distances = result["distances"] or [[] for _ in vectors]
        return [[(pid, 1.0 - float(d)) for pid, d in zip(ids, dists, strict=True)]
                for ids, dists in zip(result["ids"], distances, strict=True)]

    def get(self, ids: Sequence[str]) -> list[Passage]:
        """Passages in the order asked; ids not in the store are left out."""
        if not ids:
            return []
        found: dict[str, Passage] = {}
        batch = self._client.get_max_batch_size()
        for lo in range(0, len(ids), batch):
            found.update(self._get(ids=list(ids[lo : lo + batch])))
        return [found[i] for i in ids if i in found]

    def _get(self, **kwargs: Any) -> dict[str, Passage]:
        result = self._collection.get(include=["documents", "metadatas"], **kwargs)
        docs, metas = result["documents"] or [], result["metadatas"] or []
        return {
            pid: passage_from_record(pid, text, meta)
            for pid, text, meta in zip(result["ids"], docs, metas, strict=True)
        }

    def placements(self, ids: Sequence[str]) -> dict[str, tuple[str, int, str]]:
        """Passage id → (document, index, kind), metadata only: what a search needs of its candidates before it
        knows which are hits (their text is the bulk of a record)."""
        if not ids:
            return {}
        found: dict[str, tuple[str, int, str]] = {}
        batch = self._client.get_max_batch_size()
        for lo in range(0, len(ids), batch):
            result = self._collection.get(ids=list(ids[lo : lo + batch]), include=["metadatas"])
            for pid, meta in zip(result["ids"], result["metadatas"] or [], strict=True):
                found[pid] = (str(meta["doc_id"]), cast(int, meta["index"]), str(meta.get("kind", "text")))
        return found

    def find(self, where: Where) -> list[Passage]:
        """The passages matching a ``where``, in the store's order."""
        return list(self._get(where=where).values())

    def ids_where(self, where: Where, batch: int = 5000) -> list[str]:
        """The ids of every passage matching a ``where`` (read a page at a time, ids only)."""
        ids: list[str] = []
        while True:
            page = self._collection.get(where=where, include=[], limit=batch, offset=len(ids))["ids"]
            ids.extend(page)
            if len(page) < batch:
                return ids

    def iter_passages(self, batch: int = 1000, where: Where | None = None) -> Iterator[Passage]:
        """Every passage (matching ``where``), in the store's order, a page at a time."""
        offset = 0
        while True:
            page = self._get(where=where, limit=batch, offset=offset)
            yield from page.values()
            if len(page) < batch:
                return
            offset += batch

    def vectors(self, batch: int = 5000) -> tuple[list[str], np.ndarray]:
        """Every passage id and its stored vector (float32, one row per id)."""
        ids: list[str] = []
        rows: list[np.ndarray] = []
        offset = 0
        while True:
            page = self._collection.get(include=["embeddings"], limit=batch, offset=offset)
            ids.extend(page["ids"])
            if page["ids"]:
                rows.append(np.asarray(page["embeddings"], dtype=np.float32))
            if len(page["ids"]) < batch:
                break
            offset += batch
        matrix = np.concatenate(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)
        return ids, matrix

    def passages_of(self, doc_id: str) -> list[Passage]:
        """A document's passages in reading order."""
        return sorted(self._get(where={"doc_id": doc_id}).values(), key=lambda p: p.index)

    def count(self) -> int:
        return self._collection.count()

    def ids(self) -> set[str]:
        """Every passage id in the store."""
        ids: set[str] = set()
        offset, batch = 0, 5000
        while True:
            page = self._collection.get(include=[], limit=batch, offset=offset)["ids"]
            ids.update(page)
            if len(page) < batch:
                return ids
            offset += batch

    def doc_ids(self) -> set[str]:
        ids: set[str] = set()
        offset, batch = 0, 5000
        while True:
            metas = self._collection.get(include=["metadatas"], limit=batch, offset=offset)["metadatas"] or []
            ids.update(str(m["doc_id"]) for m in metas)
            if len(metas) < batch:
                return ids
            offset += batch

    where_for = staticmethod(where_for)
