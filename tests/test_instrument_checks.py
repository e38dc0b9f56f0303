"""Which regulation mentions are listed as instruments, and which stay only searchable."""

from __future__ import annotations

import pytest

from core.gazetteer import Gazetteer
from core.types import RegulationRef
from ingest.instrument_checks import listable
from ingest.regulations import parse_regulation_refs


def _ref(text: str) -> RegulationRef:
    mentions = parse_regulation_refs(text, Gazetteer.default())
    assert mentions, text
    return mentions[0].ref


@pytest.mark.parametrize("text", [
    "Peraturan Daerah Kabupaten Pinrang Nomor 16 Tahun 2008 tentang Irigasi",
    "Peraturan Bupati Donggala Nomor 33 Tahun 2024",
    "Peraturan Gubernur Daerah Istimewa Yogyakarta Nomor 64 Tahun 2023",
    "Keputusan Bupati Tulang Bawang Barat Nomor B/430/II.02/HK/TUBABA/2018",
    "Keputusan Wali Kota Kendari Nomor 188.45-390 Tahun 2019",
    "Peraturan Menteri Keuangan Nomor 262 Tahun 2010",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
])
def test_real_instruments_are_listed(text: str) -> None:
    assert listable(_ref(text))


@pytest.mark.parametrize("text", [
    "Perda Kota Kendari No. 133-3/2018",  # a Perda is numbered with a plain serial number
    "Peraturan Daerah Kota Kendari Nomor 1330 Tahun 2018",  # no region makes a thousand Perda a year
    "Peraturan Wali Kota Kendari Nomor 1",  # yearless: nothing a reader could find
    "Peraturan Wali Kota Kendari Nomor 12 Tahun 1899",
])
def test_implausible_mentions_are_not_listed(text: str) -> None:
    assert not listable(_ref(text))


def test_ocr_debris_in_the_reference_is_not_listed() -> None:
    ref = RegulationRef(instrument="Perwali", number="1", year=2020, region_code="74.71", surface="Perwali No. 1$ 2020")
    assert not listable(ref)
