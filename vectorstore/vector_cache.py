"""Every passage vector in memory, for exact dense ranking inside a filtered subset.

On 2 cores at 100k passages, Chroma's query restricted to one city took 75 ms with a metadata ``where`` and
44 ms with the city's ids, against 3 ms unrestricted; most questions name a city, and /compare ranks once per
city and aspect. Scoring a city's ~1,500 vectors exactly is well under a millisecond and has no graph
approximation to miss a passage. Large subsets (and the unrestricted search) still go to Chroma's index.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import numpy as np

from vectorstore.library_parts import StoreLike


class VectorCache:
    def __init__(self, ids: list[str], matrix: np.ndarray) -> None:
        norms = np.linalg.norm(matrix, axis=1, keepdims=True) if matrix.size else np.ones((0, 1), np.float32)
        self._matrix = (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)
        self._ids = ids
        self._row = {pid: i for i, pid in enumerate(ids)}

    @classmethod
    def from_store(cls, store: StoreLike) -> VectorCache:
        return cls(*store.vectors())

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        return int(self._matrix.nbytes)

    def rank(self, vector: np.ndarray, allowed: AbstractSet[str], k: int) -> list[tuple[str, float]]:
        """The ``k`` passages of ``allowed`` most similar to ``vector``, as (id, cosine similarity), best first."""
        row = self._row
        rows = np.sort(np.fromiter((row[pid] for pid in allowed if pid in row), dtype=np.int64))
        if not rows.size or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query = query / (np.linalg.norm(query) or 1.0)
        sims = self._matrix[rows] @ query
        best = np.argpartition(-sims, k - 1)[:k] if rows.size > k else np.arange(rows.size)
        order = sorted(best.tolist(), key=lambda i: (-sims[i], rows[i]))
        return [(self._ids[rows[i]], float(sims[i])) for i in order]
