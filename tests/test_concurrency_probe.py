"""The concurrency probe: 20 /ask, uploads, deletes and downloads of the same document at once, against a real
server (``python -m api``). Whatever the interleaving, every answer is a success or a 4xx that says why
(404 for a document deleted under a download, 429 never expected here); a 500 or a traceback in the server log
is a race the API lost. scripts/reliability.py runs it over the sample corpus."""

from __future__ import annotations

from pathlib import Path

from testing.concurrency_probe import ASKS, probe


def test_asks_uploads_deletes_and_downloads_of_one_document_never_fail_with_500(tmp_path: Path) -> None:
    report = probe(tmp_path / "data", tmp_path / "probe", rounds=2)
    assert report.asks == 2 * ASKS and report.downloads == 40
    assert report.server_errors == 0 and report.tracebacks == 0, report.failures
    assert report.failures == [], report.failures
    assert set(report.statuses) <= {200, 202, 204, 404}, report.statuses
