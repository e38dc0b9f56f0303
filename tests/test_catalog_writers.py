"""Two writer processes on one catalog at once, on each database: what queue workers on several machines do to
a shared PostgreSQL catalog. Each process writes six documents the way an ingest does (ingest record states,
document, registry rows, indicator rows, committed), deleting some on the way, in an order of its own, then both
write all six again. The end state must be the one any one-at-a-time order of those calls gives: every document
whole and once (no row doubled by two replacements interleaved), no registry row left dangling or orphaned, and
each regulation's own title block kept over the shouted mentions of it that the other process was writing
(two read-modify-writes interleaved would keep whichever came last)."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier

from sqlalchemy import exists, func, or_, select

from core.types import (
    AmendedUnit,
    IndicatorRow,
    IndicatorValue,
    OutlineNode,
    RegulationRef,
    RegulationRelation,
)
from tests.test_catalog import UU_KIP, document
from vectorstore import catalog_schema as schema
from vectorstore.catalog import Catalog

DOCS = 6
ROUNDS = 30


def own_ref(k: int) -> RegulationRef:
    return RegulationRef(instrument="Perwali", number=str(30 + k % DOCS), year=2020, region_code="61.72",
                         region_name="Kota Singkawang", subject=f"Layanan Publik Bagian {k % DOCS}")


def write_document(catalog: Catalog, k: int, owner: str) -> None:
    """One document's ingest, as LibraryWriter._commit makes its catalog calls: it cites UU 14/2008, mentions the
    next document's regulation in capitals (as a title block copied into a passage), and amends two articles of
    the previous one's."""
    doc_id, own = f"doc{k}", own_ref(k)
    path = f"/in/perwali_singkawang_{30 + k}_2020.pdf"
    for state in ("pending", "parsed", "embedded"):
        catalog.set_ingest_state(doc_id, path, state, owner=owner)  # type: ignore[arg-type]
    meta, clean = document(doc_id, f"Perwali Singkawang {30 + k}/2020", own=own)
    catalog.put_document(meta, clean, f"files/{doc_id}.pdf", path)
    shouted = own_ref(k + 1).model_copy(update={"subject": (own_ref(k + 1).subject or "").upper()})
    previous = own_ref(k - 1)
    units = [AmendedUnit(target=previous, unit=unit, action="diubah", start=40 + 30 * i, end=60 + 30 * i,
                         evidence=f"Ketentuan {unit} diubah") for i, unit in enumerate(("Pasal 7", "Pasal 3"))]
    catalog.put_regulations(
        doc_id, [(UU_KIP, f"{doc_id}:0"), (shouted, f"{doc_id}:1"), (previous, f"{doc_id}:2")], own,
        [RegulationRelation(kind="cites", source=own, target=UU_KIP, evidence="Undang-Undang Nomor 14 Tahun 2008"),
         RegulationRelation(kind="amends", source=own, target=previous, evidence="Perubahan atas ...")],
        (OutlineNode(kind="pasal", label="Pasal 1", start=30, end=60, passage_ids=(f"{doc_id}:1",)),),
        units,
    )
    catalog.put_indicators(doc_id, [
        IndicatorRow(row_id=f"{doc_id}:p1:t0:r{r}:0", doc_id=doc_id, plan_key="renstra", page=1,
                     indicator=f"Indikator {r}", targets=(IndicatorValue(year=2021, value="100%"),))
        for r in (3, 1, 2)])
    catalog.set_ingest_state(doc_id, path, "committed", owner=owner)


def writer(location: str, name: str, step: int, barrier: Barrier) -> None:
    catalog = Catalog(location)
    for i in range(ROUNDS):
        k = (i * step) % DOCS
        write_document(catalog, k, name)
        if i % 4 == 3:
            catalog.delete_document(f"doc{(k + 2) % DOCS}")
    barrier.wait(timeout=300)
    for i in range(DOCS):
        write_document(catalog, (i * step) % DOCS, name)


def test_two_writer_processes_leave_every_document_whole_and_once(catalog_location: str) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    # Steps 1 and 5 walk the documents in opposite orders; 5 is prime to 6, so each process writes each one.
    processes = [context.Process(target=writer, args=(catalog_location, f"writer-{step}", step, barrier))
                 for step in (1, 5)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=600)
    assert [p.exitcode for p in processes] == [0, 0]

    catalog = Catalog(catalog_location)
    assert sorted(m.doc_id for m in catalog.list_documents()) == [f"doc{k}" for k in range(DOCS)]
    assert catalog.unfinished_ingests() == []
    per_document = {"regulation_mentions": 4, "regulation_relations": 2, "regulation_amendments": 2, "outlines": 1,
                    "plan_indicators": 3}
    with catalog._tx() as conn:
        for table in schema.DOCUMENT_ROW_TABLES:
            rows = conn.execute(select(table.c.doc_id, func.count()).group_by(table.c.doc_id)).all()
            counts: dict[str, int] = {doc_id: n for doc_id, n in rows}
            assert counts == {f"doc{k}": per_document[table.name] for k in range(DOCS)}, table.name
        referenced = {key for table, column in ((schema.regulation_mentions, "key"),
                                                (schema.regulation_relations, "source_key"),
                                                (schema.regulation_relations, "target_key"),
                                                (schema.regulation_amendments, "target_key"))
                      for key in conn.execute(select(table.c[column])).scalars()}
        stored = set(conn.execute(select(schema.regulations.c.key)).scalars())
        key = schema.regulations.c.key
        unused = conn.execute(select(func.count()).select_from(schema.regulations).where(~or_(
            exists().where(schema.regulation_mentions.c.key == key),
            exists().where(schema.regulation_relations.c.target_key == key)))).scalar_one()
    assert referenced == stored == {own_ref(k).key for k in range(DOCS)} | {UU_KIP.key} and unused == 0
    for k in range(DOCS):
        assert catalog.get_regulation(own_ref(k).key) == own_ref(k), "the title block, not the shouted mention"
        received = catalog.amendments_of(own_ref(k).key).received
        amending = f"doc{(k + 1) % DOCS}"
        assert [(a.change.unit, a.doc_id) for a in received] == [("Pasal 7", amending), ("Pasal 3", amending)]
    assert [r.row_id.split(":")[3] for r in catalog.indicators(doc_id="doc0")] == ["r3", "r1", "r2"]
