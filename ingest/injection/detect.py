"""Deciding, sentence by sentence, whether a text gives an assistant orders: the trained model, plus the few
canonical attack forms (which every published injection corpus opens with) as a floor the model cannot lose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.injection.model import default_model

# The canonical forms, kept because a missed "ignore all previous instructions" costs more than a list does.
_CANONICAL = re.compile("|".join(f"(?:{p})" for p in (
    r"\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,60}\b(instruction|prompt|rule|guideline|direction)s?\b",
    r"\b(reply|respond|answer|say|output|print|write|return)\b[^.\n]{0,30}\bonly\b",
    r"\b(system prompt|you are now|act as|pretend to be|new instructions?)\b",
    r"\b(abaikan|lupakan|acuhkan|langgar)\b[^.\n]{0,60}\b(instruksi|perintah|aturan|petunjuk|arahan)\b",
    r"\b(jawab|balas|tulis|katakan|keluarkan|cetak)\b[^.\n]{0,30}\bhanya\b",
    r"\b(kamu|anda) (sekarang|kini) (adalah|menjadi)\b",
)), re.IGNORECASE)
# Sentence ends: after . ! ? before a capital or a quote, or a blank line (a line break inside a paragraph is
# only the layout's).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[A-Z0-9])|\n\s*\n")
# Shorter pieces (a list item's "tidak memadai.") carry no order; the engines never quote them either.
MIN_SENTENCE_CHARS = 25
# Longer texts are judged sentence by sentence; a sentence this long is judged in one piece.
MAX_SENTENCE_CHARS = 1000


@dataclass(frozen=True)
class Flagged:
    start: int
    end: int
    text: str


@lru_cache(maxsize=8192)
def _judge(sentence: str) -> bool:
    if _CANONICAL.search(sentence):
        return True
    model = default_model()
    return model.probability(sentence[:MAX_SENTENCE_CHARS]) >= model.threshold


def _sentences(text: str) -> list[tuple[int, int, str]]:
    out, start = [], 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((start + lead, start + len(piece.rstrip()), " ".join(piece.split())))
        start = match.end() if match else len(text)
    return out


def looks_like_instruction(text: str) -> bool:
    """True when the text (or any sentence of it) addresses an assistant with commands rather than stating facts."""
    if not text.strip():
        return False
    pieces = [s for _, _, s in _sentences(text)] or [text]
    return any(_judge(piece) for piece in pieces)


def flag_instructions(text: str) -> list[Flagged]:
    """The sentences of a document that read as instructions to an assistant, with their offsets."""
    sentences = [s for s in _sentences(text) if len(s[2]) >= MIN_SENTENCE_CHARS]
    if not sentences:
        return []
    model = default_model()
    verdicts = model.is_instruction([s[:MAX_SENTENCE_CHARS] for _, _, s in sentences])
    return [Flagged(a, b, s) for (a, b, s), hit in zip(sentences, verdicts, strict=True)
            if hit or _CANONICAL.search(s)]
