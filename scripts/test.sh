#!/usr/bin/env bash
# Sets up and runs the whole test suite (real Chroma, real servers on loopback, real PDFs, headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Lint and type-check first: a style, import or type error fails in seconds, not after the suite.
# (mypy's cache in .mypy_cache makes a re-run take seconds; a clean clone's first run about a minute.)
.venv/bin/ruff check .
.venv/bin/python -m mypy .
exec .venv/bin/python -m pytest -q --durations=15 "$@"
