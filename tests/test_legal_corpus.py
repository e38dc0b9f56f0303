"""The legal parser and the chunker on the real regulations where OCR and layout break the printed structure:
ayat numbering, the order of the konsiderans, unnumbered Mengingat items, heading passages and amendments.

Ground truth is what the PDFs print (read with the real loader, the whole Kendari scan OCR'd).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.gazetteer import Gazetteer
from core.types import CleanDocument, LegalDocument, PageSpan, Section
from ingest.chunking import Chunk, split_passages
from ingest.legal import outline_counts, parse_legal
from tests.legal_fixtures import (
    ALL,
    BANYUWANGI,
    BSSN,
    HINTS,
    KENDARI,
    KEPGUB,
    PERPRES,
    SINGKAWANG,
    SURABAYA,
    regulation_text,
)


@pytest.fixture(scope="module")
def parsed(regulation_text_dir: Path) -> dict[str, tuple[str, LegalDocument]]:
    data_dir = regulation_text_dir
    gazetteer = Gazetteer.default()
    out = {}
    for name in ALL:
        text = regulation_text(name, data_dir, every_page=name == KENDARI)
        out[name] = (text, parse_legal(text, gazetteer, hint=HINTS.get(name)))
    return out


def _chunks(text: str, doc: LegalDocument) -> list[Chunk]:
    return split_passages(CleanDocument(text=text, pages=(PageSpan(number=1, start=0, end=len(text)),)), doc.sections)


def _ayat_of(doc: LegalDocument, pasal: str) -> list[str]:
    return [s.path[-1].removeprefix(f"{pasal} ") for s in doc.sections
            if s.kind == "ayat" and s.path[-1].startswith(f"{pasal} ayat")]


def _part(text: str, doc: LegalDocument, name: str) -> str:
    section = next(s for s in doc.sections if s.path == ("Konsiderans", name))
    return text[section.start : section.end]


# ------------------------------------------------------------------------------------------------ ayat


def test_inline_ocr_damaged_ayat_markers_open_their_ayat(parsed):
    # Perpres 82/2023: OCR reads "(2)" as "(21" and cleaning joined it to ayat (1)'s line.
    text, doc = parsed[PERPRES]
    assert ". (21 Aplikasi SPBE Prioritas dapat berupa" in text
    assert _ayat_of(doc, "Pasal 2") == [f"ayat ({n})" for n in range(1, 7)]
    assert _ayat_of(doc, "Pasal 10") == ["ayat (1)", "ayat (2)", "ayat (3)"]


def test_skipped_ayat_number_still_opens_an_ayat(parsed):
    # Perwako Singkawang 24/2018 Pasal 21 prints (1), (2), (4).
    text, doc = parsed[SINGKAWANG]
    assert _ayat_of(doc, "Pasal 21") == ["ayat (1)", "ayat (2)", "ayat (4)"]
    fourth = next(s for s in doc.sections if s.path[-1] == "Pasal 21 ayat (4)")
    assert text[fourth.start : fourth.end].startswith("(4) LLID, paling sedikit memuat:")


def test_ayat_whose_opening_bracket_was_lost_is_confirmed_by_the_next(parsed):
    # Singkawang Pasal 5 prints "1) Pemerintah Daerah berhak ..." then "(2) Informasi ..."; a wrapped
    # "ayat\n(1) diajukan ..." inside ayat (2) is a reference.
    text, doc = parsed[SINGKAWANG]
    assert _ayat_of(doc, "Pasal 5") == ["ayat (1)", "ayat (2)"]
    first = next(s for s in doc.sections if s.path[-1] == "Pasal 5 ayat (1)")
    assert text[first.start : first.end].startswith("1) Pemerintah Daerah berhak menolak")


def test_reference_wrapped_to_a_line_start_opens_no_ayat(parsed):
    # Perpres Pasal 9 (1): "... ayal (21, ayat (3), dan/atau ayat\n(5) dituangkan dalam perjanjian ...".
    text, doc = parsed[PERPRES]
    assert "\n(5) dituangkan" in text
    assert "ayat (5)" not in _ayat_of(doc, "Pasal 9")


@pytest.mark.parametrize("name", ALL)
def test_ayat_passages_name_every_ayat_they_hold(parsed, name):
    text, doc = parsed[name]
    for chunk in (c for c in _chunks(text, doc) if c.kind == "ayat"):
        label = re.search(r"ayat \((\d+)\w?\)(?:–\((\d+)\w?\))?$", chunk.section)
        assert label, chunk.section
        low, high = int(label.group(1)), int(label.group(2) or label.group(1))
        printed = [int(n) for n in re.findall(r"(?m)^\((\d{1,2})\)\s+[A-Z]", text[chunk.start : chunk.end])]
        assert all(low <= n <= high for n in printed), (chunk.section, printed)


# ----------------------------------------------------------------------------------------- konsiderans


def test_konsiderans_of_a_scan_holds_its_clauses_and_its_bases_apart(parsed):
    # Kendari's scan, read in one column (OCR psm 4): "Menimbang: a. bahwa …", then "Mengingat: 1. Pasal 18 …".
    text, doc = parsed[KENDARI]
    weighing, recalling = _part(text, doc, "Menimbang"), _part(text, doc, "Mengingat")
    assert weighing[weighing.index("bahwa"):].startswith("bahwa dalam rangka meningkatkan efisiensi")
    assert weighing.count("bahwa") == 4 and "Undang-Undang Nomor" not in weighing
    assert recalling[recalling.index("Pasal"):].startswith("Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik "
                                                           "Indonesia Tahun 1945")
    assert "bahwa" not in recalling


def test_konsiderans_with_its_labels_in_a_row_follows_the_content() -> None:
    # Tesseract's automatic layout (psm 3) read Kendari's scan with "Menimbang :\nMengingat :" together, then the
    # bahwa clauses, then the legal bases: each part still gets its own content.
    text = ("PERATURAN WALI KOTA KENDARI\nNOMOR 19 TAHUN 2024\nTENTANG\nPERUBAHAN KETIGA ATAS PERATURAN WALI KOTA "
            "KENDARI NOMOR 48 TAHUN 2021\nWALI KOTA KENDARI,\nMenimbang :\nMengingat :\n"
            "a. bahwa dalam rangka meningkatkan efisiensi penyusunan anggaran perlu dilaksanakan analisis standar "
            "belanja;\nb. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
            "Peraturan Wali Kota;\n1. Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;\n"
            "2. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;\nMEMUTUSKAN:\nMenetapkan : PERATURAN "
            "WALI KOTA TENTANG PERUBAHAN KETIGA.\nPasal I\nKetentuan Pasal 11 diubah.\nPasal II\nPeraturan Wali "
            "Kota ini mulai berlaku pada tanggal diundangkan.\n")
    doc = parse_legal(text, Gazetteer.default())
    weighing, recalling = _part(text, doc, "Menimbang"), _part(text, doc, "Mengingat")
    assert weighing.startswith("a. bahwa dalam rangka meningkatkan efisiensi")
    assert weighing.count("bahwa") == 2 and "Undang-Undang" not in weighing
    assert recalling.startswith("1. Pasal 18 ayat (6) Undang-Undang Dasar") and "bahwa" not in recalling


def test_constitution_printed_before_its_label_belongs_to_mengingat(parsed):
    # Perpres 82/2023: the layout puts "Mengingat" and "Menetapkan" on lines of their own after the basis.
    text, doc = parsed[PERPRES]
    assert _part(text, doc, "Menimbang").endswith("Keterpaduan Layanan Digital Nasional;")
    assert _part(text, doc, "Mengingat").startswith("Pasal 4 ayat (l) Undang-Undang Dasar Negara Republik Indonesia")
    assert _part(text, doc, "Menetapkan").startswith("Menetapkan\nMEMUTUSKAN")


@pytest.mark.parametrize("name", ALL)
def test_menimbang_holds_the_clauses_and_mengingat_the_bases(parsed, name):
    text, doc = parsed[name]
    assert "bahwa" in _part(text, doc, "Menimbang")
    recalling = _part(text, doc, "Mengingat")
    assert "bahwa" not in recalling and re.search(r"Undang-Undang|Peraturan", recalling)


# ------------------------------------------------------------------------------------------- relations

CITED = {
    # The first Mengingat item, printed on the label's line ("Mengingat : 1. ...").
    BSSN: {("Perpres", "95", 2018)},
    BANYUWANGI: {("UU", "32", 2004)},
    KEPGUB: {("UU", "16", 1997)},
    # OCR lost most item numbers; the instruments are all still there.
    KENDARI: {("UU", "6", 1995), ("UU", "12", 2011), ("UU", "23", 2014), ("PP", "12", 2019),
              ("Permendagri", "80", 2015), ("PMK", "49", 2023), ("Perda", "5", 2016)},
    # The constitution has no number: "Pasal 4 ayat (l) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945".
    PERPRES: {("UUD", "", 1945)},
    # The text layer splits "Un dang-Undang Nomor 12 Tahun 2011" and "Undang -Undang Nomor 5 Tahun 2014".
    SURABAYA: {("UU", "16", 1950), ("UU", "12", 2011), ("UU", "15", 2019), ("UU", "5", 2014), ("PP", "18", 2016)},
}


@pytest.mark.parametrize("name", list(CITED))
def test_every_instrument_named_in_mengingat_is_cited(parsed, name):
    _, doc = parsed[name]
    cited = {(r.target.instrument, r.target.number, r.target.year) for r in doc.relations if r.kind == "cites"}
    assert CITED[name] <= cited
    if name == KENDARI:
        assert len(cited) >= 11


def test_the_constitution_is_cited_with_its_words(parsed):
    _, doc = parsed[PERPRES]
    uud = next(r for r in doc.relations if r.target.instrument == "UUD")
    assert (uud.kind, uud.target.key, uud.target.region_code) == ("cites", "uud|national||1945", None)
    assert uud.target.surface == "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945"
    assert uud.evidence.startswith("Pasal 4 ayat (l) Undang-Undang Dasar")


def test_earlier_amendments_named_in_pasal_i_are_references(parsed):
    # "... yang telah beberapa kali diubah dengan Peraturan Wali Kota: a. Nomor 53 Tahun 2022 ..., dan b. Nomor 28 ..."
    _, doc = parsed[KENDARI]
    cited = {(r.target.instrument, r.target.number, r.target.year, r.target.region_code)
             for r in doc.relations if r.kind == "cites"}
    assert {("Perwali", "53", 2022, "74.71"), ("Perwali", "28", 2023, "74.71")} <= cited


# ------------------------------------------------------------------------------------------ amendments


def test_amended_article_is_cited_inside_the_amending_article(parsed):
    text, doc = parsed[KENDARI]
    counts = outline_counts(doc)
    assert counts["amendment_articles"] == ["Pasal I", "Pasal II"]
    assert counts["pasal_numbers"] == []  # Perwali 19/2024 has no Pasal 11 of its own
    assert counts["amended_pasal"] == ["Pasal 11"]
    assert counts["amendment_changes"] == [("Pasal 11", "diubah")]
    amended = [c for c in _chunks(text, doc) if "Pasal 11" in c.section]
    # The amendment's first numbered change ("1. Ketentuan Pasal 11 diubah …") holds the amended article.
    assert amended and all(c.section.startswith("Pasal I › angka 1 › Pasal 11 (diubah)") and c.pasal == "I"
                           for c in amended)
    opening = "1. Ketentuan Pasal 11 diubah, sehingga berbunyi sebagai berikut:\nPasal 11\n"
    assert text[amended[0].start :].startswith(opening)


def test_the_amended_unit_is_recorded_with_the_amended_regulation(parsed):
    # Pasal I: "Ketentuan Pasal 11 dalam Peraturan Wali Kota Kendari Nomor 48 Tahun 2021 ... yang telah beberapa
    # kali diubah dengan Peraturan Wali Kota: a. Nomor 53 Tahun 2022 ..., dan b. Nomor 28 Tahun 2023 ..., diubah
    # sebagai berikut :" — the earlier amendments' "diubah dengan" is not the directive.
    text, doc = parsed[KENDARI]
    [change] = doc.amendments
    assert (change.unit, change.action, change.target.key) == ("Pasal 11", "diubah", "perwali|74.71|48|2021")
    assert text[change.start : change.end] == change.evidence
    assert change.evidence.startswith("Ketentuan Pasal 11 dalam Peraturan Wali Kota Kendari Nomor 48 Tahun 2021")
    assert change.evidence.endswith("diubah sebagai berikut :")
    pasal_i = next(n for n in doc.outline if n.label == "Pasal I")
    assert pasal_i.start <= change.start and change.end <= pasal_i.end


# --------------------------------------------------------------------------------------------- headings


@pytest.mark.parametrize("name", ALL)
def test_heading_passages_name_the_unit_they_head(parsed, name):
    text, doc = parsed[name]
    headings = [c for c in _chunks(text, doc) if c.kind == "heading"]
    assert all(c.section for c in headings), [text[c.start : c.end] for c in headings if not c.section]
    for chunk in headings:
        assert text[chunk.start : chunk.end].startswith(("BAB", "Bagian", "Paragraf"))


def test_bab_heading_with_its_first_bagian_cites_both(parsed):
    text, doc = parsed[BSSN]
    heading = next(s for s in doc.sections if s.kind == "heading" and s.path == ("BAB II", "Bagian Kesatu"))
    assert text[heading.start : heading.end] == "BAB II\nSTANDAR AUDIT KEAMANAN SPBE\nBagian Kesatu\nUmum"
    assert _section_after(doc, heading).path == ("BAB II", "Bagian Kesatu", "Pasal 2")


def _section_after(doc: LegalDocument, section: Section) -> Section:
    return min((s for s in doc.sections if s.start >= section.end), key=lambda s: s.start)
