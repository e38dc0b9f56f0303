"""``python -m api``: serve the API with uvicorn on the configured host and port."""

from __future__ import annotations

import ipaddress
import sys

from core.logs import setup_logging
from core.settings import Settings, get_settings


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def refusal(settings: Settings) -> str | None:
    """Why the server must not start: open to the network with write endpoints but no API key."""
    if not is_loopback(settings.api.host) and not settings.api.api_key:
        return (
            f"Refusing to serve on {settings.api.host}: a non-loopback address needs an API key for the write "
            "endpoints. Set BK_API__API_KEY, or serve on 127.0.0.1."
        )
    return None


def proxy_options(settings: Settings) -> tuple[bool, list[str]]:
    """uvicorn's proxy-header handling (proxy_headers, forwarded_allow_ips): off unless proxies are configured.
    uvicorn's own default trusts X-Forwarded-For from loopback, and then any local client (or a proxy that passes
    the header through) could name its own address and step around the rate limit."""
    allowed = [ip.strip() for ip in settings.api.forwarded_allow_ips.split(",") if ip.strip()]
    return bool(allowed), allowed


def main() -> int:
    settings = get_settings()
    setup_logging(settings.log_level, "%(asctime)s %(levelname)s %(name)s: %(message)s")
    reason = refusal(settings)
    if reason:
        print(reason, file=sys.stderr)
        return 2
    # Imported only now so that a refusal answers at once instead of after loading models and the store.
    import uvicorn

    from api.app import create_app
    from api.http_protocol import EnvelopeH11Protocol

    proxy_headers, forwarded_allow_ips = proxy_options(settings)
    uvicorn.run(create_app(settings), host=settings.api.host, port=settings.api.port, log_level="info",
                proxy_headers=proxy_headers, forwarded_allow_ips=forwarded_allow_ips,
                http=EnvelopeH11Protocol, server_header=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
