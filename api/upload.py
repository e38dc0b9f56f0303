"""Receiving an uploaded file without spooling more than the size limit.

Starlette's form parsing reads the whole body before a route runs; here the body is parsed as it
streams, so an oversized upload is refused (413) at the Content-Length header or at the first byte
past the limit, and nothing is left on disk.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from core.errors import DocumentError, FileTooLargeError, InvalidRequestError, UnsupportedFormatError
from core.settings import IngestSettings
from core.types import SUPPORTED_SUFFIXES
from ingest.loaders.pdf import check_readable
from ingest.workers import parse_isolated

# An upload is checked right away but an untrusted PDF is never opened in the server process itself.
PDF_CHECK_TIMEOUT_S = 30.0
_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_filename(name: str) -> str:
    """The last path component, with characters that could escape the folder or confuse a shell removed."""
    base = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    return _UNSAFE.sub("_", base)[:200] or "upload"


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    field_name: bytes = b""
    value: bytes = b""


@dataclass
class _State:
    directory: Path
    part: _Part = field(default_factory=_Part)
    filename: str | None = None
    path: Path | None = None
    handle: BinaryIO | None = None
    done: bool = False


def _too_large(limit_mb: float) -> FileTooLargeError:
    return FileTooLargeError("upload", f"is larger than the {limit_mb:g} MB upload limit",
                             hint="Split the document, or raise BK_API__MAX_UPLOAD_MB.")


def _callbacks(state: _State) -> dict[str, object]:
    def on_part_begin() -> None:
        state.part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state.part.field_name += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state.part.value += data[start:end]

    def on_header_end() -> None:
        state.part.headers[state.part.field_name.lower()] = state.part.value
        state.part.field_name, state.part.value = b"", b""

    def on_headers_finished() -> None:
        _, params = parse_options_header(state.part.headers.get(b"content-disposition", b""))
        if params.get(b"name") == b"file" and b"filename" in params and state.handle is None and not state.done:
            state.filename = safe_filename(params[b"filename"].decode("utf-8", "replace"))
            state.path = state.directory / state.filename
            state.handle = state.path.open("wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state.handle is not None:
            state.handle.write(data[start:end])

    def on_part_end() -> None:
        if state.handle is not None:
            state.handle.close()
            state.handle = None
            state.done = True

    return {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data, "on_part_end": on_part_end,
    }


async def receive_upload(request: Request, upload_root: Path, limit_mb: float, ingest: IngestSettings) -> Path:
    """Stream the multipart field ``file`` into a fresh folder under ``upload_root``; return the file's path.
    The folder is removed again on any error."""
    limit = int(limit_mb * 1024 * 1024)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise _too_large(limit_mb)
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise InvalidRequestError("Send the file as multipart/form-data in a field named 'file'.")
    directory = upload_root / uuid.uuid4().hex
    directory.mkdir(parents=True)
    state = _State(directory)
    try:
        parser = MultipartParser(params[b"boundary"], _callbacks(state))  # type: ignore[arg-type]
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + 64 * 1024:  # the multipart framing around the file is small
                raise _too_large(limit_mb)
            parser.write(chunk)
        parser.finalize()
        if state.path is None or not state.done:
            raise InvalidRequestError("The request holds no complete file in a field named 'file'.")
        if state.path.stat().st_size > limit:
            raise _too_large(limit_mb)
        check_file(state.path)
        await run_in_threadpool(check_pdf_isolated, state.path, ingest)
        return state.path
    except MultipartParseError as exc:
        _discard(state, directory)
        raise InvalidRequestError(
            f"The multipart body could not be read ({exc}).",
            hint="Send the file as multipart/form-data in a field named 'file' (curl -F file=@report.pdf).",
        ) from exc
    except BaseException:
        _discard(state, directory)
        raise


def _discard(state: _State, directory: Path) -> None:
    if state.handle is not None:
        state.handle.close()
    shutil.rmtree(directory, ignore_errors=True)


def check_file(path: Path) -> None:
    """Cheap checks that turn an obviously wrong upload into a clear 4xx now rather than a failed job later."""
    name = path.name
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(name, f"has an unsupported type ({path.suffix or 'no extension'})",
                                     hint="Upload PDF, DOCX, HTML, TXT or Markdown.")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(name, "is empty")
    with path.open("rb") as handle:
        head = handle.read(1024)
    if path.suffix.lower() == ".pdf":
        if b"%PDF-" not in head:
            raise DocumentError(name, "is not a PDF (no %PDF header)", hint="Check that the file is not damaged.")
    elif path.suffix.lower() == ".docx" and not head.startswith(b"PK"):
        raise DocumentError(name, "is not a DOCX file (not a ZIP container)")


def check_pdf_isolated(path: Path, ingest: IngestSettings) -> None:
    """Opens an uploaded PDF in a parse worker with time and memory limits (a bomb costs the worker, not the
    API); errors name the file only, never the server's upload folder."""
    if path.suffix.lower() != ".pdf":
        return
    timeout_s = min(ingest.parse_timeout_s, PDF_CHECK_TIMEOUT_S)
    try:
        parse_isolated(check_readable, path, timeout_s=timeout_s, memory_mb=ingest.parse_memory_mb)
    except DocumentError as exc:
        raise type(exc)(path.name, exc.reason, hint=exc.hint) from None
