"""Hand-checked plan table rows (tests/devset/plans/rows_*.jsonl) and how exactly the table reader reads them.

Two sets, each row written as the page prints it, read by eye from the page image: ``rows_checked.jsonl`` (83 rows
of 9 pages, which the reader was developed on) and ``rows_heldout.jsonl`` (79 rows of 7 other pages, checked at the
seventeenth stop and never used to change the reader: its honest figure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from core.settings import PROJECT_ROOT
from ingest.plans.tables import RawRow, read_indicator_rows

PLANS = PROJECT_ROOT / "tests" / "devset" / "plans"
CHECKED = PLANS / "rows_checked.jsonl"
HELD_OUT = PLANS / "rows_heldout.jsonl"


def checked_form(row: RawRow) -> dict:
    """A row in the form the hand-checked files write what the page prints."""
    return {"indicator": row.indicator, "unit": row.unit,
            "baseline": [row.baseline.year, row.baseline.value] if row.baseline else None,
            "targets": {str(v.year): v.value for v in row.targets},
            "end_target": row.end_target.value if row.end_target else None, "agency": row.agency}


def load_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pages_to_read(pages: set[int]) -> list[int]:
    """The checked pages and the page before each: a table continued from it takes its header from there."""
    return sorted(pages | {p - 1 for p in pages if p > 1})


def born_digital_exact(path: Path, read: Callable[..., list[RawRow]] = read_indicator_rows) -> tuple[int, int]:
    """(rows read exactly, rows checked) by the born-digital reader: each checked row against the row of its page
    and position (``row_id``); a row the reader missed counts as wrong."""
    checked = load_rows(path)
    exact = 0
    for name in sorted({c["file"] for c in checked}):
        own = [c for c in checked if c["file"] == name]
        rows = {f"p{r.page}:t{r.table_index}:r{r.row_index}:{r.item}": r
                for r in read(PLANS / name, pages_to_read({c["page"] for c in own}))}
        for c in own:
            row = rows.get(c["row_id"].split(":", 1)[1])
            exact += row is not None and checked_form(row) == c["pdf"]
    return exact, len(checked)
