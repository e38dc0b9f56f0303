"""Checks shared by the reliability tests and `scripts/reliability.py`: is a data folder consistent?"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Consistency:
    documents: int
    passages: int
    duplicates: int
    orphans: int
    missing: int
    lexical_mismatch: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_library(library) -> Consistency:  # noqa: ANN001 - a Library
    """Every catalog document has exactly its passages in the store; nothing else is there; lexical = vector ids."""
    docs = {d.doc_id: d for d in library.catalog.list_documents()}
    store_ids = list(library.store.ids())
    passages_by_doc = Counter(pid.rsplit("-", 1)[0] for pid in store_ids)
    duplicates = len(store_ids) - len(set(store_ids))
    orphans = sum(n for doc_id, n in passages_by_doc.items() if doc_id not in docs)
    missing = sum(max(0, d.passage_count - passages_by_doc.get(doc_id, 0)) for doc_id, d in docs.items())
    wrong_counts = [doc_id for doc_id, d in docs.items() if passages_by_doc.get(doc_id, 0) != d.passage_count]
    lexical = set(library.lexical.ids)
    lexical_mismatch = len(lexical ^ set(store_ids))
    problems = []
    if duplicates:
        problems.append(f"{duplicates} duplicate passage ids")
    if orphans:
        problems.append(f"{orphans} orphan passages (no catalog document)")
    if wrong_counts:
        problems.append(f"passage counts differ for {wrong_counts}")
    if lexical_mismatch:
        problems.append(f"lexical index differs from the store by {lexical_mismatch} ids")
    unfinished = [r.doc_id for r in library.catalog.unfinished_ingests()]
    if unfinished:
        problems.append(f"unfinished ingest records: {unfinished}")
    return Consistency(len(docs), len(store_ids), duplicates, orphans, missing, lexical_mismatch, problems)
