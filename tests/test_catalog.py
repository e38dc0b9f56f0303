"""The catalog's contract, on both of its databases: every test taking ``catalog`` runs on SQLite in a temporary
folder and on a real PostgreSQL (a fresh database of the session's server, tests/conftest.py). Then what only
SQLite has: its WAL file, and the catalogs older releases left in users' data folders."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from core.errors import CatalogUnavailableError
from core.types import (
    AmendedUnit,
    CleanDocument,
    DocumentMeta,
    IndicatorRow,
    IndicatorValue,
    OutlineNode,
    PageSpan,
    RegulationRef,
    RegulationRelation,
)
from vectorstore import catalog_schema as schema
from vectorstore.catalog import SCHEMA_VERSION, Catalog

ROOT = Path(__file__).resolve().parent.parent
# Facts from documents/regulations: Perwali Surabaya 68/2021 and Perwako Singkawang 24/2018, and the
# national law on public information (UU 14/2008) that the Singkawang SOP rests on.
SURABAYA = RegulationRef(instrument="Perwali", number="68", year=2021, region_code="35.78",
                         region_name="Kota Surabaya", subject="SOTK Sekretariat DPRD")
SINGKAWANG = RegulationRef(instrument="Perwali", number="24", year=2018, region_code="61.72",
                           region_name="Kota Singkawang")
UU_KIP = RegulationRef(instrument="UU", number="14", year=2008, subject="Keterbukaan Informasi Publik")


def document(doc_id: str, title: str, doc_type: str = "regulation", own: RegulationRef | None = None):
    text = f"{title}\n\nBAB I\n\nPasal 1\n\nDalam Peraturan ini yang dimaksud dengan ..."
    clean = CleanDocument(text=text, pages=(PageSpan(number=1, start=0, end=20), PageSpan(number=2, start=20,
                                                                                          end=len(text))))
    meta = DocumentMeta(doc_id=doc_id, filename=f"{doc_id}.pdf", media_type="application/pdf", title=title,
                        doc_type=doc_type, regulation=own, page_count=2)  # type: ignore[arg-type]
    return meta, clean


@pytest.fixture
def location(catalog_location: str) -> str:
    return catalog_location


@pytest.fixture
def catalog(location: str):
    opened = Catalog(location)
    yield opened
    opened.close()


def test_document_round_trip(catalog):
    meta, clean = document("sby68", "PERATURAN WALI KOTA SURABAYA NOMOR 68 TAHUN 2021", own=SURABAYA)
    catalog.put_document(meta, clean, "files/sby68.pdf", "/in/perwali_surabaya_68_2021.pdf", sha256="ab" * 32)
    assert catalog.get_document("sby68") == meta
    assert catalog.get_clean("sby68") == clean
    assert catalog.get_paths("sby68") == ("files/sby68.pdf", "/in/perwali_surabaya_68_2021.pdf")
    assert catalog.find_by_original_path(Path("/in/perwali_surabaya_68_2021.pdf")) == meta
    assert catalog.find_by_original_path("/in/other.pdf") is None
    assert catalog.get_document("missing") is None and catalog.get_clean("missing") is None


def test_putting_a_document_again_replaces_it(catalog):
    meta, clean = document("skw24", "Perwako Singkawang 24/2018")
    catalog.put_document(meta, clean, "a", "b")
    catalog.put_document(meta.model_copy(update={"title": "SOP Layanan Informasi Publik"}), clean, "a", "b")
    assert [m.title for m in catalog.list_documents()] == ["SOP Layanan Informasi Publik"]


def test_ingest_records_track_unfinished_work(catalog):
    catalog.set_ingest_state("a", "/in/a.pdf", "pending")
    catalog.set_ingest_state("b", "/in/b.pdf", "embedded")
    catalog.set_ingest_state("c", "/in/c.pdf", "committed")
    catalog.set_ingest_state("a", "/in/a.pdf", "parsed", error=None)
    assert {(r.doc_id, r.state) for r in catalog.unfinished_ingests()} == {("a", "parsed"), ("b", "embedded")}
    assert catalog.get_ingest_record("c").state == "committed"
    assert catalog.ingest_state("b") == "embedded" and catalog.ingest_state("zz") is None
    with pytest.raises(ValueError):
        catalog.set_ingest_state("d", "/in/d.pdf", "done")  # type: ignore[arg-type]
    with pytest.raises(IntegrityError), catalog._tx(write=True) as conn:  # the schema guards the state machine too
        conn.execute(schema.ingest_records.insert().values(doc_id="e", path="p", state="bogus", updated_at="now"))


def put_singkawang(catalog: Catalog) -> None:
    meta, clean = document("skw24", "Perwako Singkawang 24/2018", own=SINGKAWANG)
    catalog.put_document(meta, clean, "a", "b")
    outline = (OutlineNode(kind="bab", label="BAB I", title="KETENTUAN UMUM", start=30, end=60,
                           children=(OutlineNode(kind="pasal", label="Pasal 1", start=40, end=60,
                                                 passage_ids=("skw24:1",)),)),)
    relation = RegulationRelation(kind="cites", source=SINGKAWANG, target=UU_KIP,
                                  evidence="Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik")
    catalog.put_regulations("skw24", [(UU_KIP, "skw24:0")], SINGKAWANG, [relation], outline)


def test_regulations_mentions_relations_and_outline_round_trip(catalog):
    put_singkawang(catalog)
    listed = {e.ref.key: e.occurrences for e in catalog.list_regulations()}
    assert listed == {UU_KIP.key: [("skw24", "skw24:0")], SINGKAWANG.key: [("skw24", None)]}
    assert catalog.get_regulation(UU_KIP.key) == UU_KIP
    out = catalog.relations_of(SINGKAWANG.key)
    assert [(r.kind, r.target, d) for r, d in out.outgoing] == [("cites", UU_KIP, "skw24")] and not out.incoming
    assert [r.source for r, _ in catalog.relations_of(UU_KIP.key).incoming] == [SINGKAWANG]
    assert catalog.get_outline("skw24")[0].children[0].passage_ids == ("skw24:1",)


def test_putting_regulations_again_replaces_the_documents_rows(catalog):
    put_singkawang(catalog)
    put_singkawang(catalog)
    stats = catalog.stats()
    assert (stats["regulation_mentions"], stats["regulation_relations"], stats["outlines"]) == (2, 1, 1)


def test_list_regulations_filters_by_city_instrument_and_year(catalog):
    put_singkawang(catalog)
    catalog.put_regulations("sby68", [(SURABAYA, "sby68:0")], None, [])
    assert [e.ref for e in catalog.list_regulations(city="61.72")] == [SINGKAWANG]
    assert [e.ref for e in catalog.list_regulations(city="kota surabaya")] == [SURABAYA]
    assert {e.ref for e in catalog.list_regulations(instrument="perwali")} == {SINGKAWANG, SURABAYA}
    assert [e.ref for e in catalog.list_regulations(year=2008)] == [UU_KIP]


def test_a_regionless_mention_merges_into_the_single_regional_candidate(catalog):
    put_singkawang(catalog)
    bare = SINGKAWANG.model_copy(update={"region_code": None, "region_name": None})
    catalog.put_regulations("paper", [(bare, "paper:3")], None, [])
    entries = catalog.list_regulations(instrument="Perwali")
    assert [e.ref for e in entries] == [SINGKAWANG]
    assert ("paper", "paper:3") in entries[0].occurrences


def test_a_regionless_mention_stays_apart_when_two_cities_fit(catalog):
    other = SINGKAWANG.model_copy(update={"region_code": "35.78", "region_name": "Kota Surabaya"})
    bare = SINGKAWANG.model_copy(update={"region_code": None, "region_name": None})
    catalog.put_regulations("x", [(SINGKAWANG, "x:0"), (other, "x:1"), (bare, "x:2")], None, [])
    assert len(catalog.list_regulations(instrument="Perwali", year=2018)) == 3


def test_delete_document_removes_every_trace_in_one_go(catalog):
    put_singkawang(catalog)
    catalog.set_ingest_state("skw24", "b", "committed")
    meta, clean = document("sby68", "Perwali Surabaya 68/2021", own=SURABAYA)
    catalog.put_document(meta, clean, "c", "d")
    catalog.put_regulations("sby68", [(UU_KIP, "sby68:2")], SURABAYA, [])
    assert catalog.delete_document("skw24") is True
    with catalog._tx() as conn:
        for table in (schema.documents, schema.ingest_records, *schema.DOCUMENT_ROW_TABLES):
            left = select(func.count()).select_from(table).where(table.c.doc_id == "skw24")
            assert conn.execute(left).scalar_one() == 0, table.name
    # Singkawang's own ref had no other mention; UU 14/2008 is still cited by the Surabaya document.
    assert catalog.get_regulation(SINGKAWANG.key) is None
    assert catalog.get_regulation(UU_KIP.key) == UU_KIP
    assert catalog.get_outline("skw24") == ()
    assert catalog.delete_document("skw24") is False


def test_stats_count_documents_by_type(catalog):
    for doc_id, doc_type in [("a", "paper"), ("b", "paper"), ("c", "regulation")]:
        meta, clean = document(doc_id, doc_id, doc_type)
        catalog.put_document(meta, clean, "s", "o")
    stats = catalog.stats()
    assert stats["documents"] == 3 and stats["documents_by_type"] == {"paper": 2, "regulation": 1}
    assert stats["schema_version"] == SCHEMA_VERSION


def test_a_catalog_made_by_a_newer_program_is_refused(catalog, location):
    with catalog._tx(write=True) as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": f"{SCHEMA_VERSION + 1:04d}"})
    with pytest.raises(CatalogUnavailableError, match="newer than this program"):
        Catalog(location)


def test_opening_again_changes_nothing_and_keeps_the_rows(catalog, location):
    put_singkawang(catalog)
    reopened = Catalog(location)
    assert reopened.stats() == catalog.stats() and reopened.stats()["schema_version"] == SCHEMA_VERSION
    assert reopened.get_outline("skw24") == catalog.get_outline("skw24") != ()


def test_another_process_reads_while_a_write_is_in_progress(catalog, location):
    meta, clean = document("skw24", "Perwako Singkawang 24/2018")
    catalog.put_document(meta, clean, "a", "b")
    reader = (
        "import sys; from vectorstore.catalog import Catalog; "
        "print([m.doc_id for m in Catalog(sys.argv[1]).list_documents()])"
    )

    class Undo(Exception):
        pass

    with pytest.raises(Undo), catalog._tx(write=True) as conn:  # SQLite: holds the file's write lock meanwhile
        conn.execute(schema.documents.delete())
        result = subprocess.run([sys.executable, "-c", reader, location], cwd=ROOT, capture_output=True, text=True,
                                timeout=60)
        raise Undo
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['skw24']"
    assert [m.doc_id for m in catalog.list_documents()] == ["skw24"], "the write was rolled back"


def test_an_unreachable_database_is_named_without_its_password():
    from testing.chroma_server import free_port

    url = f"postgresql+psycopg://bk:secret@127.0.0.1:{free_port()}/catalog"
    with pytest.raises(CatalogUnavailableError, match="cannot be reached") as caught:
        Catalog(url)
    assert "secret" not in caught.value.message and "127.0.0.1" in caught.value.message
    assert "cluster.sh" in (caught.value.hint or "")


# Kepgub Kalbar 224/BAPPEDA/2023: its own passages cite it with the title block's capitals and the
# signature line run on; the document metadata holds the title block as parsed.
KEPGUB = RegulationRef(instrument="Kepgub", number="224/BAPPEDA", year=2023, region_code="61",
                       region_name="Provinsi Kalimantan Barat",
                       subject="Forum Satu Data Indonesia Tingkat Provinsi Kalimantan Barat")
KEPGUB_SHOUTED = KEPGUB.model_copy(update={
    "subject": "FORUM SATU DATA INDONESIA TINGKAT PROVINSI KALIMANTAN BARAT GUBERNUR KALIMANTAN BARAT"})


def test_a_regulations_own_title_block_wins_over_its_mentions_in_the_same_document(catalog):
    catalog.put_regulations("kepgub", [(KEPGUB_SHOUTED, "kepgub:3")], KEPGUB, [])
    assert catalog.get_regulation(KEPGUB.key) == KEPGUB
    assert [e.ref for e in catalog.list_regulations(instrument="Kepgub")] == [KEPGUB]


@pytest.mark.parametrize("own_first", [True, False])
def test_a_regulations_own_title_block_wins_whichever_document_comes_first(catalog, own_first):
    steps = [("kepgub", [], KEPGUB), ("paper", [(KEPGUB_SHOUTED, "paper:1")], None)]
    for doc_id, mentions, own in steps if own_first else steps[::-1]:
        catalog.put_regulations(doc_id, mentions, own, [])
    assert catalog.get_regulation(KEPGUB.key) == KEPGUB


def test_a_mention_fills_only_what_the_title_block_lacks(catalog):
    bare = SINGKAWANG.model_copy(update={"region_name": None})
    catalog.put_regulations("skw24", [], bare, [])
    catalog.put_regulations("paper", [(SINGKAWANG.model_copy(update={"subject": "SOP PPID"}), "paper:2")], None, [])
    assert catalog.get_regulation(SINGKAWANG.key) == SINGKAWANG.model_copy(update={"subject": "SOP PPID"})


def test_of_two_mentions_a_subject_in_normal_case_beats_a_shouted_one(catalog):
    catalog.put_regulations("a", [(KEPGUB_SHOUTED, "a:1")], None, [])
    catalog.put_regulations("b", [(KEPGUB, "b:1")], None, [])
    assert catalog.get_regulation(KEPGUB.key) == KEPGUB


PERMENDAGRI_90 = RegulationRef(instrument="Permendagri", number="90", year=2019,
                               subject="Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan Pembangunan")
PERMENDAGRI_90_YEARLESS = PERMENDAGRI_90.model_copy(update={"year": None, "subject": None})


def test_a_yearless_mention_merges_into_the_single_instrument_with_a_year(catalog):
    catalog.put_regulations("hspk", [(PERMENDAGRI_90, "hspk:4"), (PERMENDAGRI_90_YEARLESS, "hspk:9")], None, [])
    entries = catalog.list_regulations(instrument="Permendagri")
    assert [e.ref for e in entries] == [PERMENDAGRI_90]
    assert entries[0].occurrences == [("hspk", "hspk:4"), ("hspk", "hspk:9")]
    assert entries[0].aliases == (PERMENDAGRI_90_YEARLESS.key,)
    assert catalog.get_regulation("permendagri|national|90|") == PERMENDAGRI_90_YEARLESS  # still stored


def test_a_yearless_mention_stays_apart_when_two_years_fit(catalog):
    later = PERMENDAGRI_90.model_copy(update={"year": 2020})
    catalog.put_regulations("x", [(PERMENDAGRI_90, "x:0"), (later, "x:1"), (PERMENDAGRI_90_YEARLESS, "x:2")], None, [])
    assert len(catalog.list_regulations(instrument="Permendagri")) == 3


def test_a_yearless_regionless_mention_reaches_the_regional_instrument_in_two_folds(catalog):
    bare = SINGKAWANG.model_copy(update={"region_code": None, "region_name": None})
    catalog.put_regulations("x", [(SINGKAWANG, "x:0"), (bare, "x:1"), (bare.model_copy(update={"year": None}), "x:2")],
                            None, [])
    (entry,) = catalog.list_regulations(instrument="Perwali")
    assert entry.ref == SINGKAWANG and len(entry.occurrences) == 3
    assert set(entry.aliases) == {bare.key, "perwali|national|24|"}


# ------------------------------------------------------------------------------------- amendments

# Kendari's Perwali 19/2024 changes Pasal 11 of Perwali 48/2021 (documents/regulations, the scan's Pasal I).
KENDARI_48 = RegulationRef(instrument="Perwali", number="48", year=2021, region_code="74.71",
                           region_name="Kota Kendari")
KENDARI_19 = RegulationRef(instrument="Perwali", number="19", year=2024, region_code="74.71",
                           region_name="Kota Kendari", subject="Perubahan Ketiga atas Peraturan Wali Kota Kendari")
DIRECTIVE = "Ketentuan Pasal 11 diubah, sehingga berbunyi sebagai berikut:"
PASAL_11 = AmendedUnit(target=KENDARI_48, unit="Pasal 11", action="diubah", start=40, end=40 + len(DIRECTIVE),
                       evidence=DIRECTIVE)


def put_kendari(catalog: Catalog) -> None:
    meta, clean = document("kdi19", "Perwali Kendari 19/2024", own=KENDARI_19)
    catalog.put_document(meta, clean, "a", "b")
    amends = RegulationRelation(kind="amends", source=KENDARI_19, target=KENDARI_48, evidence="PERUBAHAN KETIGA ...")
    catalog.put_regulations("kdi19", [], KENDARI_19, [amends], amendments=[PASAL_11])


def test_amendments_are_kept_under_the_regulation_they_change_and_the_one_that_changes_it(catalog):
    put_kendari(catalog)
    made, received = catalog.amendments_of(KENDARI_48.key)
    assert made == [] and [(a.change, a.source, a.doc_id) for a in received] == [(PASAL_11, KENDARI_19, "kdi19")]
    made, received = catalog.amendments_of(KENDARI_19.key.upper())
    assert received == [] and [a.change for a in made] == [PASAL_11]
    put_kendari(catalog)  # ingesting the document again replaces its rows
    assert catalog.stats()["regulation_amendments"] == 1


def test_deleting_the_amending_document_removes_its_amendments(catalog):
    put_kendari(catalog)
    catalog.delete_document("kdi19")
    assert catalog.amendments_of(KENDARI_48.key) == ([], [])
    assert catalog.get_regulation(KENDARI_48.key) is None


# ------------------------------------------------------------------------ SQLite: the file and its history

SCHEMA_4 = Path(__file__).parent / "fixtures" / "catalog_schema4.sql"


def schema_4_file(path: Path, *, version: int = 4, drop: tuple[str, ...] = ()) -> Path:
    """The catalog the last SQLite-only release wrote (tests/fixtures/catalog_schema4.sql), as a file; ``drop``
    and ``version`` make it what an earlier version held."""
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_4.read_text(encoding="utf-8"))
        for table in drop:
            conn.execute(f"DROP TABLE {table}")
        conn.execute(f"PRAGMA user_version = {version}")
    return path


def test_the_sqlite_file_is_in_wal_mode_and_marked_for_programs_from_before_alembic(tmp_path):
    path = tmp_path / "catalog.sqlite"
    Catalog(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # Releases before Alembic refuse a file whose user_version is above their own (4): this one is.
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION > 4
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(CatalogUnavailableError, match="newer"):
        Catalog(path)


def test_a_catalog_of_the_last_sqlite_only_release_opens_with_all_it_held(tmp_path):
    catalog = Catalog(schema_4_file(tmp_path / "catalog.sqlite"))
    assert catalog.stats()["schema_version"] == SCHEMA_VERSION
    assert {m.doc_id for m in catalog.list_documents()} == {"skw24", "kdi19"}
    assert catalog.get_clean("skw24").pages[1].start == 20
    assert catalog.get_outline("skw24")[0].children[0].passage_ids == ("skw24:1",)
    assert catalog.get_regulation(SINGKAWANG.key) == SINGKAWANG
    assert [(r.kind, r.target) for r, _ in catalog.relations_of(SINGKAWANG.key).outgoing] == [("cites", UU_KIP)]
    assert catalog.get_ingest_record("skw24").owner == "laptop:4242"
    unfinished = [(r.doc_id, r.state, r.owner) for r in catalog.unfinished_ingests()]
    assert unfinished == [("sby68", "embedded", "laptop:4343")]
    # Rows kept their order, which that release kept as rowids: the changes in text order (Pasal 11 before
    # Pasal 2), the indicator rows as read on each page (r2 before r10).
    assert [a.change.unit for a in catalog.amendments_of(KENDARI_48.key).received] == ["Pasal 11", "Pasal 2"]
    assert [r.row_id.split(":")[1:3] for r in catalog.indicators(plan_key="rpjmd|61.72|2018-2023")] == [
        ["p4", "t0"], ["p4", "t0"], ["p5", "t0"]]
    assert [r.row_id.split(":")[3] for r in catalog.indicators(doc_id="rpjmd")] == ["r2", "r10", "r1"]
    assert [r.row_id for r in catalog.indicators(year=2022, agency="KOMINFO")] == ["rpjmd:p4:t0:r10:0"]
    put_kendari(catalog)  # and it takes writes: the amending document again replaces its rows
    assert [a.change.unit for a in catalog.amendments_of(KENDARI_48.key).received] == ["Pasal 11"]


def test_a_version_2_store_gains_the_owner_of_its_ingest_records(tmp_path):
    path = tmp_path / "catalog.sqlite"
    with sqlite3.connect(path) as conn:  # the ingest records as version 2 made them, with a committed row
        conn.execute("CREATE TABLE ingest_records (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, state TEXT NOT NULL "
                     "CHECK (state IN ('pending', 'parsed', 'embedded', 'committed')), updated_at TEXT NOT NULL, "
                     "error TEXT)")
        conn.execute("INSERT INTO ingest_records VALUES ('old', '/in/old.pdf', 'committed', 'then', NULL)")
        conn.execute("PRAGMA user_version = 2")
    catalog = Catalog(path)
    assert catalog.get_ingest_record("old").owner is None
    catalog.set_ingest_state("new", "/in/new.pdf", "parsed", owner="host:42")
    assert catalog.get_ingest_record("new").owner == "host:42"
    assert catalog.stats()["schema_version"] == SCHEMA_VERSION


def test_a_version_1_store_gains_the_amendments_and_plan_tables(tmp_path):
    path = schema_4_file(tmp_path / "catalog.sqlite", version=1, drop=("regulation_amendments", "plan_indicators"))
    catalog = Catalog(path)
    assert catalog.stats()["schema_version"] == SCHEMA_VERSION
    assert catalog.get_outline("skw24")[0].children[0].passage_ids == ("skw24:1",), "old rows are kept"
    assert catalog.indicators() == [] and catalog.amendments_of(KENDARI_48.key) == ([], [])
    put_kendari(catalog)
    assert [a.change.unit for a in catalog.amendments_of(KENDARI_48.key).received] == ["Pasal 11"]


# ------------------------------------------------------------------------------------------ plan indicators

def plan_row(n: int, page: int, indicator: str, agency: str, years: list[int]) -> IndicatorRow:
    return IndicatorRow(row_id=f"rpjmd:p{page}:t0:r{n}:0", doc_id="rpjmd", plan_key="rpjmd|61.72|2018-2023",
                        page=page, indicator=indicator, agency=agency,
                        targets=tuple(IndicatorValue(year=y, value="100%") for y in years))


def test_indicator_rows_keep_their_order_and_filter_by_words_year_and_agency(catalog):
    rows = [plan_row(2, 4, "Indeks SPBE", "Diskominfo", [2021]),
            plan_row(10, 4, "Persentase layanan_informasi publik", "Diskominfo", [2022]),
            plan_row(1, 5, "Indeks Kepuasan Masyarakat", "Ortala", [2021, 2022])]
    catalog.put_indicators("rpjmd", rows)
    assert catalog.indicators() == rows, "page order, then the order read (r2 before r10)"
    assert catalog.indicators(text="spbe INDEKS") == [rows[0]]
    assert catalog.indicators(text="layanan_informasi") == [rows[1]]
    assert catalog.indicators(text="layanan%publik") == [], "% is a character here, not a wildcard"
    assert catalog.indicators(year=2022) == rows[1:] and catalog.indicators(year=2020) == []
    assert catalog.indicators(agency="KOMINFO") == rows[:2]
    assert catalog.indicators(plan_key="other") == [] and catalog.indicators(doc_id="rpjmd", year=2021) == [
        rows[0], rows[2]]
    assert catalog.indicator_counts() == {"rpjmd": 3}
    catalog.put_indicators("rpjmd", [rows[2], rows[2]])  # a re-ingest replaces them; one row read twice is one
    assert catalog.indicators() == [rows[2]] and catalog.indicator_counts() == {"rpjmd": 1}
