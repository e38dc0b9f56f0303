"""The generative engine against a real OpenAI-compatible HTTP server on loopback (a scripted fake of the paid
service): supported sentences are kept with verbatim citations, unsupported ones dropped; a dead endpoint
falls back to the extractive engine."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI, Request

from api.engine.generative import SYSTEM_PROMPT, answer_generative, supports
from testing.servers import free_port
from vectorstore.hybrid import HybridRetriever

UNSUPPORTED = "The city also built 400 flying bridges in 1850."


def fake_llm_app(seen: list[dict]) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> dict:
        body = await request.json()
        seen.append(body)
        user = body["messages"][-1]["content"]
        found = re.search(r'<evidence id="1"[^>]*>\n(.*?)\n</evidence>', user, re.S)
        assert found, user
        evidence = found.group(1)
        # A faithful sentence: the first long sentence of evidence [1], cited; then an invented one.
        sentence = next(s for s in re.split(r"(?<=[.!?])\s+", evidence) if len(s) > 40)
        content = f"{' '.join(sentence.split())} [1] {UNSUPPORTED} [1]"
        return {
            "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    return app


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[tuple[str, list[dict]]]:
    seen: list[dict] = []
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(fake_llm_app(seen), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1", seen
    server.should_exit = True
    thread.join(timeout=10)


def llm_settings(library, base_url: str | None, timeout_s: float = 20.0):
    return library.settings.llm.model_copy(update={"base_url": base_url, "timeout_s": timeout_s})


def test_supported_sentence_is_kept_and_invented_one_dropped(library, fake_llm):
    base_url, seen = fake_llm
    retriever = HybridRetriever(library)
    question = "What is the HORE application in Balikpapan?"
    answer = answer_generative(retriever, llm_settings(library, base_url), question)
    assert answer.engine == "generative" and answer.covered
    assert answer.dropped_sentences and "do not hold its facts" in answer.dropped_sentences[0]
    # The reason is given, the invented words are not repeated.
    assert not any("flying bridges" in reason for reason in answer.dropped_sentences)
    assert "flying bridges" not in answer.text
    assert answer.citations
    for c in answer.citations:
        clean = library.catalog.get_clean(c.doc_id)
        assert clean.text[c.start : c.end] == c.quote
    request = seen[-1]
    assert request["messages"][0]["content"] == SYSTEM_PROMPT
    assert "untrusted" in request["messages"][-1]["content"]


def test_dead_endpoint_falls_back_to_the_extractive_engine(library):
    retriever = HybridRetriever(library)
    dead = f"http://127.0.0.1:{free_port()}/v1"
    answer = answer_generative(retriever, llm_settings(library, dead, 3.0), "What is the HORE application?")
    assert answer.engine == "extractive" and answer.covered and answer.citations
    assert any("unavailable" in note for note in answer.notes)


def test_unset_endpoint_falls_back_with_a_note(library):
    answer = answer_generative(HybridRetriever(library), llm_settings(library, None), "Apa itu Samagov?")
    assert answer.engine == "extractive" and answer.notes


def test_support_check_needs_the_numbers_and_the_words_of_the_passage():
    passage = "Digital Government Balikpapan has only been downloaded 100 times by employees."
    assert supports("Digital Government Balikpapan was downloaded 100 times.", passage)
    assert not supports("Digital Government Balikpapan was downloaded 500 times.", passage)
    assert not supports("Jakarta launched a metro rail line for commuters.", passage)
