"""The one error envelope, built in one place: ``{"error": {code, message, hint, status}}``.

Typed errors (``core.errors.BandingKotaError`` subclasses) map by their own ``http_status`` and ``code``;
request validation becomes 422; anything else is a 500 that says nothing about the internals (the trace
goes to the log, never to the client). Every envelope carries the API's security headers itself, because
the 500 path is answered outside the middleware that adds them to other responses.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import BandingKotaError

logger = logging.getLogger(__name__)

# A JSON answer is never a page: nothing in it may load, run or be framed, and no browser may sniff it into HTML.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class UnauthorizedError(BandingKotaError):
    code = "unauthorized"
    http_status = 401


class RateLimitedError(BandingKotaError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class BodyTooLargeError(StarletteHTTPException):
    """A request body past the limit, raised while it streams in. An ``HTTPException`` because FastAPI's body
    parsing turns any other exception into a 400."""

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(413, f"The request body is larger than the {limit_bytes // 1024} KB limit for this endpoint.")


class ReadOnlyError(BandingKotaError):
    """This server opened the store read-only (another process holds the writer lock)."""

    code = "read_only"
    http_status = 423


# Messages quote what the client sent (an id, a key, a city): a 100 KB id must not come back as a 100 KB error.
ECHO_LIMIT = 200
MESSAGE_LIMIT = 1000
_LONG = ECHO_LIMIT + 1
_QUOTED = re.compile(rf"'[^']{{{_LONG},}}'|\"[^\"]{{{_LONG},}}\"|\S{{{_LONG},}}")


def shorten_echoes(message: str) -> str:
    """The message with every quoted value or unbroken run longer than ``ECHO_LIMIT`` cut to that length."""
    def cut(match: re.Match[str]) -> str:
        text = match.group(0)
        quote = text[0] if text[0] in "'\"" and text[-1] == text[0] else ""
        return f"{text[:ECHO_LIMIT]}…{quote}"

    message = _QUOTED.sub(cut, message)
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + "…"


BODY_LIMIT_HINT = "Send a shorter request; documents are uploaded as files to POST /documents."


def envelope(status: int, code: str, message: str, hint: str | None = None) -> dict[str, Any]:
    hint = shorten_echoes(hint) if hint else hint
    return {"error": {"code": code, "message": shorten_echoes(message), "hint": hint, "status": status}}


def error_response(status: int, code: str, message: str, hint: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(envelope(status, code, message, hint), status_code=status,
                        headers={**SECURITY_HEADERS, **(headers or {})})


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "Invalid request — " + "; ".join(parts)


async def on_typed_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BandingKotaError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
    if exc.http_status >= 500:
        logger.error("%s: %s", exc.code, exc.message)
    return error_response(exc.http_status, exc.code, exc.message, exc.hint, headers)


async def on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "invalid_request", _validation_message(exc),
                          "Check the request body against the API contract (GET /docs).")


def http_error_response(exc: StarletteHTTPException) -> JSONResponse:
    code = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else "Request failed."
    hint = BODY_LIMIT_HINT if exc.status_code == 413 else None
    return error_response(exc.status_code, code, message, hint, dict(exc.headers or {}) or None)


async def on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return http_error_response(exc)


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "The server failed while handling this request.",
                          "Try again; if it persists, the server log has the details.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(BandingKotaError, on_typed_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
