"""uvicorn's HTTP/1.1 protocol (h11) with its one answer of its own, the 400 for a request it cannot parse, given
in the API's error envelope instead of plain text. Everything else uvicorn answers reaches the app first."""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.errors import SECURITY_HEADERS, envelope

MALFORMED_BODY = json.dumps(envelope(
    400, "malformed_request", "The request is not valid HTTP/1.1 and could not be read.",
    "Check the request line and headers (a client library builds them correctly).",
)).encode("utf-8")


class EnvelopeH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        # ``msg`` is uvicorn's own wording; the log keeps it, the client gets the envelope.
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(MALFORMED_BODY)).encode()),
                   (b"connection", b"close"),
                   *((name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items())]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=MALFORMED_BODY), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()
