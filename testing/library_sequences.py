"""Idempotency and delete hygiene as a hypothesis state machine over a real Library (embedded Chroma, real parse
workers): after any sequence of add / change / re-ingest / delete / restart, the store holds exactly one copy of
each live document's passages, nothing else, and the lexical index agrees with it. Run by
tests/test_library_sequences.py and, at a chosen size, by scripts/reliability.py."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import hypothesis.strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ingest.library import LibraryWriter
from ingest.pipeline import content_hash, doc_id_for
from testing.consistency import check_library
from testing.corpus import make_settings

CITIES = ["Balikpapan", "Samarinda", "Malang", "Kendari", "Singkawang", "Surabaya"]
TOPICS = ["SPBE", "Satu Data", "keamanan informasi", "masterplan smart city", "anggaran", "RPJMD"]

paragraph = st.builds(
    lambda city, topic, number, year, n: (
        f"Pemerintah Kota {city} menetapkan Peraturan Wali Kota Nomor {number} Tahun {year} tentang {topic}. "
        + " ".join(f"Ketentuan ke-{i} mengatur pelaksanaan {topic} di {city}." for i in range(n))
    ),
    st.sampled_from(CITIES),
    st.sampled_from(TOPICS),
    st.integers(1, 99),
    st.integers(2015, 2024),
    st.integers(1, 12),
)
document_text = st.lists(paragraph, min_size=1, max_size=4).map("\n\n".join)
names = st.sampled_from([f"doc{i}.txt" for i in range(5)])


class LibrarySequences(RuleBasedStateMachine):
    @initialize()
    def open_library(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="bk-seq-"))
        self.inbox = self.root / "inbox"
        self.inbox.mkdir()
        self.settings = make_settings(self.root / "data")
        self.library = LibraryWriter.open(self.settings)
        self.live: dict[str, str] = {}  # file name -> doc id expected in the store

    def teardown(self) -> None:
        self.library.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _ingest(self, name: str) -> None:
        path = self.inbox / name
        outcome = self.library.ingest_paths([path])[0]
        assert outcome.status != "failed", outcome.error
        self.live[name] = doc_id_for(content_hash(path))

    @rule(name=names, text=document_text)
    def write_and_ingest(self, name: str, text: str) -> None:
        # The file name is part of the text: two files never share content, so each path owns one document.
        (self.inbox / name).write_text(f"Dokumen {name}.\n\n{text}", encoding="utf-8")
        self._ingest(name)

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data())
    def reingest_unchanged(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.live)))
        before = self.library.store.count()
        outcome = self.library.ingest_paths([self.inbox / name])[0]
        assert outcome.status == "unchanged"
        assert self.library.store.count() == before

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.live)))
        self.library.delete_document(self.live.pop(name))

    @rule()
    def restart(self) -> None:
        self.library.close()
        self.library = LibraryWriter.open(self.settings)

    @invariant()
    def store_matches_model(self) -> None:
        if not hasattr(self, "library"):
            return
        report = check_library(self.library)
        assert report.ok, report.problems
        assert {d.doc_id for d in self.library.catalog.list_documents()} == set(self.live.values())
