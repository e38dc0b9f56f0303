"""The catalog: what the vector store does not hold, in SQLite (``data_dir/catalog.sqlite``, the embedded default)
or PostgreSQL (``BK_STORE__DATABASE_URL``, shared by API replicas and workers on several machines).

Documents (metadata, clean text, page layout, stored copy), the ingest state machine
(pending → parsed → embedded → committed), the regulation registry (refs, mentions, relations, the units
one regulation amends in another), regulation outlines and plan indicator rows. Every call is one transaction;
the tables are declared in ``catalog_schema.py``, the connection, locking and migrations live in
``catalog_db.py``. A ``Catalog`` is safe to share between threads; a process forked from one that used it
opens connections of its own.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import TypeAdapter
from sqlalchemy import Connection, Table, delete, exists, func, insert, or_, select, update

from core.settings import StoreSettings
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
from vectorstore.catalog_db import (
    SQLITE_FILENAME,
    catalog_url,
    create_catalog_engine,
    describe,
    ensure_schema,
    is_postgres,
    lock_for_writers,
    schema_version,
    sqlite_url,
    transaction,
    upsert,
)
from vectorstore.catalog_schema import (
    SCHEMA_VERSION,
    documents,
    ingest_records,
    outlines,
    plan_indicators,
    regulation_amendments,
    regulation_mentions,
    regulation_relations,
    regulations,
)
from vectorstore.registry_merge import matches, merge_regional, merge_yearless, own_first, richer

logger = logging.getLogger(__name__)

__all__ = ["SCHEMA_VERSION", "INGEST_STATES", "Amendment", "AmendmentsOf", "Catalog", "IngestRecord", "IngestState",
           "RelationsOf"]

IngestState = Literal["pending", "parsed", "embedded", "committed"]
INGEST_STATES: tuple[IngestState, ...] = ("pending", "parsed", "embedded", "committed")
# Keys per IN (...) list: SQLite builds before 3.32 allow 999 bound values in a statement.
_CHUNK = 500

_PAGES = TypeAdapter(tuple[PageSpan, ...])
_OUTLINE = TypeAdapter(tuple[OutlineNode, ...])
_RECORD_COLUMNS = tuple(ingest_records.c[name] for name in ("doc_id", "path", "state", "updated_at", "error", "owner"))


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


def _chunks(keys: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def _insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if rows:  # an empty parameter list would run the INSERT once, with no values
        conn.execute(insert(table), list(rows))


class Catalog:
    def __init__(self, location: Path | str) -> None:
        """``location``: a SQLite file, or a database URL (``postgresql+psycopg://user:password@host/db``). The
        schema is created or brought up to date (``catalog_db.ensure_schema``)."""
        url = str(location) if "://" in str(location) else sqlite_url(location)
        self.engine = create_catalog_engine(url)
        # The SQLite file (None on PostgreSQL): the tests and the crash trials look at it directly.
        self.path: Path | None = None if is_postgres(self.engine) else Path(self.engine.url.database or "")
        self._pid = os.getpid()
        try:
            self.found_version = ensure_schema(self.engine)  # the schema found on opening (0: none)
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Catalog:
        return cls(Path(data_dir) / SQLITE_FILENAME)

    @classmethod
    def for_settings(cls, store: StoreSettings) -> Catalog:
        """The catalog ``BK_STORE__DATABASE_URL`` names, else the SQLite file in the data folder."""
        return cls(catalog_url(store))

    @property
    def url(self) -> str:
        """Where the catalog is, without a password."""
        return describe(self.engine)

    def close(self) -> None:
        """Close the pooled connections; a later call opens new ones."""
        self.engine.dispose()

    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction (see ``catalog_db.transaction``)."""
        if os.getpid() != self._pid:
            # A forked child must not talk over its parent's pooled sockets: it drops them unclosed and connects anew.
            self.engine.dispose(close=False)
            self._pid = os.getpid()
        with transaction(self.engine, write=write) as conn:
            yield conn

    # --- documents ----------------------------------------------------------------------------

    def put_document(
        self,
        meta: DocumentMeta,
        clean: CleanDocument,
        source_path: str,
        original_path: str,
        sha256: str | None = None,
    ) -> None:
        row = {"doc_id": meta.doc_id, "meta": meta.model_dump_json(), "clean_text": clean.text,
               "pages": _PAGES.dump_json(clean.pages).decode(), "source_path": source_path,
               "original_path": original_path, "sha256": sha256, "ingested_at": _now()}
        with self._tx(write=True) as conn:
            upsert(conn, documents, [row], ["doc_id"])

    def get_document(self, doc_id: str) -> DocumentMeta | None:
        with self._tx() as conn:
            meta = conn.execute(select(documents.c.meta).where(documents.c.doc_id == doc_id)).scalar()
        return DocumentMeta.model_validate_json(meta) if meta is not None else None

    def get_clean(self, doc_id: str) -> CleanDocument | None:
        with self._tx() as conn:
            row = conn.execute(select(documents.c.clean_text, documents.c.pages)
                               .where(documents.c.doc_id == doc_id)).first()
        return CleanDocument(text=row[0], pages=_PAGES.validate_json(row[1])) if row else None

    def get_paths(self, doc_id: str) -> tuple[str, str] | None:
        """(stored copy, original path) of a document."""
        with self._tx() as conn:
            row = conn.execute(select(documents.c.source_path, documents.c.original_path)
                               .where(documents.c.doc_id == doc_id)).first()
        return (row[0], row[1]) if row else None

    def list_documents(self) -> list[DocumentMeta]:
        with self._tx() as conn:
            metas = conn.execute(select(documents.c.meta)
                                 .order_by(documents.c.ingested_at, documents.c.doc_id)).scalars().all()
        return [DocumentMeta.model_validate_json(m) for m in metas]

    def set_embedding_model(self, model_id: str) -> int:
        """Record that every document's passages are now embedded by ``model_id`` (``banding-kota reembed``);
        how many documents changed."""
        with self._tx(write=True) as conn:
            rows = conn.execute(select(documents.c.doc_id, documents.c.meta)).all()
            changed = [(doc_id, DocumentMeta.model_validate_json(meta)) for doc_id, meta in rows]
            changed = [(d, m) for d, m in changed if m.embedding_model != model_id]
            for doc_id, meta in changed:
                conn.execute(update(documents).where(documents.c.doc_id == doc_id).values(
                    meta=meta.model_copy(update={"embedding_model": model_id}).model_dump_json()))
        return len(changed)

    def find_by_original_path(self, path: str | Path) -> DocumentMeta | None:
        """The most recently ingested document that came from ``path``."""
        with self._tx() as conn:
            meta = conn.execute(select(documents.c.meta).where(documents.c.original_path == str(path))
                                .order_by(documents.c.ingested_at.desc()).limit(1)).scalar()
        return DocumentMeta.model_validate_json(meta) if meta is not None else None

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything hanging off it, in one transaction; regulations left unreferenced go
        too."""
        with self._tx(write=True) as conn:
            lock_for_writers(conn)
            deleted = conn.execute(delete(documents).where(documents.c.doc_id == doc_id)).rowcount
            self._delete_regulation_rows(conn, doc_id)
            conn.execute(delete(plan_indicators).where(plan_indicators.c.doc_id == doc_id))
            conn.execute(delete(ingest_records).where(ingest_records.c.doc_id == doc_id))
        return bool(deleted)

    @staticmethod
    def _delete_regulation_rows(conn: Connection, doc_id: str) -> None:
        """A document's registry rows, and the regulations only they referred to (looked up by key, so that a
        delete costs the same in a registry of millions of rows)."""
        mention = regulation_mentions.c
        keys = set(conn.execute(select(mention.key).where(mention.doc_id == doc_id)).scalars())
        for table in (regulation_relations, regulation_amendments):
            for source, target in conn.execute(select(table.c.source_key, table.c.target_key)
                                               .where(table.c.doc_id == doc_id)):
                keys.update((source, target))
        for table in (regulation_mentions, regulation_relations, regulation_amendments, outlines):
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
        key = regulations.c.key
        referenced = or_(exists().where(mention.key == key), exists().where(regulation_relations.c.source_key == key),
                         exists().where(regulation_relations.c.target_key == key),
                         exists().where(regulation_amendments.c.target_key == key))
        for chunk in _chunks(keys):
            conn.execute(delete(regulations).where(key.in_(chunk), ~referenced))

    # --- plans --------------------------------------------------------------------------------

    def put_indicators(self, doc_id: str, rows: Sequence[IndicatorRow]) -> None:
        """Replace a plan document's indicator rows."""
        with self._tx(write=True) as conn:
            lock_for_writers(conn)
            conn.execute(delete(plan_indicators).where(plan_indicators.c.doc_id == doc_id))
            upsert(conn, plan_indicators, [
                {"row_id": r.row_id, "doc_id": doc_id, "plan_key": r.plan_key, "page": r.page,
                 "indicator": r.indicator, "agency": r.agency, "years": _years(r), "row": r.model_dump_json(),
                 "ordinal": i}
                for i, r in enumerate(rows)
            ], ["row_id"])

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
        c = plan_indicators.c
        query = select(c.row).order_by(c.doc_id, c.page, c.ordinal)
        if plan_key is not None:
            query = query.where(c.plan_key == plan_key)
        if doc_id is not None:
            query = query.where(c.doc_id == doc_id)
        for word in (text or "").split():
            query = query.where(c.indicator.icontains(word, autoescape=True))
        if year is not None:
            query = query.where(c.years.contains(f",{year},"))
        if agency:
            query = query.where(c.agency.icontains(agency, autoescape=True))
        with self._tx() as conn:
            rows = conn.execute(query).scalars().all()
        return [IndicatorRow.model_validate_json(r) for r in rows]

    def indicator_counts(self) -> dict[str, int]:
        """Indicator rows per plan document."""
        with self._tx() as conn:
            rows = conn.execute(select(plan_indicators.c.doc_id, func.count()).group_by(plan_indicators.c.doc_id)).all()
        return {doc_id: n for doc_id, n in rows}

    # --- ingest records -----------------------------------------------------------------------

    def set_ingest_state(
        self, doc_id: str, path: str | Path, state: IngestState, error: str | None = None, owner: str | None = None
    ) -> None:
        if state not in INGEST_STATES:
            raise ValueError(f"unknown ingest state {state!r}")
        row = {"doc_id": doc_id, "path": str(path), "state": state, "updated_at": _now(), "error": error,
               "owner": owner}
        with self._tx(write=True) as conn:
            upsert(conn, ingest_records, [row], ["doc_id"])

    def get_ingest_record(self, doc_id: str) -> IngestRecord | None:
        with self._tx() as conn:
            row = conn.execute(select(*_RECORD_COLUMNS).where(ingest_records.c.doc_id == doc_id)).first()
        return IngestRecord(*row) if row else None

    def ingest_state(self, doc_id: str) -> IngestState | None:
        record = self.get_ingest_record(doc_id)
        return record.state if record else None

    def unfinished_ingests(self) -> list[IngestRecord]:
        """Records that never reached ``committed`` (a crash or kill mid-ingest): to redo or clean up."""
        with self._tx() as conn:
            rows = conn.execute(select(*_RECORD_COLUMNS).where(ingest_records.c.state != "committed")
                                .order_by(ingest_records.c.updated_at, ingest_records.c.doc_id)).all()
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
        with self._tx(write=True) as conn:
            lock_for_writers(conn)
            self._delete_regulation_rows(conn, doc_id)
            refs = [m[0] for m in mentions] + [r.source for r in relations] + [r.target for r in relations]
            self._store_refs(conn, refs + [a.target for a in amendments], own)
            _insert(conn, regulation_mentions, [{"key": r.key, "doc_id": doc_id, "passage_id": pid, "own": 0}
                                      for r, pid in mentions])
            if own:
                _insert(conn, regulation_mentions, [{"key": own.key, "doc_id": doc_id, "passage_id": None, "own": 1}])
            _insert(conn, regulation_relations, [
                {"kind": r.kind, "source_key": r.source.key, "target_key": r.target.key, "doc_id": doc_id,
                 "evidence": r.evidence, "relation": r.model_dump_json()}
                for r in relations])
            if outline:
                _insert(conn, outlines, [{"doc_id": doc_id, "outline": _OUTLINE.dump_json(tuple(outline)).decode()}])
            if own:
                _insert(conn, regulation_amendments, [
                    {"target_key": a.target.key, "source_key": own.key, "doc_id": doc_id, "unit": a.unit,
                     "action": a.action, "amendment": a.model_dump_json(), "ordinal": i}
                    for i, a in enumerate(amendments)])

    @staticmethod
    def _store_refs(conn: Connection, refs: Sequence[RegulationRef], own: RegulationRef | None) -> None:
        """Register mentions, in order, then the document's own identity: a mention enriches what is known (the
        richer wording wins), except that once a document that *is* the regulation is stored its title block
        stays (``registry_merge``). The stored refs are read in one query rather than one per mention."""
        keys = {r.key for r in refs} | ({own.key} if own else set())
        stored: dict[str, RegulationRef] = {}
        owned: set[str] = set()  # keys whose own document is stored (this document's rows are already gone)
        for chunk in _chunks(keys):
            found = conn.execute(select(regulations.c.key, regulations.c.ref).where(regulations.c.key.in_(chunk)))
            stored.update({key: RegulationRef.model_validate_json(ref) for key, ref in found})
            mention = regulation_mentions.c
            owned.update(conn.execute(select(mention.key).where(mention.key.in_(chunk), mention.own == 1)).scalars())
        best = dict(stored)
        for ref in refs:
            known = best.get(ref.key)
            best[ref.key] = ref if known is None else own_first(known, ref) if ref.key in owned else richer(known, ref)
        if own:
            known = best.get(own.key)
            best[own.key] = own_first(own, known) if known else own
        changed = [{"key": key, "ref": ref.model_dump_json()} for key, ref in best.items() if stored.get(key) != ref]
        upsert(conn, regulations, changed, ["key"])

    def list_regulations(
        self, city: str | None = None, instrument: str | None = None, year: int | None = None
    ) -> list[RegulationEntry]:
        """Known regulations, de-duplicated (:func:`merge_yearless`, then :func:`merge_regional`), filtered by
        issuing region (code or official name), instrument and year."""
        with self._tx() as conn:
            stored = conn.execute(select(regulations.c.key, regulations.c.ref)).all()
            mention = regulation_mentions.c
            rows = conn.execute(select(mention.key, mention.doc_id, mention.passage_id)).all()
        refs = {key: RegulationRef.model_validate_json(ref) for key, ref in stored}
        occurrences: dict[str, list[tuple[str, str | None]]] = {k: [] for k in refs}
        # Sorted here, not by the database: PostgreSQL's collation and NULL order differ from SQLite's.
        for key, doc_id, passage_id in sorted(rows, key=lambda r: (r[1], r[2] is not None, r[2] or "")):
            occurrences.setdefault(key, []).append((doc_id, passage_id))
        entries = merge_regional(merge_yearless([RegulationEntry(refs[k], occurrences[k]) for k in sorted(refs)]))
        return [e for e in entries if matches(e.ref, city, instrument, year)]

    def get_regulation(self, key: str) -> RegulationRef | None:
        with self._tx() as conn:
            ref = conn.execute(select(regulations.c.ref).where(regulations.c.key == key.lower())).scalar()
        return RegulationRef.model_validate_json(ref) if ref is not None else None

    def relations_of(self, key: str) -> RelationsOf:
        key = key.lower()
        query = select(regulation_relations.c.relation, regulation_relations.c.doc_id)
        with self._tx() as conn:
            out = conn.execute(query.where(regulation_relations.c.source_key == key)).all()
            inc = conn.execute(query.where(regulation_relations.c.target_key == key)).all()
        return RelationsOf([(RegulationRelation.model_validate_json(j), d) for j, d in out],
                           [(RegulationRelation.model_validate_json(j), d) for j, d in inc])

    def mentioned_keys(self, year: int) -> set[str]:
        """The keys of every instrument of ``year`` a passage mentions, as the passages record them."""
        mention = regulation_mentions.c
        with self._tx() as conn:
            keys = conn.execute(select(mention.key).distinct()
                                .where(mention.passage_id.is_not(None), mention.key.like(f"%|{year}%"))).scalars()
            return {key for key in keys if key.split("|")[3:4] == [str(year)]}

    def amendment_keys(self) -> set[str]:
        """Every regulation that amends another or is amended, as recorded."""
        with self._tx() as conn:
            rows = conn.execute(select(regulation_amendments.c.source_key, regulation_amendments.c.target_key)).all()
        return {key for row in rows for key in row}

    def amendments_of(self, key: str) -> AmendmentsOf:
        """What the regulation ``key`` changes in others and what others change in it, in text order."""
        key = key.lower()
        a = regulation_amendments.c
        query = (select(a.amendment, regulations.c.ref, a.doc_id)
                 .join(regulations, regulations.c.key == a.source_key).order_by(a.doc_id, a.ordinal))
        with self._tx() as conn:
            made = conn.execute(query.where(a.source_key == key)).all()
            received = conn.execute(query.where(a.target_key == key)).all()
        return AmendmentsOf(_amendments(made), _amendments(received))

    def get_outline(self, doc_id: str) -> tuple[OutlineNode, ...]:
        with self._tx() as conn:
            outline = conn.execute(select(outlines.c.outline).where(outlines.c.doc_id == doc_id)).scalar()
        return _OUTLINE.validate_json(outline) if outline is not None else ()

    def stats(self) -> dict[str, object]:
        with self._tx() as conn:
            def count(table: Table) -> int:
                return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

            by_type: dict[str, int] = {}
            for meta in conn.execute(select(documents.c.meta)).scalars():
                doc_type = json.loads(meta).get("doc_type", "other")
                by_type[doc_type] = by_type.get(doc_type, 0) + 1
            return {
                "documents": count(documents),
                "documents_by_type": by_type,
                "regulations": count(regulations),
                "regulation_mentions": count(regulation_mentions),
                "regulation_relations": count(regulation_relations),
                "regulation_amendments": count(regulation_amendments),
                "outlines": count(outlines),
                "unfinished_ingests": int(conn.execute(select(func.count()).select_from(ingest_records)
                                                       .where(ingest_records.c.state != "committed")).scalar_one()),
                "schema_version": schema_version(conn),
            }


def _years(row: IndicatorRow) -> str:
    """The years a row has a value for, as ',2017,2018,' so that one LIKE finds a year."""
    values = [row.baseline, *row.targets, *row.actuals]
    years = sorted({v.year for v in values if v is not None and v.year is not None})
    return "," + ",".join(str(y) for y in years) + ","


def _amendments(rows: Sequence[Any]) -> list[Amendment]:
    return [Amendment(AmendedUnit.model_validate_json(change), RegulationRef.model_validate_json(source), doc_id)
            for change, source, doc_id in rows]
