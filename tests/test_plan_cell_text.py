"""A born-digital cell's text lines (ingest.plans.cell_text): lines a spreadsheet set over each other are read apart,
in the order of their tops; letters of one line in two sizes stay one line; a word its cell clipped keeps its hidden
letters."""

from __future__ import annotations

from typing import Any

from core.settings import PROJECT_ROOT
from ingest.plans.cell_text import in_box, runs_placed, text, text_lines
from ingest.plans.tables import read_indicator_rows

PLANS = PROJECT_ROOT / "tests" / "devset" / "plans"
RENSTRA = PLANS / "renstra_bappeda_kota_semarang_2016_2021_perubahan2.pdf"
RKPD = PLANS / "rkpd_perubahan_kota_semarang_2016.pdf"
_WIDTH = 3.0


def _line(words: str, x0: float, top: float, size: float = 5.8) -> list[dict[str, Any]]:
    """A line's letters as pdfplumber gives them, each _WIDTH wide."""
    return [{"text": ch, "x0": x0 + i * _WIDTH, "x1": x0 + (i + 1) * _WIDTH, "top": top, "bottom": top + size,
             "doctop": top, "upright": True, "size": size, "object_type": "char"} for i, ch in enumerate(words)]


def test_a_line_set_over_the_one_above_is_read_as_a_line_of_its_own():
    # Renstra p. 74: 'Wilayah) (%)' at 299.1 pt and the next item's 'Capaian indikator ...' at 299.6 pt came out as
    # one line, 'WCailpaayiaahn) i(n%d)ikator'.
    chars = [*_line("Wilayah) (%)", 225, 299.12), *_line("Capaian indikator", 225, 299.6)]
    assert [line for _, _, line in text_lines(chars, 1)] == ["Wilayah) (%)", "Capaian indikator"]
    assert text(chars, 1) == "Wilayah) (%)\nCapaian indikator"


def test_letters_of_two_sizes_side_by_side_stay_one_line():
    chars = [*_line("Target", 100, 200.0), *_line("2017", 100 + 8 * _WIDTH, 200.4, size=5.0)]
    assert [line for _, _, line in text_lines(chars, 1)] == ["Target 2017"]


def test_items_set_over_each_other_read_as_their_own_rows():
    rows = {r.indicator: r for r in read_indicator_rows(RENSTRA, [74])}
    wilayah = rows["Persentase kesesuaian muatan antar dokumen perencanaan antar waktu (Rumpun Infrastruktur dan "
                   "Pengembangan Wilayah)"]
    assert (wilayah.unit, [(t.year, t.value) for t in wilayah.targets][:1]) == ("%", [(2018, "100,00")])
    misi = rows["Capaian indikator sasaran misi 3 RPJMD terhadap target tahunan"]
    assert (misi.unit, [(t.year, t.value) for t in misi.targets][:1]) == ("%", [(2018, "90,50")])


def test_a_word_clipped_by_its_cell_keeps_its_hidden_letters_and_the_cell_beside_reads_only_its_own():
    # RKPD p. 112: the unit cell (155.2-181.6 pt) clips 'Kg/kapi' / 'ta/tahu'; their last letters, centred just past
    # the rule, were read into the target cell beside it as 'i 30,71 u'.
    unit_box, target_box = (155.2, 389.2, 181.6, 423.5), (181.6, 389.2, 229.1, 423.5)
    chars = [*_line("Kg/kapi", 162.5, 393.1), *_line("30,71", 195.0, 393.1),
             *_line("ta/tahu", 162.4, 402.4), *_line("n", 168.0, 411.7)]
    assert text(in_box(chars, target_box), 1) == "i 30,71\nu"  # each letter by its own centre: the fault
    placed = runs_placed(chars)
    assert text(in_box(placed, target_box), 1) == "30,71"
    assert text(in_box(placed, unit_box), 1) == "Kg/kapi\nta/tahu\nn"
    # Told the cell's right rule, a line running past it was broken mid-word: the next goes on with it.
    assert text(in_box(placed, unit_box), 1, unit_box[2]) == "Kg/kapita/tahun"
    # A line wrapped at a space may run past too; a capital after it opens a word of its own.
    header = runs_placed([*_line("Target Akhir", 152.0, 393.1), *_line("RPJMD", 160.0, 402.4)])
    assert text(in_box(header, unit_box), 1, unit_box[2]) == "Target Akhir\nRPJMD"
    # Letters a gap apart are not one run: text standing apart in two cells stays in each.
    apart = runs_placed([*_line("Ton", 170.0, 393.1), *_line("12", 182.0, 393.1)])
    assert text(in_box(apart, unit_box), 1) == "Ton" and text(in_box(apart, target_box), 1) == "12"


def test_figures_touching_across_a_rule_are_each_their_own_cell_s_and_a_clipped_word_still_keeps_its_letters():
    # RKPD p. 104: the end target '24.500.000.' runs its hidden last '.' up to the realised '2.234.751.63' beside
    # it; placed as one run by its middle, the whole line went to the realised cell and the target read '000.000'.
    target_box, realised_box = (374.7, 385.0, 413.6, 419.0), (414.1, 385.0, 464.0, 419.0)
    rules = [(413.6, 385.0, 419.0), (414.1, 385.0, 419.0)]
    chars = [*_line("24.500.000.", 381.5, 386.1), *_line("2.234.751.63", 414.5, 386.1),
             *_line("000.000", 390.0, 397.2)]
    placed = runs_placed(chars, rules)
    assert text(in_box(placed, target_box), 1) == "24.500.000.\n000.000"
    assert text(in_box(placed, realised_box), 1) == "2.234.751.63"
    assert text(in_box(runs_placed(chars), target_box), 1) == "000.000"  # told no rule: the fault
    # A word's hidden letters past the rule are no figure of the next cell's: the run stays whole.
    unit_box = (155.2, 389.2, 181.6, 423.5)
    word = runs_placed(_line("Kg/kapi", 162.5, 393.1), [(181.6, 389.2, 423.5)])
    assert text(in_box(word, unit_box), 1) == "Kg/kapi"


def test_a_line_of_blanks_over_a_line_s_letters_adds_no_space_but_a_space_between_its_words_stays():
    # Renstra p. 75: a line of spaces a point above 'Lomba Krenova' was merged into it by the line tolerance and its
    # spaces landed between the letters: 'LombaKreno va'.
    words = _line("Lomba Krenova", 225.0, 83.55)
    padding = _line(" " * 20, 222.0, 82.59)
    assert text([*padding, *words], 1) == "Lomba Krenova"
    assert [line for _, _, line in text_lines([*padding, *words], 1)] == ["Lomba Krenova"]
    # A space set a little off its line, in the gap between two words, is still their space ('1.503.777 orang').
    gap = [*_line("777", 100.0, 50.0), *_line(" ", 109.0, 49.5), *_line("orang", 112.0, 50.0)]
    assert text(gap, 1) == "777 orang"


def test_the_target_beside_a_clipped_unit_reads_as_the_page_prints_it():
    rows = {r.indicator: r for r in read_indicator_rows(RKPD, [112])}
    fish = rows["Peningkatan konsumsi ikan perkapita"]
    assert [(t.year, t.value) for t in fish.targets] == [(2016, "30,71")]
    assert fish.unit == "Kg/kapita/tahun"
