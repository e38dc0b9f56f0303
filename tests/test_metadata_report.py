"""The metadata report and its hand-checked truth file."""

from __future__ import annotations

import datetime as dt

from api.metadata_report import FIELDS, REGULATIONS, compare, load_split, load_truth, render
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
