"""The read-side contract (core/library_reader.py), one suite run against the read side
(``vectorstore.library.Library``) over both stores it can sit on: Chroma embedded in the data folder and a real
``chroma run`` server on loopback. The writer stores the regulation and is closed first, so the reader sees only
what was stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import NotFoundError
from core.library_reader import LibraryReader
from core.settings import Settings
from core.types import SearchFilters
from ingest.library import LibraryWriter
from testing.chroma_server import running_chroma_server
from testing.corpus import make_settings
from vectorstore.library import Library

# A regulation as its text prints it: the title block, a legal basis to cite, three articles.
REGULATION = """PERATURAN WALI KOTA BALIKPAPAN
NOMOR 31 TAHUN 2020
TENTANG
SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK

DENGAN RAHMAT TUHAN YANG MAHA ESA

WALI KOTA BALIKPAPAN,

Menimbang : a. bahwa untuk mewujudkan tata kelola pemerintahan yang bersih perlu sistem pemerintahan berbasis
elektronik;

Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;

MEMUTUSKAN:

Menetapkan : PERATURAN WALI KOTA TENTANG SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK.

BAB I
KETENTUAN UMUM

Pasal 1
Dalam Peraturan Wali Kota ini yang dimaksud dengan Daerah adalah Kota Balikpapan.

Pasal 2
Perangkat Daerah wajib menyusun peta rencana sistem pemerintahan berbasis elektronik setiap lima tahun.

Pasal 3
Peraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.

Ditetapkan di Balikpapan
WALI KOTA BALIKPAPAN,
"""
OWN_KEY = "perwali|64.71|31|2020"


def _ingested(settings_dir: Path, source: Path, chroma: tuple[str, int] | None) -> Settings:
    settings = make_settings(settings_dir)
    if chroma is not None:
        settings = settings.model_copy(update={"store": settings.store.model_copy(
            update={"chroma_host": chroma[0], "chroma_port": chroma[1]})})
    with LibraryWriter.open(settings) as writer:
        outcomes = writer.ingest_paths([source])
    assert [o.status for o in outcomes] == ["added"], outcomes
    return settings


@pytest.fixture(scope="module", params=["embedded", "server"])
def reader(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp(f"reader-{request.param}")
    source = folder / "perwali_balikpapan_31_2020_spbe.txt"
    source.write_text(REGULATION, encoding="utf-8")
    if request.param == "embedded":
        with Library.open(_ingested(folder / "data", source, None)) as library:
            yield library
    else:
        with running_chroma_server(folder / "chroma") as server, \
                Library.open(_ingested(folder / "data", source, (server.host, server.port))) as library:
            yield library


def test_the_library_is_a_reader(reader: Library) -> None:
    assert isinstance(reader, LibraryReader)


def test_documents_list_what_was_ingested_and_an_unknown_id_is_not_found(reader: Library) -> None:
    [doc] = reader.documents()
    assert doc.regulation is not None and doc.regulation.key == OWN_KEY
    assert reader.document(doc.doc_id) == doc
    with pytest.raises(NotFoundError):
        reader.document("no-such-document")


def test_passages_come_in_the_order_asked_and_unknown_ids_are_left_out(reader: Library) -> None:
    [doc] = reader.documents()
    ids = [p.passage_id for p in reader.store.passages_of(doc.doc_id)]
    assert len(ids) >= 2
    asked = [ids[-1], "no-such-passage", ids[0]]
    found = reader.passages(asked)
    assert [p.passage_id for p in found] == [ids[-1], ids[0]]
    clean = reader.catalog.get_clean(doc.doc_id)
    assert clean is not None
    assert all(clean.text[p.start : p.end] == p.text for p in found)


def test_the_registry_holds_the_regulation_itself_and_what_it_cites(reader: Library) -> None:
    [doc] = reader.documents()
    entries = {e.ref.key: e for e in reader.regulations()}
    assert (doc.doc_id, None) in entries[OWN_KEY].occurrences
    assert "uu|national|23|2014" in entries
    assert [e.ref.key for e in reader.regulations(year=2014)] == ["uu|national|23|2014"]
    assert [e.ref.key for e in reader.regulations(city="64.71", instrument="Perwali")] == [OWN_KEY]


def test_search_finds_the_article_and_respects_filters(reader: Library) -> None:
    hits = reader.search("peta rencana sistem pemerintahan berbasis elektronik lima tahun", k=3)
    assert hits and "peta rencana" in hits[0].passage.text
    assert hits[0].citation_label.startswith("Pasal 2")
    assert reader.search("peta rencana", SearchFilters(doc_ids=["no-such-document"]), k=3) == []
