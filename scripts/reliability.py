"""Reliability and security figures for the whole product, at a chosen size (not part of the test suite).

    .venv/bin/python scripts/reliability.py [--size 100] [--kill9] [--hostile] [--sequences] [--fuzz] [--injection]
                                            [--injection_model] [--html] [--limits] [--concurrency] [--data-dir DIR]

Parts (all of them when none is named):
  --kill9      kill -9 of a running CLI ingest at points of its own progress (parse, embed, chroma_write,
               catalog_commit, delete, lexical_save; ``--size`` trials, every other one an update that deletes a
               document and replaces a changed file), then a resumed run: trials interrupted (an idle trial,
               one that found the ingest finished, fails the part), consistent right after the crash (as stored,
               before recovery), after recovery, and after the resume (lexical index, files, registry rows).
  --hostile    the hostile corpus (testing/hostile_files.py) through the isolated parse workers, one at a
               time so that each file's time and peak memory are its own: handled/total, worst time, peak RSS.
  --sequences  the hypothesis state machine of testing/library_sequences.py with ``--size`` examples:
               duplicate and orphan passages left after the sequences, and whether an invariant broke.
  --fuzz       schemathesis over the API's OpenAPI schema, ``--size`` cases per operation, against a throwaway
               server over a copy of an ingested corpus (``--data-dir``, else the sample corpus is ingested).
  --injection  the prompt-injection documents of testing/injection_documents.py: answers that carried a canary
               (extractive, comparison, generative with a gullible model) and hidden canaries in the index.
  --injection_model  the instruction classifier: recall and false positives on the held-back part of its set,
               sentences flagged in the devset's test part, 64 paraphrased injection documents (none in training)
               end to end, with and without the check.
  --html       the 26 HTML/CSS hiding methods of testing/html_hiding.py through the parse workers, with the
               browser and with the CSS rules alone.
  --limits     100 rate-limit bypass attempts with forwarding headers against a real server.
  --concurrency  20 /ask + uploads + deletes + file downloads of the same document at once (the probe of
               testing/concurrency_probe.py): errors of status 500 and tracebacks in the server log.

The building blocks are the ones the tests assert on (the ``testing`` package), so the figures measure what the
suite checks.
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
import traceback
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
    from testing.crash_trials import crash_trial, prepare

    bench = prepare(work)
    rng = random.Random(20261123)
    interrupted = landed = after_crash = after_recovery = after_resume = 0
    by_stage: dict[str, int] = {}
    problems: list[str] = []
    for index in range(size):
        trial = crash_trial(index, bench, work, rng)
        interrupted += trial.interrupted
        landed += trial.landed
        by_stage[trial.point.stage] = by_stage.get(trial.point.stage, 0) + trial.interrupted
        kind = "update" if index % 2 else "first ingest"
        where = f"{trial.point.stage} #{trial.point.occurrence + 1}"
        if not trial.interrupted:
            problems.append(f"trial {index} ({kind}, {where}): the ingest had finished before the kill (idle trial)")
        for stage, found in (("after the crash", trial.after_crash), ("after recovery", trial.after_recovery),
                             ("after the resume", trial.after_resume)):
            if found:
                problems.append(f"trial {index} ({kind}, {where}) {stage}: {'; '.join(found)}")
        after_crash += not trial.after_crash
        after_recovery += not trial.after_recovery
        after_resume += not trial.after_resume
        clean = trial.interrupted and not (trial.after_crash or trial.after_recovery or trial.after_resume)
        print(f"  kill -9 trial {index + 1}/{size} ({kind}, at {where}"
              f"{'' if trial.landed else ', after the stage had ended'}): {'ok' if clean else problems[-1]}",
              flush=True)
    for problem in problems[:10]:
        print(f"  ! {problem}")
    stages = ", ".join(f"{stage} {count}" for stage, count in sorted(by_stage.items()))
    figures = (f"{size} trials killed at progress points ({stages}); {interrupted}/{size} interrupted a running "
               f"ingest, {landed}/{size} inside the chosen stage; consistent right after the crash (raw) "
               f"{after_crash}/{size}, after recovery {after_recovery}/{size}, after the resume {after_resume}/{size}")
    ok = interrupted == after_crash == after_recovery == after_resume == size
    return Row("kill -9 during ingest, update and delete", figures, ok)


# --- (b) hostile corpus --------------------------------------------------------------------------------------

def hostile_corpus_run(work: Path) -> Row:
    from core.settings import Settings
    from ingest.loaders import load_document
    from ingest.workers import map_isolated
    from testing.consistency import WorkerMemory
    from testing.hostile_files import MEMORY_MB, TIMEOUT_S, hostile_corpus

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

    from testing.consistency import check_library
    from testing.library_sequences import LibrarySequences

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
    from testing.corpus import corpus_env

    print("  ingesting the sample corpus for the fuzz server (OCR limited as in the tests) ...", flush=True)
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", str(PROJECT_ROOT / "documents")],
                            env=corpus_env(data_dir), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"sample corpus ingest failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def fuzz_run(size: int, work: Path, corpus: Path | None) -> Row:
    from testing.fuzzing import fuzz, start_server

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
    from ingest.library import LibraryWriter
    from testing.corpus import make_settings
    from testing.injection_documents import (
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
        with LibraryWriter.open(settings) as library:
            outcomes = library.ingest_paths(sorted((work / "inbox").iterdir()))
        leaks: list[str] = []
        answers = 0
        app = create_app(settings)
        with TestClient(app) as client:
            indexed = [p.text for p in app.state.services.library.store.iter_passages()]
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


def injection_model_run(work: Path) -> Row:
    """The instruction classifier on the held-back part of its set, on the real devset's test part (share of its
    sentences flagged: each one would never be quoted), and 64 paraphrased injection documents end to end."""
    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    import json

    import train_injection

    from ingest.injection import flag_instructions
    from ingest.injection.model import DATA_PATH, InstructionModel
    from testing.injection_paraphrases import run_paraphrases

    rows = [json.loads(line) for line in DATA_PATH.read_text(encoding="utf-8").splitlines()]
    _, held = train_injection.split(rows)
    model = InstructionModel.load()
    rates = train_injection.rates(model.is_instruction([r["text"] for r in held]), [r["label"] for r in held])
    test_flagged, test_sentences = devset_test_flags(flag_instructions)
    baseline = run_paraphrases(work / "off", detector=False)
    defended = run_paraphrases(work / "on")
    for marker in defended.quoted:
        print(f"  ! paraphrased injection {marker} was quoted")
    figures = (f"held back: recall {rates['recall']:.3f} of {rates['positives']} instructions, false positives "
               f"{rates['false_positive_rate']:.3f} of {rates['negatives']}; devset test part: {test_flagged} of "
               f"{test_sentences} sentences flagged; paraphrased injection documents: {len(defended.quoted)} of "
               f"{defended.documents} quoted in {defended.answers} answers (without the check "
               f"{len(baseline.quoted)}), {defended.flagged_at_ingest} flagged in their warnings at ingest")
    return Row("injection classifier", figures, not defended.quoted)


def devset_test_flags(flag: Callable[[str], list]) -> tuple[int, int]:
    """Sentences of the born-digital test-part regulations flagged as instructions, of all their sentences."""
    import json

    from core.settings import Settings
    from ingest.cleaning import clean_pages
    from ingest.injection.detect import MIN_SENTENCE_CHARS, _sentences
    from ingest.loaders import load_document

    split = json.loads((PROJECT_ROOT / "tests" / "devset" / "real" / "split.json").read_text(encoding="utf-8"))
    base = Settings()
    settings = base.model_copy(update={"ocr": base.ocr.model_copy(update={"enabled": False})})
    flagged = total = 0
    for name in split["test"]:
        if "SCAN" in name:
            continue
        text = clean_pages(load_document(PROJECT_ROOT / "tests" / "devset" / "regulations" / name, settings).pages).text
        total += sum(1 for s in _sentences(text) if len(s[2]) >= MIN_SENTENCE_CHARS)
        found = flag(text)
        flagged += len(found)
        for item in found[:3]:
            print(f"  flagged in {name}: {item.text[:120]!r}")
    return flagged, total


def html_visibility_run(work: Path) -> Row:
    from ingest.loaders import load_document
    from ingest.workers import map_isolated
    from testing.corpus import make_settings
    from testing.html_hiding import HIDING_METHODS, PAGE, canary

    folder = work / "html"
    folder.mkdir(parents=True)
    paths = {}
    for i, (name, method) in enumerate(HIDING_METHODS):
        path = folder / f"hidden_{i:02d}.html"
        path.write_text(PAGE.format(body=method.format(c=canary("HIDE", i))), encoding="utf-8")
        paths[path] = (i, name)
    settings = make_settings(work / "data")
    leaked: list[str] = []
    css_leaked: list[str] = []
    css = settings.model_copy(update={"ingest": settings.ingest.model_copy(update={"html_visibility": "css"})})
    for chosen, sink in ((settings, leaked), (css, css_leaked)):
        for path, document in map_isolated(load_document, list(paths), workers=2, timeout_s=120, memory_mb=2048,
                                           args=(chosen,)):
            index, name = paths[path]
            if isinstance(document, BaseException) or canary("HIDE", index) in document.pages[0].text:
                sink.append(name)
    for name in leaked:
        print(f"  ! ingested as visible: {name}")
    figures = (f"{len(leaked)} of {len(HIDING_METHODS)} hiding methods ingested as visible with the browser "
               f"(the CSS rules alone: {len(css_leaked)}: {', '.join(css_leaked)})")
    return Row("hidden HTML text", figures, not leaked)


def limits_run(work: Path) -> Row:
    import httpx

    from testing.corpus import corpus_env
    from testing.servers import api_process, free_port
    from testing.spoofing import SPOOF_ATTEMPTS, spoofing_headers

    data_dir = work / "limits" / "data"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    rate = 6
    env = corpus_env(data_dir, BK_API__PORT=str(free_port()), BK_API__HOST="127.0.0.1",
                     BK_API__RATE_LIMIT_PER_MINUTE=str(rate))
    rng = random.Random(16)
    with api_process(env, work / "limits" / "api.log") as base, httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(rate + 1):
            client.post("/search", json={"query": "SPBE"})
        passed = sum(client.post("/search", json={"query": "SPBE"}, headers=spoofing_headers(rng, i)).status_code
                     != 429 for i in range(SPOOF_ATTEMPTS))
    figures = f"{passed} of {SPOOF_ATTEMPTS} rate-limit bypass attempts through forwarding headers got through"
    return Row("rate limit vs spoofed headers", figures, passed == 0)


def concurrency_run(work: Path, corpus: Path | None) -> Row:
    from testing.concurrency_probe import probe

    data_dir = work / "probe" / "data"
    if corpus is not None:
        shutil.copytree(corpus, data_dir)
    else:
        ingest_sample_corpus(data_dir)
    report = probe(data_dir, work / "probe")
    for failure in report.failures[:10]:
        print(f"  ! {failure}")
    figures = (f"{report.asks} /ask + {report.uploads} uploads + {report.deletes} deletes + {report.downloads} "
               f"downloads of the same document: statuses {dict(sorted(report.statuses.items()))}; "
               f"{report.server_errors} errors of status 500, {report.tracebacks} tracebacks in the server log")
    return Row("concurrency probe", figures, report.server_errors == 0 and report.tracebacks == 0)


# --- the command ---------------------------------------------------------------------------------------------

def print_table(rows: list[Row]) -> None:
    width = max(len(r.part) for r in rows)
    print("\n" + "=" * 100)
    for row in rows:
        print(f"{row.part:<{width}}  {'PASS' if row.ok else 'FAIL'}  {row.figures}")
    print("=" * 100)


PARTS = ("kill9", "hostile", "sequences", "fuzz", "injection", "injection_model", "html", "limits", "concurrency")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100, help="kill -9 trials, state-machine examples and "
                        "fuzz cases per operation (default 100)")
    for part in PARTS:
        parser.add_argument(f"--{part}", action="store_true", help=f"run the {part} part")
    parser.add_argument("--data-dir", type=Path, help="an ingested data folder to copy for the fuzz server")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    chosen = [p for p in PARTS if getattr(args, p)] or list(PARTS)
    work = Path(tempfile.mkdtemp(prefix="bk-reliability-"))
    parts: dict[str, Callable[[], Row]] = {
        "kill9": lambda: kill9_trials(args.size, work / "kill9"),
        "hostile": lambda: hostile_corpus_run(work / "hostile"),
        "sequences": lambda: sequences_run(args.size),
        "fuzz": lambda: fuzz_run(args.size, work, args.data_dir),
        "injection": lambda: injection_run(work / "injection"),
        "injection_model": lambda: injection_model_run(work / "injection-model"),
        "html": lambda: html_visibility_run(work / "html"),
        "limits": lambda: limits_run(work),
        "concurrency": lambda: concurrency_run(work, args.data_dir),
    }
    rows = []
    try:
        for name in chosen:
            print(f"\n--- {name} (size {args.size}) ---", flush=True)
            started = time.monotonic()
            try:
                row = parts[name]()
            except Exception as exc:  # one broken part must not lose the figures of the others
                traceback.print_exc()
                row = Row(name, f"the part itself failed: {type(exc).__name__}: {str(exc)[:200]}", False)
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
