"""Hand-checked plan table rows (tests/devset/plans/rows_*.jsonl) and how exactly the table reader reads them.

Each row is written as the page prints it, read by eye from the page image. Four sets: ``rows_checked.jsonl`` (83 rows
of 9 pages, which the reader was first developed on), ``rows_tuning.jsonl`` (354 rows of 23 more pages to develop on:
123 of 7 checked at the seventeenth stop, 128 of 8 at the twentieth, 103 of 8 for issue 19), ``rows_tuning2.jsonl`` (78
rows of 6 more pages no other file covered, checked at plan44 from the page images and pdfplumber's raw cells, never
from the reader's rows; 74 read exactly as found), ``rows_tuning3.jsonl`` (77 rows of 9 pages whose table layouts no
other file covered, by a survey of every table page at born49: a cascade's Bulan / % units, tables of figures by year
with no target, budget tables, targets wrapped with what they count; checked the same way; 44 of the first 69 read
exactly as found, and none of the 8 of RKPD p. 123 added after the first fixes), ``rows_tuning4.jsonl`` (68 rows
of 5 pages of layouts none of those covered, checked the same way at born50: a revenue table whose sub-items are
ruled rows under one code (RKPD p. 121), spending by urusan and SKPD (p. 150), funds and their realisation by
programme (p. 47, Renstra p. 34), figures wrapped in narrow cells (p. 104))
and ``rows_heldout.jsonl`` (79 rows of 7 other pages, checked at the seventeenth stop and never used to change the
reader: its honest figure).

Funds: a row may also write ``budgets`` and ``budget_realised`` (year -> rupiah as printed), which a question on a
programme's money needs ('how much did Bappeda spend on X in 2017?'). Only rows that write them are compared on them:
the sets before tuning4 checked budget tables by name alone, and an RKPD amendment's table prints three funds for one
year (RKPD, APBD, amended RKPD), which a year's key cannot tell apart, so those rows are still checked by name."""

from __future__ import annotations

import json
from pathlib import Path

from core.settings import PROJECT_ROOT
from ingest.plans.tables import RawRow, read_indicator_rows

PLANS = PROJECT_ROOT / "tests" / "devset" / "plans"
CHECKED = PLANS / "rows_checked.jsonl"
TUNING = PLANS / "rows_tuning.jsonl"
TUNING2 = PLANS / "rows_tuning2.jsonl"
TUNING3 = PLANS / "rows_tuning3.jsonl"
TUNING4 = PLANS / "rows_tuning4.jsonl"
HELD_OUT = PLANS / "rows_heldout.jsonl"


def checked_form(row: RawRow) -> dict:
    """A row in the form the hand-checked files write what the page prints."""
    return {"indicator": row.indicator, "unit": row.unit,
            "baseline": [row.baseline.year, row.baseline.value] if row.baseline else None,
            "targets": {str(v.year): v.value for v in row.targets},
            "end_target": row.end_target.value if row.end_target else None, "agency": row.agency}


def funded_form(row: RawRow) -> dict:
    """The checked form with the row's funds by year, for checked rows that write them."""
    return checked_form(row) | {"budgets": {str(v.year): v.value for v in row.budgets},
                                "budget_realised": {str(v.year): v.value for v in row.budget_realised}}


def as_checked(read: dict, checked: dict) -> dict:
    """A read row in the fields a checked row writes: funds are compared only where the checker wrote them."""
    return {key: read[key] for key in checked}


def load_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pages_to_read(pages: set[int]) -> list[int]:
    """The checked pages and the page before each: a table continued from it takes its header from there."""
    return sorted(pages | {p - 1 for p in pages if p > 1})


def held_out_pages(name: str) -> set[int]:
    """The pages of plan file ``name`` whose rows are held out: only their numbers are read."""
    return {row["page"] for row in load_rows(HELD_OUT) if row["file"] == name}


def born_digital_exact(path: Path) -> tuple[int, int]:
    """(rows read exactly, rows checked) by the born-digital reader: a checked row counts when its page yields a
    row equal to it, each read row counting once. Not by position: an item's place in its cell (the id) is the
    reader's guess as much as the checker's."""
    checked = load_rows(path)
    exact = 0
    for name in sorted({c["file"] for c in checked}):
        own = [c for c in checked if c["file"] == name]
        unused: dict[int, list[dict]] = {}
        for row in read_indicator_rows(PLANS / name, pages_to_read({c["page"] for c in own})):
            unused.setdefault(row.page, []).append(funded_form(row))
        for c in own:
            on_page = unused.get(c["page"], [])
            match = next((read for read in on_page if as_checked(read, c["pdf"]) == c["pdf"]), None)
            if match is not None:
                on_page.remove(match)
                exact += 1
    return exact, len(checked)
