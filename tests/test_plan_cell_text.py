"""A born-digital cell's text lines (ingest.plans.cell_text): lines a spreadsheet set over each other are read apart,
in the order of their tops; letters of one line in two sizes stay one line."""

from __future__ import annotations

from typing import Any

from core.settings import PROJECT_ROOT
from ingest.plans.cell_text import text, text_lines
from ingest.plans.tables import read_indicator_rows

RENSTRA = PROJECT_ROOT / "tests" / "devset" / "plans" / "renstra_bappeda_kota_semarang_2016_2021_perubahan2.pdf"
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
