"""A region's instruments (``api.engine.instruments``) read the same whether the warm-up read every region's at once
or the region is read on its own, over a real store built in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.engine.instruments import city_instruments, instruments_by_region
from testing.corpus import make_settings
from vectorstore.hybrid import HybridRetriever

BALIKPAPAN, SAMARINDA = "64.71", "64.72"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from ingest.library import LibraryWriter

    inbox = tmp_path_factory.mktemp("inbox")
    (inbox / "kajian_spbe_balikpapan.txt").write_text(
        "Kajian SPBE Kota Balikpapan\n\nPemerintah Kota Balikpapan menetapkan Peraturan Wali Kota Balikpapan "
        "Nomor 12 Tahun 2020 tentang Sistem Pemerintahan Berbasis Elektronik di Kota Balikpapan.\n",
        encoding="utf-8")
    with LibraryWriter.open(make_settings(tmp_path_factory.mktemp("instruments") / "data")) as writer:
        assert {o.status for o in writer.ingest_paths([inbox])} == {"added"}
        yield writer


def test_a_region_reads_the_same_instruments_after_the_warm_up_read_every_region(library):
    warmed, fresh = HybridRetriever(library), HybridRetriever(library)
    instruments_by_region(warmed)
    balikpapan = city_instruments(fresh, BALIKPAPAN)
    assert balikpapan, "the store has an instrument of Balikpapan, so that the comparison means something"
    assert city_instruments(warmed, BALIKPAPAN) == balikpapan
    # A region that issued nothing is known to have none without reading the registry again.
    assert city_instruments(warmed, SAMARINDA) == city_instruments(fresh, SAMARINDA) == []
