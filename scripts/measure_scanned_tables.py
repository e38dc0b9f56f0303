"""How exactly scanned target tables are read into rows. The pages of tests/devset/plans/rows_checked.jsonl (83 rows
read by eye from the Semarang plans; ``--rows tuning``: rows_tuning.jsonl, 354 rows of 23 more pages to develop on;
``--rows tuning2``: rows_tuning2.jsonl, 78 rows of 6 pages checked later; ``--rows heldout``: rows_heldout.jsonl, 79
rows of 7 pages the reader was never developed on), each with the page before it (unless that page holds held-out
rows and the set measured is another: it is scanned blank and not read), are printed and scanned
(testing.filemakers.rasterised_pdf: grayscale JPEG at a chosen dpi, turned and speckled), OCR'd through the ingest path
(Tesseract ind+eng, the words cached) and read by ingest.plans.scanned; each hand-checked row is compared with the
scanned row of its page that reads most like it.

Usage: ``nice .venv/bin/python scripts/measure_scanned_tables.py [--rows checked|tuning|tuning2|heldout] [--dpi 200]
[--skew 0.3] [--noise 0.002] [--seed 1] [--out /tmp/scan-tables]``.
Not part of the test suite: OCR of the pages takes a minute
or more on 2 cores. The defaults are the scan the README's figure is measured on (0.3° turned, 0.2 % of pixels
speckled); the speckles come from a seeded generator, and Tesseract reads the same image the same way, so a run gives
the same count every time (the count does change with the noise: 1 % of pixels speckled reads fewer rows exactly)."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from core.settings import Settings  # noqa: E402
from ingest.plans.scanned import scanned_page_tables  # noqa: E402
from ingest.plans.tables import RawRow, read_indicator_rows  # noqa: E402
from testing.filemakers import rasterised_pdf  # noqa: E402
from testing.plan_rows import (  # noqa: E402
    CHECKED,
    HELD_OUT,
    PLANS,
    TUNING,
    TUNING2,
    checked_form,
    held_out_pages,
    load_rows,
    pages_to_read,
)

ROWS = {"checked": CHECKED, "tuning": TUNING, "tuning2": TUNING2, "heldout": HELD_OUT}


def _match(truth: dict, unused: list[RawRow]) -> RawRow | None:
    """The read row equal to the checked one, else (to show the miss) the one whose indicator reads most like
    it. As the born-digital measure counts (``testing.plan_rows.born_digital_exact``): each read row matches once,
    so two checked rows sharing an indicator ("… (Bulan)" over "… (%)") are told apart by their values."""
    exact = next((r for r in unused if checked_form(r) == truth), None)
    if exact is not None:
        unused.remove(exact)
        return exact
    if not unused:
        return None
    return max(unused, key=lambda r: difflib.SequenceMatcher(None, r.indicator, truth["indicator"]).ratio())


def _runs(pages: list[int], withheld: set[int]) -> list[list[int]]:
    """The pages read, less those withheld, in runs of pages that follow each other."""
    runs: list[list[int]] = []
    for page in (p for p in pages if p not in withheld):
        if runs and runs[-1][-1] == page - 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return runs


def measure(out: Path, *, dpi: int, skew: float, noise: float, seed: int = 1, rows_file: Path = CHECKED) -> dict:
    checked = load_rows(rows_file)
    base = Settings()
    settings = base.model_copy(update={"store": base.store.model_copy(update={"data_dir": out / "data"})})
    results: list[dict] = []
    seconds = 0.0
    for name in sorted({c["file"] for c in checked}):
        pages = pages_to_read({c["page"] for c in checked if c["file"] == name})
        # A page before that holds held-out rows is scanned blank, so the other pages scan as they would with it
        # printed, and is not read: a table continued from it has no header, as it has none to take from a page
        # the measure must not see.
        withheld = set() if rows_file == HELD_OUT else held_out_pages(name) & set(pages)
        scan = rasterised_pdf(out / f"scan-{name}", PLANS / name, pages, dpi=dpi, skew_degrees=skew, noise=noise,
                               seed=seed, blank=withheld)
        reader = scanned_page_tables(scan, settings)
        started = time.monotonic()
        # The scan's page k is the source's page pages[k - 1]. Each run of pages that follow each other in the
        # source is read on its own: a table takes a header or a goal only from the page before it in the plan.
        rows = [row for run in _runs(pages, withheld)
                for row in read_indicator_rows(scan, [pages.index(p) + 1 for p in run], scanned=reader,
                                               scanned_pages=range(1, len(pages) + 1))]
        seconds += time.monotonic() - started
        unused = {page: [r for r in rows if pages[r.page - 1] == page] for page in pages}
        for c in (c for c in checked if c["file"] == name):
            row = _match(c["pdf"], unused[c["page"]])
            got = checked_form(row) if row is not None else None
            results.append({"row_id": c["row_id"], "exact": got == c["pdf"], "truth": c["pdf"], "read": got})
    exact = sum(r["exact"] for r in results)
    return {"rows_file": rows_file.name, "rows": len(results), "exact": exact,
            "share": round(exact / len(results), 3), "dpi": dpi, "skew": skew,
            "noise": noise, "seed": seed, "seconds": round(seconds, 1),
            "misses": [r for r in results if not r["exact"]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", choices=sorted(ROWS), default="checked",
                        help="the hand-checked rows: those the reader was first developed on, those checked to develop "
                             "on, or the held-out ones")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--skew", type=float, default=0.3)
    # The share of pixels speckled: the README's figure is measured at 0.2 %.
    parser.add_argument("--noise", type=float, default=0.002)
    parser.add_argument("--seed", type=int, default=1, help="the speckles' random seed")
    parser.add_argument("--out", type=Path, default=Path("/tmp/scan-tables"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report = measure(args.out, dpi=args.dpi, skew=args.skew, noise=args.noise, seed=args.seed,
                     rows_file=ROWS[args.rows])
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "misses"}))
    for miss in report["misses"]:
        print(f"- {miss['row_id']}\n  truth {miss['truth']}\n  read  {miss['read']}")


if __name__ == "__main__":
    main()
