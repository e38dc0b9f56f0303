"""The legal vocabulary, written once: the kinds of instrument and how text names them, article and Roman
numbering as questions write it, and the prescribed wording of a revocation.

Ingest reads documents with it, the retriever and the answer engine read questions with it; a rule changed here
changes for every layer. Pure data and functions of strings: ``core`` imports nothing of ours but its types.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# ------------------------------------------------------------------------------------- kinds of instrument

Issuer = Literal["national", "kota", "kabupaten", "provinsi", "local"]


@dataclass(frozen=True)
class Instrument:
    """A kind of legal instrument: its normal name, how it is called in English and Indonesian, who issues it, and
    the short names text writes for it ("perwako" for a Perwali)."""

    name: str
    english: str
    indonesian: str
    issuer: Issuer
    short: tuple[str, ...] = ()


INSTRUMENTS: dict[str, Instrument] = {
    i.name: i
    for i in (
        Instrument("UUD", "Constitution", "Undang-Undang Dasar", "national"),
        Instrument("UU", "Law", "Undang-Undang", "national", ("UU",)),
        Instrument("Perppu", "Government Regulation in Lieu of Law", "Peraturan Pemerintah Pengganti Undang-Undang",
                   "national", ("perppu", "perpu")),
        Instrument("PP", "Government Regulation", "Peraturan Pemerintah", "national", ("PP",)),
        Instrument("Perpres", "Presidential Regulation", "Peraturan Presiden", "national", ("perpres",)),
        Instrument("Keppres", "Presidential Decree", "Keputusan Presiden", "national", ("keppres", "kepres")),
        Instrument("Inpres", "Presidential Instruction", "Instruksi Presiden", "national", ("inpres",)),
        # A ministry's regulations are numbered per ministry: Permendagri 5/2018 and PermenPAN-RB 5/2018 are two
        # instruments. "Permen" is left for a minister the text does not name.
        Instrument("Permen", "Ministerial Regulation", "Peraturan Menteri", "national", ("permen",)),
        Instrument("Permendagri", "Minister of Home Affairs Regulation", "Peraturan Menteri Dalam Negeri",
                   "national", ("permendagri",)),
        Instrument("PermenPAN-RB", "Minister of State Apparatus Empowerment and Bureaucratic Reform Regulation",
                   "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "national",
                   ("permenpan", "permenpanrb", "permenpan-rb")),
        Instrument("Permenkominfo", "Minister of Communication and Informatics Regulation",
                   "Peraturan Menteri Komunikasi dan Informatika", "national", ("permenkominfo",)),
        Instrument("Permenkomdigi", "Minister of Communication and Digital Affairs Regulation",
                   "Peraturan Menteri Komunikasi dan Digital", "national", ("permenkomdigi",)),
        Instrument("Permendikbud", "Minister of Education and Culture Regulation",
                   "Peraturan Menteri Pendidikan dan Kebudayaan", "national", ("permendikbud",)),
        Instrument("Permenristekdikti", "Minister of Research, Technology and Higher Education Regulation",
                   "Peraturan Menteri Riset, Teknologi, dan Pendidikan Tinggi", "national",
                   ("permenristekdikti",)),
        Instrument("PMK", "Minister of Finance Regulation", "Peraturan Menteri Keuangan", "national",
                   ("PMK", "permenkeu")),
        Instrument("Kepmen", "Ministerial Decree", "Keputusan Menteri", "national", ("kepmen",)),
        Instrument("Kepmendagri", "Minister of Home Affairs Decree", "Keputusan Menteri Dalam Negeri", "national",
                   ("kepmendagri",)),
        Instrument("Kepmenristekdikti", "Minister of Research, Technology and Higher Education Decree",
                   "Keputusan Menteri Riset, Teknologi, dan Pendidikan Tinggi", "national",
                   ("kepmenristekdikti",)),
        Instrument("Peraturan BSSN", "National Cyber and Crypto Agency Regulation",
                   "Peraturan Badan Siber dan Sandi Negara", "national"),
        Instrument("Perda", "Regional Regulation", "Peraturan Daerah", "local", ("perda",)),
        Instrument("Pergub", "Governor Regulation", "Peraturan Gubernur", "provinsi", ("pergub",)),
        Instrument("Perwali", "Mayor's Regulation", "Peraturan Wali Kota", "kota",
                   ("perwali", "perwal", "perwako", "perwalkot")),
        Instrument("Perbup", "Regent Regulation", "Peraturan Bupati", "kabupaten", ("perbup",)),
        Instrument("Kepgub", "Governor Decree", "Keputusan Gubernur", "provinsi", ("kepgub",)),
        Instrument("Kepwali", "Mayor's Decree", "Keputusan Wali Kota", "kota", ("kepwali", "kepwal", "kepwako")),
        Instrument("Kepbup", "Regent Decree", "Keputusan Bupati", "kabupaten", ("kepbup",)),
        # Instructions bind the officials they are addressed to; each level of government issues its own.
        Instrument("Ingub", "Governor Instruction", "Instruksi Gubernur", "provinsi", ("ingub",)),
        Instrument("Inwali", "Mayor's Instruction", "Instruksi Wali Kota", "kota", ("inwali", "inwako")),
        Instrument("Inbup", "Regent Instruction", "Instruksi Bupati", "kabupaten", ("inbup",)),
    )
}

_REG = ("regulation", "regulations")
_DEC = ("decree", "decrees")
# How text names each kind in words, either language; its short names are the instrument's own (``short``).
_WORDED: dict[str, tuple[str, ...]] = {
    "UU": ("undang-undang", "law", "laws"),
    "Perppu": ("peraturan pemerintah pengganti undang-undang", "government regulation in lieu of law"),
    "PP": ("peraturan pemerintah", *(f"government {r}" for r in _REG)),
    "Perpres": ("peraturan presiden", *(f"{w} {r}" for w in ("presidential", "president") for r in _REG),
                "regulation of the president"),
    "Keppres": ("keputusan presiden", *(f"presidential {d}" for d in _DEC), "decree of the president"),
    "Inpres": ("instruksi presiden", "presidential instruction", "presidential instructions",
               "instruction of the president"),
    "Permen": ("peraturan menteri", *(f"{w} {r}" for w in ("ministerial", "minister", "minister's") for r in _REG),
               "regulation of the minister"),
    "Permendagri": ("peraturan menteri dalam negeri", "minister of home affairs regulation",
                    "home affairs minister regulation", "home affairs ministerial regulation",
                    "regulation of the minister of home affairs"),
    "PermenPAN-RB": ("peraturan menteri pendayagunaan aparatur negara dan reformasi birokrasi",
                     "permenpan rb", "peraturan menteri panrb", "peraturan menteri pan-rb", "peraturan menteri pan rb",
                     "minister of state apparatus empowerment and bureaucratic reform regulation",
                     "regulation of the minister of state apparatus empowerment and bureaucratic reform"),
    "Permenkominfo": ("peraturan menteri komunikasi dan informatika", "peraturan menteri kominfo",
                      "minister of communication and informatics regulation",
                      "regulation of the minister of communication and informatics"),
    "Permenkomdigi": ("peraturan menteri komunikasi dan digital",),
    "Permendikbud": ("peraturan menteri pendidikan dan kebudayaan",
                     "minister of education and culture regulation"),
    "Permenristekdikti": ("peraturan menteri riset, teknologi, dan pendidikan tinggi",
                          "peraturan menteri riset, teknologi dan pendidikan tinggi"),
    "PMK": ("peraturan menteri keuangan", "minister of finance regulation",
            "finance minister regulation", "regulation of the minister of finance"),
    "Kepmen": ("keputusan menteri", "ministerial decree", "minister decree", "decree of the minister"),
    "Kepmendagri": ("keputusan menteri dalam negeri", "minister of home affairs decree",
                    "decree of the minister of home affairs"),
    "Kepmenristekdikti": ("keputusan menteri riset, teknologi, dan pendidikan tinggi",
                          "keputusan menteri riset, teknologi dan pendidikan tinggi"),
    "Peraturan BSSN": ("peraturan badan siber dan sandi negara", "peraturan BSSN", "BSSN regulation",
                       "national cyber and crypto agency regulation",
                       "regulation of the national cyber and crypto agency"),
    "Perda": ("peraturan daerah", *(f"{w} {r}" for w in ("local", "regional") for r in _REG)),
    "Pergub": ("peraturan gubernur", "regulation of the governor",
               *(f"{w} {r}" for w in ("governor", "governor's", "gubernatorial") for r in _REG)),
    "Perwali": ("peraturan wali kota", "peraturan walikota", "regulation of the mayor",
                *(f"{w} {r}" for w in ("mayor", "mayor's", "mayors'", "mayoral") for r in _REG)),
    "Perbup": ("peraturan bupati", "regulation of the regent",
               *(f"{w} {r}" for w in ("regent", "regent's", "regency head") for r in _REG)),
    "Kepgub": ("keputusan gubernur", "decree of the governor",
               *(f"{w} {d}" for w in ("governor", "governor's", "gubernatorial") for d in _DEC)),
    "Kepwali": ("keputusan wali kota", "keputusan walikota", "decree of the mayor",
                *(f"{w} {d}" for w in ("mayor", "mayor's", "mayoral") for d in _DEC)),
    "Kepbup": ("keputusan bupati", "decree of the regent",
               *(f"{w} {d}" for w in ("regent", "regent's") for d in _DEC)),
    "Ingub": ("instruksi gubernur", "governor instruction", "governor's instruction"),
    "Inwali": ("instruksi wali kota", "instruksi walikota", "mayor's instruction"),
    "Inbup": ("instruksi bupati", "regent instruction", "regent's instruction"),
    # An agency's regulation: the agency named after it decides the instrument ("Peraturan Badan Pusat Statistik").
    "agency": ("peraturan badan", "peraturan lembaga"),
    "agency decree": ("keputusan kepala badan", "keputusan kepala lembaga"),
}
# Every way text names each kind: in words, and by its short names.
PHRASES: dict[str, tuple[str, ...]] = {
    name: (*words, *(INSTRUMENTS[name].short if name in INSTRUMENTS else ())) for name, words in _WORDED.items()
}
_EXACT_CASE = frozenset({"UU", "PP", "PMK"})  # "pp." is a page range, "uu" nothing
_AGENCIES = {"siber dan sandi negara": "BSSN", "pusat statistik": "BPS", "kepegawaian negara": "BKN",
             "nasional penanggulangan bencana": "BNPB", "riset dan inovasi nasional": "BRIN",
             "kebijakan pengadaan barang/jasa pemerintah": "LKPP", "informasi geospasial": "BIG",
             "akreditasi nasional perguruan tinggi": "BAN-PT", "penerbangan dan antariksa nasional": "LAPAN"}


# Every short name of a kind, lowercased, longest first (so an alternation tries "perwali" before "perwal"), and
# as regex source for lowercased or case-blind text.
SHORT_NAMES: tuple[str, ...] = tuple(
    sorted({s.lower() for i in INSTRUMENTS.values() for s in i.short}, key=lambda s: (-len(s), s))
)
SHORT_NAME = "|".join(map(re.escape, SHORT_NAMES))


def indonesian_names(instrument: Instrument) -> tuple[str, ...]:
    """Its Indonesian name, lowercased, with the one-word "walikota" of older texts (UU 23/2014 writes "Wali
    Kota"): "peraturan wali kota", "peraturan walikota"."""
    name = instrument.indonesian.lower()
    return tuple(dict.fromkeys((name, name.replace("wali kota", "walikota"))))


# Kinds a region issues; a local kind named without its place is the issuing document's region's.
LOCAL_KINDS = frozenset(name for name, i in INSTRUMENTS.items() if i.issuer != "national")
# The words a title block's jenis opens with ("PERATURAN WALI KOTA …", "UNDANG-UNDANG REPUBLIK INDONESIA").
TITLE_WORDS = ("PERATURAN", "KEPUTUSAN", "INSTRUKSI", "UNDANG-UNDANG", "QANUN")
# The same as regex source: in capitals as a title block sets them, and capitalised as running text names an
# instrument ("… Undang-Undang Nomor 23 Tahun 2014", "Peraturan Daerah Nomor 4").
TITLE_WORD = "|".join(TITLE_WORDS)
NAMING_WORD = "|".join(word.title() for word in TITLE_WORDS)

_PHRASE_KEYS = {re.sub(r"[\W_]+", "", p.lower()): name for name, ps in PHRASES.items() for p in ps}


def instrument_named(phrase: str) -> str | None:
    """The normal name of the instrument a phrase names ("Peraturan Walikota", "perwako", "Mayor's Regulation"
    → "Perwali"; "agency" / "agency decree" for an agency's, whose name follows), or None. "UU", "PP" and "PMK"
    count only in capitals: "pp." is a page range."""
    key = re.sub(r"[\W_]+", "", phrase.lower())
    instrument = _PHRASE_KEYS.get(key)
    if instrument is None or (key.upper() in _EXACT_CASE and phrase != key.upper()):
        return None
    return instrument


def agency_instrument(kind: str, name: str, body: str = "Badan") -> str | None:
    """'Peraturan' + 'Akreditasi Nasional Perguruan Tinggi' → 'Peraturan BAN-PT'; an agency we hold no
    abbreviation for keeps its name ('Peraturan Badan Pusat Riset')."""
    name = " ".join(re.sub(r"\b(Republik Indonesia|RI)\b", "", name, flags=re.IGNORECASE).split()).strip(" ,.")
    if not name:
        return None
    abbreviation = _AGENCIES.get(name.lower())
    return f"{kind} {abbreviation}" if abbreviation else f"{kind} {body} {name.title()}"


def same_kind(recorded: str, asked: str) -> bool:
    """Whether an instrument named with its number ("Perwali 5/2020", already normal) is of the recorded kind:
    "PermenPAN-RB" is "PermenPANRB"; "Permendikbud" is a "Permen" (spellings and prefixes of one kind)."""
    recorded, asked = re.sub(r"[^a-z]", "", recorded.lower()), re.sub(r"[^a-z]", "", asked.lower())
    return bool(recorded and asked) and (recorded.startswith(asked) or asked.startswith(recorded))


def same_number(recorded: str, asked: str) -> bool:
    """Is an instrument recorded as number ``recorded`` the one a question or mention numbers ``asked``? Leading
    zeros do not count ("007" is 7), and a structured number is asked by its first part ("188.45/390" by
    "188.45")."""
    recorded, asked = recorded.lower(), asked.lower().lstrip("0") or asked.lower()
    return recorded == asked or recorded.split("/")[0].lstrip("0") == asked or recorded.lstrip("0") == asked


# ------------------------------------------------------------------------------------- instrument numbers

# The words before an instrument's number ("Nomor", "No.", "Nr") and before its year ("Tahun", "Thn.", "of"), as
# regex source for case-blind text; each reader adds the punctuation it allows around them.
NUMBER_WORD = r"(?:nomor|nomer|number|nos|num|no|nr)"
YEAR_WORD = r"(?:tahun|thn|th|of|year)"
# The words a number may follow with no number word between ("Perwali 14 Tahun 2022"): any ministry's regulation
# or decree ("permendikbud", "kepmenkes", the ministry part of the word), every kind's short name, a village's
# regulation (no instrument the library parses, but documents cite them by number) and the English kinds.
_NUMBERED_KIND = rf"permen\w*|kepmen\w*|{SHORT_NAME}|perdes|regulation|law|decree|instruction"
_NUMBERED = re.compile(
    rf"\b(?:(?P<inst>{_NUMBERED_KIND})\s+|{NUMBER_WORD}\s*\.?\s*:?\s*)"
    rf"(?P<num>\d[\w.\-/]*\w|\d)\s*,?\s*{YEAR_WORD}\s*\.?\s*(?P<year>(?:19|20)\d{{2}})(?!\d)"
)


def normalise_numbers(text: str) -> str:
    """Rewrite "nomor 14 tahun 2022" / "no. 14 of 2022" / "perwali 14 tahun 2022" as "14/2022" (keeping the
    instrument word): how the lexical index and the question's plan read a numbered instrument. Expects
    lowercased text."""

    def repl(m: re.Match[str]) -> str:
        inst = f"{m['inst']} " if m["inst"] else ""
        return f"{inst}{m['num']}/{m['year']}"

    return _NUMBERED.sub(repl, text)


# A numbered instrument as one lowercased token once "Nomor 31 Tahun 2020" and "No. 31 of 2020" are read as
# "31/2020" (:func:`normalise_numbers`): "31/2020", "224/bappeda/2023" (the issuer's code is not part of the
# number) ...
_IDENT_TOKEN = re.compile(r"^(?P<num>[\w.\-]+?)(?:/[a-z][\w.\-]*)*/(?P<year>(?:19|20)\d{2})$")
# ... or a number that opens with a letter code or carries its own slashes ("B/430/II.02/HK/TUBABA/2018",
# "521/1/2015"): all of it before the year is the number, as ingest records it.
_IDENT_FULL = re.compile(r"^(?P<num>\w[\w.\-]*(?:/[\w.\-]+)+)/(?P<year>(?:19|20)\d{2})$")
# A word whose parts dots, slashes and hyphens join ("31/2020", "188.45-390", "e-government"): how an identifier
# is read, and how the lexical index tokenizes.
JOINED_WORD = re.compile(r"\w+(?:[./\-]\w+)*")


def parse_identifier(token: str) -> tuple[str, int] | None:
    """(number, year) of one lowercased token naming an instrument ("31/2020", "224/bappeda/2023" → ("224",
    2023), "521/1/2015" → ("521/1", 2015)), or None."""
    for pattern in (_IDENT_TOKEN, _IDENT_FULL):
        m = pattern.match(token)
        if m and any(c.isdigit() for c in m["num"]):
            return m["num"], int(m["year"])
    return None


def identifiers_in(text: str) -> list[tuple[int, str, int]]:
    """(offset, number, year) of each numbered instrument in a lowercased, number-normalised text."""
    if "/" not in text:  # every identifier has its year after a slash: most sentences are passed over unread
        return []
    return [(m.start(), *found) for m in JOINED_WORD.finditer(text) if (found := parse_identifier(m.group()))]


def is_kind(recorded: str, kinds: Sequence[str]) -> bool:
    """Whether a recorded kind is one of ``kinds`` (a prefix ends in "*": "Kep*" is any decree). Exact
    otherwise, unlike :func:`same_kind`: "Law" (UU) described in words is not the constitution (UUD)."""
    return any(recorded.lower().startswith(k[:-1].lower()) if k.endswith("*") else recorded.lower() == k.lower()
               for k in kinds)


def _named_by_phrases(kind: str, extra: str = "") -> str:
    """Regex source for every way :data:`PHRASES` names ``kind`` (and ``extra`` words), in either number:
    "peraturan wali kota" with any space or none before "kota", "mayor's regulations"."""
    # "PP", "UU" and "PMK" are words only in capitals ("pp." is a page range): not in a case-blind pattern.
    words = sorted({p.lower() for p in PHRASES[kind] if p.upper() not in _EXACT_CASE}, key=lambda w: (-len(w), w))
    source = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"wali\s+kota", r"wali\s*kota") for w in words)
    return rf"\b(?:(?:{source})s?{'|' + extra if extra else ''})\b"


# Instruments named in words, without a number ("Jakarta's 2022 governor regulation", "Perda Kabupaten
# Magelang tahun 2022"): each pattern with the recorded kinds it names (a prefix ends in "*"), the most
# specific first. A kind's own words are its :data:`PHRASES`; families ("any ministerial regulation", "a
# decree") only here.
KINDS_IN_WORDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kinds)
    for pattern, kinds in (
        (_named_by_phrases("Perwali", r"mayor(?:'s|al)?\s+rules?|perwalik"), ("Perwali",)),
        (_named_by_phrases("Perbup", r"regent(?:'s)?\s+rules?"), ("Perbup",)),
        (_named_by_phrases("Pergub", r"governor(?:'s)?\s+rules?"), ("Pergub",)),
        (_named_by_phrases("Ingub"), ("Ingub",)),
        (_named_by_phrases("Kepwali", r"kepwal\w*"), ("Kepwali", "Kepwal*")),
        (_named_by_phrases("Kepbup"), ("Kepbup",)),
        (_named_by_phrases("Kepgub"), ("Kepgub",)),
        (_named_by_phrases("PP"), ("PP",)),
        (_named_by_phrases("Perpres"), ("Perpres",)),
        (r"\b(?:minist\w*\s+regulations?|permen\w*|peraturan\s+menteri)\b", ("Permen*",)),
        (r"\b(?:minist\w*\s+decrees?|kepmen\w*|keputusan\s+menteri)\b", ("Kepmen*",)),
        # A state university's statute is enacted as a ministerial regulation.
        (r"\b(?:statute|statuta)\b", ("Permen*",)),
        (_named_by_phrases("Perda", r"by-?laws?"), ("Perda",)),
        (_named_by_phrases("UU", r"acts?|uu"), ("UU",)),
        (r"\b(?:decrees?|decisions?|keputusan)\b", ("Kep*",)),
        (r"\b(?:instructions?|instruksi)\b", ("In*",)),
        (r"\b(?:regulations?|peraturan)\b", ("Per*", "PP")),
    )
)


# Kinds only the national government issues: named with a region, they are still national.
NATIONAL_KINDS = frozenset({"UU", "PP", "Perpres", "Permen*", "Kepmen*"})


def kinds_in_words(text: str, near: tuple[int, int] | None = None) -> tuple[str, ...] | None:
    """The recorded kinds the kind named in ``text`` stands for, or None: the one named nearest the span
    ``near`` ("the 2020 Pinrang decree … and Donggala's 2025 regulation": 2025 is a regulation), at the same
    distance (or without a span) the most specific."""
    found = kind_named(text, near)
    return found[1] if found is not None else None


def kind_named(text: str, near: tuple[int, int] | None = None) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    """Where ``text`` names a kind of instrument (nearest ``near``, see :func:`kinds_in_words`) and the kinds
    it stands for."""
    best: tuple[int, int, tuple[int, int], tuple[str, ...]] | None = None
    for order, (pattern, kinds) in enumerate(KINDS_IN_WORDS):
        for match in pattern.finditer(text):
            at = near or (match.start(), match.end())
            distance = max(at[0] - match.end(), match.start() - at[1], 0)
            if best is None or (distance, order) < best[:2]:
                best = (distance, order, match.span(), kinds)
    return best[2:] if best is not None else None


# Development plans named in words ("Semarang's amended RKPD 2016", "Renstra Bappeda", "Donggala's medium-term
# development plan"), by the plan kind (``core.types.PlanKind``) each names.
PLAN_KINDS_IN_WORDS: dict[str, re.Pattern[str]] = {
    kind: re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    for kind, words in (
        ("Renstra", r"renstra|rencana\s+strategis|strategic\s+plan"),
        ("RKPD", r"rkpd|rencana\s+kerja\s+pemerintah(?:\s+daerah)?|(?:regional\s+)?government\s+work\s+plan"),
        # A plan, not any "medium-term" thing: a loan, a target, a contract.
        ("RPJMD", r"rpjmd|rencana\s+pembangunan\s+jangka\s+menengah(?:\s+daerah)?|"
                  r"medium[-\s]term\s+(?:regional\s+)?(?:development\s+)?plan"),
        ("RPJPD", r"rpjpd|rencana\s+pembangunan\s+jangka\s+panjang(?:\s+daerah)?|"
                  r"long[-\s]term\s+(?:regional\s+)?(?:development\s+)?plan"),
        ("Renja", r"renja|rencana\s+kerja\s+perangkat(?:\s+daerah)?|work\s+plan"),
    )
}


def plan_kinds_named(text: str) -> list[tuple[str, tuple[int, int]]]:
    """The plan kinds ``text`` names, each with where: an RKPD's "government work plan" is not also a Renja's
    "work plan"."""
    found: list[tuple[str, tuple[int, int]]] = []
    for kind, pattern in PLAN_KINDS_IN_WORDS.items():
        for match in pattern.finditer(text):
            if not any(lo <= match.start() < hi for _, (lo, hi) in found):
                found.append((kind, match.span()))
    return found


# ------------------------------------------------------------------------------------------------ numbering

ROMAN_NUMERAL = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_DIGITS = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50), ("XL", 40),
                 ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def roman_value(numeral: str) -> int:
    """'XIV' → 14 (a numeral in capitals; a letter before a larger one is subtracted)."""
    values = [_ROMAN_VALUES[letter] for letter in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def to_roman(number: int) -> str:
    """14 → 'XIV': how a chapter (BAB) or an amendment's own article (Pasal II) is numbered."""
    out = []
    for numeral, value in _ROMAN_DIGITS:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


# A Roman numeral's letters, as regex source (a class; each pattern says how many): a regulation numbers its
# chapters, and an amendment its own articles, as far as L and C ("BAB XL", "Pasal II"). ROMAN_NUMERAL tells a
# numeral from any run of these letters.
ROMAN_LETTER = "[IVXLC]"
# Where a capital letter after the numeral, or before it, is a word's or a lettered item's ("C. Hasil", "LAMPIRAN
# C", a plan's letter-spaced "B A B I I L A T A R"), a numeral is read from I, V and X alone: a plan's chapters
# (BAB I–IX) and the page labels numbered after them ("IV-12"), a paper's numbered sections, a Lampiran, a list's
# "(iv)".
SMALL_ROMAN_LETTER = "[IVX]"
# A plan's page label: its chapter's numeral and the page in that chapter ("IV-12", "III.8", "II - 3").
PAGE_LABEL = rf"{SMALL_ROMAN_LETTER}{{1,4}}\s?[-.]\s?\d{{1,3}}"

# How a regulation's text writes its units (regex source, for the patterns built on them): an article, "Pasal 12A"
# (an inserted one carries a capital letter); an amendment's own articles, "Pasal II"; a paragraph, "ayat (2)".
ARTICLE = r"Pasal\s+\d+[A-Z]?"
# An amendment numbers its own articles in Roman, as far as its chapters go ("Pasal II", "BAB XL").
_ROMAN_ARTICLE = rf"{ROMAN_LETTER}+"
AMENDING_ARTICLE = rf"Pasal\s+(\d+[A-Za-z]?|{_ROMAN_ARTICLE})\b"
PARAGRAPH = r"ayat\s+\(\w{1,3}\)"
# An article, or one of its paragraphs: "Pasal 11", "Pasal 18 ayat (6)".
UNIT = rf"{ARTICLE}(?:\s+{PARAGRAPH})?"
# Several units joined: "Pasal 5 ayat (2) dan ayat (3)", "Pasal 12A, Pasal 12B".
UNIT_LIST = rf"(?:{ARTICLE}|{PARAGRAPH})(?:\s*(?:,|dan)\s*(?:{ARTICLE}|{PARAGRAPH}))*"
# An article asked for: "Pasal 12A", "Article 5", "art. 5 paragraph (2)", "pasal 6 ayat (1)"; the amending
# articles of an amendment are numbered in Roman ("Pasal II"), and only "Pasal" names them.
ARTICLE_REFERENCE = re.compile(
    r"\b(?:pasal|article|art\.)\s*(\d+[a-z]?)\b(?:\s*(?:ayat|paragraph|\()\s*\(?(\d+)\)?)?", re.IGNORECASE
)
ROMAN_ARTICLE_REFERENCE = re.compile(rf"\b[Pp]asal\s+({_ROMAN_ARTICLE})\b")
# The articles a provision cites, lists included: "melanggar ketentuan pasal 2, 3, 4 dan 6".
_CITED_ARTICLES = re.compile(r"\bpasal\s+(\d+[a-z]?(?:\s*(?:,|dan|atau)\s*\d+[a-z]?\b)*)", re.IGNORECASE)


def cited_articles(text: str) -> frozenset[str]:
    """The article numbers ``text`` cites, lowercased ("pasal 2, 3 dan 6" → 2, 3, 6)."""
    return frozenset(number.lower() for match in _CITED_ARTICLES.finditer(text)
                     for number in re.findall(r"\d+[a-z]?", match.group(1), re.IGNORECASE))


def asked_articles(question: str) -> tuple[str, ...]:
    """The articles a question names, lowercased, in order: "Pasal 12A" → ("12a",), "Pasal II" → ("ii",)."""
    found = [m.group(1).lower() for m in ARTICLE_REFERENCE.finditer(question)]
    found += [m.group(1).lower() for m in ROMAN_ARTICLE_REFERENCE.finditer(question)]
    return tuple(dict.fromkeys(found))


# ------------------------------------------------------------------------------------------ headings

def chapter_heading(numeral: str = f"{ROMAN_LETTER}+", *, word: str = "BAB", gap: str = r"\s*") -> str:
    """Regex source for a chapter's heading, "BAB" and its number (group 1): "BAB XIV", and "BABII" as layout
    glues them. Each reader names what it reads differently: ``numeral`` (OCR's "l" and "|" for I, a plan's
    I–IX), ``word`` (a letter-spaced "B A B") or ``gap`` (a space required where the numeral is unchecked)."""
    return rf"{word}{gap}({numeral})"


# The ordinal words Indonesian drafting counts a Bagian and a Keputusan's diktum with, in capitals:
# KESATU … KESEMBILAN PULUH SEMBILAN (the first is also "PERTAMA", :data:`FIRST`).
_ORDINAL_UNITS = ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")


def _ordinals() -> tuple[str, ...]:
    words = [f"ke{u}" for u in _ORDINAL_UNITS] + ["kesepuluh", "kesebelas"]
    words += [f"ke{u} belas" for u in _ORDINAL_UNITS[1:]]
    for tens in _ORDINAL_UNITS[1:]:
        words.append(f"ke{tens} puluh")
        words += [f"ke{tens} puluh {u}" for u in _ORDINAL_UNITS]
    return tuple(w.upper() for w in words)


ORDINALS = _ordinals()
FIRST = "PERTAMA"
# The same as regex source (capitals; a reader of mixed case compiles it case-blind), the longest first so that
# "KEDUA PULUH SATU" is not read as "KEDUA", any space between its words.
ORDINAL = "|".join(w.replace(" ", r"\s+") for w in sorted(ORDINALS, key=lambda w: (-len(w), w)))
# A Bagian's heading: "Bagian Kedua", "Bagian Kedua Belas", "BagianKeenam" as cleaning glues it, "Bagian Pertama";
# its ordinal in any case.
PART = rf"Bagian\s*(?P<ord>(?i:{FIRST}|{ORDINAL}))"
# A Paragraf's: "Paragraf 3" (a few number theirs in Roman).
SUBPART = rf"Paragraf\s+(?P<num>\d+|{ROMAN_LETTER}+)"
# A Keputusan's diktum label, in the capitals it is printed in: "KESATU", "KEDUA PULUH SATU", "PERTAMA".
DIKTUM_ORDINAL = rf"(?P<ord>{FIRST}|{ORDINAL})"

# The konsiderans' labels before the decision (UU 12/2011, Lampiran II): what the instrument weighs, the laws it
# rests on, and what else it heeds.
KONSIDERANS_LABEL = r"(?:Menimbang|Mengingat|Memperhatikan)"
# The decision that follows them: "MEMUTUSKAN:" on its own line (letter-spaced in many), then "Menetapkan :" and
# the instrument's name.
DECIDING = r"(?:MEMUTUSKAN|M E M U T U S K A N)"
ENACTING = r"(?:Menetapkan|MENETAPKAN)"


# ----------------------------------------------------------------------------------------------- revocation

# UU 12/2011, Lampiran II: a revocation reads "… dicabut dan dinyatakan tidak berlaku" (or "… dinyatakan tidak
# berlaku" where the revoked text is named by what it regulates). Drafting varies the formula ("dinyatakan
# dicabut dan tidak berlaku lagi", UU 13/2003's list ending "dinyatakan tidak berlaku lagi") and typing
# misspells it ("dicabut dan diyatakan tidak berlaku"): the stricter "dicabut dan dinyatakan tidak berlaku"
# alone missed 5 of the 44 real regulations' revocations.
REVOCATION = re.compile(r"\bdicabut\b.{0,60}\btidak\s+berlaku\b|\bdinyatakan\s+tidak\s+berlaku\b",
                        re.IGNORECASE | re.DOTALL)

# UU 12/2011, Lampiran II: the commencement clause reads "… mulai berlaku pada tanggal diundangkan" (or
# "ditetapkan"); a decree's may run backwards ("berlaku surut sejak …") or end ("berlaku sampai …").
IN_FORCE = re.compile(r"\bmulai\s+berlaku\b|\bberlaku\s+(?:surut|sejak|sampai|hingga)\b", re.IGNORECASE)
# The instrument's own commencement clause names it as "this" (UU 12/2011, Lampiran II: "Peraturan Daerah ini mulai
# berlaku pada tanggal diundangkan", "Keputusan ini berlaku sejak …").
OWN_COMMENCEMENT = re.compile(r"\bini\s+(?:(?:mulai|dinyatakan)\s+)?(?:berlaku|mempunyai\s+daya\s+laku)\b",
                              re.IGNORECASE)
