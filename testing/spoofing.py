"""Headers a client might use to claim another address, in the forms proxies write them: the rate limit must
see through all of them (tests/test_api_limits.py, scripts/reliability.py)."""

from __future__ import annotations

import ipaddress
import random

SPOOF_ATTEMPTS = 100


def _random_ip(rng: random.Random) -> str:
    if rng.random() < 0.8:
        return str(ipaddress.IPv4Address(rng.getrandbits(32)))
    return str(ipaddress.IPv6Address(rng.getrandbits(128)))


def spoofing_headers(rng: random.Random, attempt: int) -> dict[str, str]:
    """Every header a client might use to claim another address, in the forms proxies write them."""
    ip = _random_ip(rng)
    forms = [
        {"X-Forwarded-For": ip},
        {"X-Forwarded-For": f"{ip}, {_random_ip(rng)}"},
        {"X-Forwarded-For": f"{ip}, 127.0.0.1"},
        {"Forwarded": f"for={ip};proto=https"},
        {"Forwarded": f'for="[{_random_ip(rng)}]"'},
        {"X-Real-IP": ip},
        {"X-Client-IP": ip},
        {"True-Client-IP": ip},
        {"CF-Connecting-IP": ip},
        {"X-Forwarded-For": ip, "X-Real-IP": ip, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"},
    ]
    return forms[attempt % len(forms)]
