"""Checks shared by the reliability tests and `scripts/reliability.py`: is a data folder consistent?

They read what is stored, never what the Library makes of it: opening a Library as the writer rolls back
unfinished ingests first, and its ``lexical`` property rebuilds the index whenever it differs from the store,
so a check made through either would only ever see the repaired state. Here the store's passages are
listed as stored (a list, so a passage kept twice counts twice), the lexical index is the one saved on
disk, and the catalog's registry rows and the stored files are read as they are.

``settled=False`` is the state right after a crash: documents whose ingest never reached ``committed`` may
be half-written (recovery rolls them back); everything committed must already be whole.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from sqlalchemy import inspect, text

from vectorstore.catalog import Catalog
from vectorstore.lexical import LexicalIndex
from vectorstore.library import Library

LEXICAL_DIRNAME = "lexical"  # Library._lexical_dir
FILES_DIRNAME = "files"  # where LibraryWriter._commit stores the originals


@dataclass
class Consistency:
    documents: int = 0
    passages: int = 0
    duplicates: int = 0
    orphans: int = 0
    missing: int = 0
    lexical_mismatch: int = 0
    orphan_files: int = 0
    orphan_rows: int = 0
    unfinished: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_data_dir(data_dir: Path, *, settled: bool = True, lexical: bool = True) -> Consistency:
    """Check a data folder without repairing it: opened read-only, so no recovery runs first."""
    from testing.corpus import make_settings

    settings = make_settings(data_dir)
    if not settings.store.database_url and not (data_dir / "catalog.sqlite").exists():
        return Consistency()
    with Library.open(settings) as library:
        return check_library(library, settled=settled, lexical=lexical)


def check_library(library: Library, *, settled: bool = True, lexical: bool = True) -> Consistency:
    """Every committed document has exactly its passages, its stored file and nothing doubled; nothing is
    stored for a document the catalog does not hold (registry rows and files included); when settled, no ingest
    is unfinished and (with ``lexical``) the lexical index on disk holds exactly the store's passage ids."""
    data_dir = library.settings.store.data_dir
    report = Consistency()
    docs = {d.doc_id: d for d in library.catalog.list_documents()}
    unfinished = {r.doc_id for r in library.catalog.unfinished_ingests()}
    report.documents, report.unfinished = len(docs), sorted(unfinished)
    passages = list(library.store.iter_passages())
    ids = [p.passage_id for p in passages]
    report.passages = len(ids)
    positions = Counter((p.doc_id, p.index) for p in passages)
    by_doc = Counter(p.doc_id for p in passages)
    whole = {doc_id: d for doc_id, d in docs.items() if doc_id not in unfinished}
    tolerated = unfinished if not settled else set()

    copies = Counter(paths[1] for paths in map(library.catalog.get_paths, docs) if paths)
    report.duplicates = (len(ids) - len(set(ids)) + sum(n - 1 for n in positions.values() if n > 1)
                         + sum(n - 1 for n in copies.values() if n > 1))
    _problem(report, report.duplicates, "passages or documents stored twice (ids, positions or original paths)")
    report.orphans = sum(n for doc_id, n in by_doc.items() if doc_id not in docs and doc_id not in tolerated)
    _problem(report, report.orphans, "orphan passages (no catalog document)")
    wrong = sorted(doc_id for doc_id, d in whole.items() if by_doc.get(doc_id, 0) != d.passage_count)
    report.missing = sum(max(0, whole[d].passage_count - by_doc.get(d, 0)) for d in wrong)
    if wrong:
        report.problems.append(f"passage counts differ for {wrong}")
    absent = sorted(doc_id for doc_id, d in whole.items() if not (data_dir / d.source).is_file())
    if absent:
        report.problems.append(f"stored files missing for {absent}")
    report.orphan_files = len(_orphan_files(data_dir, set(docs) | tolerated))
    _problem(report, report.orphan_files, "stored files without a catalog document")
    orphan_rows = _orphan_registry_rows(library.catalog, tolerated)
    report.orphan_rows = sum(orphan_rows.values())
    for table, n in orphan_rows.items():
        _problem(report, n, f"{table} rows without a document")
    if settled and unfinished:
        report.problems.append(f"unfinished ingest records: {sorted(unfinished)}")
    if settled and lexical:
        report.lexical_mismatch = _lexical_mismatch(library, set(ids), report)
    return report


def _problem(report: Consistency, count: int, what: str) -> None:
    if count:
        report.problems.append(f"{count} {what}")


def _orphan_files(data_dir: Path, doc_ids: set[str]) -> list[Path]:
    folder = data_dir / FILES_DIRNAME
    return [p for p in folder.iterdir() if p.stem not in doc_ids] if folder.is_dir() else []


def _orphan_registry_rows(catalog: Catalog, tolerated: set[str]) -> dict[str, int]:
    """Rows of every registry table (any table with a ``doc_id``) hanging off no stored document, and
    regulations no row refers to any more; read straight from the catalog's database (SQLite or PostgreSQL),
    its tables as they are rather than as the code declares them."""
    with catalog.engine.connect() as conn:
        inspector = inspect(conn)
        tables = set(inspector.get_table_names())
        columns = {t: {c["name"] for c in inspector.get_columns(t)} for t in tables}
        counts: dict[str, int] = {}
        references = []
        for table in sorted(tables):
            if table in ("documents", "ingest_records", "regulations"):
                continue
            if "doc_id" in columns[table]:
                orphans = f"SELECT doc_id FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
                rows = conn.execute(text(orphans))
                counts[table] = sum(1 for (doc_id,) in rows if doc_id not in tolerated)
            references += [f"SELECT {c} FROM {table}" for c in ("key", "source_key", "target_key")
                           if c in columns[table]]
        if "regulations" in tables and references and not tolerated:
            unused = " AND ".join(f"key NOT IN ({query})" for query in references)
            counts["regulations"] = conn.execute(text(f"SELECT COUNT(*) FROM regulations WHERE {unused}")).scalar_one()
        return counts


def _lexical_mismatch(library: Library, store_ids: set[str], report: Consistency) -> int:
    """Passage ids in one of the store and the lexical index (on disk, or in the database) but not the other."""
    if library.settings.store.lexical == "postgres":
        return _ids_mismatch(library.lexical.ids, store_ids, report)
    folder = library.settings.store.data_dir / LEXICAL_DIRNAME
    if not folder.exists():
        if store_ids:
            report.problems.append(f"no lexical index saved for {len(store_ids)} passages")
        return len(store_ids)
    try:
        saved = LexicalIndex.load(folder).ids
    except (OSError, ValueError) as exc:
        report.problems.append(f"the saved lexical index cannot be read ({exc})")
        return len(store_ids)
    return _ids_mismatch(saved, store_ids, report)


def _ids_mismatch(saved: list[str], store_ids: set[str], report: Consistency) -> int:
    mismatch = len(set(saved) ^ store_ids) + len(saved) - len(set(saved))
    _problem(report, mismatch, "ids differ between the saved lexical index and the store")
    return mismatch


class WorkerMemory:
    """Samples the resident memory of the parse children (children of this process's own fork server) every few
    milliseconds; with one worker at a time, the peak belongs to the file being parsed. A sampler can miss a
    spike shorter than its interval: the workers do not report their own peak. Other descendants (the test
    session's background devset ingest, an API server, and their own fork servers' children) are not sampled."""

    def __init__(self, interval_s: float = 0.02) -> None:
        self.interval_s = interval_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for server in me.children():
                # Each process is read on its own: a finished child not yet reaped (the session's background
                # devset ingest, once it is done) raises on every read and must not hide the workers.
                try:
                    if "forkserver" not in " ".join(server.cmdline()):
                        continue
                    workers = server.children()
                except psutil.Error:
                    continue
                for child in workers:
                    try:
                        self.peak_mb = max(self.peak_mb, child.memory_info().rss / 2**20)
                    except psutil.Error:
                        continue  # it ended between listing and reading
            time.sleep(self.interval_s)

    def reset(self) -> float:
        peak, self.peak_mb = self.peak_mb, 0.0
        return peak

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
