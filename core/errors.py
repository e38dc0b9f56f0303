"""Typed errors. Each carries a message written for the user: what went wrong, which file, what to do.

The API maps them to HTTP responses in one place (``api/errors.py``).
"""

from __future__ import annotations


class BandingKotaError(Exception):
    """Base class; ``code`` is the stable machine-readable name used in the API's error envelope."""

    code = "error"
    http_status = 500

    def __init__(self, message: str, *, hint: str | None = None, key: str | None = None,
                 values: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # The API says ``message`` again in the client's language from ``api/messages.py`` under this key.
        self.key = key
        self.values = values or {}


class DocumentError(BandingKotaError):
    """A file could not be read; the rest of the batch goes on."""

    code = "document_unreadable"
    http_status = 422

    def __init__(self, path: str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {reason}", hint=hint)
        self.path = path
        self.reason = reason


class UnsupportedFormatError(DocumentError):
    code = "unsupported_format"
    http_status = 415


class FileTooLargeError(DocumentError):
    code = "file_too_large"
    http_status = 413


class EncryptedDocumentError(DocumentError):
    code = "encrypted_document"


class EmptyDocumentError(DocumentError):
    code = "empty_document"


class ParseTimeoutError(DocumentError):
    code = "parse_timeout"


class ParseCrashError(DocumentError):
    code = "parse_crashed"


class ModelMismatchError(BandingKotaError):
    """The store was built by another embedding model; mixing vectors would silently break search."""

    code = "embedding_model_mismatch"
    http_status = 409


class StoreLockedError(BandingKotaError):
    """Another process is writing to the embedded store."""

    code = "store_locked"
    http_status = 423


class NotFoundError(BandingKotaError):
    code = "not_found"
    http_status = 404


class InvalidRequestError(BandingKotaError):
    code = "invalid_request"
    http_status = 400


class UnknownCityError(InvalidRequestError):
    code = "unknown_city"


class StoreUnavailableError(BandingKotaError):
    code = "store_unavailable"
    http_status = 503


class CatalogUnavailableError(StoreUnavailableError):
    """The catalog's database (``BK_STORE__DATABASE_URL``, or the SQLite file) cannot be reached, or its schema is
    newer than this program."""

    code = "catalog_unavailable"


class QueueUnavailableError(BandingKotaError):
    """The ingest queue's Redis (``BK_QUEUE__URL``) does not answer."""

    code = "queue_unavailable"
    http_status = 503


class EmbeddingModelUnavailableError(BandingKotaError):
    """The configured embedding model cannot be loaded on this machine (not a folder, not cached, no Hub)."""

    code = "embedding_model_unavailable"
    http_status = 503


class ConfigurationError(BandingKotaError):
    """A shipped artifact (a trained model) is missing or does not match this version of the code."""

    code = "configuration_error"
    http_status = 500
