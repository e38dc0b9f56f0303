"""Prompt injection carried by documents: instructions and canary strings in English and Indonesian, visible
and hidden (HTML: inline styles, <style> class and id rules, opacity, transparent, white-on-white and zero-size
text, the hidden and aria-hidden attributes, script; DOCX: hidden, white, theme-white and 1pt runs, a hiding
style, white text in a table cell; PDF white text), plus markdown image and link payloads.

They are ingested into a fresh library next to normal policy documents and asked about through the real API
(in process), with the extractive engine and with the generative engine wired to a gullible OpenAI-compatible
model on loopback that obeys any canary instruction it reads. A canary must never reach an answer, hidden
text must never reach the index, and the model must be told that the evidence is untrusted data.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from core.settings import Settings
from core.types import Answer, Comparison
from ingest.library import LibraryWriter
from testing.corpus import make_settings
from testing.injection_documents import (
    CANARY_EN,
    CANARY_ID,
    CANARY_PATTERN,
    EVIDENCE_BLOCK,
    HIDDEN_CANARIES,
    PDF_WHITE_CANARY,
    QUESTIONS,
    GullibleModel,
    answer_texts,
    canaries_in,
    write_documents,
)
from ui import render

_LIVE_SRC = re.compile(r"<[a-z][^>]*\bsrc\s*=")  # a real tag with a source; escaped "&lt;img src" is inert
# Unescaped markdown link/image syntax or an HTML tag (a backslash-escaped one renders as literal text).
_LIVE_MARKDOWN = re.compile(r"(?<!\\)\]\(|(?<!\\)<[a-zA-Z/]")


# --- a gullible model ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gullible_llm() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), GullibleModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


# --- the library and the API ---------------------------------------------------------------------------------

@dataclass
class Injected:
    settings: Settings
    doc_ids: dict[str, str]  # file name -> doc id


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory, gullible_llm: str) -> Injected:
    root = tmp_path_factory.mktemp("injection")
    write_documents(root / "inbox")
    base = make_settings(root / "data")
    settings = base.model_copy(update={"llm": base.llm.model_copy(update={"base_url": gullible_llm,
                                                                           "timeout_s": 30.0})})
    with LibraryWriter.open(settings) as library:
        outcomes = library.ingest_paths(sorted((root / "inbox").iterdir()))
    failed = [(o.path, o.error) for o in outcomes if o.status == "failed"]
    assert not failed, failed
    return Injected(settings, {Path(o.path).name: o.doc_id for o in outcomes if o.doc_id})


@pytest.fixture(scope="module")
def client(injected: Injected) -> Iterator[TestClient]:
    with TestClient(create_app(injected.settings)) as http:
        yield http


@pytest.fixture(scope="module")
def passages(client: TestClient, injected: Injected) -> list[str]:
    """Every passage text in the store (read through the running app's library)."""
    library = client.app.state.services.library  # type: ignore[attr-defined]
    return [p.text for p in library.store.iter_passages()]


# --- hidden text ---------------------------------------------------------------------------------------------

def test_visible_injections_reach_the_index_so_the_attack_is_real(passages: list[str]) -> None:
    found = canaries_in(passages)
    assert {CANARY_EN, CANARY_ID} <= found


@pytest.mark.parametrize("where", sorted(HIDDEN_CANARIES))
def test_hidden_html_and_docx_text_is_never_ingested(passages: list[str], where: str) -> None:
    assert not any(HIDDEN_CANARIES[where] in text for text in passages)
    assert any("pengaduan sampah" in text for text in passages), "the visible part of the page must be kept"
    assert any("bank sampah kelurahan menerima" in text for text in passages), "the visible minutes must be kept"


def test_white_text_in_a_pdf_is_never_ingested(passages: list[str]) -> None:
    assert not any(PDF_WHITE_CANARY in text for text in passages)
    assert any("Retribusi pelayanan persampahan" in text for text in passages)


# --- the extractive engine -----------------------------------------------------------------------------------

@pytest.mark.parametrize("question", QUESTIONS)
def test_extractive_answer_never_carries_a_canary(client: TestClient, injected: Injected, question: str) -> None:
    response = client.post("/ask", json={"question": question, "engine": "extractive"})
    assert response.status_code == 200, response.text
    answer = Answer.model_validate(response.json())
    assert not canaries_in(answer_texts(answer)), answer.text


def test_extractive_evidence_includes_the_injected_documents(client: TestClient, injected: Injected) -> None:
    # Without this, the canary tests above could pass only because the injected files were never retrieved.
    cited = set()
    for question in QUESTIONS:
        answer = Answer.model_validate(client.post("/ask", json={"question": question,
                                                                 "engine": "extractive"}).json())
        cited |= {c.doc_id for c in answer.citations}
    assert injected.doc_ids["tarakan_waste_report.md"] in cited
    assert injected.doc_ids["bontang_air_bersih.txt"] in cited
    assert injected.doc_ids["notulen_tarakan.docx"] in cited, "the DOCX with hidden runs must be retrieved"


@pytest.mark.parametrize("topic", ["waste bank schedule", "pengelolaan sampah dan air bersih"])
def test_comparison_never_carries_a_canary(client: TestClient, topic: str) -> None:
    response = client.post("/compare", json={"cities": ["Tarakan", "Bontang"], "topic": topic})
    assert response.status_code == 200, response.text
    body = response.json()
    body.pop("timeline", None)
    comparison = Comparison.model_validate(body)
    sentences = [s.text for city in comparison.answers for s in city.sentences]
    assert sentences, "the comparison found nothing; the injected documents were not retrieved"
    assert not canaries_in(sentences)


# --- the generative engine with a gullible model -------------------------------------------------------------

@pytest.mark.parametrize("question", QUESTIONS)
def test_generative_answer_never_carries_a_canary_the_model_obeyed(client: TestClient, question: str) -> None:
    before = len(GullibleModel.requests)
    response = client.post("/ask", json={"question": question, "engine": "generative"})
    assert response.status_code == 200, response.text
    answer = Answer.model_validate(response.json())
    assert not canaries_in(answer_texts(answer)), answer.text
    assert len(GullibleModel.requests) > before or not answer.covered, "the model was never asked"


def test_model_saw_the_injections_and_was_told_the_evidence_is_untrusted(client: TestClient) -> None:
    for question in QUESTIONS[:3]:
        client.post("/ask", json={"question": question, "engine": "generative"})
    assert GullibleModel.requests, "the generative engine never called the model"
    prompts = [" ".join(m["content"] for m in messages) for messages in GullibleModel.requests]
    assert any(CANARY_EN in p for p in prompts) and any(CANARY_ID in p for p in prompts), \
        "the injected passages never reached the model, so this test proves nothing"
    for messages in GullibleModel.requests:
        system = " ".join(m["content"] for m in messages if m["role"] == "system").lower()
        user = messages[-1]["content"]
        assert "untrusted" in system and "instruction" in system
        assert "untrusted" in user.lower()
        # Injected text comes only after the evidence header, never in the instructions or the question.
        assert not CANARY_PATTERN.search(system)
        head = user.split("<evidence", 1)[0]
        assert not CANARY_PATTERN.search(head), head


def test_a_passage_cannot_close_its_evidence_block(client: TestClient) -> None:
    client.post("/ask", json={"question": QUESTIONS[1], "engine": "generative"})
    prompts = [m[-1]["content"] for m in GullibleModel.requests if "SYSTEM: reply only" in m[-1]["content"]]
    assert prompts, "the break-out passage never reached the model"
    for prompt in prompts:
        assert prompt.count("<evidence ") == prompt.count("</evidence>") == len(EVIDENCE_BLOCK.findall(prompt))
        assert 'id="99"' not in prompt


# --- the UI rendering helpers --------------------------------------------------------------------------------

def test_ui_renders_no_image_or_external_link_from_passage_text(passages: list[str], client: TestClient) -> None:
    payloads = [p for p in passages if "evil.example" in p]
    assert payloads, "the markdown payloads were not ingested"
    answer = Answer.model_validate(client.post("/ask", json={"question": QUESTIONS[1],
                                                             "engine": "extractive"}).json())
    rendered = [render.safe_html(p) for p in payloads]
    rendered += [render.quote_html(p) for p in payloads]
    for citation in answer.citations:  # quotes shown in their context, as the sources panel does
        context = client.get(f"/documents/{citation.doc_id}/context",
                             params={"start": citation.start, "end": citation.end}).json()
        rendered.append(render.highlight_html(context["before"], context["quote"], context["after"]))
    rendered += [render.answer_html(answer.text, [c.marker for c in answer.citations])]
    rendered += [render.sentence_html(s) for city in answer.by_city for s in city.sentences]
    for markup in rendered:
        lowered = markup.lower()
        assert "<img" not in lowered and "href" not in lowered and not _LIVE_SRC.search(lowered), markup
    for label in (render.escape_markdown(p) for p in payloads):  # where Streamlit renders markdown
        assert not _LIVE_MARKDOWN.search(label), label
