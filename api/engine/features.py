"""The features the learned ranking and answering decisions read (``api.engine.learned``), one function per level:
a candidate passage, a question's evidence as a whole, a candidate sentence. Training
(``scripts/train_answering.py``) and answering call the same functions, so what was learned is what runs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from api.engine.citations import split_sentences, with_lists
from api.engine.matching import Words, agreement, term_in
from api.engine.plan import QueryPlan, identity_asked
from core.legal_patterns import identifiers_in, normalise_numbers
from core.roles import closing_sentence
from core.types import IDENTITY_ROLES, Passage, PassageRole, SearchHit
from vectorstore.glossary import translations

# What each answer type looks like in a text. Units and formulas of Indonesian legal drafting (amounts in
# Rupiah with the number spelled out, durations in "(tiga puluh) hari kerja"), not words of any one question.
_SHAPES: dict[str, re.Pattern[str]] = {
    "amount": re.compile(
        # A number spelled out after it ("2 (dua)"), not an article's paragraph ("Pasal 18 (1)").
        # A table's sums often go without "Rp": "473.156.408", grouped in thousands.
        r"(?:\b(?:Rp|US\$|USD)\.?\s?\d|\d\s?(?:%|persen\b|percent\b)|(?<![\d.])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])|"
        # "1 (satu) tahun" is a span of time, not a sum; "9 (sembilan) bulan upah" (months' wages) is a sum.
        r"\d[\d.,]*[ \t]*(?:\((?=[a-z])(?![a-z\s]+\)\s*(?:hari|bulan|tahun|minggu|jam)\b(?!\s+(?:upah|gaji)))|"
        r"miliar|milyar|juta|ribu|triliun|billion|million|thousand|orang|unit|buah|kali)|\bsebesar\b|"
        r"\bpaling\s+(?:sedikit|banyak)\s+(?:Rp\.?\s?)?\d|"
        # A prison term is how much of a penalty, though counted in months.
        r"\b(?:kurungan|penjara|imprisonment)\b[^.;\n]{0,40}?\d)",
        re.IGNORECASE,
    ),
    "duration": re.compile(
        # "Nomor 13 Tahun 2003" names an instrument, not a span of time.
        r"\b\d+\s*(?:\([a-z\s]+\)\s*)?(?:hari|bulan|tahun(?!\s*\d{4})|minggu|jam|days?|months?|years?|weeks?|"
        r"hours?)\b|"
        r"\bpaling\s+lambat\b|\bjangka\s+waktu\b|\bselama\b|\bwithin\b|"
        r"\bkali\s+(?:dalam\s+)?(?:se|satu\s+|1\s+)?(?:tahun|semester|triwulan|bulan|minggu|hari)\b|"
        r"\bsetiap\s+(?:akhir\s+|awal\s+)?(?:tahun|semester|triwulan|bulan|minggu|hari)\b|\bsecara\s+berkala\b|"
        # How often, said of the thing done: "laporan semesteran dan tahunan".
        r"\b(?:harian|mingguan|bulanan|triwulanan|semesteran|tahunan)\b|"
        r"\b(?:annually|quarterly|monthly|weekly|yearly|once\s+a\s+(?:year|month|week))\b",
        re.IGNORECASE,
    ),
    "date": re.compile(
        r"\b\d{1,2}\s+(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
        r"Desember|January|February|March|May|June|July|August|October|December)\s+(?:19|20)\d\d\b|"
        r"\bmulai\s+berlaku\b|\bpada\s+tanggal\b|"
        # "When" is also answered by a recurring time or a deadline.
        r"\bsetiap\s+(?:akhir\s+|awal\s+)?(?:tahun|semester|triwulan|bulan|minggu|hari)\b|\bpaling\s+lambat\b|"
        r"\bevery\s+(?:year|month|quarter|week|day)\b",
        re.IGNORECASE,
    ),
    "who": re.compile(
        r"\b(?:Bupati|Wali\s*kota|Gubernur|Menteri|Kepala|Dinas|Badan|Sekretaris|Inspektorat|Direktur|Rektor|"
        r"Presiden|Pejabat|Tim|Unit|Bagian|Kantor|Lembaga|Komisi|Dewan)\b"
    ),
    # Enumerated items ("a.", "1.", "-"); an article's paragraphs ("(1)", "(2)") are not a list.
    "list": re.compile(r"(?:^|\n)\s*(?:[a-z]\.|\d+\.|[-•])\s+\S|\bterdiri\s+(?:atas|dari)\b|\bmeliputi\b",
                       re.IGNORECASE),
    "definition": re.compile(r"\byang\s+dimaksud\s+dengan\b|\badalah\b|\bmeans\b|\bis\s+defined\b", re.IGNORECASE),
    # A yes or a no: an obligation, a permission, a ban, or an exclusion ("tidak diberikan", "dikecualikan").
    "yesno": re.compile(r"\b(?:wajib|dilarang|tidak\s+(?:boleh|diberikan|berhak|termasuk|berlaku)|dapat|harus|"
                        r"dikecualikan|kecuali|must|may|shall)\b", re.IGNORECASE),
}

ANSWER_SHAPES = frozenset(_SHAPES)

# The identity roles (title, closing, legal basis) enter only through whether the question asks about the
# instrument itself: a one-hot of them would learn "closings answer" from the questions that do.
# The passages the gate reads: about as many as an answer quotes from.
GATE_PASSAGES = 3
ROLE_FEATURES = tuple(f"role_{role.value}" for role in PassageRole if role not in IDENTITY_ROLES)
PASSAGE_FEATURES = (
    "cross_language", "dense", "dense_gap", "lexical", "fused", "coverage", "coverage_titles", "shape", "article",
    "named", "identity_unasked", "identity_asked", "definition_asked", "log_chars", *ROLE_FEATURES,
)
GATE_FEATURES = (
    "top_prob", "second_prob", "top_dense", "top_coverage", "union_coverage", "rarest_found", "best_sentence",
    "sentence_shape", "delegated", "cross_language", "cross_coverage", "unseen", "named_found", "named_missing",
    "article_found", "top_shape", "terms", "stated_answer", "stated_coverage", "unit_missing",
)
# Which way each feature may push a model's verdict (training holds its coefficient to that sign; 0 or absent:
# either way), from what the feature means rather than from the data: more of the question's words found, a surer
# passage, the asked shape stated never make an answer less likely; a word no passage holds, a named instrument
# the store lacks, a rule left to a later instrument, a heading or a closing never make it more likely. With a
# few hundred questions and correlated features, an unconstrained fit learns signs the other way round ("the
# rarest word found" against answering, a sentence's passage probability against quoting it) that hold on its
# own questions and fail on others'.
GATE_SIGNS: dict[str, int] = {
    "top_prob": 1, "second_prob": 1, "top_dense": 1, "top_coverage": 1, "union_coverage": 1, "rarest_found": 1,
    "best_sentence": 1, "sentence_shape": 1, "delegated": -1, "cross_language": 0, "cross_coverage": 1,
    "unseen": -1, "named_found": 0, "named_missing": -1, "article_found": 1, "top_shape": 1, "terms": 0,
    "stated_answer": 1, "stated_coverage": 1, "unit_missing": -1,
}
PASSAGE_SIGNS: dict[str, int] = {
    "dense": 1, "dense_gap": -1, "lexical": 1, "fused": 1, "coverage": 1, "coverage_titles": 1, "shape": 1,
    "article": 1, "identity_unasked": -1, "identity_asked": 1, "definition_asked": 1,
}
SENTENCE_SIGNS: dict[str, int] = {
    "passage_prob": 1, "passage_rank": 1, "coverage": 1, "coverage_titles": 1, "shape": 1, "heading": -1,
    "closing_unasked": -1, "identity_unasked": -1, "konsiderans": -1, "defines_term": 1, "article": 1,
}
SENTENCE_FEATURES = (
    "cross_language", "passage_prob", "passage_rank", "coverage", "coverage_titles", "shape", "identifier",
    "heading", "item", "closing_unasked", "identity_unasked", "konsiderans", "defines_term", "first", "log_chars",
    "article",
)
# A rule that leaves its substance to a later instrument ("… diatur dengan Peraturan Bupati"): the detail a
# question asks for is then not in this one.
_DELEGATED = re.compile(r"\b(?:diatur|ditetapkan|ditentukan)\s+(?:lebih\s+lanjut\s+)?(?:dengan|dalam|oleh)\s+"
                        r"(?:Peraturan|Keputusan)\b", re.IGNORECASE)


# The units a quantity is asked in ("berapa persen", "how many rupiah", "within how many days") and how a text
# states a number in each: legal drafting writes the figure, often spelled out after it ("30 (tiga puluh) hari
# kerja", "3% (tiga persen)", "Rp 500.000,00"). A near miss holds the question's words and other figures but none
# in the asked unit ("persentase tertentu dari upah" for "berapa persen denda"; months for "berapa tahun").
_FIGURE = r"\d[\d.,]*\s*(?:\([a-z\s]+\)\s*)?"
_UNITS: dict[str, tuple[str, re.Pattern[str]]] = {
    "percent": (r"persen|persentase|percent|percentage", re.compile(rf"{_FIGURE}(?:%|persen\b|percent\b)", re.I)),
    "rupiah": (r"rupiah", re.compile(rf"\bRp\.?\s?\d|{_FIGURE}rupiah\b", re.I)),
    "dollar": (r"(?:us\s+)?dollars?|usd|dolar", re.compile(r"US\$|\bUSD\b|\bdolar\b|\bdollars?\b", re.I)),
    "day": (r"hari(?:\s+kerja)?|(?:working\s+|calendar\s+)?days?", re.compile(rf"{_FIGURE}(?:hari|days?)\b", re.I)),
    "month": (r"bulan|months?", re.compile(rf"{_FIGURE}(?:bulan|months?)\b", re.I)),
    # "Tahun 2020" names a year (an instrument's, a budget's), not a span of years.
    "year": (r"tahun(?!\s*\d{4})|years?", re.compile(rf"{_FIGURE}(?:tahun(?!\s*\d{{4}})|years?)\b", re.I)),
    "hour": (r"jam|hours?", re.compile(rf"{_FIGURE}(?:jam|hours?)\b", re.I)),
    "week": (r"minggu|weeks?", re.compile(rf"{_FIGURE}(?:minggu|weeks?)\b", re.I)),
    "credit": (r"sks|credits?", re.compile(rf"{_FIGURE}(?:sks|credits?)\b", re.I)),
}
# Asking for a count in a unit: "berapa hari", "how many days", "what percentage"; "which month" and "what year"
# ask for a name or a date, not a count, so "what" asks a unit only for a share or a sum.
_ASKS_COUNT = (r"(?:berapa|how\s+many|how\s+much|"
               r"what(?=\s+(?:(?:minimum|maximum|total)\s+)?(?:persen|percent|rupiah|us\s+dollar)))\s+"
               r"(?:(?:minimum|maximum|minimal|maksimal|total|besaran|jumlah)\s+)?")
_ASKED_UNIT = {unit: re.compile(rf"\b{_ASKS_COUNT}(?:{words})\b", re.I) for unit, (words, _) in _UNITS.items()}


def asked_units(question: str) -> tuple[str, ...]:
    """The units the question asks a count in ("berapa persen" → percent), none when it asks no count in a unit."""
    return tuple(unit for unit, pattern in _ASKED_UNIT.items() if pattern.search(question))


def _compares(plan: QueryPlan) -> bool:
    """The question compares sides: regions, named instruments, or a region beside a named instrument."""
    return len(plan.regions) >= 2 or len(plan.found_instruments) >= 2 or bool(plan.beside)


def unit_missing(question: str, text: str) -> float:
    """Share of the units the question asks a count in that no figure of ``text`` is stated in (0 when it asks
    none): "berapa persen denda …" over passages saying "denda sesuai dengan persentase tertentu" is 1."""
    units = asked_units(question)
    if not units:
        return 0.0
    return sum(_UNITS[unit][1].search(text) is None for unit in units) / len(units)


@dataclass(frozen=True)
class Terms:
    """The question's content words with their rarity (idf), and which no passage holds."""

    terms: tuple[str, ...]
    weights: Mapping[str, float]
    unseen: frozenset[str]


def is_asked_article(passage: Passage, articles: Sequence[str]) -> bool:
    """The passage is an article the question names: its own Pasal, or one an amendment inserts or rewords
    inside its Pasal I ("Pasal I › angka 3 › Pasal 53A (diubah)")."""
    if passage.pasal is not None and passage.pasal.lower() in articles:
        return True
    section = (passage.section or "").lower()
    # "… › Pasal 53A (diubah)", or one part of a long one: "… › Pasal 2 ayat (3)–(3a)".
    return any(re.search(rf"› pasal {re.escape(article)}(?: \(| ayat\b|$)", section) for article in articles)


def shape_match(answer_type: str, text: str, regulatory: bool = False) -> float:
    """Does the text have the shape of the answer asked for (an amount, a duration, an instrument …)?"""
    pattern = _SHAPES.get(answer_type)
    if pattern is not None and pattern.search(text):
        return 1.0
    # A numbered instrument once "Nomor 31 Tahun 2020" and "No. 31 of 2020" are read as "31/2020": what answers
    # "how does the city regulate X".
    return 1.0 if regulatory and identifiers_in(normalise_numbers(text.lower())) else 0.0


def passage_features(
    hit: SearchHit,
    rank: int,
    plan: QueryPlan,
    terms: Terms,
    coverage: float,
    coverage_titles: float,
    best_dense: float,
    best_lexical: float,
) -> list[float]:
    passage = hit.passage
    role = passage.role or PassageRole.BODY
    identity = role in IDENTITY_ROLES
    dense = hit.dense_score or 0.0
    features = {
        "cross_language": 1.0 if passage.language != plan.language else 0.0,
        "dense": dense,
        "dense_gap": best_dense - dense if hit.dense_score is not None else 0.3,
        "lexical": (hit.lexical_score or 0.0) / best_lexical if best_lexical > 0 else 0.0,
        "fused": 1.0 / (1 + rank),
        "coverage": coverage,
        "coverage_titles": coverage_titles,
        "shape": shape_match(plan.answer_type, passage.text),
        "article": 1.0 if is_asked_article(passage, plan.articles) else 0.0,
        "named": 1.0 if passage.doc_id in plan.doc_ids else 0.0,
        "identity_unasked": 1.0 if identity and not identity_asked(role, plan) else 0.0,
        "identity_asked": 1.0 if identity_asked(role, plan) else 0.0,
        "definition_asked": 1.0 if role == PassageRole.DEFINITIONS and plan.answer_type == "definition" else 0.0,
        "log_chars": math.log(1 + len(passage.text)) / 8,
    }
    features.update({f"role_{r.value}": 1.0 if role == r else 0.0 for r in PassageRole if r not in IDENTITY_ROLES})
    return [features[name] for name in PASSAGE_FEATURES]


def gate_features(
    probs: Sequence[float], hits: Sequence[SearchHit], coverages: Sequence[float], plan: QueryPlan, terms: Terms,
    stated: float, stated_text: str = "",
) -> list[float]:
    """Whether the best passages answer: how well they and their best sentence hold the question's words (the
    rarest above all: a question about a fine the bylaw never sets shares every word with it but "fine"),
    whether the answer's shape is there, and whether a count asked in a unit is stated in that unit. ``stated``:
    the sentence model's best probability for a sentence of the asked shape among them
    (``api.engine.sentences.stated_answer``); ``stated_text``: that sentence, whose share of the question's words
    tells an answer from a figure about something else ("Rektor memiliki 35% hak suara" for the Minister's share).
    """
    total = sum(terms.weights.get(t, 1.0) for t in terms.terms) or 1.0
    unseen = sum(terms.weights.get(t, 1.0) for t in terms.unseen) / total
    top = hits[0] if hits else None
    best = list(hits[:GATE_PASSAGES])
    joined = "\n".join(h.passage.text for h in best)
    sentence, sentence_coverage = best_sentence([h.passage.text for h in best], terms)
    # The rarest word some passage holds: a word no passage holds is rare only because the corpus lacks it.
    seen = [t for t in terms.terms if t not in terms.unseen]
    rarest = max(seen, key=lambda t: terms.weights.get(t, 0.0), default=None)
    cross = 1.0 if top is not None and top.passage.language != plan.language else 0.0
    features = {
        "top_prob": probs[0] if probs else 0.0,
        "second_prob": probs[1] if len(probs) > 1 else 0.0,
        "top_dense": max((h.dense_score or 0.0) for h in hits) if hits else 0.0,
        "top_coverage": max(coverages[:GATE_PASSAGES]) if coverages else 0.0,
        "union_coverage": agreement(terms.terms, joined, terms.weights) if best else 0.0,
        "rarest_found": 1.0 if rarest is not None and best and agreement([rarest], joined) > 0 else 0.0,
        "best_sentence": sentence_coverage,
        "sentence_shape": shape_match(plan.answer_type, sentence),
        "delegated": 1.0 if _DELEGATED.search(sentence) else 0.0,
        # Across languages only glossary words can match, so coverage means less: the model weighs it apart.
        "cross_language": cross,
        "cross_coverage": cross * sentence_coverage,
        "unseen": unseen,
        "named_found": 1.0 if plan.found_instruments else 0.0,
        "named_missing": 1.0 if plan.unresolved else 0.0,
        "article_found": 1.0 if any(is_asked_article(h.passage, plan.articles) for h in hits[:3]) else 0.0,
        "top_shape": shape_match(plan.answer_type, top.passage.text) if top else 0.0,
        "terms": min(len(terms.terms), 10) / 10,
        "stated_answer": stated,
        # With no sentence of the asked shape (a shape the patterns miss: "68 active applications"), the best
        # sentence stands in: stated_answer already says that none was found.
        "stated_coverage": agreement(terms.terms, stated_text, terms.weights) if stated_text else sentence_coverage,
        # A comparison's asked unit may be one side's ("…, dan berapa persentase untuk skor tertinggi?"): a side
        # is not refused for lacking what the other side is asked.
        "unit_missing": 0.0 if _compares(plan) else unit_missing(plan.question, joined),
    }
    return [features[name] for name in GATE_FEATURES]


# A definition opens with its number: "6.", "(3)", "3)", an inserted "17A." (UU 12/2011: an amendment numbers what
# it inserts with a capital letter), or a letter, "a.".
_DEFINES = re.compile(r"^\W*(?:\d+[A-Z]?[.)]|[a-z][.)])?\s*(?P<term>.{2,80}?)\s+"
                      r"(?:adalah|ialah|yang\s+selanjutnya|means)\b", re.IGNORECASE)


def defined_term(text: str) -> str | None:
    """The term a definition sentence defines ("6. Barang Inventaris adalah …" → "barang inventaris"), or None."""
    match = _DEFINES.match(text)
    if match is None:
        return None
    return " ".join(re.findall(r"\w+", match["term"].lower())) or None


def asked_term(question: str, term: str | None) -> bool:
    """Does the question name the defined term, as it is written ("what counts as barang inventaris") or in
    translation, phrase by phrase ("non-motorised vehicle" for "kendaraan tidak bermotor")?"""
    if term is None:
        return False
    words = " ".join(re.findall(r"[\w-]+", question.lower()))
    return _names(words, term) or _translated(words, term.split())


def _names(words: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", words) is not None


def _translated(words: str, term: list[str]) -> bool:
    """Every part of the term (its longest phrases first) is in ``words`` as itself or a glossary translation."""
    at = 0
    while at < len(term):
        for size in range(min(3, len(term) - at), 0, -1):
            phrase = " ".join(term[at : at + size])
            if any(_names(words, form) for form in (phrase, *translations(phrase))):
                at += size
                break
        else:
            return False
    return True


def defines(text: str, terms: Terms) -> bool:
    """Is the sentence a definition ("12. Es Balok adalah …") of a word the question asks about?"""
    match = _DEFINES.match(text)
    if match is None:
        return False
    return agreement(terms.terms, match["term"]) > 0


def best_sentence(texts: Sequence[str], terms: Terms) -> tuple[str, float]:
    """The sentence of ``texts`` holding most of the question's words (rare ones counting more), and that share."""
    best, share = "", 0.0
    for text in texts:
        # As the answer reads them: a list's lead-in with its items.
        for sentence in with_lists(text, split_sentences(text)):
            value = agreement(terms.terms, sentence.text, terms.weights)
            if value > share:
                best, share = sentence.text, value
    return best, share


def sentence_features(
    text: str,
    *,
    passage_prob: float,
    passage_rank: int,
    coverage: float,
    coverage_titles: float,
    plan: QueryPlan,
    role: PassageRole | None,
    identifier: bool,
    heading: bool,
    item: bool,
    first: bool,
    article: bool,
    terms: Terms,
    language: str | None = None,
) -> list[float]:
    identity = (role or PassageRole.BODY) in IDENTITY_ROLES
    features = {
        "cross_language": 1.0 if language is not None and language != plan.language else 0.0,
        "passage_prob": passage_prob,
        "passage_rank": 1.0 / (1 + passage_rank),
        "coverage": coverage,
        "coverage_titles": coverage_titles,
        "shape": shape_match(plan.answer_type, text, plan.regulatory),
        "identifier": 1.0 if identifier else 0.0,
        "heading": 1.0 if heading else 0.0,
        "item": 1.0 if item else 0.0,
        "closing_unasked": 1.0 if closing_sentence(text) and not plan.about_instrument else 0.0,
        "identity_unasked": 1.0 if identity and not identity_asked(role, plan) else 0.0,
        "konsiderans": 1.0 if role == PassageRole.KONSIDERANS else 0.0,
        "defines_term": 1.0 if plan.answer_type == "definition" and defines(text, terms) else 0.0,
        "first": 1.0 if first else 0.0,
        "log_chars": math.log(1 + len(text)) / 6,
        "article": 1.0 if article else 0.0,
    }
    return [features[name] for name in SENTENCE_FEATURES]


# The noun a quantity question asks for: "what penalty does …", "which fee …", "how many surveyors …",
# "berapa denda …". Words that only say "how much" ("besaran", "jumlah") are not the asked thing.
_ASKED_NOUN = re.compile(r"\b(?:what|which|how\s+(?:many|much)|berapa)\s+"
                         r"(?:(?:besaran|besarnya|jumlah|total|nilai)\s+)?([a-z]{3,})\b", re.IGNORECASE)
_NOT_NOUNS = frozenset((
    "does", "do", "did", "is", "are", "was", "were", "must", "can", "may", "will", "would", "should", "has", "have",
    "had", "lama", "kali", "banyak", "orang", "the",
))


def asked_noun(question: str) -> str | None:
    """The noun a quantity question asks for, or None when it names none."""
    match = _ASKED_NOUN.search(question)
    if match is None or match.group(1).lower() in _NOT_NOUNS:
        return None
    return match.group(1).lower()


def states_noun(text: str, noun: str, answer_type: str) -> bool:
    """Does the sentence hold the asked noun (as itself, by stem or as a translation: :func:`term_in`) and a
    quantity of the asked shape?"""
    return bool(shape_match(answer_type, text)) and term_in(noun, Words.of(text))
