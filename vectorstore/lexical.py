"""The lexical index: BM25 (bm25s) over passages, rebuildable at any time from the passage store.

Dense vectors blur identifiers ("Perwali 14/2022" and "Perwali 41/2022" embed alike), so exact
identifier questions are answered here. One tokenizer serves documents and queries, and it writes
every spelling of a numbered instrument ("Nomor 14 Tahun 2022", "No. 14 of 2022", "14/2022") as the
same token "14/2022".
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import bm25s
import numpy as np

from core.types import Passage

if TYPE_CHECKING:
    from vectorstore.chroma_store import PassageStore

logger = logging.getLogger(__name__)

IDS_FILE = "passage_ids.json"
IDENTIFIER_WEIGHT = 3

_STOPWORD_TEXT = (
    # Indonesian function words (and the "nomor" that precedes every number).
    "yang dan di ke dari untuk dengan pada dalam atau ini itu adalah oleh sebagai tentang akan tidak juga "
    "telah dapat bagi serta para tersebut karena sudah masih hal secara agar maka apa apakah bagaimana "
    "siapa kapan mana berapa saja lebih nomor nomer no nr se pun lah kah ia mereka kami kita "
    # English function words.
    "the a an and or of to in on for with by from at as is are was were be been being this that these those "
    "it its which what who whom how when where why do does did has have had not into than then there their "
    "they we our can will would should about number num"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_INSTRUMENTS = (
    "uu|pp|perpu|perppu|perpres|keppres|inpres|permen|kepmen|perda|perdes|pergub|kepgub|perwali|perwako|"
    "perwal|kepwali|kepwako|perbup|kepbup|regulation|law|decree|instruction"
)
_IDENT = r"\d[\w.\-/]*\w|\d"
_NUMBERED = re.compile(
    rf"\b(?:(?P<inst>{_INSTRUMENTS})\s+|(?:nomor|nomer|no|nr|number|num)\s*\.?\s*:?\s*)"
    rf"(?P<num>{_IDENT})\s*,?\s*(?:tahun|thn|th|of|year)\s*\.?\s*(?P<year>(?:19|20)\d{{2}})(?!\d)"
)
_TOKEN = re.compile(r"\w+(?:[./\-]\w+)*")
_JOINER = re.compile(r"[./\-]")
_YEAR = re.compile(r"(?:19|20)\d{2}")


def normalise_numbers(text: str) -> str:
    """Rewrite "nomor 14 tahun 2022" / "no. 14 of 2022" / "perwali 14 tahun 2022" as "14/2022"
    (keeping the instrument word). Expects lowercased text."""

    def repl(m: re.Match[str]) -> str:
        inst = f"{m['inst']} " if m["inst"] else ""
        return f"{inst}{m['num']}/{m['year']}"

    return _NUMBERED.sub(repl, text)


def _identifier_tokens(whole: str) -> list[str]:
    """An identifier ("31/2020", "188.45-390", "224/bappeda/2023") as itself, its parts and, when it
    ends in a year, the number without the year ("188.45-390") and the short "number/year" that people
    type for "number/office/year" forms ("224/2023")."""
    tokens = [whole, *(p for p in _JOINER.split(whole) if p)]
    slashed = whole.split("/")
    if len(slashed) >= 2 and _YEAR.fullmatch(slashed[-1]):
        tokens.append("/".join(slashed[:-1]))
        if len(slashed) >= 3 and slashed[0][:1].isdigit():
            tokens.append(f"{slashed[0]}/{slashed[-1]}")
    return list(dict.fromkeys(tokens))


def _keep(word: str) -> bool:
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


def tokenize(text: str) -> list[str]:
    """Tokens for BM25, for documents and queries alike."""
    text = normalise_numbers(unicodedata.normalize("NFKC", text).lower())
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group().strip("_")
        if _is_identifier(word):
            tokens.extend(_identifier_tokens(word))
        elif _JOINER.search(word):
            tokens.extend(p for p in _JOINER.split(word) if _keep(p))
        elif _keep(word):
            tokens.append(word)
    return tokens


def query_terms(query: str) -> dict[str, int]:
    """Distinct query terms with their weights: each counts once (as in Lucene's BM25), except whole
    identifiers ("14/2022", "188.45-390"), which count ``IDENTIFIER_WEIGHT`` times so that an exact
    identifier outweighs a few shared common words."""
    return {t: IDENTIFIER_WEIGHT if _is_identifier(t) else 1 for t in tokenize(query)}


def _is_identifier(token: str) -> bool:
    return bool(_JOINER.search(token)) and any(c.isdigit() for c in token)


def search_text(passage: Passage) -> str:
    """What the index reads for a passage: its section path (so "Pasal 12" finds the article) and text."""
    return f"{passage.section}\n{passage.text}" if passage.section else passage.text


class LexicalIndex:
    def __init__(self, ids: list[str], retriever: bm25s.BM25 | None) -> None:
        self._ids = ids
        self._retriever = retriever
        self._position = {pid: i for i, pid in enumerate(ids)}

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]]) -> LexicalIndex:
        ids: list[str] = []
        corpus: list[list[str]] = []
        for pid, text in items:
            ids.append(pid)
            corpus.append(tokenize(text))
        if not ids:
            return cls([], None)
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        return cls(ids, retriever)

    @classmethod
    def from_store(cls, store: PassageStore) -> LexicalIndex:
        return cls.build((p.passage_id, search_text(p)) for p in store.iter_passages())

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every indexed passage (in ``ids`` order) for ``query``, with :func:`query_terms` weights."""
        if self._retriever is None:
            return np.zeros(0, dtype=np.float32)
        vocab = self._retriever.vocab_dict
        # bm25s sums one score row per listed token id, so a term listed w times weighs w times.
        token_ids = [vocab[t] for t, w in query_terms(query).items() if t in vocab for _ in range(w)]
        if not token_ids:
            return np.zeros(len(self._ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores_from_ids(token_ids), dtype=np.float32)

    def search(self, query: str, k: int, allowed_ids: set[str] | None = None) -> list[tuple[str, float]]:
        """The ``k`` best passages with a positive score, restricted to ``allowed_ids`` *before* ranking."""
        scores = self.scores(query)
        if k <= 0 or not scores.size:
            return []
        candidates = np.flatnonzero(scores > 0)
        if allowed_ids is not None:
            allowed = np.fromiter(
                (self._position[i] for i in allowed_ids if i in self._position), dtype=np.int64
            )
            candidates = np.intersect1d(candidates, allowed)
        if candidates.size > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # Ties go to the earlier passage so that results are deterministic.
        order = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
        return [(self._ids[i], float(scores[i])) for i in order]

    def save(self, directory: Path) -> None:
        """Write the index to ``directory``, replacing what was there only once the new one is complete."""
        directory = Path(directory)
        staging = directory.with_name(f".{directory.name}.new-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if self._retriever is not None:
            self._retriever.save(str(staging), show_progress=False)
        (staging / IDS_FILE).write_text(json.dumps(self._ids), encoding="utf-8")
        retired = directory.with_name(f".{directory.name}.old-{os.getpid()}")
        if directory.exists():
            directory.rename(retired)
        staging.rename(directory)
        shutil.rmtree(retired, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        directory = Path(directory)
        ids = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
        if not ids:
            return cls([], None)
        retriever = bm25s.BM25.load(str(directory), show_progress=False)
        return cls(ids, retriever)
