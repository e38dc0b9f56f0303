"""The legal vocabulary every layer reads text with (core/legal_patterns.py), and the cases where folding the
layers' twin rules into it changed a result."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.engine.features import shape_match
from api.engine.plan import asks_elucidation, content_text
from core.gazetteer import Gazetteer
from core.legal_patterns import (
    AMENDING_ARTICLE,
    DIKTUM_ORDINAL,
    FIRST,
    INSTRUMENTS,
    ORDINALS,
    PAGE_LABEL,
    PART,
    REVOCATION,
    ROMAN_LETTER,
    ROMAN_NUMERAL,
    SHORT_NAMES,
    SMALL_ROMAN_LETTER,
    agency_instrument,
    asked_articles,
    chapter_heading,
    cited_articles,
    identifiers_in,
    instrument_named,
    is_kind,
    kinds_in_words,
    normalise_numbers,
    roman_value,
    same_kind,
    to_roman,
)
from core.types import Page
from ingest.cleaning import clean_pages
from ingest.legal.numbers import OCR_ROMAN_LETTER, ORDINAL_INDEX, roman
from ingest.regulations import parse_regulation_refs
from ingest.textquality import looks_like_word
from vectorstore.glossary import translations
from vectorstore.hybrid import highlight_spans, query_identifiers


@pytest.mark.parametrize("sentence", [
    "Peraturan Wali Kota Nomor 7 Tahun 2010 dicabut dan dinyatakan tidak berlaku.",
    # The variants the real regulations print: ingest's stricter twin missed each of these.
    "Peraturan Daerah Kabupaten Pinrang Nomor 16 Tahun 2001 dinyatakan dicabut dan tidak berlaku lagi.",
    "Keputusan Menteri Nomor 150/O/2002 tentang Statuta dinyatakan tidak berlaku.",
    "Peraturan Menteri Nomor 16 Tahun 2014 (Berita Negara Tahun 2014 Nomor 616), dicabut dan diyatakan tidak berlaku.",
    "Undang-Undang Nomor 2 Tahun 1989 tentang Sistem Pendidikan Nasional\ndinyatakan tidak berlaku lagi.",
])
def test_the_revocation_formula_is_read_as_drafting_and_typing_vary_it(sentence: str) -> None:
    assert REVOCATION.search(sentence)


@pytest.mark.parametrize("sentence", [
    "Izin sebagaimana dimaksud pada ayat (1) dapat dicabut apabila pemegang izin melanggar.",
    "Peraturan pelaksanaan Peraturan Daerah Nomor 3 Tahun 2010 tetap berlaku sepanjang tidak bertentangan.",
])
def test_a_withdrawal_or_a_transitional_clause_is_no_revocation(sentence: str) -> None:
    assert not REVOCATION.search(sentence)


@pytest.mark.parametrize(("phrase", "instrument"), [
    ("Peraturan Walikota", "Perwali"), ("PERATURAN WALI KOTA", "Perwali"), ("perwako", "Perwali"),
    ("Mayor’s Regulation", "Perwali"), ("mayoral regulations", "Perwali"), ("PP", "PP"), ("pp", None),
    ("Peraturan Pemerintah Pengganti Undang-Undang", "Perppu"), ("PermenPAN-RB", "PermenPAN-RB"),
    ("nothing", None), ("perwal", "Perwali"),
])
def test_an_instrument_phrase_is_normalised_to_its_kind(phrase: str, instrument: str | None) -> None:
    assert instrument_named(phrase) == instrument


@pytest.mark.parametrize("short", SHORT_NAMES)
def test_each_short_name_is_read_alike_by_the_index_the_plan_and_the_glossary(short: str) -> None:
    """One list of short names: the index joins the number to it, the plan drops it with the identifier, the
    glossary spells it out (but "pp", a page range in lower case) and a question's elucidation may follow it."""
    assert normalise_numbers(f"{short} 5 tahun 2020") == f"{short} 5/2020"
    assert content_text(f"Apa isi {short.upper()} 5/2020?") == "apa isi ?"
    assert bool(translations(short)) == (short not in {"pp", "uu", "pmk"})
    assert asks_elucidation(f"Apa kata penjelasan {short} 5/2020?")


def test_every_instrument_phrase_names_a_known_kind() -> None:
    assert instrument_named("peraturan gubernur") in INSTRUMENTS
    assert agency_instrument("Peraturan", "Badan Siber dan Sandi Negara Republik Indonesia") == \
        "Peraturan Badan Badan Siber Dan Sandi Negara"
    assert agency_instrument("Peraturan", "Siber dan Sandi Negara") == "Peraturan BSSN"


def test_kind_named_with_a_number_matches_spellings_and_prefixes_of_one_kind() -> None:
    assert same_kind("PermenPAN-RB", "PermenPANRB") and same_kind("Permendikbud", "Permen")
    assert not same_kind("Perda", "Perwali") and not same_kind("", "Perda")


def test_kind_described_in_words_is_exact_unless_a_family() -> None:
    # The two rules differ on purpose: a law described in words ("the 2003 Manpower Act") is no constitution,
    # while "UU" named with a number is compared by prefix.
    assert kinds_in_words("the 2003 manpower act") == ("UU",)
    assert not is_kind("UUD", ("UU",)) and same_kind("UUD", "UU")
    assert is_kind("Kepwali", kinds_in_words("mayoral decree of 2019") or ())
    assert is_kind("Permendagri", ("Permen*",)) and not is_kind("Perda", ("Permen*",))
    assert kinds_in_words("in 2025 the city") is None


def test_roman_numerals_are_one_rule_for_headings_and_word_checks() -> None:
    assert ROMAN_NUMERAL.match("XIV") and not ROMAN_NUMERAL.match("") and not ROMAN_NUMERAL.match("IIII")
    assert roman("l|") == "II" and roman("") is None
    assert roman("XL") == "XL" and roman("Xl") == "XI"  # a capital L is fifty, a small one OCR's I
    assert looks_like_word("XIV")


@given(st.integers(min_value=1, max_value=3999))
def test_a_number_written_in_roman_reads_back_as_itself(number: int) -> None:
    assert ROMAN_NUMERAL.match(to_roman(number)) and roman_value(to_roman(number)) == number


def test_an_amendments_roman_article_is_asked_as_it_is_written() -> None:
    assert asked_articles("Apa isi Pasal XL dan pasal 5?") == ("5", "xl")
    assert re.fullmatch(AMENDING_ARTICLE, "Pasal XL")


def test_the_retriever_reads_an_asked_article_as_the_plan_does() -> None:
    # vectorstore.hybrid had its own "pasal|article N" pattern: "art. 5" and a glued "pasal12" were asked
    # articles to the plan but not to the retriever's identifier boost. Now one pattern serves both.
    for question, articles in (("What does art. 5 of Perwali 3/2020 say?", ("5",)),
                               ("isi pasal12 perwali 3/2020", ("12",)),
                               ("Apa isi Pasal 3 ayat (2) dan Pasal 4A?", ("3", "4a"))):
        assert query_identifiers(question).pasal == articles
        assert asked_articles(question) == articles


def test_the_articles_a_provision_cites_are_read_lists_included() -> None:
    penal = "Setiap orang yang melanggar ketentuan pasal 2, 3, 4 dan 6 diancam pidana kurungan paling lama 3 bulan."
    assert cited_articles(penal) == {"2", "3", "4", "6"}
    assert cited_articles("sebagaimana dimaksud dalam Pasal 12A ayat (2) atau Pasal 14") == {"12a", "14"}
    assert cited_articles("Denda dibayar paling lama 30 hari.") == frozenset()


@pytest.mark.parametrize(("text", "expected"), [
    ("Perbup Pinrang Nomor 521/1 Tahun 2015", [("521/1", 2015)]),
    ("Keputusan Nomor B/430/II.02/HK/TUBABA/2018 dan Perwali 31/2020", [("b/430/ii.02/hk/tubaba", 2018),
                                                                       ("31", 2020)]),
    ("Kepgub 224/BAPPEDA/2023", [("224", 2023)]),
    ("Pasal 5 ayat (2) berlaku 1 Januari 2020", []),
])
def test_a_numbered_instrument_is_read_alike_by_questions_answers_and_descriptions(
        text: str, expected: list[tuple[str, int]]) -> None:
    # The answer engine's "is this sentence an instrument" shape and the described-instrument reader each had a
    # pattern of their own that disagreed with the retriever's on "521/1/2015" and letter-coded numbers.
    found = [(number, year) for _, number, year in identifiers_in(normalise_numbers(text.lower()))]
    assert found == expected
    assert list(query_identifiers(text).numbers) == expected
    assert shape_match("other", text, regulatory=True) == (1.0 if expected else 0.0)


@pytest.mark.parametrize("written", ["Nomor 5 Tahun 2020", "No. 5 Thn. 2020", "Nos. 5 of 2020", "Nr 5 Th 2020"])
def test_a_number_and_its_year_are_read_alike_by_ingest_the_index_and_the_highlighter(written: str) -> None:
    text = f"Peraturan Wali Kota Samarinda {written} tentang Pasar"
    assert [(m.ref.number, m.ref.year) for m in parse_regulation_refs(text, Gazetteer.default())] == [("5", 2020)]
    assert "5/2020" in normalise_numbers(text.lower()).split()
    (start, end), = highlight_spans(text, "Perwali 5/2020")
    assert text[start:end].lower().startswith(written.split()[0].lower()) and text[start:end].endswith("2020")


def test_the_ordinals_count_bagian_and_diktum_in_drafting_order() -> None:
    assert ORDINALS[:3] == ("KESATU", "KEDUA", "KETIGA")
    assert ORDINAL_INDEX["KESEBELAS"] == 10 and ORDINAL_INDEX["KEDUA PULUH SATU"] == 20
    assert ORDINAL_INDEX[FIRST] == ORDINAL_INDEX["KESATU"] == 0
    # the longest reading wins, in any spacing
    assert read(DIKTUM_ORDINAL, "KEDUA  PULUH SATU", "ord") == "KEDUA  PULUH SATU"


@pytest.mark.parametrize(("line", "ordinal"), [
    ("Bagian Kedua", "Kedua"), ("Bagian Kedua Belas", "Kedua Belas"), ("Bagian Pertama", "Pertama"),
    ("BagianKeenam", "Keenam"), ("Bagian kesatu", "kesatu"),
])
def test_a_bagian_heading_is_read_alike_by_cleaning_and_the_body(line: str, ordinal: str) -> None:
    assert read(PART, line, "ord") == ordinal
    # cleaning keeps it a line of its own, where the body reads it
    assert f"\n{line}\n" in clean_text("BAB III\nKETENTUAN\n" + line + "\nJudul Bagian\nPasal 4\nIsi pasal.")


def test_a_chapter_heading_names_each_readers_variation() -> None:
    assert read(chapter_heading(), "BABII") == "II"  # layout glued it; the body checks the order
    assert not re.fullmatch(chapter_heading(gap=r"\s+") + r"\b.*", "BABI GULING")  # a paper's line: a word
    spaced = chapter_heading(rf"(?:{SMALL_ROMAN_LETTER} ?){{1,5}}", word="B ?A ?B", gap=r"\s+")
    assert read(spaced, "B A B  I I") == "I I"  # a plan's letter-spaced heading
    assert read(chapter_heading(f"{OCR_ROMAN_LETTER}+"), "BAB l1") == "l1"  # OCR's numerals
    assert roman("l1") == "II"


def test_a_lettered_item_is_no_small_roman_numeral() -> None:
    # "C. Hasil" numbers a paper's section by letter; a plan's chapters and page labels use I, V and X only
    assert not re.fullmatch(rf"{SMALL_ROMAN_LETTER}+", "C") and re.fullmatch(rf"{ROMAN_LETTER}+", "XL")
    assert re.fullmatch(PAGE_LABEL, "IV-12") and re.fullmatch(PAGE_LABEL, "II - 3")


def read(pattern: str, text: str, group: int | str = 1) -> str | None:
    """The group a pattern reads when it matches the whole text, or None."""
    match = re.fullmatch(pattern, text)
    return match[group] if match else None


def clean_text(text: str) -> str:
    return clean_pages([Page(number=1, text=text)]).text
