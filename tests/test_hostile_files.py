"""A hostile corpus, generated here, run through ``map_isolated(load_document)`` as an ingest would, and then
through a full ``LibraryWriter.ingest_paths`` next to documents already stored.

Each file must end with its own named outcome — the specific ``DocumentError`` class (never a timeout or a
crash standing in for it) or a document with the text a reader would get — within a time bound of its own
and without its parse worker's memory growing past a bound; and nothing else may be lost: the good files of
the batch load and are stored, and what was stored before is still whole.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil

from core.errors import DocumentError, ParseCrashError, ParseTimeoutError
from core.settings import Settings
from ingest.chunking import SPLIT_WINDOW
from ingest.library import LibraryWriter
from ingest.loaders import load_document
from ingest.workers import map_isolated
from testing import filemakers
from testing.consistency import WorkerMemory, check_library
from testing.hostile_files import (
    MEMORY_MB,
    TIMEOUT_S,
    Outcome,
    describe_outcome,
    expect_error,
    hostile_corpus,
    hostile_settings,
)

# No hostile file may come near its deadline (the slowest, the Flate bomb, takes 2-5 s here).
PER_FILE_S = TIMEOUT_S / 2
# Resident memory of one parse worker; the limit on its address space is MEMORY_MB, and a bomb that expanded
# would press against it. The workers do not report their peak, so it is sampled (see WorkerMemory).
PEAK_RSS_MB = 512


def test_each_hostile_file_ends_in_its_own_named_outcome_within_time_and_memory(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "hostile"
    corpus_dir.mkdir()
    corpus = hostile_corpus(corpus_dir)
    settings = hostile_settings(tmp_path / "data")
    outcomes: dict[Path, Outcome] = {}
    seconds: dict[str, float] = {}
    peaks: dict[str, float] = {}
    # One worker at a time, so that each file's time and its worker's memory are its own.
    with WorkerMemory() as memory:
        last = time.monotonic()
        for path, outcome in map_isolated(load_document, list(corpus), workers=1, timeout_s=TIMEOUT_S,
                                          memory_mb=MEMORY_MB, args=(settings,)):
            now = time.monotonic()
            seconds[path.name], last = now - last, now
            peaks[path.name] = memory.reset()
            assert path not in outcomes, f"{path.name} reported twice"
            outcomes[path] = outcome
    assert set(outcomes) == set(corpus), "a file was lost"
    wrong = {p.name: f"expected {e.describe}, got {describe_outcome(outcomes[p])}" for p, e in corpus.items()
             if not e.check(outcomes[p])}
    assert not wrong, wrong
    for path, outcome in outcomes.items():
        if isinstance(outcome, DocumentError):
            assert path.name in outcome.message, "the error must name the file"
    slow = {name: round(s, 1) for name, s in seconds.items() if s >= PER_FILE_S}
    assert not slow, f"files near their {TIMEOUT_S:g} s deadline: {slow}"
    assert max(peaks.values()) > 30, "the memory sampler saw no parse worker; this test would prove nothing"
    heavy = {name: round(mb) for name, mb in peaks.items() if mb >= PEAK_RSS_MB}
    assert not heavy, f"parse workers grew past {PEAK_RSS_MB} MB: {heavy}"


def _parse_held(path: Path, settings: Settings) -> object:
    """A parse that keeps its worker alive long enough for the sampler to see it: a text file parses in a few
    milliseconds, less than one sweep of a busy test session's process tree."""
    time.sleep(1.5)
    return load_document(path, settings)


def test_the_memory_sampler_sees_the_workers_beside_a_finished_child_not_yet_reaped(tmp_path: Path) -> None:
    # The session's background devset ingest, once done, is such a child until its fixture waits for it; a sampler
    # that gave up on it saw no worker at all.
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        finished_by = time.monotonic() + 30
        while psutil.Process(finished.pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < finished_by:
            time.sleep(0.05)
        text = tmp_path / "catatan.txt"
        text.write_text("Peraturan Wali Kota tentang bank sampah.\n" * 200, encoding="utf-8")
        with WorkerMemory() as memory:
            outcomes = list(map_isolated(_parse_held, [text], workers=1, timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB,
                                         args=(hostile_settings(tmp_path / "data"),)))
            peak = memory.reset()
        assert len(outcomes) == 1 and not isinstance(outcomes[0][1], DocumentError)
        assert peak > 30, "the sampler saw no parse worker"
    finally:
        finished.wait()


def test_a_full_ingest_of_the_hostile_corpus_stores_the_good_files_and_loses_nothing(tmp_path: Path) -> None:
    settings = hostile_settings(tmp_path / "data")
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    stored_before = [filemakers.text_pdf(earlier / "perwali_spbe.pdf", title="Perwali SPBE Balikpapan"),
                     filemakers.docx_file(earlier / "notulen.docx", paragraphs=("Notulen rapat bank sampah.",))]
    corpus_dir = tmp_path / "hostile"
    corpus_dir.mkdir()
    # The 50 MB line would be 50,000 passages to embed (a megabyte, 1,200 of them, took 5 of this test's 6 minutes
    # in CI): a line two and a half of the chunker's windows long is cut into windows and then passages just as
    # the 50 MB one is, and the first test above loads the 50 MB line itself.
    long_line_mb = 2.5 * SPLIT_WINDOW / (1024 * 1024)
    corpus = hostile_corpus(corpus_dir, long_line_mb=long_line_mb)
    with LibraryWriter.open(settings) as library:
        first = {Path(o.path).name: o for o in library.ingest_paths(stored_before)}
        before = {str(o.doc_id): o.passages for o in first.values()}
        assert all(before.values()) and len(before) == 2
        outcomes = {Path(o.path).name: o for o in library.ingest_paths(list(corpus))}
        assert set(outcomes) == {p.name for p in corpus}, "a file was lost"
        for path, expect in corpus.items():
            outcome = outcomes[path.name]
            if expect.error is None:
                assert outcome.status == "added", (path.name, outcome.error)
            else:
                assert outcome.status == "failed" and outcome.error_code == expect.error.code, (path.name, outcome)
                assert path.name in (outcome.error or "")
        for doc_id, passages in before.items():
            assert library.document(doc_id).passage_count == passages
            assert len(library.store.passages_of(doc_id)) == passages
            assert library.stored_file(doc_id).is_file()
        assert outcomes["good.pdf"].passages and outcomes["good.docx"].passages
        # All of the long line is stored: no passage is longer than the embedding window.
        long_line = int(long_line_mb * 1024 * 1024)
        assert outcomes["long_line.txt"].passages * settings.ingest.passage_max_chars >= long_line
        report = check_library(library)
        assert report.ok, report.problems
        hits = library.lexical.search("Notulen rapat bank sampah", 3)
        assert hits and hits[0][0].startswith(str(first["notulen.docx"].doc_id)), "an earlier document is unfindable"


def test_a_named_error_is_not_confused_with_a_timeout_or_a_crash() -> None:
    # The checks must fail for a stand-in outcome, or the corpus test above could pass on timeouts.
    expect = expect_error(DocumentError, says="cyclic page")
    assert expect.check(DocumentError("cyclic_pages.pdf", "is damaged (Detected cyclic page references.)"))
    for stand_in in (ParseTimeoutError, ParseCrashError):
        assert not expect.check(stand_in("cyclic_pages.pdf", "cyclic page tree: took longer than 20 s"))
