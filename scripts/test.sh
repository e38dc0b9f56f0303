#!/usr/bin/env bash
# Sets up and runs the whole test suite (real Chroma, real servers on loopback, real PDFs, headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Lint first: a style or import error fails in seconds, not after the suite.
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -q "$@"
