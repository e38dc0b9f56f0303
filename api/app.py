"""The FastAPI application: ``create_app(settings)`` wires the Library, the retriever, the job queue, the rate
limiter, CORS, the request body limit, the security headers and the error envelope; routes live in
``api/routes``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors
from api.deps import Services
from api.engine.search import warm
from api.errors import ERROR_RESPONSES
from api.jobs import JobQueue, QueuedJobs
from api.ratelimit import TokenBucket
from api.routes import admin, ask, cities, compare, documents, health, jobs, plans, regulations, search
from core.errors import StoreLockedError
from core.settings import Settings
from core.types import IngestOutcome
from ingest.injection import default_model
from ingest.library import LibraryWriter
from vectorstore.library import Library

logger = logging.getLogger(__name__)

# A question, a filter set or a comparison request is a few KB; without a limit a 300 MB body was read into
# memory before validation rejected it. Only the upload route takes more, streamed under its own limit.
MAX_JSON_BODY_BYTES = 1024 * 1024
STREAMED_UPLOADS = frozenset({("POST", "/documents")})
# The interactive docs pages run Swagger UI / ReDoc scripts; they only refuse to be framed.
DOCS_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "frame-ancestors 'none'",
                "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


class BodyLimitMiddleware:
    """Refuses a request body over ``limit_bytes`` (413 in the error envelope) without holding it in memory: at
    its Content-Length header, or at the first chunk past the limit of a chunked body."""

    def __init__(self, app: ASGIApp, limit_bytes: int, exempt: Collection[tuple[str, str]]) -> None:
        self.app = app
        self.limit_bytes = limit_bytes
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in self.exempt:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit_bytes:
            await errors.http_error_response(errors.BodyTooLargeError(self.limit_bytes),
                                              StarletteRequest(scope))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit_bytes:
                raise errors.BodyTooLargeError(self.limit_bytes)  # answered by the envelope's handler
            return message

        await self.app(scope, counted, send)


class SecurityHeadersMiddleware:
    """Adds the security headers to every response that does not set its own (a stored original sets a
    sandboxing policy of its own in api/routes/documents.py)."""

    def __init__(self, app: ASGIApp, docs_paths: Collection[str]) -> None:
        self.app = app
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted: Mapping[str, str] = DOCS_HEADERS if scope["path"] in self.docs_paths else errors.SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class EnvelopeCORSMiddleware(CORSMiddleware):
    """CORS as Starlette does it, except that a refused preflight is answered in the error envelope, not in
    plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refused = bytes(response.body).decode("ascii", "replace").removeprefix("Disallowed CORS ")
        cors_headers = {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}
        return errors.error_response(
            response.status_code, "cors_rejected",
            f"This cross-origin request is not allowed (refused: {refused}).",
            "Add the web app's origin to BK_API__CORS_ORIGINS; only GET, POST and DELETE with the Content-Type "
            "and X-API-Key headers are allowed.",
            headers=cors_headers,
        )


def open_library(settings: Settings) -> tuple[Library, LibraryWriter | None]:
    """The store opened for writing (the library and its writer are one object); read-only, with no writer, when
    another process (a CLI ingest) holds the writer lock."""
    try:
        writer = LibraryWriter.open(settings)
        return writer, writer
    except StoreLockedError:
        logger.warning("another process is writing to %s; serving read-only", settings.store.data_dir)
        return Library.open(settings), None


def build_services(settings: Settings) -> Services:
    library, writer = open_library(settings)
    retriever = library.retriever
    holder: dict[str, Services] = {}

    def ingest(paths: Sequence[Path]) -> list[IngestOutcome]:
        services = holder["services"]
        with services.write_lock:
            return services.writing().ingest_paths(paths)

    services = Services(
        settings=settings,
        library=library,
        retriever=retriever,
        jobs=QueuedJobs(settings) if settings.queue.url else JobQueue(ingest),
        limiter=TokenBucket(settings.api.rate_limit_per_minute),
        writer=writer,
    )
    holder["services"] = services
    return services


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings)
        app.state.services = services
        # Load the lexical index, the passage cache and the views read from them now, not on a user's question.
        warm(services.retriever)
        default_model()  # the instruction classifier (scikit-learn's import is ~1.5 s), before the first question
        try:
            yield
        finally:
            services.jobs.shutdown()
            services.library.close()

    app = FastAPI(
        title="Banding Kota",
        description="Ask and compare Indonesian city policy documents, with verbatim citations.",
        version="0.1.0",
        lifespan=lifespan,
    )
    # Added innermost first: the headers cover every answer, CORS headers reach a refused body too.
    app.add_middleware(BodyLimitMiddleware, limit_bytes=MAX_JSON_BODY_BYTES, exempt=STREAMED_UPLOADS)
    app.add_middleware(
        EnvelopeCORSMiddleware,
        allow_origins=list(settings.api.cors_origins),
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Content-Type", "X-API-Key"],
    )
    docs_paths = {p for p in (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url) if p}
    app.add_middleware(SecurityHeadersMiddleware, docs_paths=docs_paths)
    errors.install(app)
    for module in (health, search, ask, compare, regulations, plans, cities, documents, jobs, admin):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    return app
