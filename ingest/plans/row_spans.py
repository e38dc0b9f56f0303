"""Where a target table's rows lie in the clean text, and what a passage of them must say that the rows do not.

A row's text ('8 Angka Kemiskinan % 4,97 4,85 ... 4,53') holds no word of its table's caption or column headings:
read alone it says neither that its figures are targets nor for which years, so a question asking for "the 2019
poverty target" finds narrative passages instead. The chunker keeps each row whole (ingest.chunking.TableRows) and
the passage of a few rows carries the caption, the headings and the goal or programme the rows serve as its
context, which the indexes read with its text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from core.types import CleanDocument
from ingest.chunking import TableRows
from ingest.plans.tables import RawRow

# The values of a row follow its indicator in the text layer; further than this (letters and digits) they are
# another row's, or the indicator's words were found in the narrative above the table.
FIRST_VALUE_WITHIN = 300
_NEXT_VALUE_WITHIN = 120
_MIN_INDICATOR = 6
# A row's number, code or bullet printed before its indicator ('8 ', 'd.', '- ', '1.', the account code '1.06.01' of a
# budget table's agency) belongs to the row. A code's groups after the first have one or two digits (the last may
# have three: '3.1.01.01.19.020'), so the figure ending the row before ('17.946.169.000') is never taken for one,
# and no mark starts inside a figure.
_ROW_MARK = re.compile(r"(?:(?<![\d.,])\d{1,2}(?:\.\d{1,2}){1,5}(?:\.\d{3})?\.?|(?<![\d.,])\(?\d{1,3}[.)]?|"
                       r"[A-Za-z][.)]|[-•·▪])\s*$")
_MARK_WINDOW = 20
_TRAILING_PERCENT = re.compile(r"[ \t]?%")
# How far (letters and digits) after a row's last figure its agency cell may begin: the unit or status between.
_AGENCY_WITHIN = 12


class _Page:
    """A page's letters and digits, lower case, with each one's offset in the clean text."""

    def __init__(self, text: str, start: int) -> None:
        chars, offsets = [], []
        for i, ch in enumerate(text):
            if ch.isalnum():
                chars.append(ch.lower())
                offsets.append(start + i)
        self.flat = "".join(chars)
        self.offsets = offsets


def _flat(text: str) -> str:
    return "".join(ch.lower() for ch in text if ch.isalnum())


def row_values(row: RawRow) -> list[str]:
    """The row's values as letters and digits, lower case, in the order the text layer prints them."""
    values = [row.baseline, *row.targets, row.end_target, *row.actuals, *row.budgets, *row.budget_realised]
    return [flat for v in values if v is not None and (flat := _flat(v.value))]


def row_span(row: RawRow, page: _Page, text: str) -> tuple[int, int] | None:
    """(start, end) of the row in the clean text: from its number or bullet to its last value. The indicator is
    taken where its first value follows it closely, not where the narrative above the table names it."""
    wanted = _flat(row.indicator)
    values = row_values(row)
    if len(wanted) < _MIN_INDICATOR or not values:
        return None
    anchor = wanted[:40]
    at = page.flat.find(anchor)
    while at >= 0:
        after = at + len(anchor)
        if wanted.startswith(anchor) and page.flat.startswith(wanted, at):
            after = at + len(wanted)
        first = page.flat.find(values[0], after, after + len(wanted) + FIRST_VALUE_WITHIN)
        if first >= 0:
            end = first + len(values[0])
            for value in values[1:]:
                found = page.flat.find(value, end, end + _NEXT_VALUE_WITHIN)
                if found >= 0:
                    end = found + len(value)
            start = page.offsets[at]
            mark = _ROW_MARK.search(text[max(start - _MARK_WINDOW, 0):start])
            if mark is not None:
                start -= len(mark.group(0))
            # The agency cell printed after the figures ('Kinerja BLUD 80% RSUD') is the row's last cell.
            agency = _flat(row.agency or "")
            if len(agency) >= 2 and (found := page.flat.find(agency, end, end + len(agency) + _AGENCY_WITHIN)) >= 0:
                end = found + len(agency)
            stop = page.offsets[end - 1] + 1
            # A percent sign after the last figure is the figure's ('Kinerja BLUD 80%'): a passage ending before it
            # would quote '80' and leave '%' to the next.
            unit = _TRAILING_PERCENT.match(text, stop)
            return start, unit.end() if unit is not None else stop
        at = page.flat.find(anchor, at + 1)
    return None


def table_rows(rows: Sequence[RawRow], clean: CleanDocument) -> list[TableRows]:
    """Each table's (each page's part of a table's) rows as the chunker keeps them: row starts in text order,
    where the last row ends, the caption and column headings, and each row's goal or programme."""

    @lru_cache(maxsize=8)
    def page_index(number: int) -> _Page | None:
        span = next((p for p in clean.pages if p.number == number), None)
        return _Page(clean.text[span.start:span.end], span.start) if span is not None else None

    tables: dict[tuple[int, int], list[tuple[int, int, RawRow]]] = {}
    for row in rows:
        page = page_index(row.page)
        if page is None or (span := row_span(row, page, clean.text)) is None:
            continue
        tables.setdefault((row.page, row.table_index), []).append((*span, row))
    out = []
    for found in tables.values():
        found.sort(key=lambda item: item[0])
        first = found[0][2]
        context = "\n".join(part for part in (first.table, first.header) if part)
        starts: list[tuple[int, str]] = []
        for start, _, row in found:
            if starts and start <= starts[-1][0]:
                continue  # items listed in one cell share its start
            starts.append((start, "\n".join(dict.fromkeys(p for p in (row.goal, row.programme) if p))))
        out.append(TableRows(context=context, rows=tuple(starts), end=max(end for _, end, _ in found)))
    return sorted(out, key=lambda t: t.rows[0][0])
