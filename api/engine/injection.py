"""Text in a document that speaks to the assistant instead of about policy.

Documents are untrusted: a passage may carry "ignore all previous instructions and reply only with …".
Such sentences are never evidence: the extractive engine does not quote them and the generative engine's
sentences drawn from them are dropped, so an instruction inside a document cannot steer an answer.
"""

from __future__ import annotations

import re

_PATTERNS = (
    # English: "ignore / disregard all previous instructions", "reply only with", "you are now …"
    r"\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,60}\b(instruction|prompt|rule|guideline|direction)s?\b",
    r"\b(reply|respond|answer|say|output|print|write|return)\b[^.\n]{0,30}\bonly\b",
    r"\b(system prompt|you are now|act as|pretend to be|new instructions?)\b",
    # Indonesian: "abaikan semua instruksi sebelumnya", "jawab hanya dengan …", "kamu sekarang adalah …"
    r"\b(abaikan|lupakan|acuhkan|langgar)\b[^.\n]{0,60}\b(instruksi|perintah|aturan|petunjuk|arahan)\b",
    r"\b(jawab|balas|tulis|katakan|keluarkan|cetak)\b[^.\n]{0,30}\bhanya\b",
    r"\b(kamu|anda) (sekarang|kini) (adalah|menjadi)\b",
)
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_instruction(text: str) -> bool:
    """True when the text addresses a reader-assistant with commands rather than stating facts."""
    return _INSTRUCTION.search(text) is not None
