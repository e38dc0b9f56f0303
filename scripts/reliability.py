"""Reliability and security figures for the whole product, at a chosen size (not part of the test suite).

    .venv/bin/python scripts/reliability.py [--size 100] [--kill9] [--hostile] [--sequences] [--fuzz] [--injection]
                                            [--data-dir DIR]

Parts (all of them when none is named):
  --kill9      kill -9 of a running CLI ingest at random moments (``--size`` trials; every other one an update
               that deletes a document and replaces a changed file), then a resumed run: trials run,
               interrupted, consistent right after the crash (as stored, before recovery), after recovery,
               and after the resume (saved lexical index, stored files and registry rows included).
  --hostile    the hostile corpus of tests/test_hostile_files.py through the isolated parse workers, one at a
               time so that each file's time and peak memory are its own: handled/total, worst time, peak RSS.
  --sequences  the hypothesis state machine of tests/test_library_sequences.py with ``--size`` examples:
               duplicate and orphan passages left after the sequences, and whether an invariant broke.
  --fuzz       schemathesis over the API's OpenAPI schema, ``--size`` cases per operation, against a throwaway
               server over a copy of an ingested corpus (``--data-dir``, else the sample corpus is ingested).
  --injection  the prompt-injection documents of tests/test_injection.py: answers that carried a canary
               (extractive, comparison, generative with a gullible model) and hidden canaries in the index.

The building blocks are the tests' own functions, so the figures measure what the suite checks.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


@dataclass
class Row:
    part: str
    figures: str
    ok: bool


# --- (a) kill -9 ---------------------------------------------------------------------------------------------

def kill9_trials(size: int, work: Path) -> Row:
    from tests.test_crash_consistency import crash_trial, prepare

    bench = prepare(work)
    rng = random.Random(20261123)
    interrupted = after_crash = after_recovery = after_resume = 0
    problems: list[str] = []
    for index in range(size):
        trial = crash_trial(index, bench, work, rng)
        interrupted += trial.interrupted
        kind = "update" if index % 2 else "first ingest"
        for stage, found in (("after the crash", trial.after_crash), ("after recovery", trial.after_recovery),
                             ("after the resume", trial.after_resume)):
            if found:
                problems.append(f"trial {index} ({kind}) {stage}: {'; '.join(found)}")
        after_crash += not trial.after_crash
        after_recovery += not trial.after_recovery
        after_resume += not trial.after_resume
        print(f"  kill -9 trial {index + 1}/{size} ({kind}): "
              f"{'ok' if not (trial.after_crash or trial.after_recovery or trial.after_resume) else problems[-1]}",
              flush=True)
    for problem in problems[:10]:
        print(f"  ! {problem}")
    figures = (f"{size} trials (first ingest {bench.first_s:.1f} s, update {bench.update_s:.1f} s), {interrupted} "
               f"interrupted; consistent right after the crash (raw) {after_crash}/{size}, after recovery "
               f"{after_recovery}/{size}, after the resume {after_resume}/{size}")
    ok = after_crash == after_recovery == after_resume == size
    return Row("kill -9 during ingest, update and delete", figures, ok)


# --- (b) hostile corpus --------------------------------------------------------------------------------------

def hostile_corpus_run(work: Path) -> Row:
    from core.settings import Settings
    from ingest.loaders import load_document
    from ingest.workers import map_isolated
    from tests.reliability import WorkerMemory
    from tests.test_hostile_files import MEMORY_MB, TIMEOUT_S, hostile_corpus

    folder = work / "hostile"
    folder.mkdir(parents=True)
    corpus = hostile_corpus(folder)
    base = Settings()
    settings = base.model_copy(update={
        "store": base.store.model_copy(update={"data_dir": work / "data"}),
        "ocr": base.ocr.model_copy(update={"max_pages": 1}),
        "ingest": base.ingest.model_copy(update={"parse_timeout_s": TIMEOUT_S, "parse_memory_mb": MEMORY_MB}),
    })
    handled, worst, worst_name, peak, peak_name = 0, 0.0, "", 0.0, ""
    with WorkerMemory() as memory:
        last = time.monotonic()
        for path, outcome in map_isolated(load_document, list(corpus), workers=1, timeout_s=TIMEOUT_S,
                                          memory_mb=MEMORY_MB, args=(settings,)):
            now = time.monotonic()
            seconds, last = now - last, now
            file_peak = memory.reset()
            ok = corpus[path].check(outcome)
            handled += ok
            if seconds > worst:
                worst, worst_name = seconds, path.name
            if file_peak > peak:
                peak, peak_name = file_peak, path.name
            kind = type(outcome).__name__
            print(f"  {path.name:24} {kind:24} {seconds:6.2f} s {file_peak:7.0f} MB {'ok' if ok else 'WRONG'}",
                  flush=True)
    total = len(corpus)
    figures = (f"{handled}/{total} handled; worst {worst:.1f} s ({worst_name}, limit {TIMEOUT_S:g} s); "
               f"peak worker RSS {peak:.0f} MB ({peak_name}, limit {MEMORY_MB} MB address space)")
    return Row("hostile files", figures, handled == total)


# --- (c) state machine ---------------------------------------------------------------------------------------

def sequences_run(size: int) -> Row:
    from hypothesis import HealthCheck, settings

    from tests.reliability import check_library
    from tests.test_library_sequences import LibrarySequences

    totals = {"examples": 0, "duplicates": 0, "orphans": 0, "missing": 0, "lexical": 0}

    class Measured(LibrarySequences):
        def teardown(self) -> None:
            report = check_library(self.library)
            totals["examples"] += 1
            totals["duplicates"] += report.duplicates
            totals["orphans"] += report.orphans
            totals["missing"] += report.missing
            totals["lexical"] += report.lexical_mismatch
            super().teardown()

    Measured.TestCase.settings = settings(max_examples=size, stateful_step_count=6, deadline=None,
                                          suppress_health_check=list(HealthCheck), database=None)
    error = ""
    try:
        Measured.TestCase().runTest()
    except Exception as exc:  # an invariant broke: report it as a figure, with hypothesis' own message
        error = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    figures = (f"{totals['examples']} sequences run; duplicates {totals['duplicates']}, orphans "
               f"{totals['orphans']}, missing {totals['missing']}, lexical mismatches {totals['lexical']}")
    if error:
        figures += f"; invariant broken: {error}"
    clean = not error and not any(totals[k] for k in ("duplicates", "orphans", "missing", "lexical"))
    return Row("library sequences", figures, clean)


# --- (d) schemathesis ----------------------------------------------------------------------------------------

def ingest_sample_corpus(data_dir: Path) -> None:
    from tests.conftest import corpus_env

    print("  ingesting the sample corpus for the fuzz server (OCR limited as in the tests) ...", flush=True)
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", str(PROJECT_ROOT / "documents")],
                            env=corpus_env(data_dir), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"sample corpus ingest failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def fuzz_run(size: int, work: Path, corpus: Path | None) -> Row:
    from tests.test_schemathesis import fuzz, start_server

    data_dir = work / "fuzz" / "data"
    if corpus is not None:
        shutil.copytree(corpus, data_dir)
    else:
        ingest_sample_corpus(data_dir)
    server = start_server(data_dir)
    try:
        started = time.monotonic()
        report = fuzz(server.base, size)
        seconds = time.monotonic() - started
    finally:
        server.stop()
    log = server.log.read_text(errors="replace")
    tracebacks = log.count("Traceback")
    distinct = sorted(set(report.failures))
    for failure in distinct[:15]:
        print(f"  ! {failure}")
    figures = (f"{report.cases} cases in {seconds:.0f} s; {len(report.failures)} failed "
               f"({len(distinct)} distinct); {tracebacks} tracebacks in the server log")
    return Row("schemathesis", figures, not report.failures and not tracebacks)


# --- (e) prompt injection ------------------------------------------------------------------------------------

def injection_run(work: Path) -> Row:
    from http.server import ThreadingHTTPServer

    from fastapi.testclient import TestClient

    from api.app import create_app
    from core.types import Answer, Comparison
    from ingest.library import Library
    from tests.conftest import make_settings
    from tests.test_injection import (
        ALL_CANARIES,
        HIDDEN_CANARIES,
        PDF_WHITE_CANARY,
        QUESTIONS,
        GullibleModel,
        answer_texts,
        canaries_in,
        write_documents,
    )

    model = ThreadingHTTPServer(("127.0.0.1", 0), GullibleModel)
    threading.Thread(target=model.serve_forever, daemon=True).start()
    try:
        write_documents(work / "inbox")
        base = make_settings(work / "data")
        settings = base.model_copy(update={"llm": base.llm.model_copy(
            update={"base_url": f"http://127.0.0.1:{model.server_port}/v1", "timeout_s": 30.0})})
        with Library.open(settings, writer=True) as library:
            outcomes = library.ingest_paths(sorted((work / "inbox").iterdir()))
        leaks: list[str] = []
        answers = 0
        with TestClient(create_app(settings)) as client:
            indexed = [p.text for p in client.app.state.services.library.store.iter_passages()]
            hidden = sorted(c for c in (*HIDDEN_CANARIES.values(), PDF_WHITE_CANARY) if any(c in t for t in indexed))
            for question in QUESTIONS:
                for engine in ("extractive", "generative"):
                    answer = Answer.model_validate(
                        client.post("/ask", json={"question": question, "engine": engine}).json())
                    answers += 1
                    found = canaries_in(answer_texts(answer))
                    if found:
                        leaks.append(f"{engine} '{question}': {sorted(found)}")
            for topic in ("waste bank schedule", "pengelolaan sampah dan air bersih"):
                body = client.post("/compare", json={"cities": ["Tarakan", "Bontang"], "topic": topic}).json()
                body.pop("timeline", None)
                comparison = Comparison.model_validate(body)
                answers += 1
                found = canaries_in([s.text for a in comparison.answers for s in a.sentences])
                if found:
                    leaks.append(f"compare '{topic}': {sorted(found)}")
    finally:
        model.shutdown()
        model.server_close()
    for leak in leaks:
        print(f"  ! {leak}")
    if hidden:
        print(f"  ! hidden canaries in the index: {hidden}")
    figures = (f"{len(outcomes)} documents ({len(ALL_CANARIES)} canaries), {answers} answers checked; "
               f"{len(leaks)} carried a canary; hidden canaries indexed: {len(hidden)}")
    return Row("prompt injection", figures, not leaks and not hidden)


# --- the command ---------------------------------------------------------------------------------------------

def print_table(rows: list[Row]) -> None:
    width = max(len(r.part) for r in rows)
    print("\n" + "=" * 100)
    for row in rows:
        print(f"{row.part:<{width}}  {'PASS' if row.ok else 'FAIL'}  {row.figures}")
    print("=" * 100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100, help="kill -9 trials, state-machine examples and "
                        "fuzz cases per operation (default 100)")
    for part in ("kill9", "hostile", "sequences", "fuzz", "injection"):
        parser.add_argument(f"--{part}", action="store_true", help=f"run the {part} part")
    parser.add_argument("--data-dir", type=Path, help="an ingested data folder to copy for the fuzz server")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    chosen = [p for p in ("kill9", "hostile", "sequences", "fuzz", "injection") if getattr(args, p)]
    chosen = chosen or ["kill9", "hostile", "sequences", "fuzz", "injection"]
    work = Path(tempfile.mkdtemp(prefix="bk-reliability-"))
    parts: dict[str, Callable[[], Row]] = {
        "kill9": lambda: kill9_trials(args.size, work / "kill9"),
        "hostile": lambda: hostile_corpus_run(work / "hostile"),
        "sequences": lambda: sequences_run(args.size),
        "fuzz": lambda: fuzz_run(args.size, work, args.data_dir),
        "injection": lambda: injection_run(work / "injection"),
    }
    rows = []
    try:
        for name in chosen:
            print(f"\n--- {name} (size {args.size}) ---", flush=True)
            started = time.monotonic()
            row = parts[name]()
            row.figures += f" [{time.monotonic() - started:.0f} s]"
            rows.append(row)
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
