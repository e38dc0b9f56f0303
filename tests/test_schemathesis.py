"""Property-based fuzzing of the whole HTTP API from its own OpenAPI schema (schemathesis 4): for generated
valid and invalid requests, the server never fails with a 5xx and every response matches the schema it
publishes.

The fuzzer uploads and deletes, so it runs against its own throwaway server over a copy of the sample
corpus (the shared ``api_server`` stays untouched), with an API key set so the write endpoints are fuzzed
behind it, and a rate limit high enough not to answer 429 to the fuzzer itself.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.errors import FailureGroup

from api.app import create_app
from core.settings import PROJECT_ROOT, Settings
from tests.conftest import copy_corpus, corpus_env, free_port, wait_for_http
from tests.servers import stop

API_KEY = "fuzz-key-0c9d7e"
CHECKS = [not_a_server_error, response_schema_conformance]
# Each answer runs retrieval: a few examples per operation keep the whole file well under 90 s on 2 cores.
EXAMPLES = 8
FUZZ_SETTINGS = {
    "deadline": None,
    "derandomize": True,  # the same cases in every CI run; scripts/reliability.py varies the count
    "suppress_health_check": list(HealthCheck),
    "database": None,
}


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
        operation = result.ok()

        @settings(max_examples=max_examples, **FUZZ_SETTINGS)
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            report.cases += 1
            try:
                case.call_and_validate(base_url=base, headers={"X-API-Key": API_KEY}, checks=CHECKS, timeout=120)
            except (AssertionError, FailureGroup) as exc:
                report.failures.append(f"{case.operation.label}: {str(exc).strip().splitlines()[0]}")

        run()
    return report


@pytest.fixture(scope="module")
def fuzz_server(built_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(copy_corpus(built_corpus, tmp_path_factory, "fuzz"))
    yield server
    server.stop()


# schemathesis' lazy ``from_fixture`` loader breaks on pytest 9 (it writes ``node._nodeid``), so the schema is
# built at collection from the app itself, and the served one is checked to be the same document.
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


def test_the_fuzzed_schema_is_the_one_the_server_publishes(fuzz_server: Server) -> None:
    served = httpx.get(f"{fuzz_server.base}/openapi.json", timeout=30).json()
    assert served == schema.raw_schema


@schema.parametrize()
@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
def test_api_never_fails_and_matches_its_schema(case: schemathesis.Case, fuzz_server: Server) -> None:
    case.call_and_validate(base_url=fuzz_server.base, headers={"X-API-Key": API_KEY}, checks=CHECKS, timeout=120)


def test_fuzzing_left_no_traceback_in_the_server_log(fuzz_server: Server) -> None:
    # Runs after the fuzz test (file order): a 500 hidden behind a retry would still show here.
    assert fuzz_server.process.poll() is None, "the server died while being fuzzed"
    text = fuzz_server.log.read_text(errors="replace")
    assert "Traceback" not in text and API_KEY not in text
