"""The regulation registry over real HTTP (the sample corpus): keys holding a "/", a regulation's identity
taken from its own title block, amendment kept apart from revocation, yearless mentions counted under the
instrument they name, and the regulation filter of /search keeping the regulation's own articles."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from core.settings import Settings

KEPGUB = "kepgub|61|224/bappeda|2023"
SINGKAWANG_24 = "perwali|61.72|24|2018"


@pytest.fixture(scope="module")
def client(api_server: str):
    with httpx.Client(base_url=api_server, timeout=120) as http:
        yield http


def detail(client: httpx.Client, key: str) -> dict:
    response = client.get(f"/regulations/{key}")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("encode", [False, True], ids=["raw", "percent-encoded"])
def test_a_key_with_a_slash_opens_its_regulation(client, encode):
    body = detail(client, quote(KEPGUB, safe="") if encode else KEPGUB)
    assert body["key"] == KEPGUB and body["ref"]["number"] == "224/BAPPEDA"
    assert body["outline"], "the Kepgub's own document gives it an outline"


def test_each_regulations_identity_is_its_own_title_block(client):
    owners = [d for d in client.get("/documents").json()["documents"] if d["regulation"]]
    listed = {r["key"]: r["ref"] for r in client.get("/regulations").json()["regulations"]}
    assert len(owners) >= 5
    for doc in owners:
        own = doc["regulation"]
        key = f"{own['instrument']}|{own['region_code'] or 'national'}|{own['number']}|{own['year'] or ''}".lower()
        assert listed[key]["subject"] == own["subject"], doc["filename"]
    assert listed[KEPGUB]["subject"] == "Forum Satu Data Indonesia Tingkat Provinsi Kalimantan Barat"


@pytest.mark.parametrize(("key", "revoker"), [
    ("perwali|61.72|15|2012", ("Perwali", "24", 2018)),  # Singkawang's SOP PPID, replaced in 2018
    ("perwali|35.78|45|2016", ("Perwali", "68", 2021)),  # Surabaya's SOTK Sekretariat DPRD
])
def test_a_revoked_regulation_is_revoked_not_newly_amended(client, key, revoker):
    body = detail(client, key)
    assert body["newer_amendment"] is False
    assert [(r["instrument"], r["number"], r["year"]) for r in body["revoked_by"]] == [revoker]


def test_an_amended_regulation_has_a_newer_amendment_and_is_not_revoked(client):
    # Kendari's Perwali 19/2024 is the third amendment of Perwali 48/2021.
    body = detail(client, "perwali|74.71|48|2021")
    assert body["newer_amendment"] is True and body["revoked_by"] == []


def test_no_yearless_mention_is_listed_beside_the_one_instrument_it_names(client):
    # The test corpus OCRs two pages per scan, so whether Permendagri 90/2019 is there (beside the yearless
    # "Permendagri Nomor 90" of Surabaya's Perwali) depends on OCR; the rule is checked wherever it applies
    # (tests/test_registry_views.py builds a store where it does).
    regs = client.get("/regulations").json()["regulations"]
    listed = {r["key"] for r in regs}
    for reg in regs:
        if reg["ref"]["year"] is None:
            with_year = [k for k in listed if k.startswith(reg["key"]) and k != reg["key"]]
            assert len(with_year) != 1, f"{reg['key']} should be listed under {with_year[0]}"
    for reg in regs:
        for alias in reg["aliases"]:
            assert alias not in listed and detail(client, alias)["key"] == reg["key"]


def search(client: httpx.Client, **filters: str) -> list[dict]:
    response = client.post("/search", json={"query": "Pasal 12", "k": 10, "filters": filters})
    assert response.status_code == 200, response.text
    return [h["passage"] for h in response.json()["hits"]]


def test_the_regulation_filter_keeps_the_regulations_own_articles(client):
    hits = search(client, regulation=SINGKAWANG_24)
    assert any(p["pasal"] == "12" for p in hits), [p["section"] for p in hits]
    article = search(client, regulation=SINGKAWANG_24, pasal="12")
    assert article and all(p["pasal"] == "12" for p in article)
    assert {p["doc_id"] for p in article} == {p["doc_id"] for p in hits if p["pasal"] == "12"}


def test_openapi_describes_amendment_and_revocation_apart():
    from api.app import create_app

    schema = create_app(Settings()).openapi()["components"]["schemas"]["RegulationDetail"]["properties"]
    assert "amends" in schema["newer_amendment"]["description"]
    assert "revokes" in schema["revoked_by"]["description"]


def test_openapi_describes_what_an_amendment_changed():
    from api.app import create_app

    schemas = create_app(Settings()).openapi()["components"]["schemas"]
    detail = schemas["RegulationDetail"]["properties"]
    assert "change" in detail["amended_units"]["description"] and "amending" in detail["changes"]["description"]
    change = schemas["UnitChange"]["properties"]
    assert set(change) >= {"unit", "action", "label", "amended_by", "evidence", "passage_ids", "citation"}
    assert all(field.get("description") for field in change.values())

