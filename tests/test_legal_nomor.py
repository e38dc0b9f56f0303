"""A title block's NOMOR line: numbers as Keputusan print them, and as Tesseract misreads handwriting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.legal.nomor import REPAIRED, Nomor, agree, copies, read_nomor, reread, typed_repetition


def _read(line: str) -> tuple[str, int | None, float, float]:
    nomor = read_nomor(line, 0, len(line))
    assert nomor is not None
    return nomor.number, nomor.year, nomor.number_confidence, nomor.year_confidence


@pytest.mark.parametrize(("line", "number", "year"), [
    ("NOMOR 12 TAHUN 2024", "12", 2024),
    ("NOMOR : 1 TAHUN 2010", "1", 2010),
    ("NOMOR : B/430/II.02/HK/TUBABA/2018", "B/430/II.02/HK/TUBABA", 2018),
    ("NOMOR 400.10.11 \u2014 6098 TAHUN 2025", "400.10.11-6098", 2025),
    ("NOMOR 188.45-390 TAHUN 2019", "188.45-390", 2019),
    ("NOMOR : 224/BAPPEDA/2023", "224/BAPPEDA", 2023),
    ("NOMOR 161 TAHUN 2015 TENTANG TUNJANGAN KINERJA", "161", 2015),
])
def test_printed_numbers_are_read_as_printed_and_sure(line: str, number: str, year: int) -> None:
    assert _read(line) == (number, year, 1.0, 1.0)


@pytest.mark.parametrize(("line", "number", "year"), [
    ("NOMOR : \u00a721 /1/ z01s", "521/1", 2015),  # handwritten 521/1/2015
    ("NOMOR 36 AHuN 2019", "36", 2019),  # "TAHUN" half lost under the pen
    ("NOMOR : KEP/ 029 / IT 12006", "KEP/029/II", 2006),  # the last "/" read as "1", II as IT
])
def test_ocr_damaged_numbers_are_repaired_and_marked_unsure(line: str, number: str, year: int) -> None:
    assert _read(line) == (number, year, REPAIRED, REPAIRED)


def test_an_unreadable_year_is_left_out_not_invented() -> None:
    number, year, number_confidence, year_confidence = _read('NOMOR : 2 "ata 204')
    assert (number, year) == ("2", None)
    assert number_confidence == REPAIRED and year_confidence == 0.0


@given(number=st.integers(1, 9999), year=st.integers(1945, 2099), colon=st.sampled_from(["", " :", ":"]))
def test_any_printed_number_and_year_round_trip(number: int, year: int, colon: str) -> None:
    assert _read(f"NOMOR{colon} {number} TAHUN {year}\nTENTANG") == (str(number), year, 1.0, 1.0)


@pytest.mark.parametrize(("line", "number"), [
    ("NOMOR 228/KPT/1/2017", "228/KPT/I"),  # the Roman month I read as 1
    ("NOMOR : KEP/ 029 / IT 12006", "KEP/029/II"),  # handwritten II read as IT
])
def test_a_coded_numbers_roman_month_is_read_as_roman(line: str, number: str) -> None:
    assert _read(line)[0] == number and _read(line)[2] == REPAIRED


def test_an_arabic_part_of_an_uncoded_number_stays_arabic() -> None:
    assert _read("NOMOR : 521/1/2015")[0] == "521/1"


_KEPUTUSAN = """KEPUTUSAN KEPALA BADAN
NOMOR : KEP/ 047 / IT 12009
TENTANG
PEMBENTUKAN TIM
MEMUTUSKAN :
KESATU : Membentuk tim.
- 2 -
KEPUTUSAN KEPALA BADAN
NOMOR : KEP/O41 / 1 /2009
TANGGAL : 3 MAR 2009
Lampiran ini memuat Keputusan Kepala Badan Nomor : KEP/012/II/2009 tentang hal lain.
LAMPIRAN KEPUTUSAN KEPALA BADAN
NOMOR : KEP/c41/ @ /2009 TANGGAL :
"""


def test_a_handwritten_number_repeated_on_later_pages_is_the_one_most_readings_give() -> None:
    title = read_nomor(_KEPUTUSAN, 0, 60)
    assert title is not None and title.number == "KEP/047/II"
    repeated = copies(_KEPUTUSAN, title)
    # the header joined to its TANGGAL and the unreadable "@" still count; the citation ("Nomor :") does not
    assert [c.printed for c in repeated] == ["KEP/O41/I", "KEP/c41/@"]
    voted = agree(title, repeated)
    assert voted.number == "KEP/041/II" and voted.number_confidence == REPAIRED


def test_one_differing_copy_does_not_outvote_the_title_and_a_lone_title_is_kept() -> None:
    text = "PERATURAN BUPATI\nNOMOR 3 TAHUN 2015\nTENTANG\nX\nLAMPIRAN\nNOMOR 5 TAHUN 2015\nNOMOR 3 TAHUN 2015\n"
    title = read_nomor(text, 0, 40)
    assert title is not None
    assert agree(title, copies(text, title)) == title
    assert agree(title, []) == title


def _title(line: str) -> Nomor:
    nomor = read_nomor(line, 0, len(line))
    assert nomor is not None
    return nomor


@pytest.mark.parametrize(("line", "reading", "number"), [
    ("NOMOR: 5 Takur 2015", "3", "3"),  # the pen's 3 read 5 among its neighbours, 3 alone
    ("NOMOR ' 10022 (2020 -", "700/22/2020", "700/22"),  # a slash lost and a 7 read 1
])
def test_a_guessed_title_number_gives_way_to_a_digits_only_reading_of_its_box(line: str, reading: str,
                                                                              number: str) -> None:
    again = reread(_title(line), reading)
    assert again.number == number and again.number_confidence == REPAIRED


@pytest.mark.parametrize(("line", "reading"), [
    ("NOMOR 5 TAHUN 2015", "3"),  # read sure: nothing to read again
    ("NOMOR : KEP/ 029 / IT 12006", "029/12006"),  # a coded number's letters a digits-only read loses
    ("NOMOR ' 10022 (2020 -", "700/22/2520"),  # a reading of another year is no reading of this number
])
def test_a_reading_does_not_replace_a_sure_or_coded_number_or_one_of_another_year(line: str, reading: str) -> None:
    title = _title(line)
    assert reread(title, reading) == title


_LAMPIRAN = """PERATURAN BUPATI PINRANG
NOMOR: 5 Takur 2015
TENTANG
HARGA BENIH
LAMPIRAN PERATURAN BUPATI PINRANG
NOMOR : 3 TAHUN 2015
"""


def test_a_guessed_title_number_gives_way_to_its_typed_repetition() -> None:
    title = read_nomor(_LAMPIRAN, 0, 60)
    assert title is not None and title.number == "5" and title.number_confidence < 1
    typed = typed_repetition(title, copies(_LAMPIRAN, title))
    assert typed.number == "3" and typed.number_confidence == REPAIRED
    # one repetition is enough even where the misread title has another shape ("10022" for 700/22)
    text = "KEPUTUSAN BUPATI\nNOMOR ' 10022 (2020 -\nTENTANG\nX\nLAMPIRAN KEPUTUSAN BUPATI\nNOMOR : 700/22/2020\n"
    title = read_nomor(text, 0, 40)
    assert title is not None
    assert typed_repetition(title, copies(text, title)).number == "700/22"


def test_typed_repetitions_that_disagree_or_a_sure_title_decide_nothing() -> None:
    title = read_nomor(_LAMPIRAN, 0, 60)
    assert title is not None
    both = copies(_LAMPIRAN + "NOMOR : 4 TAHUN 2015\n", title)
    assert typed_repetition(title, both) == title
    sure = _LAMPIRAN.replace("NOMOR: 5 Takur 2015", "NOMOR: 5 TAHUN 2015")
    sure_title = read_nomor(sure, 0, 60)
    assert sure_title is not None
    assert typed_repetition(sure_title, copies(sure, sure_title)) == sure_title
