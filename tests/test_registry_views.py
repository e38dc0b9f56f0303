"""The registry as /regulations presents it, over a real store built in a temporary folder: a mention whose
source omits the year is counted under the one instrument of that type, issuer and number that has a year."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api import views
from tests.conftest import make_settings
from vectorstore.hybrid import HybridRetriever

WITH_YEAR = "permendagri|national|90|2019"
YEARLESS = "permendagri|national|90|"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HybridRetriever]:
    from ingest.library import Library

    inbox = tmp_path_factory.mktemp("inbox")
    (inbox / "kajian_anggaran.txt").write_text(
        "Kajian Anggaran SPBE Kota Balikpapan\n\nPenyusunan anggaran mengikuti Peraturan Menteri Dalam Negeri "
        "Nomor 90 Tahun 2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan Pembangunan dan "
        "Keuangan Daerah.\n", encoding="utf-8")
    (inbox / "catatan_nomenklatur.txt").write_text(
        "Catatan Nomenklatur Program\n\nNomenklatur program disusun sesuai Peraturan Menteri Dalam Negeri "
        "Nomor 90 tentang klasifikasi dan kodefikasi.\n", encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("registry") / "data"
    with Library.open(make_settings(data_dir), writer=True) as library:
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
