"""kill -9 of a running ingest at points of its own progress: right after the crash (before any recovery) every
committed document is whole and nothing is stored for a document the catalog does not know; after recovery nothing is
half-written; a re-run resumes and finishes with exactly the inbox's documents, no duplicate, no orphan
(passages, files, registry rows) and the saved lexical index equal to the vector ids; Chroma reopens.

Trials alternate between a first ingest into an empty folder and an update of an ingested folder — one
document deleted, one file changed (so it is replaced) — in the same killed run. Each trial picks a stage the
uninterrupted run went through (parse, embed, chroma_write, catalog_commit, delete, lexical_save, as the ingest
reports them in BK_INGEST__PROGRESS_FILE) and one of its occurrences, watches the killed run's own progress and
kills its process group the moment that stage starts: every trial must interrupt a running ingest. Trial count
comes from --reliability-size (scripts/reliability.py runs 100)."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from core.settings import PROJECT_ROOT
from ingest.library import LibraryWriter
from testing.consistency import check_data_dir
from testing.corpus import corpus_env, make_settings
from testing.crash_trials import (
    crash_trial,
    make_inbox,
    prepare,
    timed_run,
)
from vectorstore.library import Library


def test_kill9_during_ingest_leaves_documents_whole_and_resume_finishes(
    tmp_path: Path, reliability_size: int
) -> None:
    bench = prepare(tmp_path)
    assert check_data_dir(bench.reference).ok, check_data_dir(bench.reference).problems
    assert {"parse", "embed", "chroma_write", "catalog_commit", "lexical_save"} <= set(bench.first_stages)
    assert {"delete", "embed", "chroma_write", "catalog_commit", "lexical_save"} <= set(bench.update_stages)
    rng = random.Random(20261123)
    for index in range(reliability_size):
        trial = crash_trial(index, bench, tmp_path, rng)
        assert trial.interrupted, f"trial {index} ({trial.point}) killed an ingest that had already finished"
        assert not trial.after_crash, f"trial {index}, right after the crash: {trial.after_crash}"
        assert not trial.after_recovery, f"trial {index}, after recovery: {trial.after_recovery}"
        assert not trial.after_resume, f"trial {index}, after the resumed run: {trial.after_resume}"


def test_the_checks_see_what_recovery_would_hide(tmp_path: Path) -> None:
    # A half-written document, an orphan file and a stale saved lexical index are each reported as stored,
    # not as the Library would show them after repairing.
    inbox = make_inbox(tmp_path / "inbox", 2)
    data_dir = tmp_path / "data"
    timed_run(inbox, data_dir)
    with Library.open(make_settings(data_dir)) as library:
        doc = library.documents()[0]
        library.catalog.set_ingest_state(doc.doc_id, "x", "embedded")
    assert check_data_dir(data_dir, settled=False).ok
    assert "unfinished" in " ".join(check_data_dir(data_dir).problems)
    with Library.open(make_settings(data_dir)) as library:
        library.catalog.set_ingest_state(doc.doc_id, "x", "committed")
        library.store.delete_document(doc.doc_id)
    assert any("passage counts differ" in p for p in check_data_dir(data_dir, settled=False).problems)
    assert any("lexical" in p for p in check_data_dir(data_dir).problems)
    (data_dir / "files" / "0123456789abcdef.txt").write_text("x", encoding="utf-8")
    assert any("stored files without" in p for p in check_data_dir(data_dir).problems)


def test_second_writer_fails_fast_with_clear_message(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with LibraryWriter.open(make_settings(data_dir)):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "ingest.cli", "ingest", str(make_inbox(tmp_path / "inbox", 1))],
            env=corpus_env(data_dir), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        )
        elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert "lock" in (result.stderr + result.stdout).lower()
    assert elapsed < 60  # model-free failure: the lock is taken before anything heavy loads
