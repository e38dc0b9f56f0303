"""What the routes depend on: the services bundle (library, retriever, jobs, rate limiter), the API key check
and the rate limit, as FastAPI dependency aliases."""

from __future__ import annotations

import hmac
import logging
import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from api.errors import RateLimitedError, ReadOnlyError, UnauthorizedError
from api.jobs import Jobs
from api.messages import Lang, language_of
from api.ratelimit import TokenBucket, request_cost, retry_after_seconds
from core.settings import Settings
from ingest.library import LibraryWriter
from vectorstore.hybrid import HybridRetriever
from vectorstore.library import Library

logger = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    library: Library
    retriever: HybridRetriever
    jobs: Jobs
    limiter: TokenBucket
    # The same library opened for writing; None when another process holds the writer lock.
    writer: LibraryWriter | None = None
    # Deletes, re-indexing and the ingest worker change the store one at a time.
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def writable(self) -> bool:
        return self.writer is not None

    def writing(self) -> LibraryWriter:
        """The library to change the store through; ``ReadOnlyError`` on a server that opened it read-only."""
        if self.writer is None:
            raise ReadOnlyError(
                "This server opened the store read-only because another process is writing to it.",
                hint="Wait for the other ingest to finish and restart the API.", key="read_only",
            )
        return self.writer


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def require_api_key(request: Request, services: ServicesDep) -> None:
    """Write endpoints: the ``X-API-Key`` header must equal the configured key (compared in constant time)."""
    expected = services.settings.api.api_key
    if expected:
        given = request.headers.get("x-api-key", "")
        if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            raise UnauthorizedError("This endpoint needs a valid API key.", hint="Send it in the X-API-Key header.",
                                    key="unauthorized")
    services.writing()


def client_key(request: Request) -> str:
    """The peer address. uvicorn rewrites it from X-Forwarded-For only for the proxies named in
    BK_API__FORWARDED_ALLOW_IPS (none by default), so a client cannot choose its own key with a header."""
    return request.client.host if request.client else "unknown"


def charge(request: Request, services: Services, chars: int, passages: int) -> None:
    """Takes the request's cost from its client's budget, or refuses it with 429 and Retry-After."""
    api = services.settings.api
    wait = services.limiter.take(client_key(request), request_cost(chars, passages, api))
    if wait > 0:
        seconds = retry_after_seconds(wait)
        raise RateLimitedError(
            f"Too many requests from this client; try again in {seconds} s.",
            retry_after=seconds,
            hint=f"Each client may spend {api.rate_limit_per_minute} units a minute on /search, /ask and /compare; "
            f"a question of up to {api.cost_chars_per_unit} characters costs 1, longer or wider ones more.",
            key="rate_limited", values={"seconds": seconds, "limit": api.rate_limit_per_minute},
        )


def request_language(request: Request) -> Lang:
    """The language of the API's own sentences for this request: ``?lang=`` or ``Accept-Language`` (a body's
    ``lang`` field, where a route has one, is applied by the route)."""
    return language_of(request.headers.get("accept-language"), request.query_params.get("lang"))


LangDep = Annotated[Lang, Depends(request_language)]
WriteAccess = Depends(require_api_key)
