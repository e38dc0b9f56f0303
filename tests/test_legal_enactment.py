"""The closing formula: enactment and promulgation dates and the signing office."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.legal.enactment import read_date, read_enactment
from ingest.legal.nomor import REPAIRED


@pytest.mark.parametrize(("text", "date", "confidence"), [
    ("20 Juni 2017", dt.date(2017, 6, 20), 1.0),
    ("20 Nopember 2013", dt.date(2013, 11, 20), 1.0),
    ("27 FEB 2006", dt.date(2006, 2, 27), 1.0),
    ("2 Jamuari ZO1S", dt.date(2015, 1, 2), REPAIRED),  # handwritten, OCR'd
    ("18 Juk 2019", dt.date(2019, 7, 18), REPAIRED),  # "li" read as "k"
    ("5 Jon 2015", dt.date(2015, 1, 5), REPAIRED),  # "a" read as "o"
    ("3 Oktobcr 2021", dt.date(2021, 10, 3), REPAIRED),  # "e" read as "c"
    ("9 Jun 2020", dt.date(2020, 6, 9), 1.0),  # an abbreviation is no misreading
])
def test_dates_as_printed_and_as_ocr_misreads_them(text: str, date: dt.date, confidence: float) -> None:
    assert read_date(text)[:2] == (date, confidence)


def test_garbage_is_no_date_and_the_future_is_none() -> None:
    assert read_date("20 Sarwar 2044")[0] is None
    assert read_date(f"1 Januari {dt.date.today().year + 5}")[0] is None


def test_a_month_misreading_that_could_be_two_months_is_no_date() -> None:
    # "Ju" + a letter that is neither "n" nor "l" nor a known misreading of them names no one month.
    assert read_date("18 Jux 2019")[0] is None


def test_a_closing_verb_misspelt_or_glued_to_di_by_ocr_still_opens_the_formula() -> None:
    text = ("Pasal 10\nPeraturan Bupati ini mulai berlaku pada tanggal diundangkan.\n\nDitetapkap-di Pinrang\n"
            "pada eraggal 4 Maret 2015\n\nDiundangkau di Pinrang\npada tanggal 6 Maret 2015\n\nBUPATI PINRANG,\n")
    closing = read_enactment(text, 0, "BUPATI PINRANG")
    assert (closing.enacted, closing.promulgated) == (dt.date(2015, 3, 4), dt.date(2015, 3, 6))
    # A verb that is another word ("diumumkan di") is no closing formula.
    assert read_enactment("Hasilnya diumumkan di Pinrang pada tanggal 4 Maret 2015.", 0, None).enacted is None
    # nor is a verb one letter from a formula's in the middle of a sentence
    assert read_enactment("Pegawai ditetapkap di Pinrang pada tanggal 4 Maret 2015.", 0, None).enacted is None


def test_an_unreadable_year_is_the_instruments_own_with_less_confidence() -> None:
    assert read_date("9 oktober 209.", year_hint=2019)[:2] == (dt.date(2019, 10, 9), REPAIRED)


_PERDA = """Pasal 2
Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.
Ditetapkan di Pinrang
pada tanggal 20 Juni 2017
BUPATI PINRANG,
ttd
ASLAM PATONANGI
Diundangkan di Pinrang
pada tanggal 21 Juni 2017
SEKRETARIS DAERAH KABUPATEN PINRANG,
"""


def test_a_perda_closing_gives_both_dates_and_the_bupati() -> None:
    closing = read_enactment(_PERDA, 0, None)
    assert (closing.enacted, closing.promulgated) == (dt.date(2017, 6, 20), dt.date(2017, 6, 21))
    assert closing.signer == "BUPATI PINRANG"
    assert closing.enacted_confidence == closing.promulgated_confidence == 1.0


def test_a_uu_is_disahkan_and_a_multi_line_office_is_one_signer() -> None:
    text = ("Disahkan di Jakarta pada tanggal 8 Juli 2003 PRESIDEN REPUBLIK INDONESIA, ttd.\nMEGAWATI\n"
            "Diundangkan di Jakarta pada tanggal 8 Juli 2003")
    closing = read_enactment(text, 0, None)
    assert closing.enacted == closing.promulgated == dt.date(2003, 7, 8)
    assert closing.signer == "PRESIDEN REPUBLIK INDONESIA"
    diy = read_enactment("Ditetapkan di Yogyakarta pada tanggal 5 November 2024\n\nGUBERNUR\n"
                         "DAERAH ISTIMEWA YOGYAKARTA,\n\nttd.", 0, None)
    assert diy.signer == "GUBERNUR DAERAH ISTIMEWA YOGYAKARTA"


def test_a_signature_on_behalf_names_the_issuer_and_a_blank_promulgation_is_none() -> None:
    text = ("Ditetapkan di Jakarta pada tanggal 25 April 2017 a.n. MENTERI RISET, TEKNOLOGI, DAN PENDIDIKAN "
            "TINGGI REPUBLIK INDONESIA SEKRETARIS JENDERAL,\nAINUN NA'IM\nDiundangkan di Jakarta pada tanggal\n\n"
            "SEKRETARIS")
    closing = read_enactment(text, 0, "MENTERI RISET, TEKNOLOGI, DAN PENDIDIKAN TINGGI REPUBLIK INDONESIA")
    assert closing.signer == "MENTERI RISET, TEKNOLOGI, DAN PENDIDIKAN TINGGI REPUBLIK INDONESIA"
    assert closing.enacted == dt.date(2017, 4, 25) and closing.promulgated is None


def test_dates_left_alone_by_a_signature_block_drawn_as_an_image_are_a_guess() -> None:
    text = "Pasal 54\nPeraturan Daerah ini mulai berlaku.\n\n20 Nopember 2013 20 Nopember 2013\n"
    closing = read_enactment(text, 0, "BUPATI PINRANG")
    assert closing.enacted == closing.promulgated == dt.date(2013, 11, 20)
    assert closing.enacted_confidence == REPAIRED and closing.signer == "BUPATI PINRANG"


def test_a_keputusan_page_headers_date_stands_in_for_an_unreadable_closing() -> None:
    text = ("KEPUTUSAN KEPALA LAPAN\nNOMOR : KEP/028/II/2006\nTANGGAL : 2 7 FEB 2006\n- 2 -\nMEMUTUSKAN :\n"
            "Ditetapkan di : Jakarta\nPada tanggal : TER 2006\n")
    closing = read_enactment(text, 0, "KEPALA LEMBAGA PENERBANGAN DAN ANTARIKSA NASIONAL")
    assert closing.enacted == dt.date(2006, 2, 27) and closing.enacted_confidence == REPAIRED
