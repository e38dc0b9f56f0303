"""The Library over a real embedded store: provenance is exact on the whole sample corpus, ingest is idempotent,
a changed file replaces its passages, and a bad file fails alone with a message naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from ingest.library import LibraryWriter
from testing.consistency import check_library
from testing.corpus import make_settings
from testing.filemakers import SAMPLE_PAGES, garbage_pdf, text_pdf
from vectorstore.library import Library


def test_every_passage_is_an_exact_slice_of_its_documents_clean_text(library) -> None:
    for doc in library.documents():
        clean = library.catalog.get_clean(doc.doc_id)
        passages = library.store.passages_of(doc.doc_id)
        assert len(passages) == doc.passage_count > 0, doc.filename
        for passage in passages:
            assert clean.text[passage.start : passage.end] == passage.text
            assert 1 <= passage.page_start <= passage.page_end <= max(doc.page_count, 1)
            assert clean.page_at(passage.start) == passage.page_start


def test_sample_corpus_metadata_matches_the_manifest(library) -> None:
    docs = {d.filename: d for d in library.documents()}
    assert len(docs) == 12
    paper = docs["000_1509ec196a059127.txt"]
    assert set(paper.cities) == {"64.71", "64.72"} and paper.doc_type == "paper" and paper.language == "en"
    assert docs["002_3c1e67b708097d26.txt"].language == "id"
    singkawang = docs["perwako_singkawang_24_2018_sop_layanan_informasi_publik.pdf"]
    assert singkawang.regulation is not None and singkawang.regulation.number == "24"
    assert singkawang.page_count == 32


def test_a_samarinda_paragraph_is_not_balikpapan_evidence(library) -> None:
    paper = next(d for d in library.documents() if d.filename.startswith("000_"))
    for passage in library.store.passages_of(paper.doc_id):
        if "Samarinda" in passage.text and "Balikpapan" not in passage.text:
            assert "64.71" not in passage.about_cities, passage.text[:120]


def test_regulation_table_mentions_are_attributed_to_the_right_city(library) -> None:
    keys = {e.ref.key for e in library.catalog.list_regulations()}
    for expected in ("perwali|64.71|31|2020", "perwali|64.71|14|2022", "perwali|64.72|10|2022",
                     "perda|64.71|6|2021", "perda|64.72|4|2021", "kepwali|64.71|188.45-390|2021"):
        assert expected in keys


def test_reingesting_the_sample_corpus_changes_nothing(library) -> None:
    before = library.store.count()
    outcomes = library.ingest_paths([PROJECT_ROOT / "documents"])
    assert {o.status for o in outcomes} == {"unchanged"}
    assert library.store.count() == before


@pytest.fixture()
def fresh(tmp_path: Path):
    lib = LibraryWriter.open(make_settings(tmp_path / "data"))
    yield lib
    lib.close()


def test_changed_file_replaces_its_passages_and_delete_removes_everything(fresh, tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "perwali.pdf")
    first = fresh.ingest_paths([path])[0]
    assert first.status == "added" and first.pages == 3
    text_pdf(path, SAMPLE_PAGES[:2])
    second = fresh.ingest_paths([path])[0]
    assert second.status == "replaced" and second.doc_id != first.doc_id
    assert fresh.store.doc_ids() == {second.doc_id}
    stored = fresh.settings.store.data_dir / fresh.document(second.doc_id).source
    assert stored.is_file()
    fresh.delete_document(second.doc_id)
    assert fresh.store.count() == 0 and not fresh.documents() and not stored.exists()
    assert check_library(fresh).ok


def test_a_document_read_by_an_older_reader_is_read_again_once_and_whole(fresh, tmp_path: Path) -> None:
    path = tmp_path / "perwali.txt"
    path.write_text("PERATURAN WALI KOTA\nPasal 1\nTenaga Kerja Asing yang selanjutnya disingkat TKA adalah "
                    "warga negara asing.\nPasal 2\nSetiap TKA wajib terdaftar.\n", encoding="utf-8")
    first = fresh.ingest_paths([path])[0]
    passages = fresh.store.count()
    # As a store ingested before acronyms were read holds it: reader 0, no acronyms.
    meta = fresh.document(first.doc_id)
    clean = fresh.catalog.get_clean(first.doc_id)
    fresh.catalog.put_document(meta.model_copy(update={"reader": 0, "acronyms": ()}), clean,
                               source_path=meta.source, original_path=str(path))
    again = fresh.ingest_paths([path])[0]
    assert again.status == "replaced" and again.doc_id == first.doc_id
    assert fresh.document(first.doc_id).acronyms == ("TKA: Tenaga Kerja Asing",)
    assert fresh.store.count() == passages and fresh.store.doc_ids() == {first.doc_id}
    assert fresh.ingest_paths([path])[0].status == "unchanged"
    assert check_library(fresh).ok


def test_a_bad_file_fails_alone_with_its_name_and_nothing_stored_is_lost(fresh, tmp_path: Path) -> None:
    good = text_pdf(tmp_path / "good.pdf")
    fresh.ingest_paths([good])
    kept = fresh.store.count()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    text_pdf(inbox / "another.pdf", SAMPLE_PAGES[1:])
    garbage_pdf(inbox / "corrupt.pdf")
    text_pdf(inbox / "locked.pdf", user_password="rahasia")
    (inbox / "empty.txt").write_bytes(b"")
    outcomes = {Path(o.path).name: o for o in fresh.ingest_paths([inbox])}
    assert outcomes["another.pdf"].status == "added"
    for name in ("corrupt.pdf", "locked.pdf", "empty.txt"):
        assert outcomes[name].status == "failed"
        assert name in outcomes[name].error
    assert "password" in outcomes["locked.pdf"].error.lower() or "encrypt" in outcomes["locked.pdf"].error.lower()
    assert fresh.store.count() > kept
    assert check_library(fresh).ok


def test_a_reader_rebuilds_an_old_lexical_index_in_memory_and_the_writer_on_disk(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    with LibraryWriter.open(settings) as writer:
        writer.ingest_paths([text_pdf(tmp_path / "perwali.pdf")])
    format_file = settings.store.data_dir / "lexical" / "format.json"
    format_file.write_text('{"version": 1}', encoding="utf-8")
    with Library.open(settings) as reader:
        assert reader.lexical.search("informasi publik", 3)
    assert format_file.read_text(encoding="utf-8") == '{"version": 1}'
    with LibraryWriter.open(settings) as writer:
        assert writer.lexical.search("informasi publik", 3)
    assert format_file.read_text(encoding="utf-8") != '{"version": 1}'
