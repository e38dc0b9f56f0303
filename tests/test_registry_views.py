"""The registry as /regulations presents it, over a real store built in a temporary folder: a mention whose
source omits the year is counted under the one instrument of that type, issuer and number that has a year."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api import views
from testing.corpus import make_settings
from vectorstore.hybrid import HybridRetriever

WITH_YEAR = "permendagri|national|90|2019"
YEARLESS = "permendagri|national|90|"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HybridRetriever]:
    from ingest.library import LibraryWriter

    inbox = tmp_path_factory.mktemp("inbox")
    (inbox / "kajian_anggaran.txt").write_text(
        "Kajian Anggaran SPBE Kota Balikpapan\n\nPenyusunan anggaran mengikuti Peraturan Menteri Dalam Negeri "
        "Nomor 90 Tahun 2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan Pembangunan dan "
        "Keuangan Daerah.\n", encoding="utf-8")
    (inbox / "catatan_nomenklatur.txt").write_text(
        "Catatan Nomenklatur Program\n\nNomenklatur program disusun sesuai Peraturan Menteri Dalam Negeri "
        "Nomor 90 tentang klasifikasi dan kodefikasi.\n", encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("registry") / "data"
    with LibraryWriter.open(make_settings(data_dir)) as library:
        assert {o.status for o in library.ingest_paths([inbox])} == {"added"}
        yield HybridRetriever(library)


def test_a_yearless_mention_is_listed_under_the_instrument_with_the_year(retriever):
    assert retriever.library.catalog.get_regulation(YEARLESS) is not None, "the yearless mention stays stored"
    listed = {r.key: r for r in views.list_regulations(retriever, None, "Permendagri", None, None)}
    assert list(listed) == [WITH_YEAR]
    assert listed[WITH_YEAR].aliases == [YEARLESS]
    assert {m.title for m in listed[WITH_YEAR].mentions} == {"Kajian Anggaran SPBE Kota Balikpapan",
                                                             "Catatan Nomenklatur Program"}


def test_the_yearless_key_opens_the_instrument_it_was_counted_under(retriever):
    detail = views.regulation_detail(retriever, YEARLESS)
    assert detail.key == WITH_YEAR and detail.aliases == [YEARLESS] and len(detail.mentions) == 2


# ------------------------------------------------------------------------------------- amendments

AMENDED = "perwali|74.71|48|2021"
AMENDING = "perwali|74.71|19|2024"


@pytest.fixture(scope="module")
def kendari(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HybridRetriever]:
    """A store holding the Kendari scan OCR'd whole: its Pasal I, the amendment itself, is on page 4 (the
    sample-corpus store OCRs two pages per scan, so it holds no Pasal I)."""
    from ingest.library import LibraryWriter
    from tests.legal_fixtures import KENDARI, REGULATIONS

    settings = make_settings(tmp_path_factory.mktemp("kendari") / "data")
    settings = settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"max_pages": None})})
    with LibraryWriter.open(settings) as library:
        assert [o.status for o in library.ingest_paths([REGULATIONS / KENDARI])] == ["added"]
        yield HybridRetriever(library)


def test_the_amended_regulation_shows_which_unit_was_changed_by_which_regulation(kendari):
    [change] = views.regulation_detail(kendari, AMENDED).amended_units
    assert change.label == "Pasal 11 diubah by Perwali Kota Kendari No. 19 Tahun 2024"
    assert (change.unit, change.action, change.amended_key, change.amended_by_key) == (
        "Pasal 11", "diubah", AMENDED, AMENDING)
    clean = kendari.library.catalog.get_clean(change.doc_id)
    assert clean is not None and clean.text[change.start : change.end] == change.evidence
    assert change.evidence.startswith("Ketentuan Pasal 11 dalam Peraturan Wali Kota Kendari Nomor 48 Tahun 2021")
    # The directive is cited from the amending regulation's own passages, as Pasal I of Perwali 19/2024.
    assert change.passage_ids and change.citation is not None
    assert change.citation.passage_id == change.passage_ids[0] and change.citation.doc_id == change.doc_id
    assert clean.text[change.citation.start : change.citation.end] == change.citation.quote
    assert change.citation.label.startswith("Pasal I, Perwali Kota Kendari No. 19 Tahun 2024, p. ")


def test_the_amending_regulation_lists_its_changes(kendari):
    detail = views.regulation_detail(kendari, AMENDING)
    assert [(c.unit, c.action, c.amended_key) for c in detail.changes] == [("Pasal 11", "diubah", AMENDED)]
    assert detail.amended_units == []
    assert detail.changes == views.regulation_detail(kendari, AMENDED).amended_units


def test_asked_what_an_amendment_changes_the_answer_quotes_its_directive_and_new_wording(kendari):
    from api.engine.extractive import answer_extractive

    answer = answer_extractive(kendari, "What does Kendari's third amendment of Perwali 48/2021 change?")
    assert answer.covered and "Pasal 11 diubah" in answer.text
    passages = kendari.passages()
    assert any("Pasal 11 (diubah)" in passages[c.passage_id].section for c in answer.citations)
    for c in answer.citations:
        clean = kendari.library.catalog.get_clean(c.doc_id)
        assert clean is not None and clean.text[c.start : c.end] == c.quote
