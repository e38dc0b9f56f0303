"""Idempotency and delete hygiene as a hypothesis state machine over a real Library (embedded Chroma,
real parse workers), in the manner of Chroma's own chromadb/test/property tests.

After any sequence of add / change / re-ingest / delete / restart, the store holds exactly one copy of
each live document's passages, nothing else, and the lexical index agrees with it."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from testing.library_sequences import LibrarySequences


def test_library_sequences_keep_store_consistent(reliability_size: int) -> None:
    machine = LibrarySequences.TestCase
    machine.settings = settings(
        max_examples=max(2, reliability_size),
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    machine().runTest()
