"""HTTP client of the Banding Kota API: the web app's only way to reach documents and answers.

Failures become two typed errors: ``ApiUnreachable`` (nothing answers at the address) and ``ApiError``
(the API answered with its error envelope, or with something the client cannot read).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from core.api_models import (
    CityList,
    ComparisonResponse,
    DocumentDetail,
    DocumentList,
    Health,
    Job,
    JobAccepted,
    PassageEntry,
    PassageList,
    PassageView,
    QuoteContext,
    RegulationDetail,
    RegulationList,
    RegulationSummary,
)
from core.settings import get_settings
from core.types import Answer, Comparison, DocumentMeta, PageSpan, Region, SearchFilters, TimelineEntry

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Connecting to a loopback or LAN API is instant when it is up; a long connect wait only delays the error.
CONNECT_TIMEOUT_S = 5.0


class ApiUnreachable(Exception):
    """Nothing answered at the API address (not started, wrong port, network down)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ApiError(Exception):
    """The API refused or failed a request; built from its error envelope."""

    def __init__(self, code: str, message: str, *, hint: str | None = None, status: int = 0) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.hint = hint
        self.status = status


def error_from_response(response: httpx.Response) -> ApiError:
    """Read the envelope ``{"error": {code, message, hint, status}}``; anything else still gives a readable error."""
    try:
        envelope = response.json().get("error")
    except (ValueError, AttributeError):
        envelope = None
    if isinstance(envelope, dict) and envelope.get("message"):
        return ApiError(
            str(envelope.get("code") or "error"),
            str(envelope["message"]),
            hint=envelope.get("hint"),
            status=int(envelope.get("status") or response.status_code),
        )
    return ApiError("http_error", f"HTTP {response.status_code} {response.reason_phrase}", status=response.status_code)


class ApiClient:
    """One method per route of the HTTP API contract (docs/ARCHITECTURE.md)."""

    def __init__(
        self, base_url: str | None = None, *, timeout_s: float | None = None, api_key: str | None = None,
        language: str | None = None,
    ) -> None:
        ui = get_settings().ui
        api_key = api_key if api_key is not None else ui.api_key
        self.base_url = (base_url or ui.api_url).rstrip("/")
        self.timeout_s = timeout_s if timeout_s is not None else ui.timeout_s
        self._timeout = httpx.Timeout(self.timeout_s, connect=min(CONNECT_TIMEOUT_S, self.timeout_s))
        # Only write routes check the key; sending it on every call keeps the client simple and is harmless.
        self._headers = {"X-API-Key": api_key} if api_key else {}
        # The API writes its own sentences (refusals, what was searched, errors) in the interface's language.
        if language:
            self._headers["Accept-Language"] = language

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        url = f"{self.base_url}{path}"
        try:
            response = httpx.request(method, url, timeout=self._timeout, headers=self._headers, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ApiUnreachable(self.base_url, str(exc) or type(exc).__name__) from exc
        except httpx.TimeoutException as exc:
            raise ApiError("timeout", f"no answer from {url} within {self.timeout_s:.0f} s") from exc
        except httpx.TransportError as exc:
            raise ApiUnreachable(self.base_url, str(exc) or type(exc).__name__) from exc
        if response.status_code >= 400:
            error = error_from_response(response)
            logger.info("%s %s -> %s %s", method, path, response.status_code, error.code)
            raise error
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise ApiError("bad_response", f"{path} did not return JSON") from exc

    # --- reading
    def health(self) -> Health:
        body = self._json("GET", "/health")
        return _parsed("/health", lambda: Health.model_validate(body))

    def cities(self) -> list[tuple[Region, int, int]]:
        """(region, documents, passages) for every city the corpus is about."""
        body = self._json("GET", "/cities")
        return _parsed("/cities", lambda: [(c.region, c.documents, c.passages)
                                           for c in CityList.model_validate(body).cities])

    def documents(self, *, city: str | None = None, doc_type: str | None = None, year: int | None = None,
                  language: str | None = None) -> list[DocumentMeta]:
        params = {k: v for k, v in {"city": city, "doc_type": doc_type, "year": year, "language": language}.items()
                  if v not in (None, "")}
        body = self._json("GET", "/documents", params=params)
        return _parsed("/documents", lambda: DocumentList.model_validate(body).documents)

    def document(self, doc_id: str) -> tuple[DocumentMeta, list[PageSpan]]:
        body = self._json("GET", f"/documents/{doc_id}")
        return _parsed("/documents/{id}", lambda: _document_with_pages(body))

    def context(self, doc_id: str, start: int, end: int, window: int = 400) -> QuoteContext:
        """The quote inside its surrounding clean text."""
        body = self._json("GET", f"/documents/{doc_id}/context", params={"start": start, "end": end, "window": window})
        return _parsed("/documents/{id}/context", lambda: QuoteContext.model_validate(body))

    def passage(self, doc_id: str, passage_id: str, window: int = 1500) -> PassageView:
        """The passage in its place: text around it, section, neighbours, page."""
        body = self._json("GET", f"/documents/{doc_id}/passages/{passage_id}", params={"window": window})
        return _parsed("/documents/{id}/passages/{id}", lambda: PassageView.model_validate(body))

    def passages(self, doc_id: str) -> list[PassageEntry]:
        """The document's passages in reading order."""
        body = self._json("GET", f"/documents/{doc_id}/passages")
        return _parsed("/documents/{id}/passages", lambda: PassageList.model_validate(body).passages)

    def page_image(self, doc_id: str, page: int, start: int | None = None, end: int | None = None,
                   width: int = 1100) -> tuple[bytes, int]:
        """A PDF page as PNG with clean_text[start:end] highlighted, and how many boxes were drawn."""
        params = {k: v for k, v in {"start": start, "end": end, "width": width}.items() if v is not None}
        response = self._request("GET", f"/documents/{doc_id}/pages/{page}/image", params=params)
        return response.content, int(response.headers.get("x-highlight-boxes", "0") or 0)

    def regulation(self, key: str) -> RegulationDetail:
        """Identity, outline, relations both ways, changed units, mentions."""
        body = self._json("GET", f"/regulations/{quote(key, safe='')}")
        return _parsed("/regulations/{key}", lambda: RegulationDetail.model_validate(body))

    def regulations(self, **query: str | int | None) -> list[RegulationSummary]:
        params = {k: v for k, v in query.items() if v not in (None, "")}
        body = self._json("GET", "/regulations", params=params)
        return _parsed("/regulations", lambda: RegulationList.model_validate(body).regulations)

    def file_url(self, doc_id: str, page: int | None = None) -> str:
        """Where the browser opens the original file; PDF viewers honour ``#page=N``."""
        anchor = f"#page={page}" if page else ""
        return f"{self.base_url}/documents/{doc_id}/file{anchor}"

    # --- answering
    def ask(self, question: str, filters: SearchFilters | None = None, *, k: int = 8, engine: str = "auto",
            lang: str | None = None) -> Answer:
        payload = {"question": question, "filters": (filters or SearchFilters()).model_dump(), "k": k,
                   "engine": engine, **({"lang": lang} if lang else {})}
        body = self._json("POST", "/ask", json=payload)
        return _parsed("/ask", lambda: Answer.model_validate(body))

    def compare(self, cities: list[str], topic: str, *, aspects: list[str] | None = None,
                k_per_city: int = 6) -> tuple[Comparison, list[TimelineEntry]]:
        """The comparison and its timeline, which is not part of ``Comparison``."""
        payload = {"cities": cities, "topic": topic, "aspects": aspects, "k_per_city": k_per_city}
        body = self._json("POST", "/compare", json=payload)
        return _parsed("/compare", lambda: _comparison_with_timeline(body))

    # --- writing
    def upload(self, filename: str, data: bytes, media_type: str = "application/octet-stream") -> JobAccepted:
        """Queue a file for ingestion."""
        body = self._json("POST", "/documents", files={"file": (filename, data, media_type)})
        return _parsed("/documents", lambda: JobAccepted.model_validate(body))

    def job(self, job_id: str) -> Job:
        """The ingestion job; its status is queued, running, done or failed."""
        body = self._json("GET", f"/jobs/{job_id}")
        return _parsed("/jobs/{id}", lambda: Job.model_validate(body))

    def delete_document(self, doc_id: str) -> bool:
        """True once the service has deleted it (errors raise)."""
        self._request("DELETE", f"/documents/{doc_id}")
        return True


def _document_with_pages(body: dict[str, Any]) -> tuple[DocumentMeta, list[PageSpan]]:
    detail = DocumentDetail.model_validate(body)
    return DocumentMeta.model_validate(detail.model_dump(exclude={"pages"})), list(detail.pages)


def _comparison_with_timeline(body: dict[str, Any]) -> tuple[Comparison, list[TimelineEntry]]:
    response = ComparisonResponse.model_validate(body)
    return Comparison.model_validate(response.model_dump(exclude={"timeline"})), list(response.timeline)


def _parsed(route: str, build: Callable[[], T]) -> T:
    """Run ``build``; a response that does not match the contract becomes an ``ApiError``, not a traceback."""
    try:
        return build()
    except (ValidationError, KeyError, TypeError, AttributeError) as exc:
        logger.warning("unexpected response shape from %s: %s", route, exc)
        raise ApiError("bad_response", f"{route} returned data this app cannot read ({type(exc).__name__})") from exc
