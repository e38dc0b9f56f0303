"""The legal-structure parser on the real sample regulations and on generated regulation texts.

Ground truth comes from the documents themselves (their title blocks, their BAB and Pasal headings as
printed) and from documents/manifest.json.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.gazetteer import Gazetteer
from core.types import LegalDocument, OutlineNode, RegulationRef
from ingest.legal import looks_like_regulation, outline_counts, parse_legal
from tests.legal_fixtures import (
    ALL,
    BANYUWANGI,
    BSSN,
    HINTS,
    KENDARI,
    KENDARI_HINT,
    KEPGUB,
    PAPERS,
    PERPRES,
    SINGKAWANG,
    SURABAYA,
    regulation_text,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


@pytest.fixture(scope="module")
def ocr_dir(regulation_text_dir):
    return regulation_text_dir


@pytest.fixture(scope="module")
def parsed(gazetteer, ocr_dir) -> dict[str, tuple[str, LegalDocument]]:
    out = {}
    for name in ALL:
        text = regulation_text(name, ocr_dir)
        out[name] = (text, parse_legal(text, gazetteer, hint=HINTS.get(name)))
    return out


def _walk(nodes: Sequence[OutlineNode]) -> Iterator[tuple[OutlineNode | None, OutlineNode]]:
    stack: list[tuple[OutlineNode | None, OutlineNode]] = [(None, n) for n in reversed(nodes)]
    while stack:
        parent, node = stack.pop()
        yield parent, node
        stack.extend((node, c) for c in reversed(node.children))


# --------------------------------------------------------------------------------------- title block

TITLE_FACTS = {
    # file: (jenis starts, instrument, number, year, region code, subject starts) — as printed on page 1.
    BSSN: ("PERATURAN BADAN SIBER DAN SANDI NEGARA", "Peraturan BSSN", "8", 2024, None,
           "Standar dan Tata Cara Pelaksanaan Audit Keamanan"),
    SINGKAWANG: ("PERATURAN WALIKOTA SINGKAWANG", "Perwali", "24", 2018, "61.72",
                 "Standar Operasional Prosedur Layanan Informasi Publik"),
    BANYUWANGI: ("PERATURAN BUPATI BANYUWANGI", "Perbup", "19", 2012, "35.10",
                 "Pedoman Pengelolaan Pelayanan Informasi dan Dokumentasi"),
    SURABAYA: ("PERATURAN WALIKOTA SURABAYA", "Perwali", "68", 2021, "35.78",
               "Kedudukan, Susunan Organisasi, Uraian Tugas dan Fungsi serta Tata Kerja Sekretariat"),
    KEPGUB: ("KEPUTUSAN GUBERNUR KALIMANTAN BARAT", "Kepgub", "224/BAPPEDA", 2023, "61",
             "Forum Satu Data Indonesia Tingkat Provinsi"),
    KENDARI: ("PERATURAN WALI KOTA KENDARI", "Perwali", "19", 2024, "74.71",
              "Perubahan Ketiga atas Peraturan Wali Kota"),
    PERPRES: ("PERATURAN PRESIDEN REPUBLIK INDONESIA", "Perpres", "82", 2023, None,
              "Percepatan Transformasi Digital dan Keterpaduan Layanan Digital Nasional"),
}


@pytest.mark.parametrize("name", ALL)
def test_title_block_gives_the_regulations_identity(parsed, name):
    jenis, instrument, number, year, region, subject = TITLE_FACTS[name]
    _, doc = parsed[name]
    ref = doc.regulation
    assert ref is not None
    assert doc.jenis.startswith(jenis)
    assert (ref.instrument, ref.number, ref.year, ref.region_code) == (instrument, number, year, region)
    assert ref.subject is not None and ref.subject.lower().startswith(subject.lower())


@pytest.mark.parametrize("name", ALL)
def test_sample_regulations_look_like_regulations(parsed, name):
    text, _ = parsed[name]
    assert looks_like_regulation(text)


def test_research_papers_do_not_look_like_regulations():
    papers = sorted(PAPERS.glob("*.txt"))
    assert papers
    assert not any(looks_like_regulation(p.read_text(encoding="utf-8")) for p in papers)


def test_hint_fills_only_what_the_title_block_lacks(gazetteer):
    # A handwritten number that OCR cannot read leaves "NOMOR  TAHUN 2024": the manifest's 19 is used ...
    blank = _TITLE.replace("NOMOR 3 TAHUN 2020", "NOMOR      TAHUN 2024")
    portal = KENDARI_HINT.model_copy(update={"number": "18", "region_code": None, "region_name": None})
    assert parse_legal(blank, gazetteer, hint=KENDARI_HINT).regulation.number == "19"
    # ... but a number the text does print wins over the hint (the portal files the Kendari scan under 18).
    ref = parse_legal(_TITLE, gazetteer, hint=portal).regulation
    assert (ref.number, ref.year, ref.region_code) == ("3", 2020, "61.72")


# -------------------------------------------------------------------------------------------- outline

OUTLINE_FACTS = {  # file: (BAB headings printed, first Pasal, last Pasal)
    BSSN: (5, 1, 73),
    SINGKAWANG: (11, 1, 33),  # BAB VII is printed twice
    BANYUWANGI: (8, 1, 25),  # BAB VII is printed twice
    SURABAYA: (7, 1, 13),
}


@pytest.mark.parametrize("name", list(OUTLINE_FACTS))
def test_outline_has_every_bab_and_pasal_in_order(parsed, name):
    bab, first, last = OUTLINE_FACTS[name]
    counts = outline_counts(parsed[name][1])
    assert counts["bab"] == bab
    assert counts["pasal_numbers"] == [str(n) for n in range(first, last + 1)]


def test_keputusan_has_diktum_not_pasal(parsed):
    _, doc = parsed[KEPGUB]
    counts = outline_counts(doc)
    assert counts["diktum"] == ["KESATU", "KEDUA", "KETIGA"]
    assert counts["pasal"] == 0
    assert [s.path for s in doc.sections if s.kind == "diktum"] == [
        ("Diktum KESATU",), ("Diktum KEDUA",), ("Diktum KETIGA",)
    ]


def test_kendari_amends_perwali_48_of_2021(parsed):
    _, doc = parsed[KENDARI]
    assert doc.is_amendment
    amends = [r.target for r in doc.relations if r.kind == "amends"]
    expected = ("Perwali", "48", 2021, "74.71", "Kota Kendari")
    assert any((t.instrument, t.number, t.year, t.region_code, t.region_name) == expected for t in amends)


def test_mengingat_items_become_cites_relations(parsed):
    # Mengingat item 3 of Perwako Singkawang 24/2018: UU 14/2008 tentang Keterbukaan Informasi Publik.
    _, doc = parsed[SINGKAWANG]
    cited = {(r.target.instrument, r.target.number, r.target.year) for r in doc.relations if r.kind == "cites"}
    assert ("UU", "14", 2008) in cited
    assert ("UU", "23", 2014) in cited


def test_closing_article_revokes_the_replaced_regulation(parsed):
    # Pasal 12 of Perwali Surabaya 68/2021 revokes Perwali Surabaya 45/2016.
    _, doc = parsed[SURABAYA]
    revoked = [r.target for r in doc.relations if r.kind == "revokes"]
    assert any((t.instrument, t.number, t.year, t.region_code) == ("Perwali", "45", 2016, "35.78") for t in revoked)


@pytest.mark.parametrize("name", ALL)
def test_real_outlines_are_nested_and_within_the_text(parsed, name):
    text, doc = parsed[name]
    _assert_well_formed(text, doc)


@pytest.mark.parametrize("name", [BSSN, SINGKAWANG, BANYUWANGI, SURABAYA])
def test_pasal_sections_start_at_their_heading(parsed, name):
    text, doc = parsed[name]
    pasal = [s for s in doc.sections if s.kind == "pasal"]
    assert pasal
    for section in pasal:
        assert text[section.start : section.end].startswith(section.path[-1])


# ---------------------------------------------------------------------------------- generated regulations

_TITLE = """PERATURAN WALI KOTA SINGKAWANG
NOMOR 3 TAHUN 2020
TENTANG
TATA KELOLA DATA
DENGAN RAHMAT TUHAN YANG MAHA ESA
WALI KOTA SINGKAWANG,
Menimbang : a. bahwa data perlu dikelola;
Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;
MEMUTUSKAN:
Menetapkan : PERATURAN WALI KOTA TENTANG TATA KELOLA DATA.
"""
_CLOSING = """Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Wali Kota ini.
Ditetapkan di Singkawang
WALI KOTA SINGKAWANG,
"""
_WORDS = ["data", "wajib", "dikelola", "oleh", "perangkat", "daerah", "secara", "terpadu", "informasi", "publik"]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_BAGIAN = ["Kesatu", "Kedua", "Ketiga"]
# How Tesseract garbles article numbers: 1 → l/I, 0 → O.
_NOISE = {"1": ["1", "l", "I"], "0": ["0", "O"]}


@st.composite
def _sentence(draw) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=3, max_size=12))
    sentence = " ".join(words).capitalize() + "."
    ref = draw(st.integers(1, 99))
    # A reference that lands alone on a line must not open an article.
    style = draw(st.sampled_from(["plain", "inline", "wrapped"]))
    if style == "inline":
        return f"{sentence[:-1]} sebagaimana dimaksud dalam Pasal {ref}."
    if style == "wrapped":
        return f"{sentence[:-1]} sebagaimana dimaksud dalam\nPasal {ref}\nayat (1) berlaku."
    return sentence


@st.composite
def _regulations(draw) -> tuple[str, list[int], list[int]]:
    """A regulation text, its Pasal count per BAB and ayat count per Pasal."""
    pieces = [_TITLE]
    pasal_per_bab, ayat_per_pasal = [], []
    number = 0
    noisy = draw(st.booleans())
    for bab in range(draw(st.integers(1, 4))):
        pieces.append(f"BAB {_ROMAN[bab]}\n{draw(st.sampled_from(['KETENTUAN UMUM', 'PELAKSANAAN', 'PENUTUP']))}")
        n_pasal = draw(st.integers(1, 3))
        pasal_per_bab.append(n_pasal)
        bagian = draw(st.booleans())
        for k in range(n_pasal):
            if bagian:
                pieces.append(f"Bagian {_BAGIAN[k]}\nUmum")
            number += 1
            digits = "".join(draw(st.sampled_from(_NOISE.get(d, [d]))) if noisy else d for d in str(number))
            pieces.append(f"Pasal {digits}")
            n_ayat = draw(st.integers(0, 3))
            ayat_per_pasal.append(n_ayat)
            if n_ayat == 0:
                pieces.append(draw(_sentence()))
            for a in range(1, n_ayat + 1):
                pieces.append(f"({a}) {draw(_sentence())}")
    pieces.append(_CLOSING)
    sep = draw(st.sampled_from(["\n", "\n\n", " \n", "\n \n"]))
    return sep.join(pieces), pasal_per_bab, ayat_per_pasal


def _assert_well_formed(text: str, doc: LegalDocument) -> None:
    for parent, node in _walk(doc.outline):
        assert 0 <= node.start < node.end <= len(text)
        if parent is not None:
            assert parent.start <= node.start and node.end <= parent.end
    for level in [doc.outline, *(n.children for _, n in _walk(doc.outline))]:
        for a, b in zip(level, level[1:], strict=False):
            assert a.end <= b.start
    for section in doc.sections:
        assert 0 <= section.start < section.end <= len(text)
    for section in (s for s in doc.sections if s.kind == "pasal"):
        # An amended article (or numbered change) opens at the directive that introduces it.
        amended = any(part.startswith("angka ") or part.endswith(("(diubah)", "(disisipkan)")) for part in section.path)
        assert amended or re.match(r"Pa[s5]a", text[section.start : section.end])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_regulations())
def test_generated_outline_matches_what_was_written(gazetteer, generated):
    text, pasal_per_bab, ayat_per_pasal = generated
    doc = parse_legal(text, gazetteer)
    _assert_well_formed(text, doc)
    counts = outline_counts(doc)
    assert counts["bab"] == len(pasal_per_bab)
    assert counts["pasal_numbers"] == [str(n) for n in range(1, sum(pasal_per_bab) + 1)]
    babs = [n for n in doc.outline if n.kind == "bab"]
    assert [sum(1 for _, n in _walk([b]) if n.kind == "pasal") for b in babs] == pasal_per_bab
    pasal_sections = [s for s in doc.sections if s.kind == "pasal"]
    for n, section in enumerate(pasal_sections, start=1):
        assert text[section.start : section.end].startswith("Pasal")
        assert section.path[0].startswith("BAB ") and section.path[-1] == f"Pasal {n}"
        ayat = [s for s in doc.sections if s.kind == "ayat" and s.path[-1].startswith(f"Pasal {n} ayat")]
        assert len(ayat) == ayat_per_pasal[n - 1]
        assert all(section.start <= s.start and s.end <= section.end for s in ayat)
        assert all(text[s.start] == "(" for s in ayat)


def test_reference_alone_on_a_line_opens_no_article(gazetteer):
    body = "BAB I\nUMUM\nPasal 1\nData dikelola sebagaimana dimaksud dalam\nPasal 7\nayat (2).\nPasal 2\nCukup.\n"
    doc = parse_legal(_TITLE + body + _CLOSING, gazetteer)
    assert outline_counts(doc)["pasal_numbers"] == ["1", "2"]


def test_ocr_noise_in_headings_is_tolerated(gazetteer):
    body = "BAB Ill\nUMUM\nPasal l\n(l) Satu.\n(21 Dua.\nPasal 2O\nTidak.\nPasal 2\nDua.\n"
    doc = parse_legal(_TITLE + body + _CLOSING, gazetteer)
    counts = outline_counts(doc)
    assert counts["bab"] == 1 and doc.outline[1].label == "BAB III"
    # "Pasal 2O" comes before a 2 and jumps too far: the sequence check drops it rather than invent Pasal 20.
    assert counts["pasal_numbers"] == ["1", "2"]
    assert [s.path[-1] for s in doc.sections if s.kind == "ayat"] == ["Pasal 1 ayat (1)", "Pasal 1 ayat (2)"]


def test_article_number_misread_without_any_digit_is_kept(gazetteer):
    # Tesseract reads "Pasal 10" as "Pasal IO": no real digit, but only ones and zeros.
    body = "BAB I\nUMUM\n" + "".join(f"Pasal {n}\nCukup.\n" for n in range(1, 10)) + "Pasal IO\nCukup.\n"
    doc = parse_legal(_TITLE + body + _CLOSING, gazetteer)
    assert outline_counts(doc)["pasal_numbers"] == [str(n) for n in range(1, 11)]


def test_amendment_articles_hold_the_amended_pasal(gazetteer):
    title = _TITLE.replace("TATA KELOLA DATA\n", "PERUBAHAN ATAS PERATURAN WALI KOTA NOMOR 48 TAHUN 2021\n"
                           "TENTANG TATA KELOLA DATA\n", 1)
    body = ("Pasal I\nKetentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:\nPasal 11\n(1) Data.\n(2) Lagi.\n"
            "Pasal II\nPeraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.\n")
    doc = parse_legal(title + body + _CLOSING, gazetteer)
    assert doc.is_amendment
    assert outline_counts(doc)["amendment_articles"] == ["Pasal I", "Pasal II"]
    paths = [s.path for s in doc.sections if s.kind in {"pasal", "ayat"}]
    # Pasal 11 is the amended regulation's article, quoted in Pasal I; the bare "Pasal I" heading opens it.
    assert paths == [("Pasal I", "Pasal 11 (diubah)"), ("Pasal I", "Pasal 11 (diubah) ayat (1)"),
                     ("Pasal I", "Pasal 11 (diubah) ayat (2)"), ("Pasal II",)]
    assert outline_counts(doc)["pasal_numbers"] == []  # the amending regulation has no Pasal 11 of its own
    assert outline_counts(doc)["amendment_changes"] == [("Pasal 11", "diubah")]
    # "Peraturan Wali Kota Nomor 48" names no city: the issuer's region is inherited.
    target = next(r.target for r in doc.relations if r.kind == "amends")
    assert (target.instrument, target.number, target.year, target.region_code) == ("Perwali", "48", 2021, "61.72")


def test_ayat_survive_a_skipped_number_and_an_inline_marker(gazetteer):
    body = ("BAB I\nUMUM\nPasal 1\n(1) Satu berlaku. (21 Dua berlaku.\n"
            "(4) Empat berlaku sebagaimana dimaksud pada ayat\n(5) dituangkan dalam perjanjian.\n"
            "(2a) Sisipan tidak mundur.\nPasal 2\n(1) Cukup.\n")
    doc = parse_legal(_TITLE + body + _CLOSING, gazetteer)
    ayat = [s.path[-1] for s in doc.sections if s.kind == "ayat"]
    assert ayat == ["Pasal 1 ayat (1)", "Pasal 1 ayat (2)", "Pasal 1 ayat (4)", "Pasal 2 ayat (1)"]


def test_numbered_list_in_a_pasal_without_ayat_opens_none(gazetteer):
    body = "BAB I\nUMUM\nPasal 1\nData meliputi:\n1) Data pokok;\n2) Data sektoral.\nPasal 2\nCukup.\n"
    doc = parse_legal(_TITLE + body + _CLOSING, gazetteer)
    assert not [s for s in doc.sections if s.kind == "ayat"]


def test_ayat_inserted_by_an_amendment_keeps_its_letter(gazetteer):
    body = "BAB I\nUMUM\nPasal 1\n(1) Satu.\n(2) Dua.\n(2a) Sisipan.\n(3) Tiga.\n"
    doc = parse_legal(_TITLE + body + _CLOSING, gazetteer)
    assert [s.path[-1][len("Pasal 1 "):] for s in doc.sections if s.kind == "ayat"] == [
        "ayat (1)", "ayat (2)", "ayat (2a)", "ayat (3)"]


def test_heading_sections_cite_the_unit_they_head(gazetteer):
    body = ("BAB I\nKETENTUAN UMUM\nBagian Kesatu\nUmum\nPasal 1\nCukup.\nBagian Kedua\nTujuan\nPasal 2\nCukup.\n"
            "BAB II\nPENUTUP\nPasal 3\nCukup.\n")
    text = _TITLE + body + _CLOSING
    doc = parse_legal(text, gazetteer)
    headings = [(s.path, text[s.start : s.end]) for s in doc.sections if s.kind == "heading"]
    assert headings == [(("BAB I", "Bagian Kesatu"), "BAB I\nKETENTUAN UMUM\nBagian Kesatu\nUmum"),
                        (("BAB I", "Bagian Kedua"), "Bagian Kedua\nTujuan"), (("BAB II",), "BAB II\nPENUTUP")]


def test_numbered_amendment_changes_nest_the_amended_articles(gazetteer):
    title = _TITLE.replace("TATA KELOLA DATA\n", "PERUBAHAN KEDUA ATAS PERATURAN WALI KOTA NOMOR 48 TAHUN 2021\n"
                           "TENTANG TATA KELOLA DATA\n", 1)
    body = ("Pasal I\nBeberapa ketentuan dalam Peraturan Wali Kota Nomor 48 Tahun 2021 tentang Tata Kelola Data yang "
            "telah diubah dengan Peraturan Wali Kota Nomor 28 Tahun 2023, diubah sebagai berikut:\n"
            "1. Ketentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:\nPasal 11\n(1) Data.\n(2) Lagi.\n"
            "2. Di antara Pasal 11 dan Pasal 12 disisipkan 1 (satu) pasal, yakni Pasal 11A sehingga berbunyi "
            "sebagai berikut:\nPasal 11A\nData baru.\n3. Pasal 13 dihapus.\n"
            "Pasal II\nPeraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.\n")
    text = title + body + _CLOSING
    doc = parse_legal(text, gazetteer)
    _assert_well_formed(text, doc)
    paths = [s.path for s in doc.sections if s.kind in {"pasal", "ayat"}]
    assert paths == [("Pasal I",), ("Pasal I", "angka 1", "Pasal 11 (diubah)"),
                     ("Pasal I", "angka 1", "Pasal 11 (diubah) ayat (1)"),
                     ("Pasal I", "angka 1", "Pasal 11 (diubah) ayat (2)"),
                     ("Pasal I", "angka 2", "Pasal 11A (disisipkan)"), ("Pasal I", "angka 3"), ("Pasal II",)]
    amended = next(s for s in doc.sections if s.path[-1] == "Pasal 11A (disisipkan)")
    assert text[amended.start : amended.end].startswith("2. Di antara Pasal 11 dan Pasal 12 disisipkan")
    assert outline_counts(doc)["amendment_changes"] == [("Pasal 11", "diubah"), ("Pasal 11A", "disisipkan"),
                                                        ("Pasal 13", "dihapus")]
    cited = {(r.target.instrument, r.target.number, r.target.year) for r in doc.relations if r.kind == "cites"}
    assert ("Perwali", "28", 2023) in cited  # the earlier amendment named in Pasal I


def test_penjelasan_and_lampiran_are_top_level_nodes(gazetteer):
    body = "BAB I\nUMUM\nPasal 1\nCukup.\n"
    tail = "PENJELASAN\nATAS\nPERATURAN WALI KOTA\nI. UMUM\nPasal 1\nCukup jelas.\nLAMPIRAN I\nTABEL\n"
    text = _TITLE + body + _CLOSING + tail
    doc = parse_legal(text, gazetteer)
    kinds = [n.kind for n in doc.outline]
    assert kinds == ["konsiderans", "bab", "penjelasan", "lampiran"]
    assert outline_counts(doc)["pasal_numbers"] == ["1"]
    assert text[doc.outline[-1].start :].startswith("LAMPIRAN I")
    assert {s.kind for s in doc.sections} >= {"title", "konsiderans", "pasal", "penjelasan", "lampiran"}


def test_hint_alone_identifies_a_text_without_title_block(gazetteer):
    hint = RegulationRef(instrument="Perwali", number="19", year=2024, region_code="74.71", region_name="Kota Kendari")
    doc = parse_legal("Pasal 1\nSesuatu.\n", gazetteer, hint=hint)
    assert doc.regulation == hint


@pytest.mark.parametrize("formula", ["dicabut dan dinyatakan tidak berlaku",
                                     # Kabupaten Pinrang's Perda 1/2010 prints this variant; ingest's own
                                     # stricter pattern (before core.legal_patterns) recorded no revocation.
                                     "dinyatakan dicabut dan tidak berlaku lagi",
                                     "dinyatakan tidak berlaku"])
def test_a_closing_article_revokes_in_each_form_of_the_formula(gazetteer, formula):
    body = ("BAB I\nKETENTUAN PENUTUP\nPasal 1\nPada saat Peraturan Wali Kota ini mulai berlaku, Peraturan Wali Kota "
            f"Singkawang Nomor 7 Tahun 2010 tentang Pengelolaan Data {formula}.\nPasal 2\nCukup.\n")
    doc = parse_legal(_TITLE + body + _CLOSING, gazetteer)
    revoked = [(r.target.instrument, r.target.number, r.target.year) for r in doc.relations if r.kind == "revokes"]
    assert revoked == [("Perwali", "7", 2010)]
