"""The source viewer's routes and the API's language over real HTTP on the sample corpus: a passage in its place,
a PDF page rendered with the cited span highlighted, and refusals and errors in Indonesian or English."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from api.messages import Lang, message
from tests.test_page_highlight import yellow_pixels


@pytest.fixture(scope="module")
def client(api_server: str):
    with httpx.Client(base_url=api_server, timeout=300) as http:
        yield http


@pytest.fixture(scope="module")
def bssn_citation(client: httpx.Client) -> dict:
    answer = client.post("/ask", json={"question": "What does Pasal 5 of Peraturan BSSN 8/2024 say?"}).json()
    return answer["citations"][0]


def test_passage_comes_with_its_neighbours_section_and_surrounding_text(client, bssn_citation) -> None:
    doc_id, pid = bssn_citation["doc_id"], bssn_citation["passage_id"]
    view = client.get(f"/documents/{doc_id}/passages/{pid}", params={"window": 300}).json()
    assert view["is_pdf"] and view["page"] == bssn_citation["page"] and "Pasal 5" in view["section"]
    assert view["start"] <= bssn_citation["start"] < bssn_citation["end"] <= view["end"]
    assert view["text"][bssn_citation["start"] - view["start"]:][: 20] == bssn_citation["quote"][:20]
    assert 0 < len(view["before"]) <= 300 and view["previous_id"] and view["next_id"]
    listing = client.get(f"/documents/{doc_id}/passages").json()["passages"]
    ids = [p["passage_id"] for p in listing]
    assert ids.index(view["previous_id"]) + 1 == ids.index(pid) == ids.index(view["next_id"]) - 1
    assert view["regulation_key"] and view["regulation_key"].startswith("peraturan bssn|")


def test_a_passage_says_what_its_acronyms_stand_for(client) -> None:
    answer = client.post("/ask", json={"question": "Siapa yang bertugas memberikan layanan informasi publik?",
                                       "filters": {"cities": ["Singkawang"]}}).json()
    citation = next(c for c in answer["citations"] if c["acronyms"])
    view = client.get(f"/documents/{citation['doc_id']}/passages/{citation['passage_id']}").json()
    assert "PPID: Pejabat Pengelola Informasi dan Dokumentasi" in view["acronyms"]
    assert all(entry.split(": ")[0] in view["text"] for entry in view["acronyms"])


def test_pdf_page_image_highlights_the_cited_span(client, bssn_citation) -> None:
    doc_id, page = bssn_citation["doc_id"], bssn_citation["page"]
    span = {"start": bssn_citation["start"], "end": bssn_citation["end"]}
    response = client.get(f"/documents/{doc_id}/pages/{page}/image", params={**span, "width": 700})
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert int(response.headers["x-highlight-boxes"]) > 0
    assert Image.open(io.BytesIO(response.content)).width == 700
    assert yellow_pixels(response.content) > 300
    boxes = client.get(f"/documents/{doc_id}/pages/{page}/highlights", params=span).json()["boxes"]
    assert boxes and all(0 <= left < right <= 1 and 0 <= top < bottom <= 1 for left, top, right, bottom in boxes)
    # the same span on another page is not there: nothing is drawn
    elsewhere = page - 1 if page > 1 else page + 1
    other = client.get(f"/documents/{doc_id}/pages/{elsewhere}/highlights", params=span).json()["boxes"]
    assert other == []


def test_viewer_routes_refuse_clearly_in_the_asked_language(client, bssn_citation) -> None:
    doc_id = bssn_citation["doc_id"]
    missing = client.get(f"/documents/{doc_id}/passages/nope", headers={"Accept-Language": "id-ID,id;q=0.9"})
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == message("error.passage_not_found", "id", doc_id=repr(doc_id),
                                                         passage_id="'nope'")
    too_far = client.get(f"/documents/{doc_id}/pages/999/image", params={"lang": "en"})
    assert too_far.status_code == 404 and "has no page 999" in too_far.json()["error"]["message"]
    docs = client.get("/documents").json()["documents"]
    text_doc = next(d for d in docs if d["media_type"] != "application/pdf")
    not_pdf = client.get(f"/documents/{text_doc['doc_id']}/pages/1/image", headers={"Accept-Language": "id"})
    assert not_pdf.status_code == 400 and "bukan PDF" in not_pdf.json()["error"]["message"]


@pytest.mark.parametrize(("lang", "opening"), [("id", "Korpus tidak mencakup pertanyaan ini"),
                                               ("en", "The corpus does not cover this question")])
def test_refusal_and_searched_text_follow_the_language(client, lang: Lang, opening: str) -> None:
    question = "What is the penguin population of Antarctica's Ross Ice Shelf?"
    by_header = client.post("/ask", json={"question": question}, headers={"Accept-Language": lang}).json()
    by_field = client.post("/ask", json={"question": question, "lang": lang},
                           headers={"Accept-Language": "en" if lang == "id" else "id"}).json()
    for answer in (by_header, by_field):
        assert not answer["covered"] and answer["text"].startswith(opening)
        assert answer["searched"].startswith(message("searched.query", lang, question=question))


def test_error_envelope_speaks_indonesian_and_keeps_the_detail(client) -> None:
    invalid = client.post("/ask", json={"question": ""}, headers={"Accept-Language": "id"}).json()["error"]
    assert invalid["message"].startswith("Permintaan tidak valid") and "Periksa" in invalid["hint"]
    # a lower layer's error (an unknown document) is said by its code, its own sentence kept as the detail
    unknown = client.get("/documents/0000000000000000", headers={"Accept-Language": "id"}).json()["error"]
    assert unknown["message"] == message("error.not_found", "id") and "0000000000000000" in unknown["hint"]
    english = client.get("/documents/0000000000000000").json()["error"]
    assert english["message"].startswith("No document with id")
