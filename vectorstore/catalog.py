"""The catalog: one SQLite file (``data_dir/catalog.sqlite``) with what the vector store does not hold.

Documents (metadata, clean text, page layout, stored copy), the ingest state machine
(pending → parsed → embedded → committed), the regulation registry (refs, mentions, relations, the units
one regulation amends in another) and regulation outlines. WAL mode lets readers in other processes go on
while one writer commits; every call opens a short-lived connection, so a ``Catalog`` is safe to share
between threads.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import TypeAdapter

from core.types import (
    AmendedUnit,
    CleanDocument,
    DocumentMeta,
    IndicatorRow,
    OutlineNode,
    PageSpan,
    RegulationEntry,
    RegulationRef,
    RegulationRelation,
)

logger = logging.getLogger(__name__)

# Every version only adds tables and indexes (CREATE ... IF NOT EXISTS), so running the whole schema brings
# an older file up to date. 2: regulation_amendments. 4: plan_indicators.
SCHEMA_VERSION = 4
IngestState = Literal["pending", "parsed", "embedded", "committed"]
INGEST_STATES: tuple[IngestState, ...] = ("pending", "parsed", "embedded", "committed")
_RECORD_COLUMNS = "doc_id, path, state, updated_at, error, owner"

_PAGES = TypeAdapter(tuple[PageSpan, ...])
_OUTLINE = TypeAdapter(tuple[OutlineNode, ...])

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    meta TEXT NOT NULL,
    clean_text TEXT NOT NULL,
    pages TEXT NOT NULL,
    source_path TEXT NOT NULL,
    original_path TEXT NOT NULL,
    sha256 TEXT,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_original_path ON documents(original_path);
CREATE TABLE IF NOT EXISTS ingest_records (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'parsed', 'embedded', 'committed')),
    updated_at TEXT NOT NULL,
    error TEXT,
    owner TEXT
);
CREATE TABLE IF NOT EXISTS regulations (
    key TEXT PRIMARY KEY,
    ref TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS regulation_mentions (
    key TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    passage_id TEXT,
    own INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS mentions_key ON regulation_mentions(key);
CREATE INDEX IF NOT EXISTS mentions_doc ON regulation_mentions(doc_id);
CREATE TABLE IF NOT EXISTS regulation_relations (
    kind TEXT NOT NULL,
    source_key TEXT NOT NULL,
    target_key TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    evidence TEXT NOT NULL,
    relation TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS relations_source ON regulation_relations(source_key);
CREATE INDEX IF NOT EXISTS relations_target ON regulation_relations(target_key);
CREATE INDEX IF NOT EXISTS relations_doc ON regulation_relations(doc_id);
CREATE TABLE IF NOT EXISTS regulation_amendments (
    target_key TEXT NOT NULL,
    source_key TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    unit TEXT NOT NULL,
    action TEXT NOT NULL,
    amendment TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS amendments_target ON regulation_amendments(target_key);
CREATE INDEX IF NOT EXISTS amendments_source ON regulation_amendments(source_key);
CREATE INDEX IF NOT EXISTS amendments_doc ON regulation_amendments(doc_id);
CREATE TABLE IF NOT EXISTS outlines (
    doc_id TEXT PRIMARY KEY,
    outline TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plan_indicators (
    row_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    plan_key TEXT NOT NULL,
    page INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    agency TEXT,
    years TEXT NOT NULL,
    row TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS indicators_doc ON plan_indicators(doc_id);
CREATE INDEX IF NOT EXISTS indicators_plan ON plan_indicators(plan_key);
"""


@dataclass(frozen=True)
class IngestRecord:
    doc_id: str
    path: str
    state: IngestState
    updated_at: str
    error: str | None = None
    owner: str | None = None  # "host:pid" of the process writing it, so another writer leaves it alone


class Amendment(NamedTuple):
    """A unit one regulation (``source``, the amending one) changes in another (``change.target``), with the
    document it was read from."""

    change: AmendedUnit
    source: RegulationRef
    doc_id: str


class AmendmentsOf(NamedTuple):
    """The changes a regulation makes to others (``made``) and those made to it (``received``)."""

    made: list[Amendment]
    received: list[Amendment]


class RelationsOf(NamedTuple):
    """Edges of one regulation, each with the document it was read from."""

    outgoing: list[tuple[RegulationRelation, str]]
    incoming: list[tuple[RegulationRelation, str]]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _richer(a: RegulationRef, b: RegulationRef) -> RegulationRef:
    """Of two mentions with one key, keep the one that says more (subject, region name), and of two subjects
    the one written in normal case over a shouted one copied from a title block ("FORUM SATU DATA ...")."""
    def score(r: RegulationRef) -> tuple[bool, bool, bool]:
        return (r.subject is not None, r.subject is not None and not r.subject.isupper(), r.region_name is not None)

    return b if score(b) > score(a) else a


def _own_first(own: RegulationRef, other: RegulationRef) -> RegulationRef:
    """A regulation's own title block is its identity; a mention elsewhere only fills what the title lacks."""
    missing = {name: getattr(other, name) for name in ("subject", "region_name") if getattr(own, name) is None}
    return own.model_copy(update={k: v for k, v in missing.items() if v is not None})


Ident = tuple[str, str | None, str, int | None]


def _fold(
    entries: Sequence[RegulationEntry],
    ident: Callable[[RegulationRef], Ident],
    partial: Callable[[RegulationRef], bool],
) -> list[RegulationEntry]:
    """Fold each ``partial`` entry into the one complete entry with the same ``ident``; with none or several
    candidates the partial entry stays apart, since guessing would be wrong half the time."""
    complete: dict[Ident, list[int]] = {}
    for i, entry in enumerate(entries):
        if not partial(entry.ref):
            complete.setdefault(ident(entry.ref), []).append(i)
    folded: dict[int, list[RegulationEntry]] = {}
    gone: set[int] = set()
    for i, entry in enumerate(entries):
        candidates = complete.get(ident(entry.ref), [])
        if partial(entry.ref) and len(candidates) == 1:
            folded.setdefault(candidates[0], []).append(entry)
            gone.add(i)
    return [_absorb(entry, folded.get(i, [])) for i, entry in enumerate(entries) if i not in gone]


def _absorb(entry: RegulationEntry, parts: Sequence[RegulationEntry]) -> RegulationEntry:
    occurrences = [*entry.occurrences, *(o for part in parts for o in part.occurrences)]
    aliases = (*entry.aliases, *(key for part in parts for key in (part.ref.key, *part.aliases)))
    return RegulationEntry(entry.ref, occurrences, aliases)


def merge_regional(entries: Sequence[RegulationEntry]) -> list[RegulationEntry]:
    """A ref without ``region_code`` is folded into the single ref *with* one of the same instrument, number
    and year (two cities' Perwali 5/2020 keep a regionless mention apart)."""
    return _fold(entries, lambda r: (r.instrument.lower(), None, r.number.lower(), r.year),
                 lambda r: r.region_code is None)


def merge_yearless(entries: Sequence[RegulationEntry]) -> list[RegulationEntry]:
    """A ref whose source omits the year ("Permendagri Nomor 90") is folded into the single ref of the same
    instrument, region and number that has one (Permendagri 90/2019); the yearless key stays stored."""
    return _fold(entries, lambda r: (r.instrument.lower(), r.region_code, r.number.lower(), None),
                 lambda r: r.year is None)


def _add_owner(conn: sqlite3.Connection) -> str:
    """The statement giving a version-2 ``ingest_records`` its ``owner`` column (none when it has one)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(ingest_records)")}
    return "ALTER TABLE ingest_records ADD COLUMN owner TEXT;" if columns and "owner" not in columns else ""


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Catalog:
        return cls(Path(data_dir) / "catalog.sqlite")

    def close(self) -> None:
        """Nothing to release (every call opens and closes its own connection); kept for symmetry."""

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One short transaction: committed on success, rolled back on error, connection closed."""
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _migrate(self) -> None:
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            # journal_mode is persistent in the file; WAL lets readers run while a writer commits.
            conn.execute("PRAGMA journal_mode = WAL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has catalog schema {version}, newer than this program's {SCHEMA_VERSION}; "
                    "upgrade banding-kota"
                )
            if version < SCHEMA_VERSION:
                upgrade = _add_owner(conn)  # read before the schema script creates a fresh table with it
                conn.executescript(f"BEGIN; {_SCHEMA} {upgrade} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        finally:
            conn.close()

    # --- documents ----------------------------------------------------------------------------

    def put_document(
        self,
        meta: DocumentMeta,
        clean: CleanDocument,
        source_path: str,
        original_path: str,
        sha256: str | None = None,
    ) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    meta.doc_id,
                    meta.model_dump_json(),
                    clean.text,
                    _PAGES.dump_json(clean.pages).decode(),
                    source_path,
                    original_path,
                    sha256,
                    _now(),
                ),
            )

    def get_document(self, doc_id: str) -> DocumentMeta | None:
        with self._tx() as conn:
            row = conn.execute("SELECT meta FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return DocumentMeta.model_validate_json(row[0]) if row else None

    def get_clean(self, doc_id: str) -> CleanDocument | None:
        with self._tx() as conn:
            row = conn.execute("SELECT clean_text, pages FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return CleanDocument(text=row[0], pages=_PAGES.validate_json(row[1])) if row else None

    def get_paths(self, doc_id: str) -> tuple[str, str] | None:
        """(stored copy, original path) of a document."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT source_path, original_path FROM documents WHERE doc_id = ?", (doc_id,)
            ).fetchone()
        return (row[0], row[1]) if row else None

    def list_documents(self) -> list[DocumentMeta]:
        with self._tx() as conn:
            rows = conn.execute("SELECT meta FROM documents ORDER BY ingested_at, doc_id").fetchall()
        return [DocumentMeta.model_validate_json(r[0]) for r in rows]

    def find_by_original_path(self, path: str | Path) -> DocumentMeta | None:
        """The most recently ingested document that came from ``path``."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT meta FROM documents WHERE original_path = ? ORDER BY ingested_at DESC LIMIT 1",
                (str(path),),
            ).fetchone()
        return DocumentMeta.model_validate_json(row[0]) if row else None

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything hanging off it; regulations left unreferenced go too."""
        with self._tx() as conn:
            deleted = conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount
            self._delete_regulation_rows(conn, doc_id)
            conn.execute("DELETE FROM plan_indicators WHERE doc_id = ?", (doc_id,))
            conn.execute("DELETE FROM ingest_records WHERE doc_id = ?", (doc_id,))
        return bool(deleted)

    @staticmethod
    def _delete_regulation_rows(conn: sqlite3.Connection, doc_id: str) -> None:
        conn.execute("DELETE FROM regulation_mentions WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM regulation_relations WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM regulation_amendments WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM outlines WHERE doc_id = ?", (doc_id,))
        conn.execute(
            "DELETE FROM regulations WHERE key NOT IN (SELECT key FROM regulation_mentions) "
            "AND key NOT IN (SELECT source_key FROM regulation_relations) "
            "AND key NOT IN (SELECT target_key FROM regulation_relations) "
            "AND key NOT IN (SELECT target_key FROM regulation_amendments)"
        )

    # --- plans --------------------------------------------------------------------------------

    def put_indicators(self, doc_id: str, rows: Sequence[IndicatorRow]) -> None:
        """Replace a plan document's indicator rows."""
        with self._tx() as conn:
            conn.execute("DELETE FROM plan_indicators WHERE doc_id = ?", (doc_id,))
            conn.executemany(
                "INSERT OR REPLACE INTO plan_indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.row_id, doc_id, r.plan_key, r.page, r.indicator, r.agency, _years(r), r.model_dump_json())
                 for r in rows],
            )

    def indicators(
        self,
        plan_key: str | None = None,
        *,
        text: str | None = None,
        year: int | None = None,
        agency: str | None = None,
        doc_id: str | None = None,
    ) -> list[IndicatorRow]:
        """Indicator rows in page order, filtered by plan, words of the indicator (each must occur, any case),
        a year with a value (target, baseline or realisation) and the responsible agency (substring)."""
        clauses, params = [], []
        for column, value in (("plan_key", plan_key), ("doc_id", doc_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        for word in (text or "").split():
            clauses.append("indicator LIKE ?")
            params.append(f"%{word}%")
        if year is not None:
            clauses.append("years LIKE ?")
            params.append(f"%,{year},%")
        if agency:
            clauses.append("agency LIKE ?")
            params.append(f"%{agency}%")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._tx() as conn:
            rows = conn.execute(f"SELECT row FROM plan_indicators {where} ORDER BY doc_id, page, rowid",
                                params).fetchall()
        return [IndicatorRow.model_validate_json(r[0]) for r in rows]

    def indicator_counts(self) -> dict[str, int]:
        """Indicator rows per plan document."""
        with self._tx() as conn:
            rows = conn.execute("SELECT doc_id, COUNT(*) FROM plan_indicators GROUP BY doc_id").fetchall()
        return {doc_id: n for doc_id, n in rows}

    # --- ingest records -----------------------------------------------------------------------

    def set_ingest_state(
        self, doc_id: str, path: str | Path, state: IngestState, error: str | None = None, owner: str | None = None
    ) -> None:
        if state not in INGEST_STATES:
            raise ValueError(f"unknown ingest state {state!r}")
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO ingest_records (doc_id, path, state, updated_at, error, owner) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, str(path), state, _now(), error, owner),
            )

    def get_ingest_record(self, doc_id: str) -> IngestRecord | None:
        with self._tx() as conn:
            query = f"SELECT {_RECORD_COLUMNS} FROM ingest_records WHERE doc_id = ?"
            row = conn.execute(query, (doc_id,)).fetchone()
        return IngestRecord(*row) if row else None

    def ingest_state(self, doc_id: str) -> IngestState | None:
        record = self.get_ingest_record(doc_id)
        return record.state if record else None

    def unfinished_ingests(self) -> list[IngestRecord]:
        """Records that never reached ``committed`` (a crash or kill mid-ingest): to redo or clean up."""
        with self._tx() as conn:
            rows = conn.execute(
                f"SELECT {_RECORD_COLUMNS} FROM ingest_records WHERE state != 'committed' ORDER BY updated_at"
            ).fetchall()
        return [IngestRecord(*r) for r in rows]

    # --- regulations --------------------------------------------------------------------------

    def put_regulations(
        self,
        doc_id: str,
        mentions: Sequence[tuple[RegulationRef, str]],
        own: RegulationRef | None,
        relations: Sequence[RegulationRelation],
        outline: Sequence[OutlineNode] = (),
        amendments: Sequence[AmendedUnit] = (),
    ) -> None:
        """Replace a document's regulation rows: mentions (ref, passage id), its own identity, relations,
        outline and, for an amending regulation (``own``), the units it changes."""
        with self._tx() as conn:
            self._delete_regulation_rows(conn, doc_id)
            refs = [m[0] for m in mentions] + [r.source for r in relations] + [r.target for r in relations]
            refs += [a.target for a in amendments]
            for ref in refs:
                self._upsert_ref(conn, ref)
            if own:
                self._put_own_ref(conn, own)
            conn.executemany(
                "INSERT INTO regulation_mentions VALUES (?, ?, ?, 0)", [(r.key, doc_id, pid) for r, pid in mentions]
            )
            if own:
                conn.execute("INSERT INTO regulation_mentions VALUES (?, ?, NULL, 1)", (own.key, doc_id))
            conn.executemany(
                "INSERT INTO regulation_relations VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (r.kind, r.source.key, r.target.key, doc_id, r.evidence, r.model_dump_json())
                    for r in relations
                ],
            )
            if outline:
                conn.execute(
                    "INSERT INTO outlines VALUES (?, ?)", (doc_id, _OUTLINE.dump_json(tuple(outline)).decode())
                )
            if own:
                conn.executemany(
                    "INSERT INTO regulation_amendments VALUES (?, ?, ?, ?, ?, ?)",
                    [(a.target.key, own.key, doc_id, a.unit, a.action, a.model_dump_json()) for a in amendments],
                )

    @staticmethod
    def _stored_ref(conn: sqlite3.Connection, key: str) -> RegulationRef | None:
        row = conn.execute("SELECT ref FROM regulations WHERE key = ?", (key,)).fetchone()
        return RegulationRef.model_validate_json(row[0]) if row else None

    @classmethod
    def _upsert_ref(cls, conn: sqlite3.Connection, ref: RegulationRef) -> None:
        """Register a mention; once a document that *is* the regulation is stored, its title block stays."""
        stored = cls._stored_ref(conn, ref.key)
        if stored is None:
            best = ref
        elif conn.execute("SELECT 1 FROM regulation_mentions WHERE key = ? AND own = 1", (ref.key,)).fetchone():
            best = _own_first(stored, ref)
        else:
            best = _richer(stored, ref)
        conn.execute("INSERT OR REPLACE INTO regulations VALUES (?, ?)", (ref.key, best.model_dump_json()))

    @classmethod
    def _put_own_ref(cls, conn: sqlite3.Connection, own: RegulationRef) -> None:
        stored = cls._stored_ref(conn, own.key)
        best = _own_first(own, stored) if stored else own
        conn.execute("INSERT OR REPLACE INTO regulations VALUES (?, ?)", (own.key, best.model_dump_json()))

    def list_regulations(
        self, city: str | None = None, instrument: str | None = None, year: int | None = None
    ) -> list[RegulationEntry]:
        """Known regulations, de-duplicated (:func:`merge_yearless`, then :func:`merge_regional`), filtered by
        issuing region (code or official name), instrument and year."""
        with self._tx() as conn:
            stored = conn.execute("SELECT key, ref FROM regulations").fetchall()
            rows = conn.execute(
                "SELECT key, doc_id, passage_id FROM regulation_mentions ORDER BY doc_id, passage_id"
            ).fetchall()
        refs = {key: RegulationRef.model_validate_json(ref) for key, ref in stored}
        occurrences: dict[str, list[tuple[str, str | None]]] = {k: [] for k in refs}
        for key, doc_id, passage_id in rows:
            occurrences.setdefault(key, []).append((doc_id, passage_id))
        entries = merge_regional(merge_yearless([RegulationEntry(refs[k], occurrences[k]) for k in sorted(refs)]))
        return [e for e in entries if _matches(e.ref, city, instrument, year)]

    def get_regulation(self, key: str) -> RegulationRef | None:
        with self._tx() as conn:
            row = conn.execute("SELECT ref FROM regulations WHERE key = ?", (key.lower(),)).fetchone()
        return RegulationRef.model_validate_json(row[0]) if row else None

    def relations_of(self, key: str) -> RelationsOf:
        key = key.lower()
        with self._tx() as conn:
            out = conn.execute("SELECT relation, doc_id FROM regulation_relations WHERE source_key = ?", (key,))
            outgoing = [(RegulationRelation.model_validate_json(j), d) for j, d in out.fetchall()]
            inc = conn.execute("SELECT relation, doc_id FROM regulation_relations WHERE target_key = ?", (key,))
            incoming = [(RegulationRelation.model_validate_json(j), d) for j, d in inc.fetchall()]
        return RelationsOf(outgoing, incoming)

    def amendment_keys(self) -> set[str]:
        """Every regulation that amends another or is amended, as recorded."""
        with self._tx() as conn:
            rows = conn.execute("SELECT source_key, target_key FROM regulation_amendments").fetchall()
        return {key for row in rows for key in row}

    def amendments_of(self, key: str) -> AmendmentsOf:
        """What the regulation ``key`` changes in others and what others change in it, in text order."""
        key = key.lower()
        query = ("SELECT a.amendment, r.ref, a.doc_id FROM regulation_amendments a "
                 "JOIN regulations r ON r.key = a.source_key WHERE a.{} = ? ORDER BY a.rowid")
        with self._tx() as conn:
            made = conn.execute(query.format("source_key"), (key,)).fetchall()
            received = conn.execute(query.format("target_key"), (key,)).fetchall()
        return AmendmentsOf(_amendments(made), _amendments(received))

    def get_outline(self, doc_id: str) -> tuple[OutlineNode, ...]:
        with self._tx() as conn:
            row = conn.execute("SELECT outline FROM outlines WHERE doc_id = ?", (doc_id,)).fetchone()
        return _OUTLINE.validate_json(row[0]) if row else ()

    def stats(self) -> dict[str, object]:
        with self._tx() as conn:
            count = lambda table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
            by_type: dict[str, int] = {}
            for (meta,) in conn.execute("SELECT meta FROM documents"):
                doc_type = json.loads(meta).get("doc_type", "other")
                by_type[doc_type] = by_type.get(doc_type, 0) + 1
            return {
                "documents": count("documents"),
                "documents_by_type": by_type,
                "regulations": count("regulations"),
                "regulation_mentions": count("regulation_mentions"),
                "regulation_relations": count("regulation_relations"),
                "regulation_amendments": count("regulation_amendments"),
                "outlines": count("outlines"),
                "unfinished_ingests": conn.execute(
                    "SELECT COUNT(*) FROM ingest_records WHERE state != 'committed'"
                ).fetchone()[0],
                "schema_version": conn.execute("PRAGMA user_version").fetchone()[0],
            }


def _years(row: IndicatorRow) -> str:
    """The years a row has a value for, as ',2017,2018,' so that one LIKE finds a year."""
    values = [row.baseline, *row.targets, *row.actuals]
    years = sorted({v.year for v in values if v is not None and v.year is not None})
    return "," + ",".join(str(y) for y in years) + ","


def _amendments(rows: Sequence[tuple[str, str, str]]) -> list[Amendment]:
    return [Amendment(AmendedUnit.model_validate_json(change), RegulationRef.model_validate_json(source), doc_id)
            for change, source, doc_id in rows]


def _matches(ref: RegulationRef, city: str | None, instrument: str | None, year: int | None) -> bool:
    if instrument and ref.instrument.lower() != instrument.lower():
        return False
    if year is not None and ref.year != year:
        return False
    if city:
        wanted = city.lower()
        names = {(ref.region_code or "").lower(), (ref.region_name or "").lower()}
        if wanted not in names:
            return False
    return True
