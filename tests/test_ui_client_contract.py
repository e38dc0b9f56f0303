"""The UI's client against the real API (uvicorn on loopback, the sample corpus): every reading route the UI
calls, and an upload with its job, parses into the shared models of ``core.api_models`` / ``core.types``, and
what the client parsed is exactly what the server sent. A field the API renamed, dropped or added fails here: the
model would fill a default (or refuse the body) and the parsed value would no longer serialise back to the
server's JSON."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from pydantic import BaseModel

from core.api_models import Job
from core.types import DocumentMeta
from ui.client import ApiClient, ApiError


@pytest.fixture(scope="module")
def client(api_server: str) -> ApiClient:
    return ApiClient(api_server, timeout_s=120)


@pytest.fixture(scope="module")
def raw(api_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_server, timeout=120) as http:
        yield http


def as_json(parsed: BaseModel | Sequence[BaseModel]) -> Any:
    if isinstance(parsed, BaseModel):
        return parsed.model_dump(mode="json")
    return [item.model_dump(mode="json") for item in parsed]


def test_health_parses_every_field_the_server_sends(client: ApiClient, raw: httpx.Client) -> None:
    health = client.health()
    assert as_json(health) == raw.get("/health").json()
    assert health.documents > 0 and health.passages > health.documents


def test_cities_and_documents_parse_as_sent(client: ApiClient, raw: httpx.Client) -> None:
    sent = raw.get("/cities").json()["cities"]
    assert [(r.model_dump(mode="json"), d, p) for r, d, p in client.cities()] == [
        (c["region"], c["documents"], c["passages"]) for c in sent]
    documents = client.documents()
    assert documents and as_json(documents) == raw.get("/documents").json()["documents"]


def test_a_document_its_passages_a_passage_and_a_quote_in_context_parse_as_sent(
    client: ApiClient, raw: httpx.Client
) -> None:
    doc = next(d for d in client.documents() if d.doc_type == "regulation")
    meta, pages = client.document(doc.doc_id)
    sent = raw.get(f"/documents/{doc.doc_id}").json()
    assert {**as_json(meta), "pages": as_json(pages)} == sent
    assert isinstance(meta, DocumentMeta)

    passages = client.passages(doc.doc_id)
    assert passages and as_json(passages) == raw.get(f"/documents/{doc.doc_id}/passages").json()["passages"]

    second = passages[1].passage_id
    view = client.passage(doc.doc_id, second, window=300)
    assert as_json(view) == raw.get(f"/documents/{doc.doc_id}/passages/{second}", params={"window": 300}).json()
    assert view.previous_id == passages[0].passage_id and view.text

    span = {"start": view.start, "end": view.start + 40, "window": 200}
    context = client.context(doc.doc_id, span["start"], span["end"], window=span["window"])
    assert as_json(context) == raw.get(f"/documents/{doc.doc_id}/context", params=span).json()
    assert context.quote == view.text[:40]


def test_the_registry_and_one_regulation_parse_as_sent(client: ApiClient, raw: httpx.Client) -> None:
    regulations = client.regulations()
    assert regulations and as_json(regulations) == raw.get("/regulations").json()["regulations"]
    # The instrument with the richest detail: relations, outline and mentions all present.
    key = max(regulations, key=lambda r: len(r.mentions)).key
    detail = client.regulation(key)
    assert as_json(detail) == raw.get(f"/regulations/{quote(key, safe='')}").json()
    assert detail.key == key and detail.mentions


def test_a_comparison_and_its_timeline_parse_as_sent(client: ApiClient, raw: httpx.Client) -> None:
    comparison, timeline = client.compare(["Balikpapan", "Samarinda"], "SPBE")
    sent = raw.post("/compare", json={"cities": ["Balikpapan", "Samarinda"], "topic": "SPBE", "aspects": None,
                                      "k_per_city": 6}).json()
    assert {**as_json(comparison), "timeline": as_json(timeline)} == sent
    assert timeline and all(entry.year for entry in timeline)


def test_an_answer_parses_as_sent(client: ApiClient, raw: httpx.Client) -> None:
    answer = client.ask("How does Balikpapan regulate SPBE?", engine="extractive")
    sent = raw.post("/ask", json={"question": "How does Balikpapan regulate SPBE?", "engine": "extractive",
                                  "k": 8, "filters": {}}).json()
    assert as_json(answer) == sent


class RecordingClient(ApiClient):
    """The client, keeping the last body the server sent: an upload cannot be sent again to compare."""

    sent: Any = None

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        self.sent = super()._json(method, path, **kwargs)
        return self.sent


def test_an_upload_and_its_job_parse_as_sent(client: ApiClient, raw: httpx.Client, api_server: str) -> None:
    recording = RecordingClient(api_server, timeout_s=120)
    text = b"Peraturan Wali Kota Tarakan tentang Kebersihan Pasar\nPasar dibersihkan setiap hari.\n"
    accepted = recording.upload("tarakan_pasar.txt", text, "text/plain")
    assert as_json(accepted) == recording.sent
    assert accepted.filename == "tarakan_pasar.txt" and accepted.job_id
    deadline = time.monotonic() + 120
    while (job := client.job(accepted.job_id)).status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert as_json(job) == raw.get(f"/jobs/{accepted.job_id}").json()
    assert job.status == "done" and job.outcome is not None, job
    # The upload leaves the shared corpus as it found it for the other tests.
    doc_id = job.outcome.doc_id
    assert doc_id is not None and client.delete_document(doc_id)


def test_an_unknown_job_is_the_apis_error_not_a_parse_failure(client: ApiClient) -> None:
    with pytest.raises(ApiError) as error:
        client.job("0" * 32)
    assert error.value.status == 404 and error.value.code != "bad_response"


def test_a_renamed_field_fails_the_contract() -> None:
    """The check above can fail: a job body whose ``message`` came back as ``detail`` parses (the field has a
    default) but no longer serialises back to what was sent."""
    sent = {"job_id": "j1", "filename": "a.pdf", "status": "failed", "outcome": None, "detail": "cannot read"}
    assert as_json(Job.model_validate(sent)) != sent
