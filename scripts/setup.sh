#!/usr/bin/env bash
# Sets up everything Banding Kota needs on a fresh Debian machine with Python 3.11:
# Tesseract OCR, Chromium, Redis (the ingest queue's broker) and PostgreSQL (the shared catalog) from Debian (when we
# may use apt), a virtualenv with the project.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

install_system_packages() {
  local wanted=()
  command -v tesseract >/dev/null 2>&1 || wanted+=(tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng)
  if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx ind; then
    wanted+=(tesseract-ocr-ind)
  fi
  [ -x /usr/bin/chromium ] || wanted+=(chromium)
  # A face that draws '≥' and '≤': the scanned-table test prints them to find them in the image again.
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || wanted+=(fonts-dejavu-core)
  # The ingest queue (BK_QUEUE__URL, scripts/cluster.sh) and its test run on a real Redis.
  command -v redis-server >/dev/null 2>&1 || wanted+=(redis-server)
  # The PostgreSQL catalog (BK_STORE__DATABASE_URL, scripts/cluster.sh) and the catalog's tests, which start a
  # server of their own: Debian keeps initdb and postgres in /usr/lib/postgresql/<version>/bin, off PATH.
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || wanted+=(postgresql)
  # OpenCV (img2table's cell finder for scanned plan tables) loads libGL and GLib even without a display.
  ldconfig -p 2>/dev/null | grep -q 'libGL\.so\.1' || wanted+=(libgl1)
  ldconfig -p 2>/dev/null | grep -q 'libgthread-2\.0\.so\.0' || wanted+=(libglib2.0-0)
  [ ${#wanted[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: ${wanted[*]}"
    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}") >/dev/null; then
      log "WARNING: could not install ${wanted[*]}; scanned pages will be reported as 'OCR not installed'"
    fi
  else
    log "WARNING: not root or no apt-get: please install ${wanted[*]} yourself (OCR of scans, browser test, queue,"\
      "catalog)"
  fi
}

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
      echo "$candidate"; return 0
    fi
  done
  log "ERROR: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)"; exit 1
}

install_system_packages
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$(pick_python)" -m venv .venv
fi
stamp=.venv/.banding-kota-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # About 3.5 GB land in .venv (torch, chromadb, streamlit, opencv...). Say so up front rather than let pip die
  # half-way with "No space left on device" and a half-installed .venv.
  free_mb=$(df -Pm .venv | awk 'NR==2 {print $4}')
  if [ -n "$free_mb" ] && [ "$free_mb" -lt 4000 ]; then
    log "ERROR: only ${free_mb} MB free on the disk holding $(pwd)/.venv; the Python packages need about 3.5 GB."
    log "Free some space (or clone onto a larger disk) and run this again."; exit 1
  fi
  log "installing Python packages (first run takes a few minutes; log in .venv/pip.log)"
  # No wheel cache: it would hold a second copy of every package, on a disk that may be small.
  export PIP_NO_CACHE_DIR=1
  pip_install() {
    if ! .venv/bin/python -m pip install -q "$@" >>.venv/pip.log 2>&1; then
      tail -n 40 .venv/pip.log >&2
      log "ERROR: pip install $* failed (full log: .venv/pip.log)"; exit 1
    fi
  }
  pip_install --upgrade pip
  # torch first and pinned: 2.13.0 is the local CPU build; any other request pulls gigabytes of CUDA.
  pip_install torch==2.13.0
  pip_install -e '.[dev]'
  echo "$want" > "$stamp"
fi
log "ready"
