"""The metadata report and its hand-checked truth file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.metadata_report import (
    FIELDS,
    REGULATIONS,
    compare,
    load_matrix,
    load_split,
    load_truth,
    matrix_precision,
    render,
)
from core.types import DocumentMeta, RegulationRef


def test_the_truth_file_covers_every_devset_pdf_once_with_every_field() -> None:
    truth = load_truth()
    files = [row["file"] for row in truth]
    assert sorted(files) == sorted(p.name for p in REGULATIONS.glob("*.pdf"))
    assert set(files) == set(load_split())
    for row in truth:
        assert all(name in row for name in FIELDS), row["file"]
        assert row["enacted"] and dt.date.fromisoformat(row["enacted"]).year in (row["year"], row["year"] + 1)
        assert (row["region_code"] is None) == (row["region_name"] is None)


def _meta(row: dict, **changes: object) -> DocumentMeta:
    ref = RegulationRef(instrument=row["instrument"], number=row["number"], year=row["year"],
                        region_code=row["region_code"], subject=row["tentang"].upper(),
                        enacted=row["enacted"], promulgated=row["promulgated"], signer=row["signer"].upper())
    return DocumentMeta(doc_id="x", filename=row["file"], media_type="application/pdf", title="",
                        regulation=ref.model_copy(update=changes))


def test_a_right_identity_scores_every_field_and_case_does_not_count() -> None:
    truth = load_truth()[:3]
    report = compare([_meta(row) for row in truth], truth, {row["file"]: "tuning" for row in truth})
    assert all(report["fields"]["tuning"][name]["accuracy"] == 1.0 for name in FIELDS)
    assert report["mismatches"] == []


def test_a_wrong_field_and_a_missing_document_are_mismatches() -> None:
    truth = load_truth()[:2]
    split = {truth[0]["file"]: "tuning", truth[1]["file"]: "test"}
    report = compare([_meta(truth[0], year=1995)], truth, split)
    assert report["fields"]["tuning"]["year"]["accuracy"] == 0.0
    assert report["fields"]["tuning"]["number"]["accuracy"] == 1.0
    assert report["fields"]["test"]["instrument"]["accuracy"] == 0.0
    assert report["fields"]["all"]["year"] == {"right": 0, "total": 2, "accuracy": 0.0}
    assert {m["field"] for m in report["mismatches"] if m["file"] == truth[1]["file"]} == set(FIELDS)
    assert "expected 1995" not in render(report) and "got 1995" in render(report)


def test_matrix_precision_counts_listed_instruments_the_hand_checked_list_calls_real() -> None:
    checked: list[dict[str, Any]] = [
        {"region_code": "73.15", "instrument": "Perda", "number": "4", "year": 2013, "real_instrument": True},
        {"region_code": "73.15", "instrument": "Perbup", "number": "5", "year": None, "real_instrument": False},
    ]
    real = (("73.15", "Perda", "4", 2013), True)
    report = matrix_precision([real, real, (("73.15", "Perbup", "5", None), True),
                               (("73.15", "Perwali", "1", None), False), (("73.15", "Perda", "9", 2020), True)],
                              checked)
    # listed: Perda 4/2013 (real, counted once), Perbup 5 (not real), Perda 9/2020 (not on the list)
    assert (report["listed"], report["real"], report["precision"]) == (3, 1, 0.333)
    assert report["not_real"] == [["73.15", "Perbup", "5", None]]
    assert report["unchecked"] == [["73.15", "Perda", "9", 2020]]
    assert "3 listed, 1 real" in render({"fields": {p: {f: {"right": 0, "total": 0, "accuracy": None} for f in FIELDS}
                                                     for p in ("tuning", "test", "all")},
                                          "mismatches": [], "matrix": report})


def test_the_matrix_list_is_a_checked_verdict_for_each_candidate() -> None:
    rows = load_matrix()
    keys = [(r["region_code"], r["instrument"], r["number"], r["year"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert all(isinstance(r["listed"], bool) and isinstance(r["real_instrument"], bool) for r in rows)
