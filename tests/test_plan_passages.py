"""A plan's table rows as passages (ingest.plans.row_spans, ingest.chunking): each row whole in one passage, the
passage carrying its table's caption and column headings, and budget tables read into rows; on the real Semarang
Renstra."""

from __future__ import annotations

import pytest

from core.settings import PROJECT_ROOT
from core.types import CleanDocument, IndicatorValue, PageSpan, Passage
from ingest.chunking import TableRows, split_passages
from ingest.plans.row_spans import table_rows
from ingest.plans.tables import read_indicator_rows
from ingest.structure import find_sections
from vectorstore.lexical import search_text

RENSTRA = PROJECT_ROOT / "tests" / "devset" / "plans" / "renstra_bappeda_kota_semarang_2016_2021_perubahan2.pdf"
RKPD = PROJECT_ROOT / "tests" / "devset" / "plans" / "rkpd_perubahan_kota_semarang_2016.pdf"
# Tabel 7.3 (p. 81) as the PDF prints it: one row per indicator, its figures on the same line as its name.
POVERTY_ROW = "8 Angka Kemiskinan % 4,97 4,85 4,82 4,76 4,67 4,60 4,53 4,53"
LAST_ROW_OF_PAGE = "9 Tingkat Pengangguran Terbuka % 5,77 5,48 5,37 5,17 4,97 4,77 4,57 4,57"


@pytest.fixture(scope="module")
def page_81_chunks(renstra_clean):
    tables = table_rows(read_indicator_rows(RENSTRA, [81]), renstra_clean)
    chunks = split_passages(renstra_clean, find_sections(renstra_clean.text), tables=tables, table_chars=400)
    return tables, chunks


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_table_row_lies_whole_in_one_passage_with_its_number(renstra_clean, page_81_chunks):
    _, chunks = page_81_chunks
    text = renstra_clean.text
    for row in (POVERTY_ROW, LAST_ROW_OF_PAGE, "2 Laju Pertumbuhan Ekonomi % 5,80 5,69 5,81 5,98 6,16 6,33 6,50 6,50"):
        assert [c for c in chunks if row in _flat(text[c.start:c.end])], f"{row!r} is cut apart"


def test_no_passage_boundary_falls_inside_a_row(renstra_clean, page_81_chunks):
    tables, chunks = page_81_chunks
    assert tables and len(tables[0].rows) >= 9
    cuts = {c.start for c in chunks} | {c.end for c in chunks}
    for table in tables:
        bounds = [start for start, _ in table.rows] + [table.end]
        for a, b in zip(bounds, bounds[1:], strict=False):
            row_end = a + len(renstra_clean.text[a:b].rstrip())
            assert not [cut for cut in cuts if a < cut < row_end], f"cut inside {renstra_clean.text[a:b]!r}"


def test_a_row_passage_carries_its_table_s_caption_and_column_headings(renstra_clean, page_81_chunks):
    _, chunks = page_81_chunks
    poverty = next(c for c in chunks if POVERTY_ROW in _flat(renstra_clean.text[c.start:c.end]))
    assert poverty.context.startswith("Tabel 7.3 Indikator Kinerja Daerah")
    for heading in ("Satuan", "Target Capaian Setiap Tahun", "2019", "Akhir Periode RPJMD"):
        assert heading in poverty.context
    # Text before the table (the caption's paragraph) is no row passage and carries no context.
    assert any(not c.context and "Tabel 7.3" in renstra_clean.text[c.start:c.end] for c in chunks)


def test_the_lexical_index_reads_a_passage_s_context_with_its_text():
    passage = Passage(passage_id="d:1", doc_id="d", index=1, text="8 Angka Kemiskinan % 4,97 4,85", start=0, end=30,
                      page_start=81, page_end=81, context="Tabel 7.3 Indikator Kinerja Daerah\nTarget 2019")
    assert "Target 2019" in search_text(passage)


def test_table_rows_are_packed_up_to_the_size_and_a_long_row_stands_alone():
    text = "Tabel 1 Target\n" + "".join(f"{i} Indikator nomor {i} % 1,00 2,00 3,00\n" for i in range(1, 11))
    doc = CleanDocument(text=text, pages=(PageSpan(number=1, start=0, end=len(text)),))
    starts = [text.index(f"{i} Indikator") for i in range(1, 11)]
    table = TableRows(context="Tabel 1 Target | 2019", rows=tuple((s, "") for s in starts), end=len(text.rstrip()))
    chunks = split_passages(doc, [], tables=[table], table_chars=80)
    rows = [c for c in chunks if c.context]
    assert all(c.end - c.start <= 80 for c in rows)
    assert "".join(text[c.start:c.end] for c in rows).replace("\n", "") == text[starts[0]:].replace("\n", "")
    assert [c for c in chunks if not c.context] and text[chunks[0].start:chunks[0].end] == "Tabel 1 Target"


def test_a_budget_table_is_read_into_rows_of_funds_planned_and_spent_per_year():
    # Tabel 2.10: 'Alokasi Anggaran (Rp)' (whose 'alokasi' holds the word of a place column, 'lokasi') and
    # 'Realisasi Anggaran (Rp)' for 2016 and 2017, the rows named in an 'Uraian' column.
    rows = read_indicator_rows(RENSTRA, [34])
    data = next(r for r in rows if r.indicator == "Program pengembangan data dan informasi")
    assert [(v.year, v.value) for v in data.budgets] == [(2016, "1.856.000.000"), (2017, "100.000.000")]
    assert [(v.year, v.value) for v in data.budget_realised] == [(2016, "1.795.371.070"), (2017, "95.581.950")]
    assert data.budgets[0].number == 1_856_000_000
    assert data.table.startswith("Tabel 2.10") and "Alokasi Anggaran (Rp) 2016" in data.header


def test_a_figure_wrapped_onto_a_row_of_its_own_is_joined_to_its_row():
    # Tabel 2.7 (p. 30) prints '16.898.525.' over '000': the ruling finder makes the second line a row.
    rows = read_indicator_rows(RENSTRA, [30])
    total = next(r for r in rows if r.indicator == "JUMLAH BELANJA")
    assert total.budgets[0].value == "16.898.525.000" and total.budget_realised[0].value == "15.384.068.663"
    assert "BELANJA TIDAK LANGSUNG" in [r.indicator for r in rows]
    assert not [r for r in rows if r.budgets and r.budgets[0].value == "000"]


def test_a_question_for_a_programme_s_budget_in_a_year_is_read_from_its_budget_row(renstra_clean):
    from api.engine.targets import best_row, read_target_question
    from ingest.plans.reader import indicator_rows

    question = "Berapa anggaran Program pengembangan data dan informasi Bappeda Kota Semarang pada tahun 2015?"
    asked = read_target_question(question)
    assert asked is not None and asked.year == 2015 and asked.prefer[0] == "budget"
    rows = indicator_rows(read_indicator_rows(RENSTRA, [30, 31]), renstra_clean, [], doc_id="d", plan_key="p")
    row = best_row(rows, question, asked, {"bappeda", "kota", "semarang"})
    assert row is not None and row.indicator == "Program pengembangan data dan informasi"
    assert [b.value for b in row.budgets if b.year == 2015] == ["1.186.200.000"]
    spent = read_target_question("Berapa realisasi anggaran Program pengembangan data dan informasi tahun 2015?")
    assert spent is not None and spent.prefer[0] == "budget realised"


def test_noise_read_at_a_scanned_cell_s_edge_before_a_figure_is_dropped():
    # Tesseract's readings of the RKPD's target cells, printed and scanned (scripts/measure_scanned_tables.py):
    # a ruling stub read as 'Da' on a line of its own above '100%', or as 'im' before '77,50 %'.
    from ingest.plans.scanned import cell_lines

    def texts(*lines: str) -> list[str]:
        words = [(10.0, 10.0 * k, 40.0, 10.0 * k + 8, text) for k, text in enumerate(lines)]
        return [text for _, _, text in cell_lines(words)]

    assert texts("Da", "100%") == ["100%"]
    assert texts("im 77,50 %") == ["77,50 %"]
    assert texts("Rp 1.000.000") == ["Rp 1.000.000"]  # the one short word a figure cell prints
    assert texts("Ha") == ["Ha"] and texts("100 Ha") == ["100 Ha"]  # a unit is no noise


def test_two_close_lines_of_a_scanned_cell_keep_their_own_words_in_order():
    # Tesseract's boxes of the Renstra's p. 77 cell (scanned, points): the second item's words come 14 pt tall,
    # reaching into the first line, whose extent they overlapped: the lines were read as one, interleaved
    # ('- - Langganan Langganan telepon telepon').
    from ingest.plans.scanned import lines_of

    words = [(268.6, 131.0, 283.7, 136.8, "(Bulan)"), (222.1, 133.6, 223.6, 134.6, "-"),
             (251.6, 131.4, 267.1, 136.8, "telepon"), (226.4, 131.4, 250.2, 137.2, "Langganan"),
             (227.2, 133.9, 249.1, 147.6, "Langganan"), (251.3, 133.9, 266.4, 147.6, "telepon"),
             (268.2, 133.9, 276.1, 147.6, "(%)"), (222.1, 141.8, 223.6, 142.9, "-"),
             (251.6, 148.0, 263.5, 152.3, "koran"), (265.0, 147.6, 280.1, 153.4, "(Bulan)"),
             (222.1, 150.1, 223.6, 151.2, "-"), (226.4, 148.0, 250.2, 153.7, "Langganan")]
    assert [text for _, _, text in lines_of(words)] == [
        "- Langganan telepon (Bulan)", "- Langganan telepon (%)", "- Langganan koran (Bulan)"]
    # A word's box reaching over its neighbour's keeps it on its line: '87' and its '%' (RKPD p. 137).
    assert [text for _, _, text in lines_of([(702.0, 298.8, 723.2, 305.6, "87"),
                                             (716.8, 297.4, 724.3, 309.6, "%")])] == ["87 %"]


def test_a_speck_read_as_a_figure_neither_joins_nor_splits_a_scanned_cell_s_lines():
    # RKPD p. 134, scanned: a 1 pt speck read as '5' beside '8.028 siswa' took the line's figure and left its unit
    # on a line of its own, a third value line beside two indicators.
    from ingest.plans.scanned import lines_of

    words = [(752.0, 212.4, 775.8, 219.2, "siswa"), (724.0, 212.8, 747.7, 219.2, "5.712"),
             (757.1, 245.5, 758.2, 246.6, "5"), (724.0, 245.5, 748.1, 252.4, "8.028"),
             (752.0, 247.7, 775.8, 252.4, "siswa")]
    assert [text for _, _, text in lines_of(words)] == ["5.712 siswa", "8.028 siswa"]
    # Alone in an empty cell a speck is all the type the cell has: the table's type measures it (Renstra p. 71,
    # a 1 pt '7' read as the target of a year it sets none for).
    speck = [(668.2, 242.6, 668.9, 243.4, "7")]
    assert lines_of(speck, table_type=4.7) == [] and [text for _, _, text in lines_of(speck)] == ["7"]


def test_a_list_s_dash_read_as_a_letter_or_figure_still_opens_its_item():
    # The Renstra's p. 71, scanned: the dashes before listed indicators read as '5', '2', 'é' (boxes 0.7 pt tall);
    # dropped as specks, the items ran together into one.
    from ingest.plans.scanned import lines_of

    words = [(222.2, 137.0, 223.6, 137.7, "5"), (226.4, 135.0, 250.0, 140.0, "Capaian"),
             (252.0, 135.0, 280.0, 140.0, "indikator"), (226.4, 143.0, 250.0, 148.0, "tahunan"),
             (222.2, 153.0, 223.6, 153.7, "é"), (226.4, 151.0, 250.0, 156.0, "Jumlah")]
    assert [text for _, _, text in lines_of(words)] == ["- Capaian indikator", "tahunan", "- Jumlah"]


def test_a_figure_s_zero_read_as_a_round_letter_is_a_zero_and_words_are_untouched():
    # Tesseract read the Renstra's '100,00' (p. 32, printed and scanned) as '100,0C'.
    from ingest.ocr import OcrWord
    from ingest.plans.scanned import _clean

    def clean(text: str) -> str:
        return _clean(OcrWord(text, 90.0, 0, 0, 10, 10, (1, 1, 1)))

    assert clean("100,0C") == "100,00" and clean("10O%") == "100%" and clean("1.O00") == "1.000"
    assert [clean(w) for w in ("Dokumen", "DKK", "D.", "5S", "8D", "100")] == ["Dokumen", "DKK", "D.", "5S", "8D",
                                                                            "100"]


def test_a_shaded_cell_read_as_unsure_letters_is_no_text_and_unsure_figures_and_words_are_kept():
    # Renstra p. 92, scanned: the grey cells of years without a target were read as 'TN', 'DANA', 'Ll'.
    from ingest.ocr import OcrWord
    from ingest.plans.scanned import _clean

    def clean(text: str, confidence: float) -> str:
        return _clean(OcrWord(text, confidence, 0, 0, 10, 10, (1, 1, 1)))

    assert [clean(w, 30.0) for w in ("TN", "DANA", "Ll", "ee")] == ["", "", "", ""]
    assert [clean(w, 30.0) for w in ("1", "Dokumen", "%", "Yo")] == ["1", "Dokumen", "%", "%"]
    assert [clean(w, 90.0) for w in ("DAN", "Unit")] == ["DAN", "Unit"]


def test_a_percent_sign_whose_rings_came_apart_is_a_percent_sign_and_words_and_figures_are_kept():
    # The Renstra pp. 71, 74, 77, scanned at 200 dpi: the unit '%' read '#6', 'f6', 'd6', and '(%)' read '(d6)'.
    from ingest.ocr import OcrWord
    from ingest.plans.scanned import _clean

    def clean(text: str) -> str:
        return _clean(OcrWord(text, 90.0, 0, 0, 10, 10, (1, 1, 1)))

    assert [clean(w) for w in ("#6", "f6", "d6", "(d6)", "(Yo)")] == ["%", "%", "%", "(%)", "(%)"]
    assert [clean(w) for w in ("6", "16", "f", "d66", "(6)", "(2016)")] == ["6", "16", "f", "d66", "(6)", "(2016)"]


def test_a_comparison_sign_standing_alone_is_a_word_and_a_lone_speck_is_not():
    # The Renstra's 'Penduduk yang Berusia > 15 tahun' (p. 82) and the RKPD's 'umur istri < 20 th' (p. 30), scanned:
    # Tesseract reads the sign as a word of its own, which was dropped with the specks ('.', '~').
    from ingest.ocr import OcrWord
    from ingest.plans.scanned import _clean

    def clean(text: str) -> str:
        return _clean(OcrWord(text, 90.0, 0, 0, 10, 10, (1, 1, 1)))

    assert [clean(w) for w in (">", "<", "≥", "≤")] == [">", "<", "≥", "≤"]
    assert [clean(w) for w in (".", "~", "“")] == ["", "", ""]


def test_a_shaded_cell_is_painted_white_for_the_ocr_and_its_ink_and_thin_grey_strokes_stay():
    # The Renstra's charts shade the years without a target grey (166 in the scan); Tesseract read the shading's
    # texture as words ('KANAN', 'PAKAN', 'F3'), taken for targets.
    import numpy as np
    from PIL import Image

    from ingest.plans.scanned import _unshaded

    page = np.full((200, 300), 255, np.uint8)
    page[20:120, 20:200] = 166  # a shaded cell
    page[20:120, 20:200][::7, ::11] = 255  # the scan's white specks in it
    page[60:64, 40:160] = 0  # ink printed on the shading
    page[150:180, 40:43] = 166  # a grey letter's stroke, 3 px wide, on white paper
    out = np.asarray(_unshaded(Image.fromarray(page, "L"), 200))
    assert (out[25:55, 25:195] == 255).all() and (out[60:64, 40:160] == 0).all()
    assert (out[152:178, 40:43] == 166).all()


def test_a_unit_sign_in_brackets_is_a_word_even_read_unsure():
    # The Renstra's p. 71, scanned: '- Fasilitasi Kegiatan Pokja AMPL (%)', the '(%)' read surely and dropped as
    # a speck of marks, so the row had no unit; a shaded cell's unsure letters are still no text.
    from ingest.ocr import OcrWord
    from ingest.plans.scanned import _clean

    def clean(text: str, confidence: float = 90.0) -> str:
        return _clean(OcrWord(text, confidence, 0, 0, 10, 10, (1, 1, 1)))

    assert [clean("(%)"), clean("(%)", 30.0), clean("(/)")] == ["(%)", "(%)", "(/)"]
    assert [clean("()"), clean("(.)"), clean("(ee)", 30.0)] == ["", "", ""]


def test_a_year_whose_opening_bracket_was_read_as_a_stroke_is_a_year_in_brackets():
    # The Renstra's p. 77, scanned: 'DATA CAPAIAN PADA TAHUN AWAL PERENCANAAN (2016)' read '... 12016)', so the
    # baseline column named no year and every baseline lost its 2016.
    from ingest.ocr import OcrWord
    from ingest.plans.scanned import _clean

    def clean(text: str) -> str:
        return _clean(OcrWord(text, 90.0, 0, 0, 10, 10, (1, 1, 1)))

    assert [clean(w) for w in ("12016)", "l2021)", "(2016)")] == ["(2016)", "(2021)", "(2016)"]
    assert [clean(w) for w in ("12016", "112)", "15.2016)")] == ["12016", "112)", "15.2016)"]


def test_a_cell_listing_an_indicator_per_unit_gives_each_the_values_on_its_own_lines():
    # The Renstra's Tabel 6.2 (p. 77): '- Pemenuhan cetakan dan penggandaan (Bulan)' has 12 under 2016 and 2017 and
    # 60 as its end target, '- ... (%)' has 100 under 2018-2021, each year's cell one line: before, the cell was read
    # as one indicator, the units run together and every figure given to it.
    from testing.plan_rows import checked_form

    rows = read_indicator_rows(RENSTRA, [76, 77])
    printing = [checked_form(r) for r in rows if r.page == 77 and r.indicator.startswith("Pemenuhan cetakan")]
    assert printing == [
        {"indicator": "Pemenuhan cetakan dan penggandaan", "unit": "Bulan", "baseline": [2016, "12"],
         "targets": {"2017": "12"}, "end_target": "60", "agency": None},
        {"indicator": "Pemenuhan cetakan dan penggandaan", "unit": "%", "baseline": None,
         "targets": {str(y): "100" for y in range(2018, 2022)}, "end_target": None, "agency": None},
    ]
    # An item with no figure of its own (only the programme's funds) is no row: p. 77's meetings within the city.
    meetings = [r for r in rows if r.page == 77 and "konsultasi dalam daerah" in r.indicator]
    assert [r.unit for r in meetings] == ["%"]


def test_tables_printed_side_by_side_in_one_ruling_are_read_as_tables_of_their_own():
    # The Renstra's cascading chart (p. 92): each programme's table on the left, its activities' tables to the
    # right, one grid to pdfplumber. Before, a row was read once, from the left indicator with the left unit and
    # the first figure of each year from either side: the activities' reports had no unit or the wrong row's.
    from testing.plan_rows import checked_form

    rows = read_indicator_rows(RENSTRA, [92])
    report = next(r for r in rows if r.indicator == "Laporan Hasil Koordinasi Perencanaan Dunia Usaha")
    assert checked_form(report) == {
        "indicator": "Laporan Hasil Koordinasi Perencanaan Dunia Usaha", "unit": "Dokumen", "baseline": None,
        "targets": {str(y): "1" for y in range(2017, 2022)}, "end_target": None, "agency": None}
    left = next(r for r in rows if r.indicator.startswith("Capaian indikator sasaran misi 4"))
    assert left.unit == "%" and [t.value for t in left.targets] == ["90,00", "90,50", "91,00", "91,50", "92,00"]
    assert report.table_index != left.table_index


def test_a_budget_table_s_page_is_handed_to_the_table_reader(renstra_clean):
    from ingest.plans.reader import table_pages

    # Tabel 2.7 (pp. 30-31) and 2.10 (p. 34) name no 'indikator' or 'target': only their funds ('anggaran').
    assert {30, 31, 34} <= set(table_pages(renstra_clean))


def test_a_budget_table_of_agencies_reads_each_agency_s_amended_ceiling():
    # The RKPD's Tabel 3.7 (p. 147): 'Urusan/ SKPD' names the rows (no indicator, item or programme column); each year
    # has three columns of funds (the pagu as first planned, the APBD, the pagu as amended): the amended plan's
    # figure is the amended one. Tabel 3.3 (p. 124) names its rows in an 'URAIAN' heading over four columns.
    rows = read_indicator_rows(RKPD, [124, 147])
    bappeda = next(r for r in rows if r.indicator == "BAPPEDA")
    assert [(v.year, v.value) for v in bappeda.budgets] == [(2016, "17.946.169.000")]
    assert bappeda.code == "1.06.01" and bappeda.agency is None
    spending = next(r for r in rows if r.indicator == "Belanja Daerah")
    assert [(v.year, v.value) for v in spending.budgets] == [(2016, "4.386.662.430.680")]


def test_a_row_is_located_where_its_values_follow_not_where_the_prose_above_names_it():
    from ingest.plans.reader import locate

    indicator = "Persentase hasil kajian penelitian yang dimanfaatkan dalam perencanaan pembangunan daerah"
    explained = "Indikator ini merupakan representasi dari berkualitasnya perencanaan pembangunan daerah. " * 5
    prose = f"3. {indicator} {explained}"
    row = f"- {indicator} % 76,00 80,00 85,00 90,00"
    text = prose + "\nTabel 4.1 MATRIKS TUJUAN\n" + row
    doc = CleanDocument(text=text, pages=(PageSpan(number=1, start=0, end=len(text)),))
    found = locate(indicator, doc, 1, ["7600", "8000"])
    assert found is not None and found[0] == text.index(row) + 2
    assert locate(indicator, doc, 1) == (3, 3 + len(indicator))  # without its values: the first mention


def test_a_budget_row_keeps_its_account_code_and_leaves_the_row_before_its_figures():
    from ingest.plans.row_spans import _Page, row_span
    from ingest.plans.tables import RawRow

    text = ("1.06 URUSAN PERENCANAAN PEMBANGUNAN 14.724.400.000 15.024.400.000 17.946.169.000 2.921.769.000 "
            "1.06.01 BAPPEDA 14.724.400.000 15.024.400.000 17.946.169.000 2.921.769.000 "
            "Belanja Tidak Langsung 1.633.209.712.000")

    def span(indicator: str, value: str) -> str:
        row = RawRow(page=1, table_index=0, row_index=0, item=0, table="", indicator=indicator, unit=None,
                     baseline=None, targets=[], end_target=None, actuals=[], goal=None, programme=None, code=None,
                     agency=None, bbox=None, budgets=[IndicatorValue(year=2016, value=value)])
        found = row_span(row, _Page(text, 0), text)
        assert found is not None
        return text[found[0]:found[1]]

    assert span("BAPPEDA", "17.946.169.000").startswith("1.06.01 BAPPEDA")
    # A figure ending the row before is no row mark of the next: 'Belanja' starts its own row.
    assert span("Belanja Tidak Langsung", "1.633.209.712.000").startswith("Belanja")


def test_a_row_ends_with_its_percent_sign_and_its_agency_cell():
    from ingest.plans.row_spans import _Page, row_span
    from ingest.plans.tables import RawRow

    text = "3. Peningkatan sarpras pelayanan RSUD 1.02.34 Program peningkatan pelayanan BLU - Kinerja BLUD 80% RSUD\n"
    text += "c. Peningkatan cakupan jaminan kesehatan"
    row = RawRow(page=1, table_index=0, row_index=0, item=0, table="", indicator="Kinerja BLUD", unit="%",
                 baseline=None, targets=[IndicatorValue(year=2016, value="80%")], end_target=None, actuals=[],
                 goal=None, programme=None, code=None, agency="RSUD", bbox=None)
    found = row_span(row, _Page(text, 0), text)
    assert found is not None and text[found[0]:found[1]] == "- Kinerja BLUD 80% RSUD"
    without = RawRow(**{**row.__dict__, "agency": None})
    found = row_span(without, _Page(text, 0), text)
    assert found is not None and text[found[0]:found[1]] == "- Kinerja BLUD 80%"


def test_a_word_too_long_for_its_box_is_the_one_letter_read_again(tmp_path):
    # The RKPD's p. 144, scanned: a narrow agency cell breaks 'Dishubkominfo' before its 'o', which Tesseract read
    # 'ke)' (three characters in a box one small letter wide).
    from pathlib import Path

    from PIL import Image, ImageDraw, ImageFont

    from core.settings import Settings
    from ingest.plans.scanned import _letter_read_again

    font_path = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
    if not font_path.exists():
        pytest.skip("Liberation Serif is not installed")
    page = Image.new("L", (200, 120), 255)
    ImageDraw.Draw(page).text((60, 40), "o", font=ImageFont.truetype(str(font_path), 22), fill=0)
    ink = Image.eval(page, lambda v: 255 - v).getbbox()  # the letter's box, in pixels
    assert ink is not None
    scale = 72 / 200
    box = tuple(v * scale for v in ink)
    base = Settings()
    settings = base.model_copy(update={"store": base.store.model_copy(update={"data_dir": tmp_path / "data"})})
    confidences: dict = {}
    type_height = 22 * 0.75 * scale  # the type's height in points: a capital's, ~0.75 of the em
    word = (*box, "ke)")
    assert _letter_read_again(word, page, type_height, scale, settings, confidences)[4] == "o"
    wide = (box[0], box[1], box[0] + 3 * type_height, box[3], "ke)")  # as wide as three letters: left as read
    assert _letter_read_again(wide, page, type_height, scale, settings, confidences) == wide
