"""Limits that hold over real HTTP: a client cannot pick its own rate-limit key with a forwarding header unless
the server was told to trust that proxy; /search, /ask and /compare are charged by what they cost; errors cut
what they echo; a request uvicorn cannot parse is still answered in the envelope.

Two real servers (``python -m api``) over empty data folders: one trusting no proxy (the default), one trusting
loopback as its proxy, where each test names its own client through X-Forwarded-For.
"""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.errors import ECHO_LIMIT, MESSAGE_LIMIT
from api.ratelimit import TokenBucket, request_cost
from core.settings import ApiSettings
from testing.corpus import corpus_env
from testing.servers import api_process, free_port
from testing.spoofing import SPOOF_ATTEMPTS, spoofing_headers

RATE = 6


def _server(tmp_path_factory: pytest.TempPathFactory, name: str, **extra: str) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp(name) / "data"
    env = corpus_env(data_dir, BK_API__PORT=str(free_port()), BK_API__HOST="127.0.0.1",
                     BK_API__RATE_LIMIT_PER_MINUTE=str(RATE), **extra)
    with api_process(env, data_dir.parent / "api.log") as base:
        yield base


@pytest.fixture(scope="module")
def direct(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _server(tmp_path_factory, "limits-direct")


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _server(tmp_path_factory, "limits-proxied", BK_API__FORWARDED_ALLOW_IPS="127.0.0.1,::1")


def test_spoofed_forwarding_headers_never_bypass_the_limit(direct: str) -> None:
    rng = random.Random(16)
    with httpx.Client(base_url=direct, timeout=60) as client:
        statuses = [client.post("/search", json={"query": "SPBE"}).status_code for _ in range(RATE + 1)]
        assert statuses[-1] == 429 and statuses.count(200) == RATE, statuses
        passed = []
        for attempt in range(SPOOF_ATTEMPTS):
            path, body = [("/search", {"query": "SPBE"}), ("/ask", {"question": "SPBE"}),
                          ("/compare", {"cities": ["Balikpapan", "Samarinda"], "topic": "SPBE"})][attempt % 3]
            response = client.post(path, json=body, headers=spoofing_headers(rng, attempt))
            if response.status_code != 429:
                passed.append((path, response.status_code))
    assert passed == [], f"{len(passed)} of {SPOOF_ATTEMPTS} spoofing attempts got past the limit: {passed[:5]}"


def test_a_configured_proxy_is_trusted_to_name_its_clients(proxied: str) -> None:
    with httpx.Client(base_url=proxied, timeout=60) as client:
        spent = [client.post("/search", json={"query": "SPBE"}, headers={"X-Forwarded-For": "203.0.113.7"})
                 for _ in range(RATE + 1)]
        assert spent[-1].status_code == 429
        other = client.post("/search", json={"query": "SPBE"}, headers={"X-Forwarded-For": "198.51.100.9"})
        assert other.status_code == 200, other.text


def test_a_long_wide_search_costs_more_than_a_short_one(proxied: str) -> None:
    with httpx.Client(base_url=proxied, timeout=120) as client:
        headers = {"X-Forwarded-For": "192.0.2.44"}
        expensive = client.post("/search", json={"query": "pengelolaan sampah " * 105, "k": 50}, headers=headers)
        assert expensive.status_code == 200, expensive.text
        # 1,995 characters and 50 passages cost more than the whole bucket of RATE short questions.
        after = client.post("/search", json={"query": "SPBE"}, headers=headers)
        assert after.status_code == 429, after.text
        cheap = {"X-Forwarded-For": "192.0.2.45"}
        assert [client.post("/ask", json={"question": "SPBE"}, headers=cheap).status_code
                for _ in range(RATE)] == [200] * RATE


def test_request_cost_grows_with_length_and_width() -> None:
    api = ApiSettings()
    assert request_cost(40, 8, api) == 1.0
    assert request_cost(2000, 10, api) == pytest.approx(8.5)
    assert request_cost(40, 6 * 20, api) == pytest.approx(6.16)
    bucket = TokenBucket(10, clock=lambda: 0.0)
    assert bucket.take("a", 25.0) == 0.0  # dearer than the bucket: waits for a full one, never refused for ever
    assert bucket.take("a", 1.0) > 0.0


@pytest.mark.parametrize("path", ["/documents/{x}", "/documents/{x}/file", "/regulations/{x}", "/jobs/{x}"])
def test_errors_cut_what_they_echo(direct: str, path: str) -> None:
    echoed = "A" * 20_000
    response = httpx.get(direct + path.format(x=echoed), timeout=30)
    assert response.status_code == 404, response.text[:300]
    error = response.json()["error"]
    assert echoed[: ECHO_LIMIT // 2] in error["message"] and echoed[: ECHO_LIMIT + 1] not in error["message"]
    assert len(error["message"]) <= MESSAGE_LIMIT + 1 and len(response.content) < 2_000


def test_an_unknown_city_of_any_length_is_cut_in_the_message(proxied: str) -> None:
    city = "Kota" + "Z" * 50_000
    response = httpx.post(f"{proxied}/compare", json={"cities": [city, "Samarinda"], "topic": "SPBE"},
                          headers={"X-Forwarded-For": "192.0.2.99"}, timeout=30)
    assert 400 <= response.status_code < 500, response.text[:300]
    assert len(response.content) < 2_500, len(response.content)


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(32) + b"\r\n\r\n",  # a TLS hello to plain HTTP
])
def test_malformed_http_is_answered_in_the_envelope(direct: str, raw: bytes) -> None:
    host, port = direct.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(raw)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), received[:200]
    assert b"content-type: application/json" in head.lower() and b"x-content-type-options: nosniff" in head.lower()
    error = json.loads(body)["error"]
    assert error["status"] == 400 and error["code"] == "malformed_request" and error["message"]


def test_uvicorn_is_told_to_trust_no_proxy_by_default(tmp_path: Path) -> None:
    from api.__main__ import proxy_options
    from testing.corpus import make_settings

    settings = make_settings(tmp_path)
    assert proxy_options(settings) == (False, [])
    trusting = settings.model_copy(update={"api": settings.api.model_copy(
        update={"forwarded_allow_ips": "10.0.0.0/8, 192.168.1.5"})})
    assert proxy_options(trusting) == (True, ["10.0.0.0/8", "192.168.1.5"])
