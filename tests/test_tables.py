"""Table rows in passage text: each cell is quoted alone and belongs to the city its column's header names."""

from __future__ import annotations

from api.engine.citations import Sentence, split_sentences
from api.engine.sentences import HEADING_MAX_WORDS, looks_like_heading
from api.engine.tables import table_cells
from core.gazetteer import Gazetteer
from core.settings import PROJECT_ROOT
from ingest.loaders.text import strip_markup

PAPER = PROJECT_ROOT / "documents" / "papers" / "000_1509ec196a059127.txt"
GAZ = Gazetteer.default()
BALIKPAPAN, SAMARINDA = GAZ.resolve("Kota Balikpapan"), GAZ.resolve("Kota Samarinda")


def regulation_table() -> str:
    """Table 1 of the Balikpapan–Samarinda paper, as the text loader reads it."""
    text = strip_markup(PAPER.read_text(encoding="utf-8"))
    start = text.index("Regulation\t\nBalikpapan City\tSamarinda City")
    return text[start : text.index("\n\n", start)]


def whole(text: str) -> Sentence:
    return Sentence(0, len(text), text)


def test_each_cell_goes_to_its_columns_city():
    text = regulation_table()
    cells = table_cells(text, whole(text), [BALIKPAPAN, SAMARINDA])
    by_city = {code: [c.text for c in cells if c.city == code] for code in (BALIKPAPAN.code, SAMARINDA.code)}
    assert any("Mayor's Regulation 31/2020" in t for t in by_city[BALIKPAPAN.code])
    assert not any("Mayor's Regulation 31/2020" in t for t in by_city[SAMARINDA.code])
    assert any("Mayor's Regulation 79/2022" in t for t in by_city[SAMARINDA.code])
    for cell in cells:
        assert text[cell.start : cell.end] == cell.text and "\t" not in cell.text


def test_without_compared_cities_the_row_stays_whole():
    text = regulation_table()
    assert table_cells(text, whole(text), []) == [whole(text)]


def test_a_table_of_short_scores_is_quoted_as_a_whole():
    text = "Year\tBalikpapan City\t\tSamarinda City\t\n2023\t3.75\tVery Good\t3.14\tGood"
    assert table_cells(text, whole(text), [BALIKPAPAN, SAMARINDA]) == [whole(text)]


def test_sentences_inside_a_cell_keep_their_offsets():
    text = regulation_table()
    for sentence in split_sentences(text):
        for cell in table_cells(text, sentence, [BALIKPAPAN, SAMARINDA]):
            assert sentence.start <= cell.start <= cell.end <= sentence.end
            assert text[cell.start : cell.end] == cell.text


def test_captions_are_headings_and_statements_are_not():
    assert looks_like_heading("Fluctuations in SPBE Index Scores of Balikpapan City and Samarinda City")
    assert not looks_like_heading("Balikpapan City started in 2019 with a Good category (3.17).")
    assert not looks_like_heading(" ".join(["kata"] * (HEADING_MAX_WORDS + 1)))
