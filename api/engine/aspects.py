"""Policy aspects of the comparison matrix and the English + Indonesian words that signal each one."""

from __future__ import annotations

import re
import unicodedata

# Each keyword is matched as a whole word or phrase, case-insensitively; Indonesian and English alike.
ASPECTS: dict[str, tuple[str, ...]] = {
    "SPBE": (
        "spbe", "sistem pemerintahan berbasis elektronik", "electronic-based government", "e-government",
        "electronic based government", "pemerintahan berbasis elektronik", "e-gov",
    ),
    "One Data / Satu Data": ("satu data", "one data", "data terpadu", "walidata", "forum satu data"),
    "Information security": (
        "keamanan informasi", "information security", "keamanan spbe", "persandian", "siber", "cyber",
        "security audit", "audit keamanan", "sandi",
    ),
    "Smart city masterplan": (
        "smart city", "kota cerdas", "masterplan", "master plan", "rencana induk", "kota pintar",
    ),
    "RPJMD": (
        "rpjmd", "rencana pembangunan jangka menengah", "medium-term development plan", "rpjpd", "rkpd",
    ),
    "Budget": (
        "anggaran", "budget", "apbd", "belanja", "expenditure", "harga satuan", "analisis standar belanja",
        "hspk", "asb", "pembiayaan", "funding",
    ),
    "Human resources": (
        "sumber daya manusia", "human resources", "sdm", "pegawai", "aparatur", "employees", "staff",
        "kepegawaian", "competence", "kompetensi", "pelatihan", "training",
    ),
    "Public participation": (
        "partisipasi", "participation", "masyarakat", "community", "citizen", "pengaduan", "complaint",
        "informasi publik", "public information", "keterbukaan informasi", "ppid",
    ),
    "Institutions": (
        "kelembagaan", "institution", "institutional", "organisasi", "susunan organisasi", "tata kerja",
        "perangkat daerah", "dinas", "badan", "sekretariat", "uraian tugas", "agency",
    ),
}


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


_PATTERNS = {name: _pattern(words) for name, words in ASPECTS.items()}


def default_aspects(topic: str | None = None) -> list[str]:
    """The standard aspects, plus the asked topic when it is not one of them."""
    names = list(ASPECTS)
    if topic and not any(_norm(topic) == _norm(n) for n in names):
        names.append(topic.strip())
    return names


def keywords_for(aspect: str) -> tuple[str, ...]:
    """An aspect's keywords; an aspect we do not know (a user's topic) is matched by its own words."""
    for name, words in ASPECTS.items():
        if _norm(name) == _norm(aspect):
            return words
    return tuple(w for w in re.findall(r"\w+", _norm(aspect)) if len(w) > 3) or (_norm(aspect),)


def matches_aspect(aspect: str, text: str) -> bool:
    pattern = _PATTERNS.get(aspect) or next(
        (p for name, p in _PATTERNS.items() if _norm(name) == _norm(aspect)), None
    )
    if pattern is None:
        pattern = _pattern(keywords_for(aspect))
    return pattern.search(_norm(text)) is not None


def aspects_of(text: str) -> list[str]:
    """The standard aspects a text (a regulation's subject, say) touches."""
    return [name for name in ASPECTS if matches_aspect(name, text)]
