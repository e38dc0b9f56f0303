"""A scanned table's words Tesseract is unsure of, each read again alone and enlarged.

Why: read among a table's words at 200 dpi, a word's small letters run together and Tesseract settles for a near
miss ('Fasiltasi' and 'Fasiitasi' for 'Fasilitasi', 'Sguater' for 'Squater', 'Kandi' for 'Kandri', a unit '(%)' read
'(d6)' on the Renstra's p. 71); cut out on its own and enlarged, the same word is read as printed, and more surely.
Which words: those read less surely than ``ocr.unsure_word_confidence`` (chosen on the development rows of
scripts/measure_scanned_tables.py): most of a table's words are read at 90 or more, and reading them all again would
cost a Tesseract run for every 40 of them. The words are read in strips, as the figure lines are
(ingest.plans.figure_cells.reread_lines), with no whitelist. A new reading is kept only when it is one word again,
changes letters and no mark, and is surer than the first (``_better``): one that splits the word, or is no surer, is
no better a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.settings import Settings
from ingest.plans.cell_text import PlacedWord
from ingest.plans.figure_cells import FigureLine, reread_lines

# A word's box is widened by this share of its height either side: Tesseract wants white around a word, and a
# wider cut takes in the next word's letters or the stub of an erased rule.
_SIDE_PAD = 0.3
# A word shorter than this is read again only with its neighbours: alone it is most often a piece of one.
_SHORTEST = 3
# Below this confidence a reading alone is as much a guess as the table's ('angat' read 'ale' at 24, surer than 21).
_SURE = 80
# What a cut-out word's edge may carry that is no letter of it: an erased rule's stub or a speck read as a mark.
_EDGE_NOISE = "|[]{}_—“”\"‘’~`«"


def unsure(text: str, confidence: float, threshold: float) -> bool:
    """Whether a word of the table's reading is worth reading again: it holds a letter (figures are read again as
    figure lines), it is no shorter than _SHORTEST, and Tesseract read it less surely than ``threshold``."""
    return confidence < threshold and len(text) >= _SHORTEST and any(ch.isalpha() for ch in text)


def one_word(text: str) -> str | None:
    """A re-read word's text less the noise at its edges, or None unless that leaves exactly one word."""
    words = [w.strip(_EDGE_NOISE) for w in text.split()]
    words = [w for w in words if w]
    return words[0] if len(words) == 1 else None


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _better(first: str, confidence: float, again: str, again_confidence: float) -> bool:
    """Whether a word read again alone replaces the table's reading of it: its letters differ (beyond their case),
    its marks are the same, Tesseract is surer of it and sure enough (_SURE), and it is no mere piece of the first
    reading nor the first with a letter more at an end. A fragment of a word ('h' of 'Daerah' on the RKPD p. 145)
    read again takes in its neighbour's letters ('th'), a whole word cut at its box's edge loses one ('INDIKATOR'
    read 'NDIKATOR'), and a cut-out word's edge reads a speck or the next word's mark ('kantor' read 'kantor:')."""
    if again_confidence <= confidence or again_confidence < _SURE or _marks(first) != _marks(again):
        return False
    old, new = _letters(first).lower(), _letters(again).lower()
    return old != new and not (old in new or new in old)


def _marks(text: str) -> str:
    return "".join(ch for ch in text if not ch.isalnum())


def _pixels(word: PlacedWord, scale: float) -> tuple[int, int, int, int]:
    pad = _SIDE_PAD * (word[3] - word[1])
    return (round((word[0] - pad) / scale), round(word[1] / scale), round((word[2] + pad) / scale),
            round(word[3] / scale))


def reread_unsure(readings: Sequence[Sequence[PlacedWord]], confidences: dict[PlacedWord, float], image: object,
                  scale: float, settings: Settings, deadline: float | None) -> list[list[PlacedWord]]:
    """The readings with each unsure word (``unsure``) replaced by its reading alone and enlarged where that is one
    word and surer (its confidence recorded in ``confidences``). ``image`` is the table's page with its ruling
    erased, in pixels; ``scale`` turns them into points."""
    threshold = settings.ocr.unsure_word_confidence
    # The same word found by both segmentation modes is read once.
    chosen = list(dict.fromkeys(w for words in readings for w in words
                                if unsure(w[4], confidences.get(w, 0.0), threshold)))
    if not chosen:
        return [list(words) for words in readings]
    lines = [FigureLine(_pixels(w, scale), w[4], confidences.get(w, 0.0)) for w in chosen]
    reads = reread_lines(image, lines, settings, upscale=settings.ocr.unsure_word_upscale, deadline=deadline,
                         characters=lambda _: None)
    replaced: dict[PlacedWord, PlacedWord] = {}
    for word, line, read in zip(chosen, lines, reads, strict=True):
        if read is None:
            continue
        text = one_word(read[0])
        if text is not None and _better(word[4], line.confidence, text, read[1]):
            again = (*word[:4], text)
            confidences[again] = read[1]
            replaced[word] = again
    return [[replaced.get(w, w) for w in words] for words in readings]
