"""The concurrency probe: 20 /ask, uploads, deletes and downloads of the same document at once, against a real
server (``python -m api``); every status and every traceback in the server log counted. Asserted on by
tests/test_concurrency_probe.py, run over the sample corpus by scripts/reliability.py."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from testing.corpus import corpus_env
from testing.servers import api_process, free_port

ASKS = 20
DOCUMENT = ("Peraturan Wali Kota Tarakan Nomor 7 Tahun 2023 tentang Bank Sampah\n\n"
            "Pasal 1\nPemerintah Kota Tarakan membentuk bank sampah di setiap kelurahan.\n\n"
            "Pasal 2\nBank sampah mencatat setoran sampah warga Kota Tarakan setiap minggu.\n")


@dataclass
class ProbeReport:
    statuses: Counter[int] = field(default_factory=Counter)
    asks: int = 0
    uploads: int = 0
    deletes: int = 0
    downloads: int = 0
    failures: list[str] = field(default_factory=list)
    tracebacks: int = 0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


def _wait_for_job(client: httpx.Client, job_id: str, timeout_s: float = 300) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise TimeoutError(f"job {job_id} did not finish")


def probe(data_dir: Path, work: Path, rounds: int = 3) -> ProbeReport:
    """``rounds`` bursts, each of 20 /ask, 3 uploads, 3 deletes and 20 downloads of one document, all at once."""
    work.mkdir(parents=True, exist_ok=True)
    source = work / "perwali_tarakan_bank_sampah.txt"
    source.write_text(DOCUMENT, encoding="utf-8")
    env = corpus_env(data_dir, BK_API__PORT=str(free_port()), BK_API__HOST="127.0.0.1")
    log = work / "probe-api.log"
    report = ProbeReport()
    with api_process(env, log) as base, httpx.Client(base_url=base, timeout=120) as client:
        def upload() -> httpx.Response:
            with source.open("rb") as handle:
                return client.post("/documents", files={"file": (source.name, handle, "text/plain")})

        first = upload()
        assert first.status_code == 202, first.text
        job = _wait_for_job(client, first.json()["job_id"])
        assert job["status"] == "done", job
        doc_id = job["outcome"]["doc_id"]
        jobs: list[str] = []
        for _ in range(rounds):
            calls = ([("ask", lambda: client.post("/ask", json={"question": "bank sampah Kota Tarakan"}))] * ASKS
                     + [("upload", upload)] * 3
                     + [("delete", lambda: client.delete(f"/documents/{doc_id}"))] * 3
                     + [("download", lambda: client.get(f"/documents/{doc_id}/file"))] * 20)
            with ThreadPoolExecutor(max_workers=16) as pool:
                results = list(pool.map(lambda call: (call[0], call[1]()), calls))
            for kind, response in results:
                report.statuses[response.status_code] += 1
                setattr(report, f"{kind}s", getattr(report, f"{kind}s") + 1)
                if response.status_code >= 500:
                    report.failures.append(f"{kind}: {response.status_code} {response.text[:200]}")
                if kind == "upload" and response.status_code == 202:
                    jobs.append(response.json()["job_id"])
        for job_id in jobs:
            job = _wait_for_job(client, job_id)
            if job["status"] == "failed":
                report.failures.append(f"upload job failed: {job['message'][:200]}")
    report.tracebacks = log.read_text(errors="replace").count("Traceback")
    return report
