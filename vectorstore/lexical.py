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
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import bm25s
import numpy as np

from core.acronyms import expanded
from core.legal_patterns import JOINED_WORD, PART, SUBPART, chapter_heading, normalise_numbers
from core.types import Passage
from vectorstore.glossary import translations
from vectorstore.stemming import stem

if TYPE_CHECKING:
    from vectorstore.chroma_store import PassageStore

logger = logging.getLogger(__name__)

IDS_FILE = "passage_ids.json"
FORMAT_FILE = "format.json"
# Bumped whenever what gets indexed changes, so that an index saved by an older version is rebuilt.
# 5: unit titles read by the body's heading rules ("Bagian Kedua Belas"); 4: short names join their numbers.
FORMAT_VERSION = 5
IDENTIFIER_WEIGHT = 3
# How much a word form other than the one asked counts, relative to the asked form: another affixed form of
# the same root, or the word's translation (a question in English over an Indonesian regulation).
VARIANT_WEIGHT = 0.8
TRANSLATION_WEIGHT = 1.0
# Tesseract's commonest misreadings on the scanned regulations: one glyph read as a look-alike ("dibebankan" →
# "dibehankan", "pemerintah" → "pernerintah"). A word of the index that differs from a query word by one of them
# stands for it: the scan's word is the asked one, misread. Only long words, where a one-glyph change rarely makes
# another real word ("mengenai"/"mengenal" is why i/l is not here).
OCR_LOOKALIKES = (("b", "h"), ("h", "b"), ("m", "rn"), ("rn", "m"), ("d", "cl"), ("cl", "d"), ("e", "c"),
                  ("c", "e"), ("n", "u"), ("u", "n"), ("t", "f"), ("f", "t"))
OCR_MIN_LETTERS = 7

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

_JOINER = re.compile(r"[./\-]")
_YEAR = re.compile(r"(?:19|20)\d{2}")


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
    for match in JOINED_WORD.finditer(text):
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


def search_text(passage: Passage, headings: Mapping[str, str] | None = None) -> str:
    """What the index reads for a passage: its section path (so "Pasal 12" finds the article), the titles
    of the chapters it sits in (``headings``: unit label → title, see :func:`heading_titles`), its context (a
    table row's caption and column headings) and its text with its acronyms' long forms."""
    titles = unit_titles(passage, headings) if headings else []
    text = expanded(passage.text, passage.acronyms)
    return "\n".join(part for part in (passage.section, *titles, passage.context, text) if part)


def unit_titles(passage: Passage, headings: Mapping[str, str]) -> list[str]:
    """Titles of the units (BAB, Bagian, Paragraf) on the passage's section path."""
    return [headings[label] for label in _path_labels(passage.section) if label in headings]


# A unit's heading as the body reader reads it (core.legal_patterns): "BAB II", "Bagian Kedua Belas", "Paragraf 3".
_UNIT_LINE = re.compile(rf"^\s*(?P<label>{chapter_heading()}|{PART}|{SUBPART})\b\s*(?P<title>.*)$", re.IGNORECASE)


def _label(unit: str) -> str:
    # OCR and layout drop spaces ("BagianKeenam"), so labels compare without them.
    return re.sub(r"\s+", "", unit).lower()


def _path_labels(section: str) -> list[str]:
    return [_label(part) for part in section.split("›") if part.strip()]


def heading_titles(heading_text: str) -> dict[str, str]:
    """Unit labels of a heading passage and their titles: "BAB II\nKEDUDUKAN DAN SUSUNAN ORGANISASI" →
    {"babii": "KEDUDUKAN DAN SUSUNAN ORGANISASI"}. The chapter title names what its articles are about,
    but the articles themselves rarely repeat it."""
    titles: dict[str, list[str]] = {}
    current: str | None = None
    for line in heading_text.splitlines():
        match = _UNIT_LINE.match(line)
        if match:
            current = _label(match["label"])
            titles[current] = [match["title"]] if match["title"].strip() else []
        elif current is not None and line.strip():
            titles[current].append(line.strip())
    return {label: " ".join(words) for label, words in titles.items() if words}


def with_headings(passages: Iterable[Passage]) -> Iterable[tuple[Passage, Mapping[str, str]]]:
    """Every passage with the unit titles (:func:`heading_titles`) of the heading passages before it in its
    document, in document order."""
    by_doc: dict[str, list[Passage]] = {}
    for passage in passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)
    for doc_passages in by_doc.values():
        headings: dict[str, str] = {}
        for passage in sorted(doc_passages, key=lambda p: p.index):
            if passage.kind == "heading":
                headings.update(heading_titles(passage.text))
            yield passage, headings


def search_texts(passages: Iterable[Passage]) -> Iterable[tuple[str, str]]:
    """(passage id, :func:`search_text`) for every passage, each read with the titles of its units."""
    for passage, headings in with_headings(passages):
        yield passage.passage_id, search_text(passage, headings)


@dataclass(frozen=True)
class TermGroup:
    """One query word and the indexed forms that may stand for it: a passage scores the best of them,
    so a word and its translation never count twice. ``alternatives`` maps token → relative weight."""

    weight: float
    alternatives: Mapping[str, float]


def expand_query(query: str, vocab: Mapping[str, int], stem_classes: Mapping[str, tuple[str, ...]]) -> list[TermGroup]:
    """The query's terms (:func:`query_terms`), each with the indexed word forms of its root, the forms of its
    glossary translations, and the compound a word makes with its neighbour ("bertanggung jawab" →
    "bertanggungjawab"). Identifiers are matched as written."""
    words = tokenize(query)
    groups: list[TermGroup] = []
    for term, weight in query_terms(query).items():
        alternatives: dict[str, float] = {term: 1.0} if term in vocab else {}
        if not _is_identifier(term):
            _add_forms(alternatives, [term], 1.0, vocab, stem_classes)
            _add_forms(alternatives, _compounds(term, words, vocab), VARIANT_WEIGHT, vocab, stem_classes)
            for phrase in _translatable(term, words):
                for translation in translations(phrase):
                    parts = translation.split()
                    forms = ["".join(parts), *parts] if len(parts) > 1 else parts
                    _add_forms(alternatives, forms, TRANSLATION_WEIGHT, vocab, stem_classes)
        if alternatives:
            groups.append(TermGroup(float(weight), alternatives))
    return groups


def _add_forms(
    alternatives: dict[str, float],
    forms: Iterable[str],
    weight: float,
    vocab: Mapping[str, int],
    stem_classes: Mapping[str, tuple[str, ...]],
) -> None:
    for form in forms:
        # The form itself; its root's other forms and its OCR misreadings count as variants.
        for token in (form, *stem_classes.get(stem(form), ()), *misreadings(form)):
            factor = weight if token == form else weight * VARIANT_WEIGHT
            if token in vocab and factor > alternatives.get(token, 0.0):
                alternatives[token] = factor


@lru_cache(maxsize=65536)
def misreadings(word: str) -> frozenset[str]:
    """``word`` with one glyph swapped for its OCR look-alike (:data:`OCR_LOOKALIKES`)."""
    if len(word) < OCR_MIN_LETTERS or not word.isalpha():
        return frozenset()
    found = set()
    for glyph, lookalike in OCR_LOOKALIKES:
        at = word.find(glyph)
        while at >= 0:
            found.add(word[:at] + lookalike + word[at + len(glyph):])
            at = word.find(glyph, at + 1)
    return frozenset(found - {word})


def _compounds(term: str, words: list[str], vocab: Mapping[str, int]) -> list[str]:
    """Indexed words this query word forms with the word before or after it."""
    found = []
    for i, word in enumerate(words):
        if word != term:
            continue
        if i + 1 < len(words) and word + words[i + 1] in vocab:
            found.append(word + words[i + 1])
        if i > 0 and words[i - 1] + word in vocab:
            found.append(words[i - 1] + word)
    return found


def _translatable(term: str, words: list[str]) -> list[str]:
    """The word itself and the two-word phrases it starts or ends, as glossary keys."""
    phrases = [term]
    for i, word in enumerate(words):
        if word == term:
            if i + 1 < len(words):
                phrases.append(f"{word} {words[i + 1]}")
            if i > 0:
                phrases.append(f"{words[i - 1]} {word}")
    return phrases


class LexicalIndex:
    def __init__(self, ids: list[str], retriever: bm25s.BM25 | None) -> None:
        self._ids = ids
        self._retriever = retriever
        self._position = {pid: i for i, pid in enumerate(ids)}
        self._stem_classes: dict[str, tuple[str, ...]] | None = None
        self._stem_lock = threading.Lock()
        self._last_expanded: tuple[str, np.ndarray] | None = None

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
        return cls.build(search_texts(store.iter_passages()))

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

    def stem_classes(self) -> dict[str, tuple[str, ...]]:
        """Indexed words grouped by :func:`stem`, built on first use. A root indexed in one form only is kept:
        a question's "kendaraannya" must still find the "kendaraan" of the text."""
        with self._stem_lock:
            if self._stem_classes is None:
                classes: dict[str, list[str]] = {}
                vocab = self._retriever.vocab_dict if self._retriever is not None else {}
                for token in vocab:
                    if token.isalpha():
                        classes.setdefault(stem(token), []).append(token)
                self._stem_classes = {root: tuple(forms) for root, forms in classes.items()}
            return self._stem_classes

    def document_frequency(self, term: str) -> int:
        """How many passages hold the term in its most widespread indexed form: itself, another form of its
        root or a translation (:func:`expand_query`)."""
        vocab = self._retriever.vocab_dict if self._retriever is not None else {}
        if not vocab:
            return 0
        return max(
            (int(self._postings(vocab[token])[0].size)
             for group in expand_query(term, vocab, self.stem_classes()) for token in group.alternatives),
            default=0,
        )

    def expanded_scores(self, query: str) -> np.ndarray:
        """Like :meth:`scores`, but each query word scores its best indexed form (:func:`expand_query`)."""
        if self._retriever is None:
            return np.zeros(0, dtype=np.float32)
        cached = self._last_expanded
        if cached is not None and cached[0] == query:
            return cached[1]
        vocab = self._retriever.vocab_dict
        total = np.zeros(len(self._ids), dtype=np.float32)
        for group in expand_query(query, vocab, self.stem_classes()):
            best = np.zeros(len(self._ids), dtype=np.float32)
            for token, factor in group.alternatives.items():
                docs, values = self._postings(vocab[token])
                np.maximum.at(best, docs, values * factor)
            total += best * group.weight
        # A question is searched once per city it names; its scores are the same each time.
        self._last_expanded = (query, total)
        return total

    def _postings(self, token_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(passage positions, BM25 scores) of one token: only the passages holding it, so that expansion
        costs what the matches cost, not a full pass over the index per word form."""
        retriever = self._retriever
        assert retriever is not None
        if retriever.nonoccurrence_array is not None:  # BM25L/BM25+ score absent words too
            scores = np.asarray(retriever.get_scores_from_ids([token_id]), dtype=np.float32)
            return np.arange(scores.size), scores
        matrix = retriever.scores
        start, end = int(matrix["indptr"][token_id]), int(matrix["indptr"][token_id + 1])
        return matrix["indices"][start:end], np.asarray(matrix["data"][start:end], dtype=np.float32)

    def search(
        self, query: str, k: int, allowed_ids: AbstractSet[str] | None = None, *, expand: bool = False
    ) -> list[tuple[str, float]]:
        """The ``k`` best passages with a positive score, restricted to ``allowed_ids`` *before* ranking;
        ``expand`` matches other forms and translations of the query's words (:meth:`expanded_scores`)."""
        scores = self.expanded_scores(query) if expand else self.scores(query)
        if k <= 0 or not scores.size:
            return []
        if allowed_ids is None:
            candidates = np.flatnonzero(scores > 0)
        else:
            # Look only at the allowed passages: a city's share is a few percent of a large store, and
            # intersecting with every passage that shares a query word cost ~40 ms at 100k passages.
            position = self._position
            allowed = np.sort(np.fromiter((position[i] for i in allowed_ids if i in position), dtype=np.int64))
            candidates = allowed[scores[allowed] > 0]  # in index order, as above, so ties break the same way
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
        (staging / FORMAT_FILE).write_text(json.dumps({"version": FORMAT_VERSION}), encoding="utf-8")
        retired = directory.with_name(f".{directory.name}.old-{os.getpid()}")
        if directory.exists():
            directory.rename(retired)
        staging.rename(directory)
        shutil.rmtree(retired, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        directory = Path(directory)
        format_file = directory / FORMAT_FILE
        version = json.loads(format_file.read_text(encoding="utf-8")).get("version") if format_file.exists() else 1
        if version != FORMAT_VERSION:
            raise ValueError(f"it was built by an older version (format {version}, this one reads {FORMAT_VERSION})")
        ids = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
        if not ids:
            return cls([], None)
        retriever = bm25s.BM25.load(str(directory), show_progress=False)
        return cls(ids, retriever)
