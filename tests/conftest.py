"""Session fixtures: the sample corpus is ingested once (through the real CLI, in its own process) and every
test that needs a store gets its own copy of that folder — an in-process Library, or a real API server.

The two devset stores (the 37 real regulations, the two Semarang plans) take minutes to ingest and only a few
modules read them: their CLI ingests start in the background as soon as the sample corpus is built, and those
modules run last, so the ingests overlap the rest of the suite rather than stopping it."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings
from core.types import CleanDocument
from testing.corpus import copy_corpus, corpus_env, make_settings
from testing.postgres_server import PostgresServer, running_postgres_server
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
DEVSET_PLANS = PROJECT_ROOT / "tests" / "devset" / "plans"
# The fixtures whose stores are ingested in the background (BackgroundIngest), and the ingest each needs.
BACKGROUND_FIXTURES = {"real_corpus": "real", "plan_library": "plans"}


class BackgroundIngest:
    """``banding-kota ingest`` of one devset folder into a copy of the sample corpus, run as its own process
    (and process group) while other tests run; ``data_dir()`` waits for it and fails with its log."""

    def __init__(self, name: str, source: Path, data_dir: Path, env: dict[str, str], timeout_s: float) -> None:
        self.name, self.data, self.timeout_s = name, data_dir, timeout_s
        self.log = data_dir.parent / f"{name}-ingest.log"
        self.started = time.monotonic()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ingest.cli", "ingest", str(source)], env=env, cwd=PROJECT_ROOT,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def data_dir(self) -> Path:
        try:
            code = self.process.wait(timeout=max(1.0, self.started + self.timeout_s - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"{self.name} devset ingest took over {self.timeout_s:g} s:\n{self.log.read_text()}")
        assert code == 0, f"{self.name} devset ingest failed:\n{self.log.read_text()}"
        return self.data

    def stop(self) -> None:
        """Ends the ingest and its parse workers, when the session ends before it does."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _devset_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Every scanned page OCR'd, as a user's ingest would, from the devset's OCR cache. No time limit may cut the
    reading short: the parse limit also bounds a plan's table reader, so on a busy machine it would change the
    rows read, and so the figures, with the load."""
    if DEVSET_OCR_CACHE.is_dir():
        shutil.copytree(DEVSET_OCR_CACHE, data_dir / "ocr-cache", dirs_exist_ok=True)
    env = corpus_env(data_dir, BK_INGEST__PARSE_TIMEOUT_S="3600", **extra)
    env.pop("BK_OCR__MAX_PAGES")
    return env


def _start_devset_ingest(name: str, built: Path, tmp_path_factory: pytest.TempPathFactory) -> BackgroundIngest:
    data_dir = copy_corpus(built, tmp_path_factory, name)
    if name == "real":
        # The sample corpus plus the 37 devset regulations, dropped in as a user would: no manifest entries.
        return BackgroundIngest(name, DEVSET_REGULATIONS, data_dir, _devset_env(data_dir), 3600)
    # The sample corpus plus the two real Semarang plans (issue 19); the Renstra's cover is an image, read from
    # the OCR cache. The table reader's own time budget is lifted too, so the rows read do not depend on the load.
    env = _devset_env(data_dir, BK_INGEST__PLAN_TABLES_BUDGET_S="1800")
    return BackgroundIngest(name, DEVSET_PLANS, data_dir, env, 3600)


_background: dict[str, BackgroundIngest] = {}


def _devset_store(name: str, request: pytest.FixtureRequest) -> Path:
    if name not in _background:  # asked for without having been foreseen at collection: ingest it now
        built = request.getfixturevalue("built_corpus")
        _background[name] = _start_devset_ingest(name, built, request.getfixturevalue("tmp_path_factory"))
    return _background[name].data_dir()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules that read a devset store run last (in their own order), while its ingest runs behind the rest."""
    late = {item.module.__name__ for item in items if isinstance(item, pytest.Function)
            and set(BACKGROUND_FIXTURES) & set(item.fixturenames)}
    items.sort(key=lambda item: isinstance(item, pytest.Function) and item.module.__name__ in late)


@pytest.fixture(scope="session", autouse=True)
def devset_ingests_in_background(request: pytest.FixtureRequest,
                                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Starts the ingest of each devset store that a selected test needs, once the sample corpus is built."""
    needed = {name for item in request.session.items for fixture, name in BACKGROUND_FIXTURES.items()
              if fixture in getattr(item, "fixturenames", ())}
    if needed:
        built = request.getfixturevalue("built_corpus")
        for name in sorted(needed - set(_background)):
            _background[name] = _start_devset_ingest(name, built, tmp_path_factory)
    yield
    for ingest in _background.values():
        ingest.stop()
    _background.clear()


@pytest.fixture(scope="session")
def real_corpus(request: pytest.FixtureRequest) -> Path:
    """The sample corpus plus the 37 devset regulations, dropped in as a user would: no manifest entries,
    every scanned page OCR'd."""
    return _devset_store("real", request)


@pytest.fixture(scope="session")
def real_library(real_corpus: Path) -> Iterator[object]:
    from vectorstore.library import Library

    lib = Library.open(make_settings(real_corpus))
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def plan_library(request: pytest.FixtureRequest) -> Iterator[object]:
    """The sample corpus plus the two real Semarang plans (issue 19), ingested by the CLI once per session."""
    from vectorstore.library import Library

    lib = Library.open(make_settings(_devset_store("plans", request)))
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def renstra_clean() -> CleanDocument:
    """The Semarang Renstra (the plan devset's tuning document) loaded and cleaned once for the plan tests."""
    from ingest.cleaning import clean_pages
    from ingest.loaders import load_document

    return clean_pages(load_document(DEVSET_PLANS / "renstra_bappeda_kota_semarang_2016_2021_perubahan2.pdf",
                                     Settings()).pages)


@pytest.fixture(scope="session")
def e5_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One derived-model cache (embedding.cache_dir) for the session: the fp32 expansion of the bundled e5-small
    is written once, whichever of the embedder tests asks first, and its ONNX exports beside it."""
    return tmp_path_factory.mktemp("e5-cache")


@pytest.fixture(scope="session")
def regulation_text_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder whose OCR cache the legal tests read the sample regulations through (tests/legal_fixtures.py):
    one for the session, so each text is extracted, and each scanned page OCR'd, once."""
    return tmp_path_factory.mktemp("legal-data")


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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on loopback for the session (a fresh cluster, started in about a second). Without
    PostgreSQL installed the tests that need it fail rather than skip: scripts/setup.sh installs it."""
    with running_postgres_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> str:
    """A new, empty database of the session's PostgreSQL for one test: its SQLAlchemy URL."""
    return postgres_server.create_database("t_" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:20])


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a catalog test makes its catalog, once on each database: a SQLite file in the test's folder, then a
    new database of the session's PostgreSQL (its URL)."""
    if request.param == "sqlite":
        return str(tmp_path / "catalog.sqlite")
    return str(request.getfixturevalue("postgres_url"))
