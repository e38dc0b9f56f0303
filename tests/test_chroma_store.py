"""The passage store's contract, run against both the embedded store and a real `chroma run` server."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from core.errors import ModelMismatchError, StoreLockedError
from core.settings import Settings, StoreSettings
from core.types import Passage, PassageKind, SearchFilters
from testing.chroma_server import ChromaServer, running_chroma_server
from vectorstore.chroma_store import PassageStore, passage_from_record, passage_metadata, where_for
from vectorstore.locking import writer_lock

DIM = 16
MODEL = "test-model-a"
ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "documents" / "papers" / "000_1509ec196a059127.txt"
# Kemendagri codes: Kota Balikpapan, Kota Samarinda, Kota Singkawang.
BALIKPAPAN, SAMARINDA, SINGKAWANG = "64.71", "64.72", "61.72"


def unit_vectors(n: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def make_passages(doc_id: str, n: int, **fields: object) -> list[Passage]:
    """Passages that are exact slices of a real paper, as the ingest pipeline produces them."""
    text = PAPER.read_text(encoding="utf-8")
    size = 300
    return [
        Passage(
            passage_id=f"{doc_id}:{i}",
            doc_id=doc_id,
            index=i,
            text=text[i * size : (i + 1) * size],
            start=i * size,
            end=(i + 1) * size,
            page_start=1 + i // 3,
            page_end=1 + i // 3,
            **fields,  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    with running_chroma_server(tmp_path_factory.mktemp("server") / "chroma") as server:
        yield server


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    store = StoreSettings(data_dir=tmp_path / "data", collection=f"passages-{uuid.uuid4().hex[:8]}")
    if request.param == "server":
        server: ChromaServer = request.getfixturevalue("chroma_server")
        store = store.model_copy(update={"chroma_host": server.host, "chroma_port": server.port})
    return Settings(store=store)


@pytest.fixture
def store(settings: Settings) -> Iterator[PassageStore]:
    with PassageStore.open(settings, MODEL, DIM) as opened:
        yield opened


@pytest.fixture
def corpus(store: PassageStore) -> dict[str, tuple[list[Passage], np.ndarray]]:
    """Three documents: a 2025 Balikpapan/Samarinda paper, a 2018 Singkawang regulation, a yearless report."""
    docs: dict[str, tuple[list[Passage], dict[str, int | str | None]]] = {
        "paper2025": (
            make_passages("paper2025", 6, about_cities=(BALIKPAPAN, SAMARINDA), cities=(BALIKPAPAN,)),
            {"year": 2025, "doc_type": "paper"},
        ),
        "perwako2018": (
            make_passages(
                "perwako2018", 4, about_cities=(SINGKAWANG,), language="id", pasal="12",
                regulations=("perwali|61.72|24|2018",), kind="pasal", ocr_confidence=87.5,
            ),
            {"year": 2018, "doc_type": "regulation"},
        ),
        "report": (make_passages("report", 3), {"year": None, "doc_type": "report"}),
    }
    added = {}
    for seed, (doc_id, (passages, doc_fields)) in enumerate(docs.items()):
        vectors = unit_vectors(len(passages), seed)
        store.add(passages, vectors, doc_fields=doc_fields)
        added[doc_id] = (passages, vectors)
    return added


def ids_of(passages: list[Passage]) -> set[str]:
    return {p.passage_id for p in passages}


def test_passages_round_trip_through_metadata_unchanged(corpus, store):
    everything = [p for passages, _ in corpus.values() for p in passages]
    asked = [p.passage_id for p in reversed(everything)]
    assert store.get(asked) == list(reversed(everything))


def test_get_leaves_out_unknown_ids_and_keeps_order(corpus, store):
    got = store.get(["perwako2018:3", "nope", "paper2025:0"])
    assert [p.passage_id for p in got] == ["perwako2018:3", "paper2025:0"]


def test_query_finds_a_passage_by_its_own_vector_with_cosine_similarity(corpus, store):
    passages, vectors = corpus["paper2025"]
    hits = store.query(vectors[2], k=5)
    assert hits[0][0] == passages[2].passage_id
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    all_vectors = {p.passage_id: v for ps, vs in corpus.values() for p, v in zip(ps, vs, strict=True)}
    for pid, similarity in hits:
        assert similarity == pytest.approx(float(all_vectors[pid] @ vectors[2]), abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_query_many_ranks_each_vector_as_query_does_in_one_request(corpus, store):
    _, vectors = corpus["paper2025"]
    where = where_for(SearchFilters(cities=[BALIKPAPAN]))
    assert store.query_many([vectors[1], vectors[4]], 4, where) == [store.query(vectors[1], 4, where),
                                                                   store.query(vectors[4], 4, where)]
    assert store.query_many([], 4) == []


def test_placements_give_each_known_passage_its_document_index_and_kind(corpus, store):
    placed = store.placements(["perwako2018:2", "nope", "paper2025:5"])
    assert placed == {"perwako2018:2": ("perwako2018", 2, "pasal"), "paper2025:5": ("paper2025", 5, "text")}
    assert store.placements([]) == {}


def test_city_filter_matches_passages_about_any_of_the_cities(corpus, store):
    probe = corpus["report"][1][0]
    samarinda = store.query(probe, k=50, where=where_for(SearchFilters(cities=[SAMARINDA])))
    assert {pid for pid, _ in samarinda} == ids_of(corpus["paper2025"][0])
    either = store.query(probe, k=50, where=where_for(SearchFilters(cities=[SINGKAWANG, SAMARINDA])))
    assert {pid for pid, _ in either} == ids_of(corpus["paper2025"][0]) | ids_of(corpus["perwako2018"][0])


def test_city_filter_uses_resolved_codes_when_given(corpus, store):
    where = where_for(SearchFilters(cities=["Kota Singkawang"]), city_codes=[SINGKAWANG])
    hits = store.query(corpus["report"][1][0], k=50, where=where)
    assert {pid for pid, _ in hits} == ids_of(corpus["perwako2018"][0])


def test_year_range_uses_the_document_year_and_excludes_yearless_documents(corpus, store):
    probe = corpus["report"][1][0]
    hits = store.query(probe, k=50, where=where_for(SearchFilters(year_from=2015, year_to=2020)))
    assert {pid for pid, _ in hits} == ids_of(corpus["perwako2018"][0])
    later = store.query(probe, k=50, where=where_for(SearchFilters(year_from=2019)))
    assert {pid for pid, _ in later} == ids_of(corpus["paper2025"][0])


@pytest.mark.parametrize(
    ("filters", "doc_ids"),
    [
        (SearchFilters(doc_types=["regulation", "report"]), {"perwako2018", "report"}),
        (SearchFilters(language="id"), {"perwako2018"}),
        (SearchFilters(pasal="12"), {"perwako2018"}),
        (SearchFilters(regulation="perwali|61.72|24|2018"), {"perwako2018"}),
        (SearchFilters(doc_ids=["report", "paper2025"]), {"report", "paper2025"}),
        (SearchFilters(doc_types=["paper"], cities=[SINGKAWANG]), set()),
        (SearchFilters(), {"paper2025", "perwako2018", "report"}),
    ],
)
def test_each_search_filter_selects_the_right_documents(corpus, store, filters, doc_ids):
    hits = store.query(corpus["report"][1][0], k=50, where=where_for(filters))
    assert {p.doc_id for p in store.get([pid for pid, _ in hits])} == doc_ids


def test_a_regulation_filter_keeps_the_regulations_own_articles(corpus, store):
    # "report" stands for a regulation's own text: its passages never cite it, another document's may.
    where = where_for(SearchFilters(regulation="perwali|61.72|5|2013"), regulation_docs=["report"])
    hits = store.query(corpus["report"][1][0], k=50, where=where)
    assert {p.doc_id for p in store.get([pid for pid, _ in hits])} == {"report"}
    where = where_for(SearchFilters(regulation="perwali|61.72|24|2018"), regulation_docs=["report"])
    hits = store.query(corpus["report"][1][0], k=50, where=where)
    assert {p.doc_id for p in store.get([pid for pid, _ in hits])} == {"report", "perwako2018"}


def test_delete_document_leaves_no_orphans(corpus, store):
    removed = ids_of(corpus["paper2025"][0])
    assert store.delete_document("paper2025") == len(removed)
    assert store.doc_ids() == {"perwako2018", "report"}
    assert store.count() == 7
    assert store.passages_of("paper2025") == []
    assert store.get(sorted(removed)) == []
    hits = store.query(corpus["paper2025"][1][0], k=50)
    assert not removed & {pid for pid, _ in hits}
    assert store.delete_document("paper2025") == 0


def test_re_adding_a_passage_replaces_it(corpus, store):
    passages, vectors = corpus["report"]
    changed = passages[0].model_copy(update={"section": "Ringkasan"})
    store.add([changed], vectors[:1])
    assert store.count() == 13
    assert store.get([changed.passage_id]) == [changed]


def test_iteration_and_listing_cover_every_passage_once(corpus, store):
    seen = [p.passage_id for p in store.iter_passages(batch=4)]
    assert sorted(seen) == sorted(pid for ps, _ in corpus.values() for pid in ids_of(ps))
    assert store.doc_ids() == set(corpus)
    assert store.ids() == set(seen)
    assert store.passages_of("perwako2018") == corpus["perwako2018"][0]


def test_adding_more_than_one_chroma_batch_works(store):
    n = store._client.get_max_batch_size() + 7
    base = make_passages("big", 1)[0]
    passages = [base.model_copy(update={"passage_id": f"big:{i}", "index": i}) for i in range(n)]
    store.add(passages, unit_vectors(n, 42))
    assert store.count() == n
    assert len(store.passages_of("big")) == n


def test_add_refuses_vectors_of_the_wrong_shape(store):
    passages = make_passages("d", 2)
    with pytest.raises(ValueError, match="shape"):
        store.add(passages, unit_vectors(3, 0))
    with pytest.raises(ValueError, match="one document"):
        store.add(make_passages("a", 1) + make_passages("b", 1), unit_vectors(2, 0), doc_fields={"year": 2020})


def test_reopening_after_close_keeps_the_passages(corpus, store, settings):
    store.close()
    with PassageStore.open(settings, MODEL, DIM) as reopened:
        assert reopened.count() == 13
        assert reopened.get(["perwako2018:1"]) == [corpus["perwako2018"][0][1]]


def test_opening_with_another_model_raises_and_names_both(corpus, store, settings):
    with pytest.raises(ModelMismatchError) as caught:
        PassageStore.open(settings, "test-model-b", DIM)
    assert MODEL in caught.value.message and "test-model-b" in caught.value.message
    assert "banding-kota reembed" in (caught.value.hint or "")
    with pytest.raises(ModelMismatchError):
        PassageStore.open(settings, MODEL, DIM * 2)


def test_metadata_encoding_omits_empty_and_none_values():
    passage = make_passages("d", 1)[0]
    meta = passage_metadata(passage, {"year": None, "doc_type": "paper"})
    assert "cities" not in meta and "pasal" not in meta and "year" not in meta
    assert all(isinstance(v, str | int | float | bool) for v in meta.values())
    assert passage_from_record(passage.passage_id, passage.text, meta) == passage


def test_a_passage_kind_is_stored_as_its_plain_string_and_an_older_record_reads_as_the_enum(corpus, store):
    """``Passage.kind`` is a StrEnum: Chroma holds "pasal" as before, and a record written when the kind was a
    free string reads back as the enum member."""
    passage = corpus["perwako2018"][0][0]
    stored = store._collection.get(ids=[passage.passage_id], include=["metadatas"])["metadatas"]
    assert stored is not None and stored[0]["kind"] == "pasal" and type(stored[0]["kind"]) is str
    older = passage_from_record(passage.passage_id, passage.text, {**passage_metadata(passage), "kind": "ayat"})
    assert older.kind is PassageKind.AYAT and older.kind == "ayat"


# --- the single-writer lock of the embedded store ----------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from vectorstore.locking import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def start_holder(data_dir: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_writer_process_fails_fast_and_is_told_who_holds_the_lock(tmp_path):
    holder = start_holder(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(StoreLockedError) as caught, writer_lock(tmp_path, timeout_s=0.5):
            pass
        assert time.monotonic() - started < 5
        assert f"process {holder.pid}" in caught.value.message
        assert str(tmp_path / "writer.lock") in caught.value.message
        assert "Chroma server" in (caught.value.hint or "")
    finally:
        holder.communicate("\n", timeout=30)
    with writer_lock(tmp_path, timeout_s=0.5) as lock_file:
        assert lock_file.exists()


def test_the_lock_is_freed_when_its_holder_dies(tmp_path):
    holder = start_holder(tmp_path)
    holder.kill()
    holder.wait(timeout=30)
    with writer_lock(tmp_path, timeout_s=2.0):
        pass
