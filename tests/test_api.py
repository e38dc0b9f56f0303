"""The HTTP API over real HTTP (uvicorn on loopback, the sample corpus): every route, the error envelope,
and bad requests that must be refused clearly and change nothing."""

from __future__ import annotations

import io
import time

import httpx
import pytest
from reportlab.pdfgen import canvas

from api.__main__ import is_loopback, refusal
from api.ratelimit import TokenBucket
from core.settings import Settings
from core.types import Answer, Comparison, DocumentMeta, SearchHit

ENVELOPE_KEYS = {"code", "message", "hint", "status"}


@pytest.fixture(scope="module")
def client(api_server: str):
    with httpx.Client(base_url=api_server, timeout=120) as http:
        yield http


def assert_envelope(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["status"] == status and body["error"]["message"]
    assert "Traceback" not in response.text and "/work/" not in response.text
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def counts(client: httpx.Client) -> tuple[int, int]:
    health = client.get("/health").json()
    return health["documents"], health["passages"]


def pdf_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    y = 800
    for line in text.splitlines():
        page.drawString(60, y, line)
        y -= 16
    page.save()
    return buffer.getvalue()


def test_health_reports_the_corpus(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["documents"] >= 12 and body["passages"] > 100
    assert body["store"] == "embedded" and body["embedding_model"]
    assert set(body) == {"status", "documents", "passages", "embedding_model", "store", "ocr_available",
                         "llm_configured"}


def test_search_returns_hits_with_provenance(client):
    body = client.post("/search", json={"query": "Samagov super-app", "k": 5}).json()
    hits = [SearchHit.model_validate(h) for h in body["hits"]]
    assert 0 < len(hits) <= 5 and body["took_ms"] >= 0
    assert any("Samagov" in h.passage.text for h in hits)


def test_ask_answers_with_verbatim_citations(client):
    response = client.post("/ask", json={"question": "How many employees does Balikpapan City have?"})
    answer = Answer.model_validate(response.json())
    assert answer.covered and answer.citations
    for c in answer.citations:
        context = client.get(f"/documents/{c.doc_id}/context", params={"start": c.start, "end": c.end}).json()
        assert context["quote"] == c.quote and context["page"] == c.page


def test_compare_returns_matrix_and_timeline(client):
    body = client.post("/compare", json={"cities": ["Balikpapan", "Samarinda"], "topic": "SPBE"}).json()
    timeline = body.pop("timeline")
    comparison = Comparison.model_validate(body)
    assert len(comparison.cities) == 2 and comparison.matrix
    assert timeline and all({"city", "year", "label", "key"} <= set(row) for row in timeline)


def test_regulations_list_detail_and_filters(client):
    regs = client.get("/regulations").json()["regulations"]
    own = [r for r in regs if r["ref"]["instrument"] == "Perwali" and r["ref"]["number"] == "68"]
    assert own, "Perwali Surabaya 68/2021 should be in the registry"
    detail = client.get(f"/regulations/{own[0]['key']}").json()
    assert detail["key"] == own[0]["key"] and any(n["label"].startswith("BAB") or n["kind"] == "bab"
                                                  for n in detail["outline"])
    surabaya = client.get("/regulations", params={"city": "Surabaya"}).json()["regulations"]
    assert surabaya and all(r["ref"]["region_name"] == "Kota Surabaya" for r in surabaya)
    assert_envelope(client.get("/regulations/nope|x|1|2000"), 404, "not_found")


def test_cities_and_documents(client):
    cities = client.get("/cities").json()["cities"]
    names = {c["region"]["name"] for c in cities}
    assert {"Balikpapan", "Samarinda", "Singkawang", "Surabaya"} <= names
    docs = [DocumentMeta.model_validate(d) for d in client.get("/documents").json()["documents"]]
    assert len(docs) >= 12
    regs = client.get("/documents", params={"doc_type": "regulation"}).json()["documents"]
    assert regs and all(d["doc_type"] == "regulation" for d in regs)
    doc = next(d for d in docs if d.filename.startswith("perwali_surabaya"))
    detail = client.get(f"/documents/{doc.doc_id}").json()
    assert detail["doc_id"] == doc.doc_id and detail["pages"]
    file = client.get(f"/documents/{doc.doc_id}/file")
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    assert "inline" in file.headers["content-disposition"]
    assert_envelope(client.get("/documents/0000000000000000"), 404, "not_found")


@pytest.mark.parametrize(
    ("path", "payload", "status"),
    [
        ("/ask", {"question": ""}, 422),
        ("/ask", {"question": "x" * 10_000}, 422),
        ("/ask", {"question": "SPBE", "k": 0}, 422),
        ("/ask", {"question": "SPBE", "k": 21}, 422),
        ("/ask", {"question": "SPBE", "engine": "magic"}, 422),
        ("/search", {"query": "SPBE", "k": 51}, 422),
        ("/search", {"query": "SPBE", "filters": {"cities": ["Atlantis"]}}, 400),
        ("/compare", {"cities": ["Balikpapan"], "topic": "SPBE"}, 422),
        ("/compare", {"cities": ["Balikpapan"] * 7, "topic": "SPBE"}, 422),
        ("/compare", {"cities": ["Balikpapan", "Atlantis"], "topic": "SPBE"}, 400),
        ("/compare", {"cities": ["Balikpapan", "Samarinda"], "topic": "SPBE", "k_per_city": 99}, 422),
    ],
)
def test_bad_requests_get_an_envelope(client, path, payload, status):
    error = assert_envelope(client.post(path, json=payload), status)
    if "Atlantis" in str(payload):
        assert error["code"] == "unknown_city" and "Atlantis" in error["message"]


def test_malformed_json_gets_an_envelope(client):
    response = client.post("/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert_envelope(response, 422, "invalid_request")


def test_context_outside_the_document_is_refused(client):
    doc_id = client.get("/documents").json()["documents"][0]["doc_id"]
    assert_envelope(client.get(f"/documents/{doc_id}/context", params={"start": 10**9, "end": 10**9 + 5}), 400)


def test_oversized_and_corrupt_uploads_are_refused_and_change_nothing(client):
    before = counts(client)
    big = b"%PDF-1.4\n" + b"0" * (51 * 1024 * 1024)
    assert_envelope(client.post("/documents", files={"file": ("big.pdf", big, "application/pdf")}), 413)
    broken = ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "application/pdf")
    corrupt = client.post("/documents", files={"file": broken})
    assert_envelope(corrupt, 422)
    assert_envelope(client.post("/documents", files={"file": ("tool.exe", b"MZ\x90\x00", "application/octet-stream")}),
                    415, "unsupported_format")
    assert_envelope(client.post("/documents", files={"file": ("empty.txt", b"", "text/plain")}), 422)
    # Found by schemathesis: a multipart body whose part header is broken was a 500.
    boundary = "0d37f771f3609e9baf6be26654101f5f"
    broken_form = client.post("/documents", content=f"--{boundary}\r\nTrue--{boundary}--\r\n".encode(),
                              headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert_envelope(broken_form, 400, "invalid_request")
    assert counts(client) == before


def test_upload_ingests_in_the_background_and_delete_removes_it(client):
    before = counts(client)
    text = "Peraturan Wali Kota Tarakan tentang Aplikasi Layanan Kebersihan Sungai\nKota Tarakan mengelola sungai."
    accepted = client.post("/documents", files={"file": ("tarakan_sungai.pdf", pdf_bytes(text), "application/pdf")})
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    for _ in range(600):
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job["status"] == "done", job
    doc_id = job["outcome"]["doc_id"]
    assert counts(client)[0] == before[0] + 1
    hits = client.post("/search", json={"query": "Tarakan kebersihan sungai", "k": 3}).json()["hits"]
    assert hits[0]["passage"]["doc_id"] == doc_id
    assert client.delete(f"/documents/{doc_id}").status_code == 204
    assert counts(client) == before
    assert_envelope(client.delete(f"/documents/{doc_id}"), 404, "not_found")
    assert_envelope(client.get("/jobs/nope"), 404, "not_found")


def test_cors_allows_the_configured_ui_origin_only(client):
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = client.options("/ask", headers={"Origin": "http://127.0.0.1:8501", **preflight})
    assert allowed.headers.get("access-control-allow-origin") == "http://127.0.0.1:8501"
    other = client.options("/ask", headers={"Origin": "http://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_token_bucket_refuses_a_burst_and_recovers():
    now = [0.0]
    bucket = TokenBucket(per_minute=3, clock=lambda: now[0])
    assert [bucket.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = bucket.take("a")
    assert 0 < wait <= 20
    assert bucket.take("b") == 0.0
    now[0] += wait
    assert bucket.take("a") == 0.0


def test_server_refuses_a_public_host_without_an_api_key():
    settings = Settings()
    public = settings.model_copy(update={"api": settings.api.model_copy(update={"host": "0.0.0.0", "api_key": None})})
    keyed = settings.model_copy(update={"api": settings.api.model_copy(update={"host": "0.0.0.0", "api_key": "k"})})
    assert refusal(public) and "BK_API__API_KEY" in refusal(public)
    assert refusal(keyed) is None
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.168.1.10")


@pytest.fixture(scope="module")
def guarded_server(built_corpus, tmp_path_factory):
    """A second real server (in a thread) with an API key and a tiny rate limit."""
    import threading
    import time

    import uvicorn

    from api.app import create_app
    from testing.corpus import copy_corpus, make_settings
    from testing.servers import free_port

    settings = make_settings(copy_corpus(built_corpus, tmp_path_factory, "guarded"))
    api = settings.api.model_copy(update={"api_key": "s3cret-key", "rate_limit_per_minute": 2})
    settings = settings.model_copy(update={"api": api})
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


def test_write_endpoints_need_the_api_key(guarded_server):
    with httpx.Client(base_url=guarded_server, timeout=60) as http:
        before = counts(http)
        doc_id = http.get("/documents").json()["documents"][0]["doc_id"]
        assert_envelope(http.delete(f"/documents/{doc_id}"), 401, "unauthorized")
        assert_envelope(http.delete(f"/documents/{doc_id}", headers={"X-API-Key": "wrong"}), 401, "unauthorized")
        upload = http.post("/documents", files={"file": ("a.txt", b"Kota Tarakan", "text/plain")})
        assert_envelope(upload, 401, "unauthorized")
        assert_envelope(http.post("/admin/reindex"), 401)
        assert counts(http) == before
        reindexed = http.post("/admin/reindex", headers={"X-API-Key": "s3cret-key"})
        assert reindexed.status_code == 200 and reindexed.json()["passages"] == before[1]


def test_ask_is_rate_limited_per_client(guarded_server):
    with httpx.Client(base_url=guarded_server, timeout=60) as http:
        statuses = [http.post("/ask", json={"question": "Apa itu Samagov?"}).status_code for _ in range(3)]
        assert statuses[:2] == [200, 200]
        limited = http.post("/ask", json={"question": "Apa itu Samagov?"})
        assert_envelope(limited, 429, "rate_limited")
        assert int(limited.headers["retry-after"]) >= 1


def test_openapi_documents_the_error_envelope_and_the_upload_form():
    from api.app import create_app

    spec = create_app(Settings()).openapi()
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("422", "429", "500"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == envelope, f"{method.upper()} {path} {status}"
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    form = spec["paths"]["/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"] and form["properties"]["file"]["format"] == "binary"


def test_error_responses_match_the_published_envelope(client):
    from core.api_models import ErrorEnvelope

    for response in (client.get("/documents/nope"), client.post("/search", json={"query": ""}),
                     client.post("/search", json={"query": "x", "filters": {"cities": ["Atlantis"]}})):
        assert response.status_code >= 400
        ErrorEnvelope.model_validate(response.json())
