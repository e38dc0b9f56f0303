#!/usr/bin/env bash
# Sets up, ingests the bundled sample corpus (embedded Chroma, no external service), and serves the API and UI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export BK_API__PORT="${BK_API__PORT:-8700}" BK_UI__PORT="${BK_UI__PORT:-8501}"
export BK_UI__API_URL="${BK_UI__API_URL:-http://127.0.0.1:${BK_API__PORT}}"

.venv/bin/banding-kota ingest documents ||
  echo "Some documents could not be ingested (listed above); the others are ready." >&2
.venv/bin/python -m api &
api_pid=$!
trap 'kill $api_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  .venv/bin/python -c "import httpx,sys; httpx.get(sys.argv[1], timeout=2).raise_for_status()" \
    "http://127.0.0.1:${BK_API__PORT}/health" >/dev/null 2>&1 && break
  kill -0 $api_pid 2>/dev/null || { echo "The API failed to start; see the messages above." >&2; exit 1; }
  sleep 0.5
done
echo
echo "  Banding Kota is running:"
echo "    open  http://127.0.0.1:${BK_UI__PORT}     (compare cities, ask, library)"
echo "    API   http://127.0.0.1:${BK_API__PORT}/docs  (OpenAPI)"
echo
.venv/bin/streamlit run ui/app.py --server.headless true --server.port "${BK_UI__PORT}" \
  --server.address 127.0.0.1 --browser.gatherUsageStats false --client.toolbarMode viewer
