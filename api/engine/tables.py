"""Tables flattened into passage text: quote one cell at a time, and know the city its column stands for.

A comparative paper's table ("Regulation | Balikpapan City | Samarinda City") reaches a passage as lines of
tab-separated cells. Read as one sentence, a quote runs from one city's cell into the other's, and a
comparison can show Balikpapan's regulation in Samarinda's column. Under a header row naming one compared
city per column, each cell is therefore its own candidate sentence and belongs to that column's city.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from api.engine.citations import Sentence
from core.types import Region

# A header cell is short: a city's name with a word or two ("Balikpapan City", "Kota Samarinda").
HEADER_CELL_MAX_CHARS = 40
MIN_CELL_CHARS = 25
_LINE = re.compile(r"[^\n]*")


def _header_cities(line: str, regions: Sequence[Region]) -> list[str | None] | None:
    """The compared city each cell of ``line`` names, when at least two cells each name exactly one."""
    cities: list[str | None] = []
    for cell in line.split("\t"):
        words = cell.strip().lower()
        named = [r.code for r in regions if r.name.lower() in words] if len(words) <= HEADER_CELL_MAX_CHARS else []
        cities.append(named[0] if len(named) == 1 else None)
    return cities if sum(c is not None for c in cities) >= 2 else None


def table_cells(text: str, sentence: Sentence, regions: Sequence[Region] = ()) -> list[Sentence]:
    """``sentence`` (a span of ``text``) as its table cells, each with its column's city code (``city`` stays
    None when no header row above names one); a sentence with no tab is returned whole."""
    if "\t" not in sentence.text:
        return [sentence]
    header: list[str | None] | None = None
    cells: list[Sentence] = []
    for line in _LINE.finditer(text, 0, sentence.end):
        if line.end() <= sentence.start:
            header = _header_cities(line.group(), regions) or header
            continue
        offset = line.start()
        for column, cell in enumerate(line.group().split("\t")):
            lo, hi = max(offset, sentence.start), min(offset + len(cell), sentence.end)
            offset += len(cell) + 1
            piece = text[lo:hi]
            body = piece.strip()
            if not body:
                continue
            start = lo + len(piece) - len(piece.lstrip())
            city = header[column] if header is not None and column < len(header) else None
            cells.append(Sentence(start, start + len(body), body, city))
        header = _header_cities(line.group(), regions) or header
    # Only cells that speak for a city and say something on their own replace the row: a table of scores
    # ("2023  3.75  Very Good  3.14  Good") means something only as a whole.
    if not any(c.city is not None and len(c.text) >= MIN_CELL_CHARS for c in cells):
        return [sentence]
    return cells
