"""The FastAPI application: ``create_app(settings)`` wires the Library, the retriever, the job queue, the rate
limiter, CORS and the error envelope; routes live in ``api/routes``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import errors
from api.deps import Services
from api.jobs import JobQueue
from api.ratelimit import TokenBucket
from api.routes import admin, ask, cities, compare, documents, health, jobs, regulations, search
from api.schemas import ERROR_RESPONSES
from core.errors import StoreLockedError
from core.settings import Settings
from core.types import IngestOutcome
from ingest.library import Library
from vectorstore.hybrid import HybridRetriever

logger = logging.getLogger(__name__)


def open_library(settings: Settings) -> tuple[Library, bool]:
    """The store opened for writing; read-only when another process (a CLI ingest) holds the writer lock."""
    try:
        return Library.open(settings, writer=True), True
    except StoreLockedError:
        logger.warning("another process is writing to %s; serving read-only", settings.store.data_dir)
        return Library.open(settings, writer=False), False


def build_services(settings: Settings) -> Services:
    library, writable = open_library(settings)
    retriever = HybridRetriever(library)
    holder: dict[str, Services] = {}

    def ingest(paths: Sequence[Path]) -> list[IngestOutcome]:
        with holder["services"].write_lock:
            return library.ingest_paths(paths)

    services = Services(
        settings=settings,
        library=library,
        retriever=retriever,
        jobs=JobQueue(ingest),
        limiter=TokenBucket(settings.api.rate_limit_per_minute),
        writable=writable,
    )
    holder["services"] = services
    return services


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings)
        app.state.services = services
        # Load the lexical index and passage cache now, not on the first user's question.
        services.retriever.passages()
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
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.api.cors_origins),
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Content-Type", "X-API-Key"],
    )
    errors.install(app)
    for module in (health, search, ask, compare, regulations, cities, documents, jobs, admin):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    return app
