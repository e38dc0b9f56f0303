"""schemathesis over the API's own OpenAPI schema, against a throwaway server with an API key (so the write
endpoints are fuzzed behind it) and a rate limit high enough not to answer 429 to the fuzzer: for
tests/test_schemathesis.py and, with a chosen number of cases, scripts/reliability.py."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.result import Err
from schemathesis.errors import FailureGroup

from core.settings import PROJECT_ROOT
from testing.corpus import corpus_env
from testing.servers import free_port, stop, wait_for_http

API_KEY = "fuzz-key-0c9d7e"
CHECKS = [not_a_server_error, response_schema_conformance]


FUZZ_SETTINGS = settings(
    deadline=None,
    derandomize=True,  # the same cases in every CI run; scripts/reliability.py varies the count
    suppress_health_check=list(HealthCheck),
    database=None,
)


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        stop(self.process)


def start_server(data_dir: Path) -> Server:
    """``python -m api`` on a free loopback port over ``data_dir``, with a key and a generous rate limit."""
    port = free_port()
    env = corpus_env(data_dir, BK_API__PORT=str(port), BK_API__HOST="127.0.0.1", BK_API__API_KEY=API_KEY,
                     BK_API__RATE_LIMIT_PER_MINUTE="100000")
    log = data_dir.parent / "fuzz-api.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "api"], env=env, cwd=PROJECT_ROOT, stdout=out, stderr=out)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_for_http(f"{server.base}/health", process=process)
    except BaseException:
        server.stop()
        raise
    return server


def load_schema(base: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{base}/openapi.json")


@dataclass
class FuzzReport:
    cases: int = 0
    failures: list[str] = field(default_factory=list)


def fuzz(base: str, max_examples: int) -> FuzzReport:
    """Every operation with ``max_examples`` generated cases, counting cases and failed checks (for
    scripts/reliability.py, which wants figures rather than the first failure)."""
    report = FuzzReport()
    for result in load_schema(base).get_all_operations():
        if isinstance(result, Err):  # an operation our own schema cannot describe: say which
            raise result.err()
        operation = result.ok()

        @settings(FUZZ_SETTINGS, max_examples=max_examples)
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            report.cases += 1
            try:
                case.call_and_validate(base_url=base, headers={"X-API-Key": API_KEY}, checks=CHECKS, timeout=120)
            except (AssertionError, FailureGroup) as exc:
                report.failures.append(f"{case.operation.label}: {str(exc).strip().splitlines()[0]}")

        run()
    return report
