"""How well the text alone identifies each regulation of the real devset: jenis, nomor, tahun, region, tentang,
dates and signer, against the hand-checked ``tests/devset/real/metadata.jsonl``.

``python -m api.metadata_report`` reads the documents of the configured store (``BK_STORE__DATA_DIR``;
``--ingest`` first ingests ``tests/devset/regulations/``, which holds no manifest, so every identity comes from
the text) and prints each field's accuracy on the tuning part, on the test part and overall, with the mismatches.
``--parse-only`` runs the same ingest pipeline without a store (no embedding): ``DocumentMeta`` is computed
before the store is touched, so the figures are the same, in a fraction of the time. It also measures the
comparison matrix: every regulation mention with an issuing region, in a passage about that region, is a
candidate; those ``listable`` lets in are scored against the hand-checked
``tests/devset/real/matrix_instruments.jsonl`` (precision: listed and real over listed; a listed candidate the
list does not hold is reported as unchecked, and counts as not real until someone checks it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.settings import PROJECT_ROOT, Settings, get_settings
from core.types import DocumentMeta, RegulationRef

if TYPE_CHECKING:
    from vectorstore.library import Library

REAL = PROJECT_ROOT / "tests" / "devset" / "real"
TRUTH = REAL / "metadata.jsonl"
SPLIT = REAL / "split.json"
REGULATIONS = PROJECT_ROOT / "tests" / "devset" / "regulations"
MATRIX = REAL / "matrix_instruments.jsonl"

FIELDS = ("instrument", "number", "year", "region", "tentang", "enacted", "promulgated", "signer")


def _loose(text: object) -> str:
    """Case, spacing and punctuation do not count: 'Wali Kota' is 'Walikota', 'Publik/di' is 'Publik/Di'."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower()) if text is not None else ""


def _number(text: object) -> str:
    return re.sub(r"\s+", "", str(text)).upper() if text is not None else ""


def _iso(value: object) -> str | None:
    return str(value) if value else None


def predicted(ref: RegulationRef | None) -> dict[str, Any]:
    """The fields of a document's own identity, as the truth file writes them."""
    if ref is None:
        return dict.fromkeys(FIELDS)
    return {"instrument": ref.instrument, "number": ref.number or None, "year": ref.year,
            "region": ref.region_code, "tentang": ref.subject, "enacted": _iso(ref.enacted),
            "promulgated": _iso(ref.promulgated), "signer": ref.signer}


_SAME: dict[str, Callable[[Any, Any], bool]] = {
    "instrument": lambda want, got: want == got,
    "number": lambda want, got: _number(want) == _number(got),
    "year": lambda want, got: want == got,
    "region": lambda want, got: want == got,
    "tentang": lambda want, got: _loose(want) == _loose(got),
    "enacted": lambda want, got: want == got,
    "promulgated": lambda want, got: want == got,
    "signer": lambda want, got: _loose(want) == _loose(got),
}


def load_truth(path: Path = TRUTH) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["region"] = row.get("region_code")
    return rows


def load_split(path: Path = SPLIT) -> dict[str, str]:
    """File name → 'tuning' | 'test'."""
    split = json.loads(path.read_text(encoding="utf-8"))
    return {name: part for part in ("tuning", "test") for name in split[part]}


def compare(metas: Iterable[DocumentMeta], truth: list[dict[str, Any]],
            split: dict[str, str] | None = None) -> dict[str, Any]:
    """Per field and per part (tuning, test, all): right / total and accuracy, with every mismatch.

    A devset file missing from ``metas`` counts as wrong on every field.
    """
    split = split if split is not None else load_split()
    by_name = {m.filename: m for m in metas}
    parts = {"tuning": dict.fromkeys(FIELDS, 0), "test": dict.fromkeys(FIELDS, 0), "all": dict.fromkeys(FIELDS, 0)}
    totals = {"tuning": 0, "test": 0, "all": 0}
    mismatches: list[dict[str, Any]] = []
    for row in truth:
        meta = by_name.get(row["file"])
        got = predicted(meta.regulation if meta else None)
        part = split.get(row["file"], "tuning")
        totals[part] += 1
        totals["all"] += 1
        for name in FIELDS:
            if meta is not None and _SAME[name](row[name], got[name]):
                parts[part][name] += 1
                parts["all"][name] += 1
            else:
                mismatches.append({"file": row["file"], "part": part, "field": name, "expected": row[name],
                                   "got": got[name] if meta else "(not in the store)"})
    report: dict[str, Any] = {"documents": totals, "fields": {}, "mismatches": mismatches}
    for part, right in parts.items():
        n = totals[part]
        report["fields"][part] = {name: {"right": right[name], "total": n,
                                         "accuracy": round(right[name] / n, 3) if n else None} for name in FIELDS}
    return report


def metadata_report(library: Library, truth: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The report over the documents of a store (the devset ingested with no manifest entries)."""
    return compare(library.documents(), truth if truth is not None else load_truth())


# A matrix candidate: (region code, instrument, number, year) and whether ``listable`` lets it in.
Candidate = tuple[tuple[str, str, str, int | None], bool]


def _parse_one(args: tuple[Path, Settings]) -> tuple[DocumentMeta, list[Candidate]]:
    from ingest.instrument_checks import listable
    from ingest.pipeline import process_file

    path, settings = args
    doc = process_file(path, settings, None)
    about = {p.passage_id: p.about_cities for p in doc.passages}
    candidates = [((ref.region_code, ref.instrument, ref.number, ref.year), listable(ref))
                  for ref, pid in doc.mentions if ref.region_code and ref.region_code in about.get(pid, ())]
    return doc.meta, candidates


def parse_only(paths: list[Path], settings: Settings,
               workers: int = 2) -> tuple[list[DocumentMeta], list[Candidate]]:
    """DocumentMeta of each file from the ingest pipeline, without a store, and the matrix candidates."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parsed = list(pool.map(_parse_one, [(p, settings) for p in paths]))
    return [meta for meta, _ in parsed], [c for _, found in parsed for c in found]


def load_matrix(path: Path = MATRIX) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def matrix_precision(candidates: Iterable[Candidate], checked: list[dict[str, Any]]) -> dict[str, Any]:
    """Of the instruments the matrix would list, how many the hand-checked list says are real."""
    listed = sorted({key for key, ok in candidates if ok}, key=str)
    real = {(r["region_code"], r["instrument"], r["number"], r["year"]): r["real_instrument"] for r in checked}
    right = [key for key in listed if real.get(key)]
    return {"listed": len(listed), "real": len(right),
            "precision": round(len(right) / len(listed), 3) if listed else None,
            "not_real": [list(k) for k in listed if real.get(k) is False],
            "unchecked": [list(k) for k in listed if k not in real]}


def render(report: dict[str, Any]) -> str:
    lines = [f"{'field':<12} {'tuning':>14} {'test':>14} {'all':>14}"]
    for name in FIELDS:
        cells = []
        for part in ("tuning", "test", "all"):
            cell = report["fields"][part][name]
            cells.append(f"{cell['right']:>3}/{cell['total']:<3} {cell['accuracy'] or 0:>6.1%}")
        lines.append(f"{name:<12} " + " ".join(f"{c:>14}" for c in cells))
    matrix = report.get("matrix")
    if matrix:
        lines.append("")
        lines.append(f"matrix: {matrix['listed']} listed, {matrix['real']} real on the hand-checked list "
                     f"({matrix['precision'] or 0:.1%}); not real {matrix['not_real']}, "
                     f"unchecked {matrix['unchecked']}")
    lines.append("")
    lines.append(f"mismatches ({len(report['mismatches'])}):")
    for m in report["mismatches"]:
        lines.append(f"  [{m['part']}] {m['file']}: {m['field']} expected {m['expected']!r}, got {m['got']!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.metadata_report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--ingest", action="store_true", help="ingest tests/devset/regulations into the store first")
    parser.add_argument("--parse-only", action="store_true", help="run the ingest pipeline without a store")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    settings = get_settings()
    truth = load_truth()
    paths = [REGULATIONS / row["file"] for row in truth]
    if args.parse_only:
        metas, candidates = parse_only(paths, settings, settings.ingest.workers)
        report = compare(metas, truth)
        report["matrix"] = matrix_precision(candidates, load_matrix())
    else:
        from ingest.library import LibraryWriter
        from vectorstore.library import Library

        if args.ingest:
            with LibraryWriter.open(settings) as writer:
                writer.ingest_paths(paths)
        with Library.open(settings) as library:
            report = metadata_report(library, truth)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
