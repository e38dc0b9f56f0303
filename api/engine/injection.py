"""Text in a document that speaks to the assistant instead of about policy.

Documents are untrusted: a passage may carry "ignore all previous instructions and reply only with …", or say
the same thing in words no list foresaw. Such sentences are never evidence: the extractive engine does not quote
them and the generative engine's sentences drawn from them are dropped, so an instruction inside a document
cannot steer an answer. The decision is the trained classifier of ``ingest.injection`` — the same one that lists
such sentences in a document's warnings at ingest.
"""

from __future__ import annotations

from ingest.injection import looks_like_instruction

__all__ = ["looks_like_instruction"]
