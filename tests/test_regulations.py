"""Regulation references read from the corpus' real text (papers, regulation PDFs, manifest titles) and from
generated references, into normal form with exact offsets and the right issuing region."""

from __future__ import annotations

import json
import re

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.gazetteer import Gazetteer
from core.legal_patterns import INSTRUMENTS
from core.settings import PROJECT_ROOT
from core.types import Region, RegulationMention
from ingest.regulations import parse_regulation_refs

DOCS = PROJECT_ROOT / "documents"
GAZ = Gazetteer.default()
BALIKPAPAN, SAMARINDA, KOTA_MALANG = "64.71", "64.72", "35.73"


def paper(name: str) -> str:
    return next((DOCS / "papers").glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def facts(mention: RegulationMention) -> tuple:
    ref = mention.ref
    return ref.instrument, ref.region_code, ref.number, ref.year


def by_number(mentions: list[RegulationMention], number: str, year: int) -> list[RegulationMention]:
    return [m for m in mentions if m.ref.number == number and m.ref.year == year]


def assert_exact_offsets(text: str, mentions: list[RegulationMention]) -> None:
    for m in mentions:
        assert text[m.start : m.end] == m.ref.surface
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))


# ------------------------------------------------------------------------------- paper 000, Table 1

PAPER_000 = paper("000")
TABLE_1 = (PAPER_000.index("Table 1. Digital Transformation"), PAPER_000.index("As seen in Table 1"))
TABLE_1_FACTS = {
    ("Perda", BALIKPAPAN, "6", 2021), ("Kepwali", BALIKPAPAN, "188.45-390", 2021),
    ("Perwali", BALIKPAPAN, "39", 2019), ("Perwali", BALIKPAPAN, "31", 2020), ("Perwali", BALIKPAPAN, "14", 2022),
    ("Perwali", BALIKPAPAN, "3", 2023),
    ("Perda", SAMARINDA, "4", 2021), ("Perwali", SAMARINDA, "79", 2022), ("Perwali", SAMARINDA, "27", 2021),
    ("Perwali", SAMARINDA, "10", 2022), ("Perwali", SAMARINDA, "72", 2022), ("Perwali", SAMARINDA, "16", 2023),
    ("Perpres", None, "95", 2018), ("Perpres", None, "39", 2019),
}


def table_1_mentions(default_region: Region | None = None) -> list[RegulationMention]:
    mentions = parse_regulation_refs(PAPER_000, GAZ, default_region=default_region)
    assert_exact_offsets(PAPER_000, mentions)
    return [m for m in mentions if TABLE_1[0] <= m.start < TABLE_1[1]]


@pytest.mark.parametrize("default_city", [None, BALIKPAPAN, SAMARINDA])
def test_table_1_every_regulation_with_its_column_city(default_city: str | None):
    """Each column's refs belong to the city in its header, whatever the document's own city is."""
    mentions = table_1_mentions(GAZ.get(default_city) if default_city else None)
    assert {facts(m) for m in mentions} == TABLE_1_FACTS


def test_table_1_subjects_come_from_the_cells():
    subjects = {facts(m): m.ref.subject for m in table_1_mentions()}
    assert subjects[("Perwali", BALIKPAPAN, "31", 2020)] == "Implementation of SPBE"
    assert subjects[("Kepwali", BALIKPAPAN, "188.45-390", 2021)] == "Smart City Masterplan"
    assert subjects[("Perda", SAMARINDA, "4", 2021)].startswith("RPJMD 2021-2026")
    assert subjects[("Perwali", SAMARINDA, "79", 2022)] == "Smart City Plus Masterplan"
    assert subjects[("Perpres", None, "39", 2019)] == "One Data Indonesia"


def test_table_1_keeps_numbers_as_written_without_leading_zeros():
    [mention] = [m for m in table_1_mentions() if m.ref.year == 2023 and m.ref.region_code == BALIKPAPAN]
    assert mention.ref.surface == "Mayor's Regulation 03/2023"
    assert mention.ref.number == "3"
    assert mention.ref.key == "perwali|64.71|3|2023"


def test_prose_after_the_table_takes_the_city_named_before_in_the_paragraph():
    mentions = parse_regulation_refs(PAPER_000, GAZ, default_region=GAZ.get(SAMARINDA))
    prose = [m for m in mentions if m.start >= TABLE_1[1]]
    listed = PAPER_000.index("Mayor's Regulations 31/2020 and 14/2022")
    pair = [m for m in prose if listed <= m.start < listed + 45]
    assert [(m.ref.surface, m.ref.region_code) for m in pair] == [
        ("Mayor's Regulations 31/2020", BALIKPAPAN), ("14/2022", BALIKPAPAN)]
    assert {m.ref.region_code for m in by_number(prose, "79", 2022)} == {SAMARINDA}


def test_a_paragraph_broken_by_extraction_keeps_its_city():
    """'(Mayor's Regulation 27/2021)\\n\\nand SPBE (Mayor's Regulation 10/2022)': the city is above the break."""
    broken = PAPER_000.index("and SPBE (Mayor's Regulation 10/2022)")
    mentions = parse_regulation_refs(PAPER_000, GAZ, default_region=GAZ.get(BALIKPAPAN))
    [mention] = [m for m in mentions if broken < m.start < broken + 20]
    assert facts(mention) == ("Perwali", SAMARINDA, "10", 2022)


def test_a_regulation_named_without_a_number_is_not_a_reference():
    sentence = "The Mayor's Regulation is already in place, as are the technical guidelines."
    assert sentence[:40] in PAPER_000
    assert parse_regulation_refs(sentence, GAZ) == []


# ------------------------------------------------------------------------------- papers 001-004


def test_paper_001_law_and_balikpapan_regulations():
    text = paper("001")
    mentions = parse_regulation_refs(text, GAZ)
    assert_exact_offsets(text, mentions)
    assert {facts(m) for m in by_number(mentions, "23", 2014)} == {("UU", None, "23", 2014)}
    [perwali] = by_number(mentions, "55", 2016)
    assert facts(perwali) == ("Perwali", BALIKPAPAN, "55", 2016)
    assert perwali.ref.surface == "Balikpapan Mayor Regulation Number 55 Year 2016"
    assert perwali.ref.subject.startswith("Organizational Structure, Job Description")
    [perda] = by_number(mentions, "2", 2017)
    assert facts(perda) == ("Perda", BALIKPAPAN, "2", 2017)
    assert perda.ref.subject == "Implementation of Communication and Information Technology"


def test_paper_002_indonesian_law():
    text = paper("002")
    [law] = by_number(parse_regulation_refs(text, GAZ), "23", 2014)
    assert facts(law) == ("UU", None, "23", 2014)
    assert law.ref.surface == "Undang-Undang nomor 23 Tahun 2014"


def test_paper_003_malang_mayor_regulations():
    text = paper("003")
    mentions = parse_regulation_refs(text, GAZ)
    assert_exact_offsets(text, mentions)
    first = text.index("Malang City Mayor Regulation No. 55 of 2019")
    [perwali] = [m for m in mentions if m.start == first]
    assert facts(perwali) == ("Perwali", KOTA_MALANG, "55", 2019)
    assert perwali.ref.subject == "Electronic-Based Government System Governance"
    for number, year in (("43", 2020), ("8", 2022), ("9", 2022), ("8", 2023)):
        found = by_number(mentions, number, year)
        assert found and {facts(m) for m in found} == {("Perwali", KOTA_MALANG, number, year)}
    [perda] = by_number(mentions, "4", 2023)
    assert facts(perda) == ("Perda", KOTA_MALANG, "4", 2023)
    assert perda.ref.subject == "Regional Taxes and Levies"


def test_paper_004_presidential_regulation_in_indonesian():
    mentions = by_number(parse_regulation_refs(paper("004"), GAZ), "39", 2019)
    assert mentions and {(facts(m), m.ref.subject) for m in mentions} == {
        (("Perpres", None, "39", 2019), "Satu Data Indonesia")}


# ------------------------------------------------------------------------------- regulation documents

# The identity of each bundled regulation, as its file name and the government's portal give it.
REGULATIONS = {
    "perwako_singkawang_24_2018": ("Perwali", "Kota Singkawang", "24", 2018),
    "perwali_surabaya_68_2021": ("Perwali", "Kota Surabaya", "68", 2021),
    "perbup_banyuwangi_19_2012": ("Perbup", "Kabupaten Banyuwangi", "19", 2012),
    "peraturan_bssn_8_2024": ("Peraturan BSSN", None, "8", 2024),
    "perpres_82_2023": ("Perpres", None, "82", 2023),
    "kepgub_kalbar_224_bappeda_2023": ("Kepgub", "Provinsi Kalimantan Barat", "224/BAPPEDA", 2023),
    "perwali_kendari_19_2024": ("Perwali", "Kota Kendari", "19", 2024),
}


def identity(mention: RegulationMention) -> tuple:
    ref = mention.ref
    return ref.instrument, ref.region_name, ref.number, ref.year


def regulation_file(stem: str):
    return next((DOCS / "regulations").glob(f"{stem}_*.pdf"))


@pytest.mark.parametrize("entry", [e for e in json.loads((DOCS / "manifest.json").read_text())["documents"]
                                   if e["doc_type"] == "regulation"], ids=lambda e: e["file"])
def test_manifest_titles_parse_to_the_regulations_identity(entry: dict):
    stem = next(s for s in REGULATIONS if s in entry["file"])
    mentions = parse_regulation_refs(entry["title"], GAZ)
    assert identity(mentions[0]) == REGULATIONS[stem]
    assert mentions[0].ref.subject and mentions[0].ref.subject in entry["title"]


def test_kendari_amendment_title_names_the_amended_perwali_of_the_same_city():
    title = ("Peraturan Wali Kota Kendari Nomor 19 Tahun 2024 tentang Perubahan Ketiga atas Peraturan Wali Kota "
             "Nomor 48 Tahun 2021 tentang Harga Satuan Pokok Kegiatan dan Analisis Standar Belanja")
    own, amended = parse_regulation_refs(title, GAZ)
    assert identity(amended) == ("Perwali", "Kota Kendari", "48", 2021)
    assert own.ref.subject.startswith("Perubahan Ketiga atas Peraturan Wali Kota Nomor 48 Tahun 2021")
    assert amended.ref.subject == "Harga Satuan Pokok Kegiatan dan Analisis Standar Belanja"


@pytest.mark.parametrize("stem", [s for s in REGULATIONS if "kendari" not in s])  # Kendari is an image-only scan
def test_title_page_of_each_regulation_pdf(stem: str):
    """Upper-case title blocks as the PDFs print them: 'PERATURAN WALIKOTA SINGKAWANG \\nNOMOR  24  TAHUN 2018'."""
    text = pypdf.PdfReader(regulation_file(stem)).pages[0].extract_text()
    mentions = parse_regulation_refs(text, GAZ)
    assert_exact_offsets(text, mentions)
    assert identity(mentions[0]) == REGULATIONS[stem]
    assert mentions[0].ref.surface.split()[0].isupper()


def test_kepgub_konsiderans_cites_the_governors_regulation_and_a_law():
    text = pypdf.PdfReader(regulation_file("kepgub_kalbar_224_bappeda_2023")).pages[0].extract_text()
    found = {(identity(m), m.ref.subject) for m in parse_regulation_refs(text, GAZ)}
    assert (("Pergub", "Provinsi Kalimantan Barat", "119", 2019), "Satu Data") in found
    assert (("UU", None, "16", 1997), "Statistik") in found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PERATURAN WALI KOTA SURABAYA NOMOR 68 TAHUN 2021", ("Perwali", "Kota Surabaya", "68", 2021)),
        ("PERATURAN WALI KOTA SINGKAWANG NOMOR 24 TAHUN 2018", ("Perwali", "Kota Singkawang", "24", 2018)),
        ("Peraturan Wali Kota Balikpapan Nomor  31  Tahun 2020", ("Perwali", "Kota Balikpapan", "31", 2020)),
        ("Peraturan Wali Kota Balikpapan Nomor31 Tahun2020", ("Perwali", "Kota Balikpapan", "31", 2020)),
        ("Peraturan Walikota Samarinda No. 10 Tahun 2022", ("Perwali", "Kota Samarinda", "10", 2022)),
        ("Perwali Kota Malang Nomor 5 Tahun 2018", ("Perwali", "Kota Malang", "5", 2018)),
        ("Peraturan Daerah Kota Singkawang Nomor 5 Tahun 2013", ("Perda", "Kota Singkawang", "5", 2013)),
        ("Perda Provinsi Jawa Timur Nomor 3 Tahun 2019", ("Perda", "Provinsi Jawa Timur", "3", 2019)),
        ("Keputusan Wali Kota Balikpapan Nomor 188.45-390 Tahun 2021",
         ("Kepwali", "Kota Balikpapan", "188.45-390", 2021)),
        ("Malang Regent Regulation No. 5 of 2019", ("Perbup", "Kabupaten Malang", "5", 2019)),
        ("Regulation of the Mayor of Balikpapan Number 31 of 2020", ("Perwali", "Kota Balikpapan", "31", 2020)),
        ("Peraturan Menteri Dalam Negeri Nomor 80 Tahun 2015", ("Permendagri", None, "80", 2015)),
        ("Peraturan Menteri Dalam Negeri Republik Indonesia Nomor 90 Tahun 2019", ("Permendagri", None, "90", 2019)),
        ("Peraturan Menteri PANRB Nomor 5 Tahun 2018", ("PermenPAN-RB", None, "5", 2018)),
        ("Peraturan Menteri Nomor 5 Tahun 2018", ("Permen", None, "5", 2018)),
        ("Minister of Finance Regulation No. 5/2018", ("PMK", None, "5", 2018)),
        ("Government Regulation No. 71/2019", ("PP", None, "71", 2019)),
        ("UU No. 23/2014", ("UU", None, "23", 2014)),
        ("Perpres 95 Tahun 2018", ("Perpres", None, "95", 2018)),
        ("Peraturan Pemerintah Nomor 61 Tahun 2010", ("PP", None, "61", 2010)),
    ],
)
def test_written_forms(line: str, expected: tuple):
    [mention] = parse_regulation_refs(f"Sesuai {line}, maka", GAZ)
    assert identity(mention) == expected
    assert mention.ref.surface == line


# The constitution ("Undang-Undang Dasar 1945") is a reference with no number: see the tests at the end.
@pytest.mark.parametrize("text", ["see pp. 12/2019 of the journal", "Undang-Undang Dasar, Pemerintah", "Perwali 2020",
                                  "Regional Regulation supports Smart Governance"])
def test_not_references(text: str):
    assert parse_regulation_refs(text, GAZ) == []


def test_lists_after_one_instrument_are_separate_references():
    text = "Perwali Nomor 31 Tahun 2020 dan Nomor 14 Tahun 2022 mengatur SPBE."
    mentions = parse_regulation_refs(text, GAZ, default_region=GAZ.get(BALIKPAPAN))
    assert [(m.ref.number, m.ref.year, m.ref.region_code) for m in mentions] == [
        ("31", 2020, BALIKPAPAN), ("14", 2022, BALIKPAPAN)]
    assert_exact_offsets(text, mentions)


def test_default_region_only_for_local_instruments_of_its_kind():
    text = "Perpres 95 Tahun 2018 dan Perwali No. 14/2022 serta Perbup No. 2/2020."
    kota = {m.ref.instrument: m.ref.region_code for m in parse_regulation_refs(text, GAZ, GAZ.get(BALIKPAPAN))}
    assert kota == {"Perpres": None, "Perwali": BALIKPAPAN, "Perbup": None}


def test_national_instruments_never_take_the_city_around_them():
    text = "Balikpapan City follows Presidential Regulation 39/2019 on One Data Indonesia."
    [mention] = parse_regulation_refs(text, GAZ, default_region=GAZ.get(BALIKPAPAN))
    assert facts(mention) == ("Perpres", None, "39", 2019)
    assert mention.ref.surface == "Presidential Regulation 39/2019"


def test_every_instrument_found_in_the_corpus_is_listed_for_the_ui():
    for path in (DOCS / "papers").glob("*.txt"):
        for m in parse_regulation_refs(path.read_text(encoding="utf-8"), GAZ):
            assert m.ref.instrument in INSTRUMENTS


# ------------------------------------------------------------------------------- properties

LOCAL_TEMPLATES = {
    "Perwali": ("kota", [
        "Peraturan Wali Kota {n} Nomor {num} Tahun {y}", "Peraturan Walikota {n} No. {num} Tahun {y}",
        "PERATURAN WALI KOTA {N} NOMOR {num} TAHUN {y}", "{n} City Mayor Regulation No. {num} of {y}",
        "Mayor's Regulation of {n} City Number {num} of {y}", "Perwali Kota {n} Nomor {num} Tahun {y}",
        "{n} City Mayor's Regulation {num}/{y}",
    ]),
    "Kepwali": ("kota", ["Keputusan Wali Kota {n} Nomor {num} Tahun {y}", "{n} City Mayor's Decree {num}/{y}"]),
    "Perbup": ("kabupaten", [
        "Peraturan Bupati {n} Nomor {num} Tahun {y}", "PERATURAN BUPATI {N} NOMOR {num} TAHUN {y}",
        "Regent Regulation of {n} Regency No. {num} of {y}", "{n} Regency Regent Regulation {num}/{y}",
    ]),
    "Kepbup": ("kabupaten", ["Keputusan Bupati {n} Nomor {num} Tahun {y}"]),
    "Pergub": ("provinsi", [
        "Peraturan Gubernur {n} Nomor {num} Tahun {y}", "Governor Regulation of {n} Province No. {num} of {y}",
    ]),
    "Kepgub": ("provinsi", [
        "Keputusan Gubernur {n} Nomor {num} Tahun {y}", "KEPUTUSAN GUBERNUR {N} NOMOR : {num}/{y}",
    ]),
    "Perda": ("any", [
        "Peraturan Daerah {q} {n} Nomor {num} Tahun {y}", "Regional Regulation of {n} {e} Number {num} of {y}",
        "{n} {e} Local Regulation {num}/{y}",
    ]),
}
NATIONAL_TEMPLATES = {
    "Perpres": ["Peraturan Presiden Nomor {num} Tahun {y}", "Presidential Regulation Number {num} of {y}",
                "Perpres {num} Tahun {y}", "Presidential Regulation {num}/{y}",
                "PERATURAN PRESIDEN NOMOR {num} TAHUN {y}"],
    "UU": ["Undang-Undang Nomor {num} Tahun {y}", "Law No. {num} of {y}", "UU No. {num}/{y}",
           "Law number {num} of {y}"],
    "PP": ["Peraturan Pemerintah Nomor {num} Tahun {y}", "Government Regulation No. {num}/{y}", "PP {num}/{y}"],
    "Permen": ["Peraturan Menteri Nomor {num} Tahun {y}", "Ministerial Regulation No. {num}/{y}"],
    "Permendagri": ["Peraturan Menteri Dalam Negeri Nomor {num} Tahun {y}", "Permendagri No. {num} Tahun {y}",
                    "Minister of Home Affairs Regulation Number {num} of {y}"],
    "PermenPAN-RB": ["Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor {num} Tahun {y}",
                     "PermenPAN-RB No. {num} Tahun {y}"],
    "PMK": ["PMK Nomor {num} Tahun {y}", "Peraturan Menteri Keuangan Nomor {num} Tahun {y}"],
    "Peraturan BSSN": ["Peraturan Badan Siber dan Sandi Negara Nomor {num} Tahun {y}"],
    "Keppres": ["Keputusan Presiden Nomor {num} Tahun {y}", "Presidential Decree No. {num} of {y}"],
    "Inpres": ["Instruksi Presiden Nomor {num} Tahun {y}", "Presidential Instruction No. {num}/{y}"],
}
WORDS = {"kota": ("Kota", "City"), "kabupaten": ("Kabupaten", "Regency"), "provinsi": ("Provinsi", "Province")}
FILLER = st.lists(st.sampled_from(["dan", "program", "layanan", "digital", "the", "data", "untuk", "menjadi", "were",
                                   "evaluated", "ini", "smart", "governance", "–", ",", ".", "\n"]),
                  max_size=8).map(" ".join)
NUMBERS = st.one_of(
    st.integers(1, 300).map(lambda n: (str(n), str(n))),
    st.integers(1, 9).map(lambda n: (f"0{n}", str(n))),
    st.tuples(st.integers(100, 999), st.integers(1, 99), st.integers(1, 999)).map(
        lambda t: (f"{t[0]}.{t[1]}-{t[2]}",) * 2),
    st.tuples(st.integers(1, 500), st.sampled_from(["BAPPEDA", "DISKOMINFO", "Kep"])).map(
        lambda t: (f"{t[0]}/{t[1]}",) * 2),
)


@st.composite
def references(draw):
    """(surface, expected facts) for a generated reference, local or national, English or Indonesian."""
    number, normal = draw(NUMBERS)
    year = draw(st.integers(1950, 2030))
    if draw(st.booleans()):
        instrument = draw(st.sampled_from(sorted(LOCAL_TEMPLATES)))
        kind, templates = LOCAL_TEMPLATES[instrument]
        region = draw(st.sampled_from(GAZ.regions(None if kind == "any" else kind)))
        q, e = WORDS[region.kind]
        template = draw(st.sampled_from(templates))
        surface = template.format(n=region.name, N=region.name.upper(), num=number, y=year, q=q, e=e)
        return surface, (instrument, region.code, normal, year)
    instrument = draw(st.sampled_from(sorted(NATIONAL_TEMPLATES)))
    surface = draw(st.sampled_from(NATIONAL_TEMPLATES[instrument])).format(num=number, y=year)
    return surface, (instrument, None, normal, year)


@settings(max_examples=300, deadline=None)
@given(reference=references(), before=FILLER, after=FILLER, default=st.sampled_from([None, *GAZ.regions()[:40]]))
def test_generated_references_parse_back_to_their_normal_form(reference, before, after, default):
    surface, expected = reference
    text = f"{before} {surface} {after}"
    mentions = parse_regulation_refs(text, GAZ, default_region=default)
    start = len(before) + 1
    assert [(facts(m), m.start, m.end) for m in mentions] == [(expected, start, start + len(surface))]
    assert text[mentions[0].start : mentions[0].end] == mentions[0].ref.surface == surface


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Perwali Nomor Tahun Mayor's Regulation Kota Malang 0123/.-:\n\t")),
               max_size=150))
def test_any_text_gives_exact_non_overlapping_offsets(text: str):
    mentions = parse_regulation_refs(text, GAZ, default_region=GAZ.get(BALIKPAPAN))
    assert_exact_offsets(text, mentions)
    for m in mentions:
        assert re.fullmatch(r"\S.*\S|\S", m.ref.surface, re.S)


def test_same_number_from_two_ministries_is_two_regulations():
    text = ("Sesuai Peraturan Menteri Dalam Negeri Nomor 5 Tahun 2018 dan Peraturan Menteri Pendayagunaan Aparatur "
            "Negara dan Reformasi Birokrasi Nomor 5 Tahun 2018, maka")
    first, second = parse_regulation_refs(text, GAZ)
    assert first.ref.key != second.ref.key
    assert {first.ref.instrument, second.ref.instrument} == {"Permendagri", "PermenPAN-RB"}


# ------------------------------------------------------------------ the constitution; names split by the PDF

# Sentences of documents/regulations as the real loader and cleaning give them.
PERPRES_BASIS = "Pasal 4 ayat (l) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;"
KENDARI_BASIS = ("Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, Undang-Undang Nomor 6 "
                 "Tahun 1995 tentang Pembentukan Kotamadya Daerah Tingkat II Kendari (Lembaran Negara")
SURABAYA_BASIS = ("2. Un dang-Undang Nomor 12 Tahun 2011 tentang Pembentukan Peraturan Perundang- undangan (Lembaran "
                  "Negara Republik Indonesia Tahun 2011 Nomor 82 Tambahan Lembaran Negara Republik Indonesia Nomor "
                  "5234) sebagaimana telah diubah dengan Undang- Undang Nomor 15 Tahun 2019 (Lembaran Negara Republ ik "
                  "Indonesia Tahun 2019 Nomor 183 Tambahan Lembaran Negara Repub lik Indonesia Nomor 6398);\n"
                  "3. Undang -Undang Nomor 5 Tahun 2014 tentang Aparatur Sipil Negara")
CONSTITUTION = ("UUD", None, "", 1945)


@pytest.mark.parametrize("text", [PERPRES_BASIS, KENDARI_BASIS], ids=["perpres", "kendari"])
def test_the_constitution_is_a_reference_without_a_number(text):
    mentions = parse_regulation_refs(text, GAZ, default_region=GAZ.get("74.71"))
    assert_exact_offsets(text, mentions)
    assert facts(mentions[0]) == CONSTITUTION
    assert mentions[0].ref.surface == "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945"
    assert mentions[0].ref.key == "uud|national||1945"
    # The law named right after it is still its own reference, not swallowed by the constitution's name.
    assert [facts(m) for m in mentions[1:]] == ([("UU", None, "6", 1995)] if text == KENDARI_BASIS else [])


@pytest.mark.parametrize("text", ["sesuai UUD NRI Tahun 1945 dan", "the 1945 Constitution of the Republic of Indonesia",
                                  "Undang-Undang Dasar 1945"])
def test_the_constitution_in_its_short_and_english_forms(text):
    assert [facts(m) for m in parse_regulation_refs(text, GAZ)] == [CONSTITUTION]


def test_the_constitution_needs_its_year():
    assert parse_regulation_refs("sebagaimana diamanatkan Undang-Undang Dasar, Pemerintah Daerah", GAZ) == []


def test_a_name_split_inside_a_word_is_still_read():
    # Surabaya's Mengingat: the text layer splits "Un dang-Undang" and spaces the hyphen of "Undang -Undang".
    mentions = parse_regulation_refs(SURABAYA_BASIS, GAZ, default_region=GAZ.get("35.78"))
    assert_exact_offsets(SURABAYA_BASIS, mentions)
    assert [facts(m) for m in mentions] == [("UU", None, "12", 2011), ("UU", None, "15", 2019), ("UU", None, "5", 2014)]
    assert mentions[0].ref.surface == "Un dang-Undang Nomor 12 Tahun 2011"
    assert mentions[0].ref.subject == "Pembentukan Peraturan Perundang-undangan"


def test_a_split_government_regulation_is_read():
    # Surabaya's item 6, as a justified line that split "Pemerintah" prints it.
    text = "6. Peraturan Pe merintah Nomor 18 Tahun 2016 tentang Perangkat Daerah (Lembaran Negara"
    [mention] = parse_regulation_refs(text, GAZ)
    assert facts(mention) == ("PP", None, "18", 2016) and mention.ref.surface.startswith("Peraturan Pe merintah")


def test_a_split_word_that_names_no_instrument_is_none():
    # Surabaya's raw text layer: "Pembentukan Peraturan Pe\nrundang-undangan" is no instrument.
    assert parse_regulation_refs("tentang Pembentukan Peraturan Pe\nrundang-undangan (Lembaran Negara", GAZ) == []


_INDONESIAN = [(instrument, template) for instrument, templates in NATIONAL_TEMPLATES.items()
               for template in templates if template.startswith(("Peraturan", "Undang", "Keputusan", "Instruksi"))]


@settings(max_examples=200, deadline=None)
@given(choice=st.sampled_from(_INDONESIAN), number=st.integers(1, 300), year=st.integers(1950, 2030),
       where=st.integers(0, 10_000), split=st.sampled_from([" ", "\n", "  "]))
def test_a_word_of_a_name_split_anywhere_keeps_the_reference(choice, number, year, where, split):
    instrument, template = choice
    name = template.split(" Nomor")[0]
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{4,}", name)]
    start, end = words[where % len(words)]
    cut = start + 2 + where % (end - start - 3)  # both parts keep two letters at least
    surface = name[:cut] + split + name[cut:] + template[len(name) :].format(num=number, y=year)
    text = f"sesuai {surface} tentang"
    [mention] = parse_regulation_refs(text, GAZ)
    assert facts(mention) == (instrument, None, str(number), year)
    assert text[mention.start : mention.end] == mention.ref.surface == surface


def test_an_amended_instrument_named_without_its_region_is_the_amending_issuers() -> None:
    gazetteer = Gazetteer.default()
    text = ("Peraturan Daerah Provinsi Sulawesi Selatan Nomor 7 Tahun 2015 tentang Perubahan atas Peraturan Daerah "
            "Nomor 10 Tahun 2008 tentang Rencana Pembangunan Jangka Panjang Daerah")
    refs = [m.ref for m in parse_regulation_refs(text, gazetteer, gazetteer.resolve("Kabupaten Pinrang"))]
    assert [(r.number, r.year, r.region_code) for r in refs] == [("7", 2015, "73"), ("10", 2008, "73")]
