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

from api.messages import Lang, has_message, language_of, message
from core.api_models import ErrorEnvelope
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

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None, key: str | None = None,
                 values: dict[str, object] | None = None) -> None:
        super().__init__(message, hint=hint, key=key, values=values)
        self.retry_after = retry_after


class BodyTooLargeError(StarletteHTTPException):
    """A request body past the limit, raised while it streams in. An ``HTTPException`` because FastAPI's body
    parsing turns any other exception into a 400."""

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(413, f"The request body is larger than the {limit_bytes // 1024} KB limit for this endpoint.")
        self.limit_bytes = limit_bytes


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


def request_lang(request: Request | None) -> Lang:
    if request is None:
        return "en"
    return language_of(request.headers.get("accept-language"), request.query_params.get("lang"))


def localized(lang: Lang, code: str, text: str, hint: str | None, key: str | None = None,
              values: dict[str, object] | None = None) -> tuple[str, str | None]:
    """(message, hint) in ``lang``. An error raised with a message key is said again from ``api/messages.py``;
    one without (a lower layer's sentence naming a file and a reason) keeps its sentence in English, and in
    Indonesian is said by its code with that sentence kept as the technical detail."""
    if key and has_message(f"error.{key}"):
        hint_key = f"error.{key}.hint"
        return message(f"error.{key}", lang, **(values or {})), (
            message(hint_key, lang, **(values or {})) if has_message(hint_key) else hint)
    if lang == "en":
        return text, hint
    generic = f"error.{code}" if has_message(f"error.{code}") else "error.error"
    detail = " ".join(part for part in (text, hint) if part)
    return message(generic, lang), message("error.detail", lang, detail=detail)


def _validation_details(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


async def on_typed_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BandingKotaError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
    if exc.http_status >= 500:
        logger.error("%s: %s", exc.code, exc.message)
    text, hint = localized(request_lang(request), exc.code, exc.message, exc.hint, exc.key, exc.values)
    return error_response(exc.http_status, exc.code, text, hint, headers)


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = request_lang(request)
    return error_response(422, "invalid_request", message("error.invalid_request", lang,
                                                          details=_validation_details(exc)),
                          message("error.invalid_request.hint", lang))


def http_error_response(exc: StarletteHTTPException, request: Request | None = None) -> JSONResponse:
    code = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}.get(exc.status_code, "http_error")
    lang = request_lang(request)
    hint: str | None
    if isinstance(exc, BodyTooLargeError):
        text, hint = (message("error.request_too_large", lang, kb=exc.limit_bytes // 1024),
                      message("error.request_too_large.hint", lang))
    elif lang == "en":
        text = exc.detail if isinstance(exc.detail, str) else "Request failed."
        hint = BODY_LIMIT_HINT if exc.status_code == 413 else None
    else:
        # Starlette's own details ("Not Found", "Method Not Allowed") are English: said by code instead.
        text, hint = message(f"error.{code}", lang), None
    return error_response(exc.status_code, code, text, hint, dict(exc.headers or {}) or None)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return http_error_response(exc, request)


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    lang = request_lang(request)
    return error_response(500, "internal_error", message("error.internal_error", lang),
                          message("error.internal_error.hint", lang))


def install(app: FastAPI) -> None:
    app.add_exception_handler(BandingKotaError, on_typed_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)


# Documented on every route: the statuses any request can meet (validation, key, rate limit, failure).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in (
        (400, "The request cannot be answered as asked: an unknown city, a range outside the document."),
        (401, "A write needs the API key (X-API-Key) and it was missing or wrong."),
        (404, "No such document, regulation or job."),
        (422, "The request did not validate; the message names the field."),
        (413, "The request body is too large: 1 MiB for JSON, BK_API__MAX_UPLOAD_MB for an upload."),
        (429, "Too many requests; retry after the Retry-After header's seconds."),
        (500, "An unexpected failure; the server log has the details."),
        (503, "The vector store (a Chroma server) cannot be reached."),
    )
}
