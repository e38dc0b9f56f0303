"""Server mode: the `chroma run` helper itself, persistence across server restarts, several writers at
once, and a clear error when the server is not there."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from core.errors import ModelMismatchError, StoreUnavailableError
from core.settings import Settings, StoreSettings
from core.types import Passage
from testing.chroma_server import ChromaServer, free_port, heartbeat_ok, running_chroma_server
from vectorstore.chroma_store import PassageStore, reembed_collection

DIM = 8
MODEL = "test-model"


def server_settings(server: ChromaServer | None, tmp_path: Path, port: int | None = None) -> Settings:
    store = StoreSettings(
        data_dir=tmp_path / "data",
        chroma_host="127.0.0.1",
        chroma_port=port if port is not None else server.port,  # type: ignore[union-attr]
    )
    return Settings(store=store)


def passages(doc_id: str, n: int) -> list[Passage]:
    text = f"Peraturan Wali Kota Singkawang Nomor 24 Tahun 2018 bagian {doc_id}"
    return [
        Passage(passage_id=f"{doc_id}:{i}", doc_id=doc_id, index=i, text=text, start=0, end=len(text),
                page_start=1, page_end=1)
        for i in range(n)
    ]


def vectors(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_helper_starts_a_server_that_answers_and_stops_it(tmp_path):
    with running_chroma_server(tmp_path / "chroma") as server:
        assert heartbeat_ok(server.host, server.port)
        assert server.process.poll() is None
    assert server.process.poll() is not None
    assert not heartbeat_ok(server.host, server.port)


def test_passages_survive_a_server_restart(tmp_path):
    path = tmp_path / "chroma"
    with running_chroma_server(path) as server, PassageStore.open(server_settings(server, tmp_path), MODEL, DIM) as s:
        s.add(passages("perwako", 5), vectors(5, 1), doc_fields={"year": 2018, "doc_type": "regulation"})
    with running_chroma_server(path) as server, PassageStore.open(server_settings(server, tmp_path), MODEL, DIM) as s:
        assert s.count() == 5
        assert s.get(["perwako:4"]) == passages("perwako", 5)[4:]


def test_several_writers_share_one_server(tmp_path: Path) -> None:
    with running_chroma_server(tmp_path / "chroma") as server:
        settings = server_settings(server, tmp_path)
        stores = [PassageStore.open(settings, MODEL, DIM) for _ in range(3)]
        errors: list[BaseException] = []

        def write(i: int) -> None:
            try:
                for batch in range(4):
                    doc = f"doc{i}-{batch}"
                    stores[i].add(passages(doc, 10), vectors(10, i * 10 + batch))
            except BaseException as exc:  # surfaced below; a thread cannot fail the test itself
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        assert stores[0].count() == 3 * 4 * 10
        assert len(stores[1].doc_ids()) == 12
        for s in stores:
            s.close()


def test_missing_server_is_reported_with_its_address(tmp_path):
    port = free_port()
    with pytest.raises(StoreUnavailableError) as caught:
        PassageStore.open(server_settings(None, tmp_path, port=port), MODEL, DIM)
    assert f"127.0.0.1:{port}" in caught.value.message
    assert "chroma run" in (caught.value.hint or "")


def test_a_store_on_a_server_is_re_embedded_into_a_collection_that_takes_its_name(tmp_path):
    with running_chroma_server(tmp_path / "chroma") as server:
        settings = server_settings(server, tmp_path)
        with PassageStore.open(settings, MODEL, DIM) as store:
            store.add(passages("perwako", 7), vectors(7, 1), doc_fields={"year": 2018, "doc_type": "regulation"})
        fixed = vectors(1, 2)[0]
        previous, done = reembed_collection(settings, lambda ps: np.tile(fixed, (len(ps), 1)), "test-model-b", DIM,
                                            batch=3)
        assert (previous, done) == (MODEL, 7)
        with pytest.raises(ModelMismatchError):
            PassageStore.open(settings, MODEL, DIM)
        with PassageStore.open(settings, "test-model-b", DIM) as store:
            assert store.get(["perwako:6"]) == passages("perwako", 7)[6:]  # text and provenance as they were
            ids, matrix = store.vectors()
            assert len(ids) == 7 and np.allclose(matrix, fixed, atol=1e-6)
        assert reembed_collection(settings, lambda ps: np.tile(fixed, (len(ps), 1)), "test-model-b", DIM) == (
            "test-model-b", 0)
