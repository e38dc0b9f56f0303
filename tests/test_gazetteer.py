"""The gazetteer: Kemendagri regions by code and name, and region mentions found in text with exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.gazetteer import Gazetteer
from core.settings import PROJECT_ROOT
from core.types import Region

PAPERS = PROJECT_ROOT / "documents" / "papers"
GAZ = Gazetteer.default()

# Codes from the Kemendagri list (Permendagri 72/2019 numbering).
BALIKPAPAN, SAMARINDA = "64.71", "64.72"
KAB_MALANG, KOTA_MALANG, KOTA_BATU = "35.07", "35.73", "35.79"


def codes(text: str) -> list[str]:
    return [m.region.code for m in GAZ.city_mentions(text)]


def test_covers_every_province_and_kabupaten_kota():
    assert len(GAZ.regions("provinsi")) == 38
    assert len(GAZ.regions("kabupaten")) + len(GAZ.regions("kota")) == 514
    assert GAZ.get(BALIKPAPAN).official == "Kota Balikpapan"
    assert GAZ.get(BALIKPAPAN).province == "Kalimantan Timur"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("64.71", BALIKPAPAN), ("6471", BALIKPAPAN), ("Kota Balikpapan", BALIKPAPAN), ("Balikpapan", BALIKPAPAN),
        ("balikpapan city", BALIKPAPAN), ("Pemkot Balikpapan", BALIKPAPAN), ("  KOTA   BALIKPAPAN ", BALIKPAPAN),
        ("Kab. Malang", KAB_MALANG), ("Malang Regency", KAB_MALANG), ("Kabupaten Malang", KAB_MALANG),
        ("Kota Malang", KOTA_MALANG), ("Malang City", KOTA_MALANG),
        ("Malang", KOTA_MALANG),  # the documented rule: a bare shared name is the kota
        ("Kalimantan Barat", "61"), ("Provinsi Kalimantan Barat", "61"), ("East Kalimantan", "64"),
        ("Batu", KOTA_BATU),  # someone asking for "Batu" means the city, not a stone
        ("Jakarta", "31"), ("Jakarta Pusat", "31.71"), ("Kota Administrasi Jakarta Pusat", "31.71"),
        ("Baubau", "74.72"), ("Palangka Raya", "62.71"),
    ],
)
def test_resolve_accepts_codes_names_and_qualified_forms(query: str, code: str):
    region = GAZ.resolve(query)
    assert region is not None and region.code == code


@pytest.mark.parametrize("query", ["", "Atlantis", "99.99", "Kota Atlantis"])
def test_resolve_returns_none_for_unknown_places(query: str):
    assert GAZ.resolve(query) is None


@pytest.mark.parametrize("region", GAZ.regions(), ids=lambda r: r.code)
def test_every_official_name_round_trips(region: Region):
    assert GAZ.resolve(region.official) == region
    assert GAZ.resolve(region.code.replace(".", "")) == region
    for written in (region.official, region.official.upper()):
        text = f"Data dari {written} tersedia."
        mentions = GAZ.city_mentions(text)
        assert [(m.region, m.surface) for m in mentions] == [(region, written)]


@pytest.mark.parametrize(
    "surface",
    ["Kota Balikpapan", "Balikpapan City", "City of Balikpapan", "Pemkot Balikpapan", "Pemerintah Kota Balikpapan",
     "KOTA BALIKPAPAN", "Wali Kota Balikpapan", "Walikota Balikpapan", "Mayor of Balikpapan", "Balikpapan"],
)
def test_kota_forms_are_mentions_with_exact_offsets(surface: str):
    text = f"Menurut laporan, {surface} menerapkan SPBE."
    [mention] = GAZ.city_mentions(text)
    assert mention.region.code == BALIKPAPAN
    assert text[mention.start : mention.end] == mention.surface == surface


@pytest.mark.parametrize(
    "surface",
    ["Kabupaten Banyuwangi", "Kab. Banyuwangi", "Banyuwangi Regency", "Pemkab Banyuwangi", "Bupati Banyuwangi",
     "BUPATI BANYUWANGI", "Pemerintah Kabupaten Banyuwangi", "Banyuwangi"],
)
def test_kabupaten_forms_are_mentions_with_exact_offsets(surface: str):
    text = f"Program {surface} berjalan."
    [mention] = GAZ.city_mentions(text)
    assert mention.region.official == "Kabupaten Banyuwangi"
    assert text[mention.start : mention.end] == surface


def test_kabupaten_and_kota_sharing_a_name_are_told_apart():
    text = "Kabupaten Malang, Kota Malang, Malang City, Malang Regency, Kab. Malang and Malang itself."
    assert codes(text) == [KAB_MALANG, KOTA_MALANG, KOTA_MALANG, KAB_MALANG, KAB_MALANG, KOTA_MALANG]


def test_common_word_names_need_a_qualifier():
    text = "Batu itu keras. Agam and Buru. Tengah malam. Kota Batu, Batu City, Kabupaten Agam."
    mentions = GAZ.city_mentions(text)
    assert [m.surface for m in mentions] == ["Kota Batu", "Batu City", "Kabupaten Agam"]
    assert mentions[0].region.code == KOTA_BATU


def test_lower_case_words_are_not_bare_names():
    assert GAZ.city_mentions("malang nasib, kota baru, batu bara") == []


@pytest.mark.parametrize(("text", "code"), [
    ("Instruksi Gubernur Sulut Nomor 1 Tahun 2019", "71"), ("Pergub Kalbar 12/2020", "61"),
    ("Pemprov Jatim", "35"), ("Perda Provinsi Kepri", "21"), ("Pergub Sulteng", "72"),
])
def test_a_province_is_named_by_its_short_name(text: str, code: str):
    assert [m.region.code for m in GAZ.city_mentions(text)] == [code]


def test_kota_baru_is_not_kotabaru():
    assert GAZ.city_mentions("Sebuah Kota Baru dibangun.") == []
    [mention] = GAZ.city_mentions("Kabupaten Kotabaru di Kalimantan Selatan")[:1]
    assert mention.region.official == "Kabupaten Kotabaru"


def test_longest_name_wins_and_multiword_names_match_whole():
    mentions = GAZ.city_mentions("Kutai Kartanegara, Bandung Barat, Jakarta Pusat, Jakarta and West Bandung Regency.")
    assert [m.region.official for m in mentions] == [
        "Kabupaten Kutai Kartanegara", "Kabupaten Bandung Barat", "Kota Administrasi Jakarta Pusat",
        "Provinsi Daerah Khusus Ibukota Jakarta", "Kabupaten Bandung Barat",
    ]
    assert GAZ.city_mentions("Kutai saja.") == []


def test_title_forms_of_regulation_pdfs():
    text = "WALI KOTA KENDARI\nPROVINSI SULAWESI TENGGARA\nPERATURAN WALIKOTA SINGKAWANG"
    assert [m.region.official for m in GAZ.city_mentions(text)] == [
        "Kota Kendari", "Provinsi Sulawesi Tenggara", "Kota Singkawang"]


def test_paper_000_mentions_its_two_cities_including_the_damaged_urls():
    text = (PAPERS / "000_1509ec196a059127.txt").read_text(encoding="utf-8")
    mentions = GAZ.city_mentions(text)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))
    found = {m.region.code for m in mentions}
    assert {BALIKPAPAN, SAMARINDA} <= found
    url = text.index("Smartcity.Kota Balikpapan.go.id") + len("Smartcity.")
    assert any(m.start == url and m.region.code == BALIKPAPAN for m in mentions)
    assert "Kutai Kartanegara Regency" in {m.surface for m in mentions}


def test_paper_003_knows_batu_city_from_the_stone():
    text = (PAPERS / "003_189fcf588cc1eeba.txt").read_text(encoding="utf-8")
    batu = [m for m in GAZ.city_mentions(text) if m.region.code == KOTA_BATU]
    assert batu and all(m.surface.lower() == "batu city" for m in batu)


def test_the_default_gazetteer_is_built_once():
    # Its build and scan speed are figures of scripts/benchmark_text.py, not assertions here.
    assert Gazetteer.default() is GAZ


# ------------------------------------------------------------------------------------------- properties

QUALIFIED = {
    "kota": ["Kota {n}", "{n} City", "Pemkot {n}", "Pemerintah Kota {n}", "Wali Kota {n}", "City of {n}", "KOTA {N}"],
    "kabupaten": ["Kabupaten {n}", "Kab. {n}", "{n} Regency", "Pemkab {n}", "Bupati {n}", "KABUPATEN {N}"],
    "provinsi": ["Provinsi {n}", "{n} Province", "Gubernur {n}", "PROVINSI {N}"],
}
FILLER = st.lists(st.sampled_from(["dan", "program", "layanan", "digital", "the", "data", "untuk", "smart",
                                   "kebijakan", "services", "were", "evaluated", "tahun", "ini", "–", ",", "."]),
                  max_size=8).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(region=st.sampled_from(GAZ.regions()), data=st.data(), before=FILLER, after=FILLER)
def test_qualified_mentions_are_found_at_their_offsets(region: Region, data, before: str, after: str):
    template = data.draw(st.sampled_from(QUALIFIED[region.kind]))
    surface = template.format(n=region.name, N=region.name.upper())
    text = f"{before} {surface} {after}"
    mentions = GAZ.city_mentions(text)
    start = len(before) + 1
    assert [(m.start, m.end, m.region) for m in mentions] == [(start, start + len(surface), region)]
    assert mentions[0].surface == text[start : start + len(surface)]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Kota Malang Balikpapan City Regency kab. \n\t-'ABC")), max_size=120))
def test_mentions_never_overlap_and_slice_exactly(text: str):
    mentions = GAZ.city_mentions(text)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


def test_spacing_variants_of_names_are_the_same_place():
    text = "Pemkot Baubau, Kota Bau-Bau, Tanjungpinang, Tanjung Pinang dan Kabupaten Toli-Toli."
    assert [m.region.official for m in GAZ.city_mentions(text)] == [
        "Kota Bau Bau", "Kota Bau Bau", "Kota Tanjung Pinang", "Kota Tanjung Pinang", "Kabupaten Toli-Toli"]
