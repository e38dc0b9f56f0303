"""Settings and environment for a data folder built from the sample corpus, as the tests and
``scripts/reliability.py`` build one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from core.settings import Settings

# OCR is the slowest step: CI reads the title pages of the scans, which is what the tests ask about.
TEST_OCR_PAGES = 2


def corpus_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BK_")}
    env.update({"BK_STORE__DATA_DIR": str(data_dir), "BK_OCR__MAX_PAGES": str(TEST_OCR_PAGES), **extra})
    return env


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    settings = Settings()
    settings = settings.model_copy(
        update={
            "store": settings.store.model_copy(update={"data_dir": data_dir}),
            "ocr": settings.ocr.model_copy(update={"max_pages": TEST_OCR_PAGES}),
        }
    )
    return settings.model_copy(update=overrides) if overrides else settings


def copy_corpus(built: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    target = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(built, target)
    return target
