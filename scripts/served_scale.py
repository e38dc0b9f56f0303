"""The API process at scale in the served configuration (issue 15, item 4): a Chroma server, the catalog in
PostgreSQL and the lexical index served from it (``BK_STORE__LEXICAL=postgres``, no vectors in the API). For each
size a store is written, and the API measured with its passages held (``BK_STORE__PASSAGE_VIEWS=memory``) and read
per search (``store``): what a process holds after each stage of warming a library and searching (resident set,
in-process), then the real API (``python -m api``) answering ``/search`` over HTTP, with its peak resident set.

SYNTHETIC STORE: the passages are the paragraphs of scale documents (``scale_corpus.py``, as in ``--lexical``),
written straight into the store rather than through the pipeline (no parsing, no OCR): every passage of a document
is about the cities the document names, its vector is a real passage vector (chosen by the text's hash) plus noise,
as ``benchmark.SyntheticEmbedder`` makes them, and documents carry no year or type. Used by
``scripts/benchmark.py --served SIZES``.
"""

from __future__ import annotations

import gc
import hashlib
import math
import multiprocessing
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.settings import PROJECT_ROOT, Settings
from core.types import CleanDocument, DocumentMeta, PageSpan, Passage

DOCUMENTS = PROJECT_ROOT / "documents"
WRITE_BATCH = 2000
VIEWS = ("memory", "store")  # the passages held by the API (as before issue 15's item 4), then read per search
NOISE = 0.5


@dataclass
class ServedRow:
    views: str  # BK_STORE__PASSAGE_VIEWS: memory (every passage held) or store (read per search)
    passages: int
    build_s: float
    stages: dict[str, float] = field(default_factory=dict)  # stage -> resident MB after it (in-process)
    search_n: int = 0
    search_p50_ms: float = 0.0
    search_p95_ms: float = 0.0
    api_peak_mb: float = 0.0  # the API server's peak resident set (with children) over its start and the searches


def synthetic_documents(size: int) -> Iterator[tuple[DocumentMeta, list[Passage]]]:
    """Documents of scale-corpus paragraphs until ``size`` passages (SYNTHETIC, see the module)."""
    from scale_corpus import ScaleCorpus, paragraphs_of

    corpus = ScaleCorpus.from_documents(DOCUMENTS)
    made, number = 0, 0
    while made < size:
        text = corpus.document(number)
        doc_id = f"synthetic{number:07d}"
        cities = tuple(dict.fromkeys(m.region.code for m in corpus.gazetteer.city_mentions(text)
                                     if m.region.kind != "provinsi"))
        language = "id" if any(w in text for w in (" dan ", " yang ")) else "en"
        passages = [Passage(passage_id=f"{doc_id}-{i:04d}", doc_id=doc_id, index=i, text=p, start=0, end=len(p),
                            page_start=1, page_end=1, language=language, cities=cities, about_cities=cities)
                    for i, p in enumerate(paragraphs_of(text))]
        meta = DocumentMeta(doc_id=doc_id, filename=f"{doc_id}.txt", media_type="text/plain",
                            title=text.split("\n", 1)[0][:200], language=language, doc_type="paper", cities=cities,
                            page_count=1, passage_count=len(passages))
        made += len(passages)
        number += 1
        yield meta, passages


def synthetic_vectors(texts: Sequence[str], pool: np.ndarray) -> np.ndarray:
    out = np.empty((len(texts), pool.shape[1]), np.float32)
    for i, text in enumerate(texts):
        rng = np.random.default_rng(int(hashlib.sha1(text.encode()).hexdigest()[:12], 16))
        vector = pool[rng.integers(len(pool))] + rng.standard_normal(pool.shape[1]) * (NOISE / math.sqrt(pool.shape[1]))
        out[i] = vector / np.linalg.norm(vector)
    return out


def write_store(settings: Settings, size: int) -> int:
    """The synthetic store of ``size`` passages, written into the configured Chroma, catalog and served index."""
    from scale_corpus import ScaleCorpus

    from vectorstore.catalog import Catalog
    from vectorstore.chroma_store import PassageStore
    from vectorstore.embeddings import make_embedder
    from vectorstore.lexical_postgres import PostgresLexicalIndex

    embedder = make_embedder(settings)
    corpus = ScaleCorpus.from_documents(DOCUMENTS)
    pool = embedder.embed_passages([corpus.document(i)[:1000] for i in range(32)])
    store = PassageStore.open(settings, embedder.model_id, embedder.dim)
    catalog = Catalog.for_settings(settings.store)
    batch: list[Passage] = []
    everything: list[Passage] = []
    for meta, passages in synthetic_documents(size):
        text = "\n\n".join(p.text for p in passages)
        catalog.put_document(meta, CleanDocument(text=text, pages=(PageSpan(number=1, start=0, end=len(text)),)),
                             meta.filename, meta.filename)
        batch.extend(passages)
        if len(batch) >= WRITE_BATCH:
            store.add(batch, synthetic_vectors([p.text for p in batch], pool))
            everything.extend(batch)
            batch = []
    if batch:
        store.add(batch, synthetic_vectors([p.text for p in batch], pool))
        everything.extend(batch)
    PostgresLexicalIndex(catalog.engine).rebuild(everything)
    count = store.count()
    store.close()
    catalog.close()
    return count


def _stages(settings: Settings, result: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    import psutil

    from api.engine.search import search_planned, warm
    from core.types import SearchFilters
    from vectorstore.library import Library

    def rss() -> float:
        gc.collect()
        return psutil.Process().memory_info().rss / 2**20

    stages = {"interpreter and imports": rss()}
    library = Library.open(settings)
    retriever = library.retriever
    warm(retriever)
    stages["library opened and warmed as the API does"] = rss()
    from scale_corpus import ScaleCorpus

    corpus = ScaleCorpus.from_documents(DOCUMENTS)
    cities = sorted({m.region.code for i in range(20) for m in corpus.gazetteer.city_mentions(corpus.document(i))
                     if m.region.kind != "provinsi"})
    for city in cities[:10]:
        retriever.search("rencana pembangunan jangka menengah daerah", SearchFilters(cities=[city]), 10)
    stages["ten city searches (retriever)"] = rss()
    for city in cities[:10]:
        search_planned(retriever, "rencana pembangunan jangka menengah daerah", SearchFilters(cities=[city]), 10,
                       settings.answer)
    stages["ten city searches (POST /search's engine)"] = rss()
    stages["passage views held"] = float(retriever.holds_passages)
    result.put(stages)
    library.close()


def stage_memory(settings: Settings) -> dict[str, float]:
    """Resident MB of a fresh process after each stage of opening and warming a library as the API does."""
    context = multiprocessing.get_context("spawn")
    result = context.Queue()
    process = context.Process(target=_stages, args=(settings, result))
    process.start()
    stages: dict[str, float] = result.get(timeout=3600)
    process.join()
    return stages


@contextmanager
def served_environment(settings: Settings) -> Iterator[None]:
    """The API subprocess reads its settings from the environment: the served parts' addresses."""
    store = settings.store
    update = {"BK_STORE__DATABASE_URL": store.database_url, "BK_STORE__CHROMA_HOST": str(store.chroma_host),
              "BK_STORE__CHROMA_PORT": str(store.chroma_port), "BK_STORE__LEXICAL": store.lexical,
              "BK_STORE__EXACT_SUBSET_MAX": str(store.exact_subset_max), "BK_STORE__PASSAGE_VIEWS": store.passage_views}
    saved = {k: os.environ.get(k) for k in update}
    os.environ.update(update)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def served_settings(base: Settings, data_dir: Path, database_url: str, host: str, port: int,
                    views: str = "store") -> Settings:
    store = base.store.model_copy(update={"data_dir": data_dir, "database_url": database_url, "chroma_host": host,
                                          "chroma_port": port, "lexical": "postgres", "exact_subset_max": 0,
                                          "passage_views": views})
    return base.model_copy(update={"store": store})


def measure(sizes: Sequence[int], work: Path, base: Settings, requests: int) -> list[ServedRow]:
    import benchmark
    from scale_corpus import ScaleCorpus

    from testing.chroma_server import running_chroma_server
    from testing.postgres_server import running_postgres_server

    corpus = ScaleCorpus.from_documents(DOCUMENTS)
    asked = benchmark.latency_requests(benchmark.devset(), requests, corpus)["/search"]
    rows = []
    with running_postgres_server() as postgres:
        for size in sizes:
            with running_chroma_server(work / f"served-{size}" / "chroma-server") as chroma:
                settings = served_settings(base, work / f"served-{size}" / "data",
                                           postgres.create_database(f"served_{size}"), chroma.host, chroma.port)
                started = time.perf_counter()
                count = write_store(settings, size)
                build_s = time.perf_counter() - started
                for views in VIEWS:
                    settings = served_settings(base, settings.store.data_dir, settings.store.database_url,
                                               chroma.host, chroma.port, views)
                    row = ServedRow(views, count, build_s)
                    row.stages = stage_memory(settings)
                    with served_environment(settings):
                        latency = benchmark.measure_latency(f"{count:,} served, views in {views}",
                                                            settings.store.data_dir, False, {"/search": asked})
                    row.search_n, row.search_p50_ms, row.search_p95_ms = (latency[0].n, latency[0].p50_ms,
                                                                          latency[0].p95_ms)
                    row.api_peak_mb = latency[0].peak_rss_mb
                    rows.append(row)
    return rows
