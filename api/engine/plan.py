"""Query analysis: a question becomes a typed :class:`QueryPlan` once, and every later step reads the plan.

What the plan holds: the regions the question names (through the Kemendagri gazetteer, never by substring),
the instruments it names resolved to the documents that are those instruments (applied as filters), the
articles it asks for ("Pasal 12A", "Article 5"), the kind of answer it wants (an amount, a duration, a date,
a list, a person or body, yes/no, a definition), whether it asks about the instrument itself (its title,
date or signer), its language, and the words left once the instrument's name is taken out: an instrument's
name is how the question points at a text, not what it asks about, so it is not matched against the text.

The question-word lists below are facts of English and Indonesian grammar, not choices fitted to any question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from api.engine.described import (
    described_instruments,
    described_plans,
    misnumbered,
    without_descriptions,
)
from api.engine.issuers import issued_apart, issued_in
from api.engine.sides import side_clauses
from core.language import detect_language
from core.legal_patterns import (
    IN_FORCE,
    KINDS_IN_WORDS,
    SHORT_NAME,
    SHORT_NAMES,
    asked_articles,
    instrument_named,
    normalise_numbers,
    parse_identifier,
    same_kind,
    same_number,
)
from core.types import (
    IDENTITY_ROLES,
    AmendmentAction,
    CityMention,
    DocumentMeta,
    Language,
    PassageRole,
    Region,
    SearchFilters,
)
from ingest.regulations import parse_regulation_refs
from vectorstore.hybrid import HybridRetriever, query_identifiers
from vectorstore.lexical import tokenize

AnswerType = str  # one of ANSWER_TYPES

# Checked in order: the first that matches is the question's answer type.
_ANSWER_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        # "Perwal nomor berapa …", "what number is the regulation …": an instrument's identifier, not a quantity.
        ("other", r"\b(?:nomor\s+berapa|berapa\s+nomor|(?:what|which)\s+number)\b"),
        ("definition", r"\b(?:what\s+is\s+meant\s+by|defin(?:e|es|ed|ition|itions)|apa\s+yang\s+dimaksud|"
                       r"yang\s+dimaksud\s+dengan|pengertian|definisi|(?:men|di)definisikan|"
                       # "who counts as a child", "siapa yang dikategorikan sebagai anak", "apa itu BLUD"
                       r"(?:counts?|counted|qualif(?:y|ies)|regarded|considered|classed)\s+as|meaning\s+of|"
                       r"dikategorikan|digolongkan|dianggap\s+sebagai|termasuk\s+pengertian|apa\s+itu|arti\s+(?:dari\s+)?"
                       r"istilah)\b"),
        # "how many working days": a count of a time unit, however qualified, is a duration, not an amount
        ("duration", r"\b(?:how\s+long|how\s+many\s+(?:[\w-]+\s+){0,2}?(?:days|months|years|weeks|hours)\b|"
                     r"within\s+what|"
                     r"what\s+(?:[\w'’]+\s+){0,3}?(?:period|deadline|time\s+limit)|berapa\s+lama|"
                     r"berapa\s+(?:hari|bulan|tahun|minggu|jam)|jangka\s+waktu|"
                     r"batas\s+waktu|paling\s+lambat|tenggat|"
                     # how often: a frequency is a duration's shape too ("1 (satu) kali setahun")
                     r"how\s+often|how\s+frequently|seberapa\s+sering|berapa\s+kali)\b"),
        # "when" asks only as it opens a question or inverts one ("when did …"); elsewhere it states a condition
        # ("how much is charged when an extension is approved"), as it does opening a clause the question follows
        # ("When a unit runs the survey itself, how many surveyors …").
        ("date", r"^\W*when\b(?![^?]*,\s*(?:how|what|which|who|whom|whose|where|why|must|may|can|does|do|is|are)\b)|"
                 r"\bwhen\s+(?:does|do|did|is|are|was|were|will|would|must|should|can|could|may|has|"
                 r"have|had)\b|\b(?:what\s+date|on\s+what\s+date|kapan|tanggal\s+berapa|pada\s+tanggal)\b|"
                 # "the timing of payment", "waktu pembayaran": the time of an act, a nominalised verb
                 r"\b(?:timing\s+of|waktu\s+pe[a-z]+an)\b"),
        # "who" opens the question; inside it, it is a relative pronoun ("an owner who fails to register").
        ("who", r"^\W*(?:\w+\W+){0,3}(?:who|whom)\b|\b(?:which\s+(?:body|agency|official|office|unit|institution|"
                r"minister|officer|party|authority)|siapa|pihak\s+mana|instansi\s+mana|lembaga\s+mana|"
                r"pejabat\s+mana)\b"),
        # A quantity asked by its noun ("what penalty", "what minimum share", "what weighting factor") or its
        # currency; a criminal penalty is a term and a sum ("kurungan paling lama … denda paling banyak Rp …").
        ("amount", r"\b(?:how\s+(?:much|many|large|high|big)|what\s+(?:[\w'’]+\s+){0,4}?(?:amount|share|"
                   r"percentage|rate|tariff|fees?|price|number|penalt(?:y|ies)|fines?|values?|factor|ceiling|budget)|minimum|maximum|"
                   r"rupiah|berapa|besaran|besarnya|jumlah|tarif|persentase|ancaman\s+pidana|denda)\b"),
        ("list", r"\b(?:what\s+are|which\s+are|list|name\s+the|what\s+(?:\w+\s+){0,2}(?:include|consist)|"
                 r"apa\s+saja|siapa\s+saja|sebutkan|terdiri\s+(?:atas|dari)|meliputi\s+apa)\b"),
        # Asked at the start, or after a sentence that sets the scene ("X cites Y as its legal basis. Is Y …?").
        ("yesno", r"(?:^|[.?!]\s+)(?:is|are|does|do|did|can|may|must|was|were|has|have|apakah)\b"),
    )
)
ANSWER_TYPES = ("definition", "duration", "amount", "date", "who", "list", "yesno", "other")

# Who signed an instrument and who promulgated it: its closing states both.
_SIGNING_VERBS = r"ditandatangani|menandatangani|diundangkan|mengundangkan(?:nya)?"
# To whom copies of it went ("Tembusan: 1. Inspektur …"): its closing lists them, under the signature.
_COPIES = (r"tembusan(?:nya)?|carbon\s+cop(?:y|ies)|copied\s+to|cop(?:y|ies)\s+of\s+(?:the|this|that|its)\s+"
           r"(?:[\w-]+\s+){0,3}?(?:decree|decision|regulation|instrument)s?\b[^?.]{0,40}?\b"
           r"(?:sent|forwarded|addressed|distributed)\b")
# Asking about the instrument itself: its title, when and where it was enacted or promulgated, who signed it.
_ABOUT_INSTRUMENT = re.compile(
    r"\b(?:signed|signatory|signs|enacted|promulgated|stipulated|issued\s+on|title\s+of|full\s+title|what\s+is\s+"
    rf"(?:the\s+)?(?:title|subject)|{_SIGNING_VERBS}|{_COPIES}|tentang\s+apa|"
    # "judul buku" counts a library's books, "judul penelitian" names a study: titles of works, not of the instrument.
    r"judul(?!\s+(?:buku|karya|skripsi|tesis|disertasi|artikel|jurnal|penelitian))|"
    r"nama\s+lengkap)\b"
    # "ditetapkan" alone is any "set" ("tarif yang ditetapkan"), "disahkan" any approval ("RPTKA yang disahkan");
    # asked when or where, they are the enactment (a UU is "disahkan" by the President).
    r"|\b(?:kapan|tanggal\s+berapa|di\s*mana)\b.{0,200}\b(?:ditetapkan|disahkan)\b"
    r"|\b(?:ditetapkan|disahkan)\s+(?:pada\s+tanggal|di\s*mana)\b"
    # What an instrument is about: "What is Perwali 31/2020 about?", "Apa isi Perwali 24/2018?" (not "isi Pasal 5").
    r"|\babout\s*\?*\s*$|\bapa\s+isi\s+(?!pasal\b)|\bwhat\s+does\b.{0,80}\bregulate\s*\?*\s*$",
    re.IGNORECASE,
)
# A duty to enact, sign or set ("kapan RKPD harus ditetapkan", "which document must the rector sign") is a rule the
# text states, not an event in the instrument's own life: its closing does not answer it.
_REQUIRED_ACT = re.compile(
    r"\b(?:harus|wajib|perlu|mesti|must|should|shall|(?:has|have|needs?)\s+to)\s+(?:segera\s+|(?:[\w/-]+\s+){0,4}?be\s+)?"
    r"(?:ditetapkan|disahkan|diundangkan|ditandatangani|enacted|promulgated|signed|issued|stipulated|adopted)\b",
    re.IGNORECASE,
)
# Which part of an instrument's own text answers a question about it (UU 12/2011, Lampiran II): the title block
# states its number, year and subject; the closing, where and when it was enacted and promulgated, and who signed.
_ASKS_TITLE = re.compile(r"\b(?:title|subject|judul|tentang\s+apa|apa\s+isi|nama\s+lengkap)\b|"
                         r"\b(?:about|regulate)\s*\?*\s*$", re.IGNORECASE)
_ASKS_CLOSING = re.compile(rf"\b(?:sign\w*|enact\w*|promulgat\w*|issued|stipulated|{_SIGNING_VERBS}|{_COPIES}|"
                           r"ditetapkan|disahkan)\b", re.IGNORECASE)
# When an instrument takes effect, or for how long it is valid: its commencement clause answers ("… mulai berlaku
# pada tanggal diundangkan", "berlaku surut sejak …"), not the signature block's dates.
# A question asks in the commencement clause's own words (IN_FORCE) or in these.
_COMMENCEMENT = re.compile(
    r"\b(?:takes?|took|taking)\s+effect\b|\b(?:comes?|came|enters?|entered)\s+into\s+force\b|"
    r"\bin\s+force\s+(?:from|since|on|until)\b|\beffective\s+(?:from|date|as\s+of)\b|\bvalidity\b|"
    r"\bvalid\s+(?:from|for|until)\b|\bfor\s+what\s+period\b|\b(?:sejak\s+)?kapan\b[^?.]{0,120}\bberlaku\b|"
    rf"{IN_FORCE.pattern}|\bberlaku\s+mulai\b|\b(?:masa|saat|tanggal)\s+berlaku(?:nya)?\b",
    re.IGNORECASE,
)
# How a city regulates something: its instruments answer. What an amendment changes: its directives answer.
_REGULATORY = re.compile(
    r"\b(?:regulat\w*|rules?|legal\s+(?:basis|framework)|instruments?|peraturan|mengatur|diatur|regulasi|"
    r"dasar\s+hukum|payung\s+hukum)\b",
    re.IGNORECASE,
)
_AMENDMENT = re.compile(r"\b(?:chang\w*|amend\w*|revis\w*|diubah|mengubah|ubah|perubahan)\b", re.IGNORECASE)
# Which instruments one revokes (or which revoked it): its closing provisions state them in the prescribed
# formula. Asked as "which … repeal", "apa … dicabut"; "the repealed bylaw" or "sejak kapan pencabutan …
# berlaku" ask something else.
_REVOCATION = re.compile(
    r"\b(?:which|what)\b.{0,160}\b(?:repeal|revok|rescind)\w*|\b(?:repeal|revoke|rescind)s?\s+(?:which|what)\b|"
    r"\b(?:which|what)\b.{0,160}\b(?:ceases?|ceased)\s+to\s+(?:apply|be\s+in\s+force|have\s+effect)\b|"
    r"\b(?:which|what)\b.{0,160}\bno\s+longer\s+(?:in\s+force|valid|appl(?:y|ies))\b|"
    r"\b(?:apa|mana)\b.{0,160}\b(?:dicabut|mencabut|dinyatakan\s+tidak\s+berlaku|tidak\s+berlaku\s+lagi)\b|"
    r"\b(?:dicabut|mencabut)\s+(?:apa|yang\s+mana)\b|"
    # Asked as a noun: "cakupan pencabutan … oleh PP 4/2014", "the scope of the repeal".
    r"\b(?:cakupan|lingkup|scope|extent)\s+(?:of\s+(?:the\s+)?)?(?:pencabutan|revocation|repeal)\b",
    re.IGNORECASE,
)
# A revoking instrument's title ("Perda 7/2019 tentang Pencabutan Perda 13/2012", "the bylaw on the repeal of …")
# names it; it does not ask what was revoked.
_REVOKING_TITLE = re.compile(r"\b(?:tentang|on(?:\s+the)?)\s+(?:pencabutan|repeal(?:ing)?|revocation)\b|"
                             # or a participle after its identifier: "Perda 3/2017 revoking the irrigation bylaw"
                             r"(?<=\d)\s+(?:revoking|repealing|rescinding|yang\s+mencabut)\b|"
                             # or an adjective: "the P3A set up under the repealed 2008 irrigation bylaw"
                             r"\b(?:the|a|an|its|their)\s+(?:now\s+)?(?:repealed|revoked|rescinded)\b", re.IGNORECASE)
# Words that only say which instrument is meant (its kind, issuer, number): dropped with the identifier.
# The kinds' short names are core's; "perban" and "kepka" (an agency's Peraturan Badan, its head's Keputusan
# Kepala) are named by the agency after them, which core reads in words only; "s" is what "mayor's" leaves.
_NAMING_WORDS = frozenset(
    """peraturan keputusan instruksi undang-undang undang daerah bupati gubernur walikota wali kota menteri presiden
    pemerintah badan kepala nomor no nr tahun of the regulation regulations decree decision instruction law
    government governor regent mayor minister ministerial presidential regional regency city province provinsi
    kabupaten kab kota perban kepka s""".split()  # noqa: SIM905
) | frozenset(SHORT_NAMES)


@dataclass(frozen=True)
class NamedInstrument:
    """An instrument the question names by number and year, with the documents in the library that are it."""

    number: str
    year: int
    doc_ids: tuple[str, ...]
    label: str = ""
    # In a comparison asking each instrument something else, what it is asked (:mod:`api.engine.sides`),
    # without the words naming it.
    asked: str = ""


@dataclass(frozen=True)
class RegionSide:
    """A region the question asks about beside the one instrument it names ("What fine does UU 13/2003 set, and
    how does that compare with the maximum fine in Pinrang's becak bylaw?"): a side of its own, searched in the
    region's documents for what it is asked (:mod:`api.engine.sides`; "" when not asked apart)."""

    region: Region
    asked: str = ""


@dataclass(frozen=True)
class QueryPlan:
    """Everything later steps need to know about a question, worked out once."""

    question: str
    language: Language
    regions: tuple[Region, ...] = ()
    instruments: tuple[NamedInstrument, ...] = ()
    articles: tuple[str, ...] = ()  # lowercased Pasal numbers: "12a", "5"
    answer_type: AnswerType = "other"
    about_instrument: bool = False
    regulatory: bool = False  # "how does X regulate Y": the region's instruments on Y answer
    amendment: bool = False  # "what does Perwali 19/2024 change": the recorded directives answer
    revocation: bool = False  # "which bylaw does Perda 3/2017 repeal": the revocation article answers
    commencement: bool = False  # "when does Perbup 24/2025 take effect": its commencement clause answers
    reason: bool = False  # "why was it made", "which letter approved it": its considering clauses answer
    legal_basis: bool = False  # "which regulation is its legal basis": its "Mengingat" list answers
    elucidation: bool = False  # "what does its elucidation say": its Penjelasan answers
    change: AmendmentAction | None = None  # "which articles were inserted": the directives inserting them answer
    content: str = ""  # the question without the words naming an instrument
    # The question without the subjects of the instruments it names: "anak" is asked in "siapa anak menurut UU
    # 13/2003 tentang Ketenagakerjaan", "ketenagakerjaan" is not.
    untitled: str = ""
    unresolved: tuple[str, ...] = field(default=())  # "number/year" named but not in the library
    scope: tuple[str, ...] = ()  # the documents of the development plans it names in words ("the RKPD 2016")
    beside: tuple[RegionSide, ...] = ()

    @property
    def asks_in(self) -> str:
        """The text a defined term is looked for in: the question without its instruments' subjects."""
        return self.untitled or self.question

    @property
    def found_instruments(self) -> tuple[NamedInstrument, ...]:
        return tuple(i for i in self.instruments if i.doc_ids)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(d for i in self.found_instruments for d in i.doc_ids)


def identity_asked(role: PassageRole | None, plan: QueryPlan) -> bool:
    """Is a passage of one of the roles that name an instrument (title block, closing, legal bases) evidence for
    this question? All of them are when it asks about the instrument itself; its list of legal bases ("Mengingat")
    also when it asks for them ("which ministerial regulation is its legal basis")."""
    if role not in IDENTITY_ROLES:
        return False
    return plan.about_instrument or (role == PassageRole.LEGAL_BASIS and plan.legal_basis)


def identity_roles(plan: QueryPlan) -> frozenset[PassageRole]:
    """The parts of a named instrument that answer a question about the instrument itself: its closing for
    when, where and by whom, its title block for what it is; both when the question asks both or neither."""
    title = bool(_ASKS_TITLE.search(plan.question))
    closing = plan.answer_type in ("date", "who") or bool(_ASKS_CLOSING.search(plan.question))
    if title == closing:
        return frozenset((PassageRole.TITLE, PassageRole.CLOSING))
    return frozenset((PassageRole.TITLE,) if title else (PassageRole.CLOSING,))


def asks_about_instrument(question: str) -> bool:
    """Does the question ask about the instrument itself (its title, who signed it, when it was enacted)?"""
    return bool(_ABOUT_INSTRUMENT.search(_REQUIRED_ACT.sub(" ", question)))


# What the considering clauses ("Menimbang: a. bahwa …") answer: why an instrument was made, and which letter,
# ruling or regulation it rests on ("which letter approved …", "Putusan Mahkamah Konstitusi mana …").
_ASKS_REASON = re.compile(
    r"\b(?:why|reasons?|rationale|grounds|mengapa|kenapa|alasan|pertimbangan|latar\s+belakang)\b|"
    # The instrument asked for, named by up to four words ("which Home Affairs ministerial regulation"); not one
    # the question asks about ("what fine does the regulation impose").
    r"\b(?:which|what)(?:\s+(?!(?:does|do|did|is|are|was|were|must|can|may|will|has|have|had)\b)[\w'’-]+){0,4}?"
    r"\s+(?:letter|regulation|decision|decree|ruling|judgment|law|bylaw)s?\b|"
    r"\b(?:surat|peraturan|keputusan|putusan|undang-undang|perda)(?:\s+[\w/-]+){0,6}?\s+(?:mana|nomor\s+berapa)\b",
    re.IGNORECASE,
)


def asks_reason(question: str) -> bool:
    """Does the question ask why an instrument was made, or which instrument or letter it rests on?"""
    return bool(_ASKS_REASON.search(question))


# An instrument's legal bases asked for in so many words: its "Mengingat" list answers. Not "which regulation does
# it amend" nor "why": those are its amending article and its considering clauses.
_ASKS_LEGAL_BASIS = re.compile(
    r"\b(?:legal\s+(?:bas[ie]s|grounds?|foundations?)|dasar\s+hukum(?:nya)?|landasan\s+hukum(?:nya)?|"
    r"cited\s+(?:as|in|among)|(?:dijadikan|menjadi)\s+(?:dasar|landasan|acuan)(?!\s+pertimbangan)|"
    # "which regulation does it cite / rely on", "yang turut diperhatikan dalam Perbup …" (its Memperhatikan list)
    r"(?:does|do|did)\s+(?:\S+\s+){1,8}?(?:cite|rel(?:y|ies)\s+(?:up)?on)|diperhatikan\s+dalam|"
    # "which regulation is the decree based on?": the stranded preposition asks for the basis itself.
    r"(?:is|are|was|were)\s+[^?.]{1,120}?\bbased\s+(?:up)?on(?=\s*\?))",
    re.IGNORECASE,
)


# An instrument's elucidation asked for in so many words ("what does its elucidation say", "menurut penjelasan
# Perda 4/2022"); "penjelasan" alone is any explanation ("penjelasan lebih lanjut").
_ASKS_ELUCIDATION = re.compile(
    r"\b(?:elucidations?|explanatory\s+(?:memorandum|notes?|section)|penjelasan(?:nya)?(?=\s+(?:atas\s+)?"
    rf"(?:{SHORT_NAME}|peraturan|undang|pasal|umum)\b))\b",
    re.IGNORECASE,
)


def asks_elucidation(question: str) -> bool:
    """Does the question ask what an instrument's elucidation (its Penjelasan) says?"""
    return bool(_ASKS_ELUCIDATION.search(question))


# An amendment's directives insert, delete or reword: the question may ask for one kind ("which articles were
# inserted", "ayat mana yang dihapus"), or which units were reworded ("which provisions does it change"); "how
# did it change the rate" asks what the new wording says, which the amended article answers.
_UNITS = (r"(?:provisions?|articles?|paragraphs?|sections?|parts?|annex(?:es)?|pasal|ketentuan|ayat|lampiran|"
          r"bagian)")
# The verb, not the noun: "by the 2024 amendment" names the amending instrument.
_REWORDED = r"(?:chang(?:e[sd]?|ing)|amend(?:s|ed)?|rewr(?:ites?|itten|ote)|reword\w*|revise[sd]?)"
_CHANGES: tuple[tuple[AmendmentAction, re.Pattern[str]], ...] = (
    ("disisipkan", re.compile(r"\b(?:disisipkan|menyisipkan|sisip\w*|insert\w*)\b", re.IGNORECASE)),
    ("dihapus", re.compile(r"\b(?:dihapus\w*|menghapus|hapus|delet\w*|remov\w*|struck\s+out)\b", re.IGNORECASE)),
    ("diubah", re.compile(
        rf"\b(?:which|what)\s+(?:\w+\s+){{0,2}}?{_UNITS}\b[^?]{{0,160}}?\b{_REWORDED}\b|"
        rf"\b{_UNITS}\s+(?:apa|mana)(?:\s+saja)?\b[^?]{{0,160}}?\b(?:diubah|mengubah|berubah)\b", re.IGNORECASE)),
)


# "Article 58J, as inserted by PP 66/2010", "sebagaimana telah diubah": the citation formula names a unit by its
# history; it does not ask what was changed.
_AS_CHANGED = re.compile(r"(?:\bas|\bsebagaimana(?:\s+telah)?)\s+$", re.IGNORECASE)


# A change named to set it apart: "deleted outright (rather than reworded)", "bukan diubah".
_NEGATED = re.compile(r"(?:\brather\s+than|\binstead\s+of|\bnot|\bbukan|\btidak)\s+(?:\w+\s+)?\w+$", re.IGNORECASE)


def asked_change(question: str) -> AmendmentAction | None:
    """The kind of amendment directive the question asks for, when it asks for one."""
    for action, pattern in _CHANGES:
        if any(not _AS_CHANGED.search(question[: m.start()]) and not _NEGATED.search(question[: m.end()])
               for m in pattern.finditer(question)):
            return action
    return None


def asks_legal_basis(question: str) -> bool:
    """Does the question ask for the instruments an instrument lists as its legal bases?"""
    return bool(_ASKS_LEGAL_BASIS.search(question))


# What a permit, a rating or a contract is valid for is its own term, which the instrument sets in an article:
# "masa berlaku izin", "how long is the accreditation valid", not when the instrument itself takes effect.
_HOLDS_VALIDITY = (r"(?:izin|perizinan|peringkat|akreditasi|sertifikat|kartu|paspor|visa|rptka|imta|kontrak|"
                   r"perjanjian|lisensi|pengesahan|persetujuan|rekomendasi|permits?|licen[cs]es?|accreditations?|"
                   r"ratings?|certificates?|cards?|passports?|visas?|approvals?|agreements?|contracts?|"
                   r"registrations?)")
_OTHER_VALIDITY = re.compile(
    rf"\b(?:masa|jangka\s+waktu)\s+berlaku(?:nya)?\s+(?:[\w-]+\s+){{0,2}}?{_HOLDS_VALIDITY}\b|"
    rf"\bvalidity\s+(?:period\s+)?of\s+(?:[\w-]+\s+){{0,3}}?{_HOLDS_VALIDITY}\b|"
    rf"\b{_HOLDS_VALIDITY}\s+(?:[\w'’-]+\s+){{0,4}}?valid\b|\b{_HOLDS_VALIDITY}\b[^?.]{{0,60}}\bberlaku\s+(?:selama|untuk)\b",
    re.IGNORECASE,
)


def asks_commencement(question: str) -> bool:
    """Does the question ask when an instrument takes effect, or for how long it applies?"""
    return bool(_COMMENCEMENT.search(question)) and not _OTHER_VALIDITY.search(question)


def asks_revocation(question: str) -> bool:
    """Does the question ask which instruments one revokes (or which revoked it)?"""
    return bool(_REVOCATION.search(_REVOKING_TITLE.sub(" ", question)))


def answer_type(question: str) -> AnswerType:
    for name, pattern in _ANSWER_TYPES:
        if pattern.search(question):
            return name
    return "other"


def resolve_instruments(
    numbers: Sequence[tuple[str, int]],
    metas: Mapping[str, DocumentMeta],
    regions: Sequence[Region],
    kinds: Mapping[tuple[str, int], str] | None = None,
) -> tuple[NamedInstrument, ...]:
    """Each (number, year) the question names, with the documents whose own identity carries it. When several
    do (PP 4/2014 and a Perda 4/2014), the kind of instrument the question names (``kinds``) and then a region
    it names decide."""
    named = []
    codes = {r.code for r in regions}
    for number, year in numbers:
        docs = [m for m in metas.values() if m.regulation is not None and same_number(m.regulation.number, number)
                and m.regulation.year == year]
        kind = (kinds or {}).get((number, year))
        # "Perda Kota Bekasi 13/2003" is not UU 13/2003, nor Perwali Kendari 19/2024 "Perwali Bekasi 19/2024":
        # a kind or issuer the question names that no document of that number has leaves it unresolved.
        if kind:
            docs = [m for m in docs if m.regulation is not None and same_kind(m.regulation.instrument, kind)]
        local = [m for m in docs if m.regulation is not None and m.regulation.region_code in codes]
        foreign = regions and docs and not any(issued_in(m, regions) for m in docs)
        chosen = [] if foreign else local or docs
        label = chosen[0].regulation.label if chosen and chosen[0].regulation is not None else f"{number}/{year}"
        named.append(NamedInstrument(number, year, tuple(m.doc_id for m in chosen), label))
    return tuple(named)


def content_text(question: str, regions: Sequence[Region] = (), named_as: Sequence[str] = ()) -> str:
    """The question without its instrument identifiers and the naming words before them ("Perbup Pinrang
    3/2015", "Regional Regulation of Pinrang Regency No. 7 of 2019"). ``named_as``: how the question wrote its
    regions ("DKI Jakarta" for Daerah Khusus Ibukota Jakarta)."""
    naming = _NAMING_WORDS | {w for name in (*(r.name for r in regions), *named_as) for w in name.lower().split()}
    # A sentence's full stop is not part of the number it ends on ("… dalam Perda Magelang 4/2022.").
    words = re.findall(r"[\w./\-]*[\w/\-]|[^\w\s]", normalise_numbers(question.lower()))
    keep: list[str] = []
    for word in words:
        if parse_identifier(word):
            while keep and (keep[-1] in naming or keep[-1] == "'" or instrument_named(keep[-1])
                            or (len(keep) > 1 and instrument_named(f"{keep[-2]} {keep[-1]}"))):  # "Permenpan RB"
                keep.pop()
            continue
        keep.append(word)
    return " ".join(keep)


def analyse(retriever: HybridRetriever, question: str, filters: SearchFilters | None = None) -> QueryPlan:
    filters = filters or SearchFilters()
    mentions = retriever.library.gazetteer.city_mentions(question)
    regions = tuple(_regions(retriever, mentions, filters))
    identifiers = query_identifiers(question)
    kinds = {(m.ref.number.lower(), m.ref.year): m.ref.instrument
             for m in parse_regulation_refs(question, retriever.library.gazetteer) if m.ref.year}
    metas = retriever.documents()
    instruments = tuple(_misread(question, _by_title_block(retriever, i), metas, regions) for i in
                        resolve_instruments(identifiers.numbers, metas, regions, kinds))
    surfaces: dict[str, list[str]] = {}
    for mention in mentions:
        surfaces.setdefault(mention.region.code, []).append(mention.surface)
    by_description = described(question, metas, regions, instruments, surfaces)
    instruments += by_description
    # A development plan named in words is where to look, as a document the user picked would be; the question
    # is about its content, not about an instrument.
    plans = [] if any(i.doc_ids for i in instruments) else described_plans(question, metas, regions)
    instruments = one_per_document(instruments)
    change = asked_change(question)
    beside = regions_beside(instruments, regions, metas)
    instruments, sides = with_sides(question, instruments, [(r, surfaces[r.code][0]) for r in beside], regions,
                                    [m.surface for m in mentions])
    return QueryPlan(
        question=question,
        language=detect_language(question),
        regions=regions,
        instruments=instruments,
        articles=asked_articles(question),
        answer_type=answer_type(question),
        about_instrument=asks_about_instrument(question),
        regulatory=bool(_REGULATORY.search(question)),
        amendment=bool(_AMENDMENT.search(question)) or change is not None,
        revocation=asks_revocation(question),
        commencement=asks_commencement(question),
        reason=asks_reason(question),
        legal_basis=asks_legal_basis(question),
        elucidation=asks_elucidation(question),
        change=change,
        content=without_descriptions(content_text(question, regions, [m.surface for m in mentions]),
                                     [i.year for i in by_description] + [p.named_year for p in plans if p.named_year])
        if any(i.doc_ids for i in instruments) or plans else question,
        scope=tuple(d for p in plans for d in p.doc_ids),
        beside=sides,
        unresolved=tuple(f"{i.number}/{i.year}" for i in instruments if not i.doc_ids),
        untitled=without_titles(question, [metas[d] for i in instruments for d in i.doc_ids if d in metas]),
    )


def one_per_document(instruments: Sequence[NamedInstrument]) -> tuple[NamedInstrument, ...]:
    """Named instruments that are the same documents count once: "Perbup 33/2024 as amended by Perbup 24/2025",
    when the library holds the amended text only in the amending one, is one instrument to read, not two
    sides to compare."""
    kept: list[NamedInstrument] = []
    for instrument in instruments:
        twin = next((k for k, other in enumerate(kept) if set(other.doc_ids) & set(instrument.doc_ids)), None)
        if twin is None:
            kept.append(instrument)
            continue
        first = kept[twin]
        # The label an identity carries, over the bare "33/2024" of one read through its amender.
        label = first.label if first.label != f"{first.number}/{first.year}" else instrument.label
        docs = (*first.doc_ids, *(d for d in instrument.doc_ids if d not in first.doc_ids))
        kept[twin] = replace(first, doc_ids=docs, label=label)
    return tuple(kept)


def with_sides(
    question: str, instruments: tuple[NamedInstrument, ...], beside: Sequence[tuple[Region, str]],
    regions: Sequence[Region], named_as: Sequence[str],
) -> tuple[tuple[NamedInstrument, ...], tuple[RegionSide, ...]]:
    """The found instruments and the regions beside them (each with the words naming it), with what the question
    asks each of them, when it asks them apart."""
    found = [k for k, i in enumerate(instruments) if i.doc_ids]
    named: list[tuple[str, int] | str] = [(instruments[k].number, instruments[k].year) for k in found]
    clauses = side_clauses(question, [*named, *(surface for _, surface in beside)])
    asked = dict(zip(found, clauses, strict=False))
    instruments = tuple(replace(i, asked=content_text(asked[k], regions, named_as)) if asked.get(k) else i
                        for k, i in enumerate(instruments))
    sides = tuple(RegionSide(region, content_text(clause, regions, named_as) if clause else "")
                  for (region, _), clause in zip(beside, clauses[len(found):], strict=True))
    return instruments, sides


def regions_beside(
    instruments: Sequence[NamedInstrument], regions: Sequence[Region], metas: Mapping[str, DocumentMeta]
) -> tuple[Region, ...]:
    """The regions a question names apart from the issuer of the one instrument it names
    (:func:`~api.engine.issuers.issued_apart`): other sides to compare."""
    found = [i for i in instruments if i.doc_ids]
    if len(found) != 1:
        return ()
    own = [metas[d] for d in found[0].doc_ids if d in metas]
    return tuple(r for r in regions if own and all(issued_apart(m, r) for m in own))


def without_titles(question: str, named: Sequence[DocumentMeta]) -> str:
    """``question`` with each named instrument's subject ("tentang Ketenagakerjaan") taken out, and the subject
    of an instrument it names in words only ("the Permendikbud tentang Akreditasi Program Studi"): its words
    name the instrument, not what is asked about it."""
    for meta in named:
        subject = meta.regulation.subject if meta.regulation is not None else None
        if subject:
            question = re.sub(rf"(?i)\b(?:tentang\s+|on\s+)?{re.escape(subject)}", " ", question)
    for pattern, _ in KINDS_IN_WORDS:
        for match in reversed(list(pattern.finditer(question))):
            titled = _SUBJECT_AFTER.match(question, match.end())
            if titled is not None:
                question = question[: titled.start("subject")] + " " + question[titled.end():]
    return question


# A title's subject after the kind ("Permendikbud Nomor 5 Tahun 2020 tentang Akreditasi Program Studi dan
# Perguruan Tinggi"): its capitalised words and the small words between them, as titles are written.
_SUBJECT_AFTER = re.compile(
    r"(?:\s+[\w/.'’-]+){0,6}?\s+(?:tentang|on)\s+"
    r"(?P<subject>[A-Z][\w/-]*(?:\s+(?:(?:dan|and|of|di|pada|atas|serta|the|for|untuk)\s+)?[A-Z][\w/-]*)*)")


def described(
    question: str, metas: Mapping[str, DocumentMeta], regions: Sequence[Region],
    numbered: Sequence[NamedInstrument], surfaces: Mapping[str, Sequence[str]] | None = None,
) -> tuple[NamedInstrument, ...]:
    """The instruments the question describes by kind, issuer and year (:mod:`api.engine.described`) that
    it does not also name by number."""
    taken = {d for i in numbered for d in i.doc_ids}
    found = []
    for year, doc_ids in described_instruments(question, metas, regions, surfaces):
        ref = metas[doc_ids[0]].regulation
        if ref is None or taken & set(doc_ids):
            continue
        found.append(NamedInstrument(ref.number.lower(), year, doc_ids, ref.label))
    return tuple(found)


def _misread(
    question: str, named: NamedInstrument, metas: Mapping[str, DocumentMeta], regions: Sequence[Region]
) -> NamedInstrument:
    """An instrument still unresolved may be the document whose number was read unsure (a handwritten title)
    and whose subject the question states (:func:`api.engine.described.misnumbered`)."""
    if named.doc_ids:
        return named
    doc_ids = misnumbered(question, named.number, named.year, metas, regions)
    ref = metas[doc_ids[0]].regulation if doc_ids else None
    return NamedInstrument(named.number, named.year, doc_ids, ref.label) if ref is not None else named


def _by_title_block(retriever: HybridRetriever, named: NamedInstrument) -> NamedInstrument:
    """An instrument whose document's recorded identity missed its number (a handwritten or OCR-damaged title)
    is still the document whose opening passage carries that number and year."""
    if named.doc_ids:
        return named
    token = f"{named.number}/{named.year}".lower()
    metas = retriever.documents()
    # A document recorded with this very number and year was already judged (and refused) by kind and issuer.
    judged = {d for d, m in metas.items() if m.regulation is not None and m.regulation.year == named.year
              and same_number(m.regulation.number, named.number)}
    docs = tuple(doc_id for doc_id in opening_identifiers(retriever).get(token, ()) if doc_id not in judged)
    return NamedInstrument(named.number, named.year, docs, named.label) if docs else named


# The opening passages of a document: where its title block with its number and year stands.
OPENING_LAST = 1


def opening_identifiers(retriever: HybridRetriever) -> dict[str, tuple[str, ...]]:
    """Each "number/year" token of a document's opening passages → the documents that carry it: read once,
    not for every question (a national corpus has a title block per document)."""
    def build() -> dict[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for doc_id, passages in retriever.openings(OPENING_LAST):
            opening = "\n".join(p.text for p in passages)
            for token in {t for t in tokenize(opening) if "/" in t}:
                index.setdefault(token, []).append(doc_id)
        return {token: tuple(docs) for token, docs in index.items()}

    views: dict[str, tuple[str, ...]] = retriever.derived("opening identifiers", build)
    return views


def _regions(retriever: HybridRetriever, mentions: Sequence[CityMention], filters: SearchFilters) -> list[Region]:
    """Regions in the filters, else those the question names (provinces too: a Pergub is a province's)."""
    if filters.cities:
        return list({r.code: r for r in (retriever.resolve_city(c) for c in filters.cities)}.values())
    regions = [m.region for m in mentions]
    return list({r.code: r for r in regions}.values())
