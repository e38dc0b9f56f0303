"""Session fixtures: the sample corpus is ingested once (through the real CLI, in its own process) and every
test that needs a store gets its own copy of that folder — an in-process Library, or a real API server."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from testing.corpus import copy_corpus, corpus_env, make_settings
from testing.servers import api_process, free_port


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled documents/ ingested by the real CLI into a fresh data folder (built once per session)."""
    data_dir = tmp_path_factory.mktemp("corpus") / "data"
    result = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "ingest", str(PROJECT_ROOT / "documents")],
        env=corpus_env(data_dir),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"sample corpus ingest failed:\n{result.stdout}\n{result.stderr}"
    return data_dir


DEVSET_REGULATIONS = PROJECT_ROOT / "tests" / "devset" / "regulations"
# Tesseract's readings of the devset scans, keyed by page bitmap (ingest/ocr.py): OCR itself is tested on its
# own; reading the 116 scanned pages again would add two minutes to every CI run.
DEVSET_OCR_CACHE = PROJECT_ROOT / "tests" / "devset" / "ocr-cache"


@pytest.fixture(scope="session")
def real_corpus(built_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus plus the 37 devset regulations, dropped in as a user would: no manifest entries,
    every scanned page OCR'd."""
    data_dir = copy_corpus(built_corpus, tmp_path_factory, "real")
    if DEVSET_OCR_CACHE.is_dir():
        shutil.copytree(DEVSET_OCR_CACHE, data_dir / "ocr-cache", dirs_exist_ok=True)
    env = corpus_env(data_dir)
    env.pop("BK_OCR__MAX_PAGES")
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", str(DEVSET_REGULATIONS)], env=env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, f"devset ingest failed:\n{result.stdout}\n{result.stderr}"
    return data_dir


@pytest.fixture(scope="session")
def real_library(real_corpus: Path) -> Iterator[object]:
    from vectorstore.library import Library

    lib = Library.open(make_settings(real_corpus))
    yield lib
    lib.close()


DEVSET_PLANS = PROJECT_ROOT / "tests" / "devset" / "plans"


@pytest.fixture(scope="session")
def plan_library(built_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The sample corpus plus the two real Semarang plans (issue 19), ingested by the CLI once per session. The
    table reader's time budget is lifted so the rows read, and so the figures, do not depend on the machine's load."""
    from vectorstore.library import Library

    data_dir = copy_corpus(built_corpus, tmp_path_factory, "plans")
    # The Renstra's cover is an image: its reading is in the devset's OCR cache, like the regulations' scans.
    if DEVSET_OCR_CACHE.is_dir():
        shutil.copytree(DEVSET_OCR_CACHE, data_dir / "ocr-cache", dirs_exist_ok=True)
    env = corpus_env(data_dir, BK_INGEST__PLAN_TABLES_BUDGET_S="1800")
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", str(DEVSET_PLANS)], env=env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, f"plan devset ingest failed:\n{result.stdout}\n{result.stderr}"
    lib = Library.open(make_settings(data_dir))
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def library(built_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from ingest.library import LibraryWriter

    data_dir = copy_corpus(built_corpus, tmp_path_factory, "library")
    lib = LibraryWriter.open(make_settings(data_dir))
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def api_server(built_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real API (uvicorn in its own process) over a copy of the sample corpus."""
    data_dir = copy_corpus(built_corpus, tmp_path_factory, "api")
    env = corpus_env(data_dir, BK_API__PORT=str(free_port()), BK_API__HOST="127.0.0.1")
    with api_process(env, data_dir.parent / "api.log") as base:
        yield base


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reliability-size",
        type=int,
        default=4,
        help="How many kill -9 trials / state-machine examples the reliability tests run (CI keeps it small; "
        "scripts/reliability.py runs 100).",
    )


@pytest.fixture(scope="session")
def reliability_size(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--reliability-size"))
