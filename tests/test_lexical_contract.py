"""The lexical index's contract, on both of its implementations: every test taking ``built`` runs on the embedded
bm25s index (``LexicalIndex``, rebuilt after each change as ``LibraryWriter`` rebuilds it) and on the one
PostgreSQL serves (``PostgresLexicalIndex``, written per document, in a fresh database of the session's real
server, tests/conftest.py). The corpus is real: the sample papers and the born-digital sample regulations, cut
into passages by the ingest pipeline. Then the two are held to the same rankings for every devset question."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

import pytest

from core.settings import PROJECT_ROOT
from core.types import Passage
from ingest.pipeline import process_path
from testing.corpus import make_settings
from vectorstore.catalog import Catalog
from vectorstore.lexical import LexicalIndex, search_texts
from vectorstore.lexical_postgres import GENERATION_POLL_S, PostgresLexicalIndex, ServerLexical
from vectorstore.library_parts import LexicalLike

DOCUMENTS = PROJECT_ROOT / "documents"
BANYUWANGI = "perbup_banyuwangi_19_2012_pedoman_ppid.pdf"
SINGKAWANG = "perwako_singkawang_24_2018_sop_layanan_informasi_publik.pdf"
SURABAYA = "perwali_surabaya_68_2021_sotk_sekretariat_dprd.pdf"
BSSN = "peraturan_bssn_8_2024_audit_keamanan_spbe.pdf"
QUESTIONS = PROJECT_ROOT / "tests" / "devset" / "questions.jsonl"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Passage]]:
    """File name → its passages, as ingest cuts them (no OCR: these files carry their text)."""
    settings = make_settings(tmp_path_factory.mktemp("lexical-contract") / "data")
    files = [DOCUMENTS / "regulations" / name for name in (BANYUWANGI, SINGKAWANG, SURABAYA, BSSN)]
    files += sorted((DOCUMENTS / "papers").glob("*.txt"))
    return {path.name: process_path(path, settings).passages for path in files}


class Implementation(Protocol):
    """An index over some documents, and the writes a library makes to it when a document is stored or removed."""

    @property
    def index(self) -> LexicalLike: ...

    def put(self, passages: list[Passage]) -> None: ...

    def delete(self, doc_id: str) -> None: ...


class Embedded:
    def __init__(self) -> None:
        self.by_doc: dict[str, list[Passage]] = {}
        self.index = LexicalIndex.build([])

    def put(self, passages: list[Passage]) -> None:
        self.by_doc[passages[0].doc_id] = passages
        self.index = LexicalIndex.build(search_texts(p for ps in self.by_doc.values() for p in ps))

    def delete(self, doc_id: str) -> None:
        self.by_doc.pop(doc_id, None)
        self.index = LexicalIndex.build(search_texts(p for ps in self.by_doc.values() for p in ps))


class Served:
    def __init__(self, catalog: Catalog) -> None:
        self.index = PostgresLexicalIndex(catalog.engine)

    def put(self, passages: list[Passage]) -> None:
        self.index.put_document(passages[0].doc_id, passages)

    def delete(self, doc_id: str) -> None:
        self.index.delete_document(doc_id)


Build = Callable[[Sequence[list[Passage]]], Implementation]


@pytest.fixture(params=["bm25s", "postgres"])
def build(request: pytest.FixtureRequest) -> Iterator[Build]:
    """Builds the implementation under test over documents (each a list of passages), stored in order."""
    catalogs: list[Catalog] = []

    def make(docs: Sequence[list[Passage]]) -> Implementation:
        implementation: Implementation
        if request.param == "bm25s":
            implementation = Embedded()
        else:
            catalogs.append(Catalog(request.getfixturevalue("postgres_url")))
            implementation = Served(catalogs[-1])
        for passages in docs:
            implementation.put(passages)
        return implementation

    yield make
    for catalog in catalogs:
        catalog.close()


@pytest.fixture
def built(build: Build, documents: dict[str, list[Passage]]) -> Implementation:
    return build(list(documents.values()))


def doc_of(documents: dict[str, list[Passage]], name: str) -> str:
    return documents[name][0].doc_id


def test_an_instrument_number_finds_the_instrument_in_any_spelling(built: Implementation,
                                                                   documents: dict[str, list[Passage]]) -> None:
    for query in ("19/2012", "Peraturan Bupati Banyuwangi Nomor 19 Tahun 2012", "perbup no. 19 of 2012"):
        hits = built.index.search(query, 5, expand=True)
        assert hits and hits[0][0].startswith(doc_of(documents, BANYUWANGI)), (query, hits)
    surabaya = built.index.search("Perwali 68/2021", 3)
    assert surabaya and surabaya[0][0].startswith(doc_of(documents, SURABAYA))
    singkawang = built.index.search("Perwako 24/2018", 3)
    assert singkawang and singkawang[0][0].startswith(doc_of(documents, SINGKAWANG))


def test_expansion_matches_another_affixed_form_of_the_asked_word(built: Implementation,
                                                                  documents: dict[str, list[Passage]]) -> None:
    texts = {pid: text.lower() for ps in documents.values() for pid, text in search_texts(ps)}
    assert not any("dokumentasinya" in text for text in texts.values())
    assert built.index.search("dokumentasinya", 5) == [], "asked as written, the form is nowhere"
    hits = built.index.search("dokumentasinya", 5, expand=True)
    assert len(hits) == 5 and all("dokumentasi" in texts[pid] for pid, _ in hits)


def test_expansion_matches_the_indonesian_of_an_english_word(built: Implementation,
                                                             documents: dict[str, list[Passage]]) -> None:
    regulations = {doc_of(documents, name) for name in (BANYUWANGI, SINGKAWANG, SURABAYA, BSSN)}
    hits = built.index.search("regent officer", 10, expand=True)
    assert hits and hits[0][0].split("-")[0] in regulations, "bupati and pejabat are in the regulations"
    passages = {p.passage_id: p for ps in documents.values() for p in ps}
    top = passages[hits[0][0]].text.lower()
    assert "bupati" in top and "regent" not in top


def test_a_restricted_search_ranks_only_the_allowed_passages(built: Implementation,
                                                             documents: dict[str, list[Passage]]) -> None:
    allowed = {p.passage_id for p in documents[SINGKAWANG]}
    everywhere = built.index.search("informasi publik", 200, expand=True)
    inside = built.index.search("informasi publik", 5, allowed_ids=allowed, expand=True)
    assert inside == [hit for hit in everywhere if hit[0] in allowed][:5]
    assert len({pid for pid, _ in everywhere} - allowed) > 0, "the unrestricted ranking reaches other documents"
    assert built.index.search("informasi publik", 5, allowed_ids=set()) == []
    assert built.index.search("informasi publik", 0) == []


def test_deleting_a_document_removes_its_passages_and_their_counts(built: Implementation,
                                                                   documents: dict[str, list[Passage]]) -> None:
    banyuwangi = doc_of(documents, BANYUWANGI)
    before, frequency = len(built.index), built.index.document_frequency("banyuwangi")
    built.delete(banyuwangi)
    assert len(built.index) == before - len(documents[BANYUWANGI])
    assert not any(pid.startswith(banyuwangi) for pid, _ in built.index.search("19/2012", 50, expand=True))
    assert built.index.document_frequency("banyuwangi") < frequency
    built.delete(banyuwangi)  # nothing left to delete
    assert len(built.index) == before - len(documents[BANYUWANGI])


def test_storing_a_document_again_leaves_the_index_as_once(build: Build,
                                                           documents: dict[str, list[Passage]]) -> None:
    once = build(list(documents.values()))
    ranked = once.index.search("pejabat pengelola informasi dan dokumentasi", 10, expand=True)
    count = len(once.index)
    once.put(documents[BANYUWANGI])
    assert len(once.index) == count
    again = once.index.search("pejabat pengelola informasi dan dokumentasi", 10, expand=True)
    assert [pid for pid, _ in again] == [pid for pid, _ in ranked]
    assert [s for _, s in again] == pytest.approx([s for _, s in ranked], rel=1e-5)


def test_an_empty_index_finds_nothing(build: Build) -> None:
    empty = build([])
    assert len(empty.index) == 0
    assert empty.index.search("informasi publik", 5, expand=True) == []
    assert empty.index.search("5/2020", 5) == []
    assert empty.index.document_frequency("informasi") == 0


def test_document_frequency_counts_the_widest_form(built: Implementation,
                                                   documents: dict[str, list[Passage]]) -> None:
    passages = [p for ps in documents.values() for p in ps]
    holding = sum(1 for _, text in search_texts(passages) if "bupati" in text.lower().split())
    assert built.index.document_frequency("bupati") >= holding > 0
    assert built.index.document_frequency("regent") >= holding, "through its translation"
    assert built.index.document_frequency("zzyzx") == 0


def questions() -> list[str]:
    with QUESTIONS.open(encoding="utf-8") as lines:
        return [json.loads(line)["question"] for line in lines if line.strip()]


@pytest.mark.parametrize("written", ["per document", "rebuilt"])
def test_postgres_ranks_every_devset_question_as_the_embedded_index(documents: dict[str, list[Passage]],
                                                                   postgres_url: str, written: str) -> None:
    """Written as ingest writes it (a document at a time) or rebuilt from a store (``rebuild-index``)."""
    embedded = Embedded()
    catalog = Catalog(postgres_url)
    served = Served(catalog)
    for passages in documents.values():
        embedded.put(passages)
        if written == "per document":
            served.put(passages)
    if written == "rebuilt":
        served.put(documents[BSSN])  # replaced by the rebuild
        assert served.index.rebuild(p for ps in documents.values() for p in ps) == len(embedded.index)
    regulations = {p.passage_id for name in (BANYUWANGI, SURABAYA) for p in documents[name]}
    compared = 0
    try:
        assert len(served.index) == len(embedded.index)
        for question in [*questions(), "5/2020", "Perwali Surabaya Nomor 68 Tahun 2021", "kendaraannya"]:
            for expand in (False, True):
                for allowed in (None, regulations):
                    want = embedded.index.search(question, 10, allowed, expand=expand)
                    got = served.index.search(question, 10, allowed, expand=expand)
                    assert [pid for pid, _ in got] == [pid for pid, _ in want], (question, expand, allowed is None)
                    assert all(math.isclose(a, b, rel_tol=1e-5) for (_, a), (_, b) in zip(got, want, strict=True))
                    compared += bool(want)
            assert served.index.document_frequency(question) == embedded.index.document_frequency(question)
    finally:
        catalog.close()
    assert compared > 150, "most questions match something"


def test_a_replica_sees_another_processs_writes_within_the_poll(documents: dict[str, list[Passage]],
                                                               postgres_url: str) -> None:
    """Two engines, as an API replica and a queue worker on other machines: the replica's index is a new object
    once the database's generation moved (so the retriever re-reads its views), no later than the poll interval."""
    writer, reader = Catalog(postgres_url), Catalog(postgres_url)
    try:
        replica = ServerLexical(reader.engine)
        before = replica.current()
        assert len(before) == 0 and replica.current() is before, "nothing changed: the same object"
        PostgresLexicalIndex(writer.engine).put_document(doc_of(documents, SURABAYA), documents[SURABAYA])
        time.sleep(GENERATION_POLL_S)
        after = replica.current()
        assert after is not before and after.generation > before.generation
        assert after.search("Perwali 68/2021", 1)[0][0].startswith(doc_of(documents, SURABAYA))
        assert replica.current() is after
    finally:
        writer.close()
        reader.close()
