"""The domain types, declared once and used by every layer (ingest, store, API, UI client, tests).

Offsets are always character offsets into a document's stored *clean text* (``CleanDocument.text``):
for every passage ``clean_text[passage.start:passage.end] == passage.text``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal, NamedTuple, TypedDict

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["id", "en"]
DocType = Literal["paper", "regulation", "plan", "report", "other"]
# The files a folder walk picks up and an upload (the API's, the UI's picker) accepts; the loaders themselves
# sniff content first.
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".docx", ".html", ".htm")
PageSource = Literal["text", "ocr", "none"]
Engine = Literal["extractive", "generative"]


class PassageRole(StrEnum):
    """What a passage is in its document, which decides what it can be evidence for: a title block or a
    closing identifies an instrument (evidence only for questions about the instrument itself: its title,
    date, signer), definitions answer "what is X", articles answer the rest."""

    TITLE = "title"  # the title block: jenis, nomor, tahun, tentang
    KONSIDERANS = "konsiderans"  # Menimbang: the reasons
    LEGAL_BASIS = "legal_basis"  # Mengingat, or a Lampiran's list of legal bases
    DEFINITIONS = "definitions"  # Pasal 1 "Dalam Peraturan ini yang dimaksud dengan ..."
    ARTICLE = "article"  # a Pasal, ayat or diktum: the operative text
    PENJELASAN = "penjelasan"  # the elucidation
    LAMPIRAN_TABLE = "lampiran_table"  # an annex laid out as a table
    LAMPIRAN = "lampiran"  # an annex in prose
    CLOSING = "closing"  # Ditetapkan di / Diundangkan di, signature, Lembaran/Berita Daerah
    HEADING = "heading"  # a chapter or part title standing alone
    BODY = "body"  # a paper's or report's running text
    TABLE = "table"  # a table of a paper or report
    BIBLIOGRAPHY = "bibliography"  # a reference list


# Roles that name an instrument rather than say what it rules.
IDENTITY_ROLES = frozenset({PassageRole.TITLE, PassageRole.CLOSING, PassageRole.LEGAL_BASIS})


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Region(Frozen):
    """A kabupaten, kota or provinsi from the Kemendagri list."""

    code: str = Field(description="Kemendagri code, dotted: '64.71' (Kota Balikpapan).")
    name: str = Field(description="Bare name: 'Balikpapan'.")
    kind: Literal["kota", "kabupaten", "provinsi"]
    official: str = Field(description="Official name: 'Kota Balikpapan'.")
    province: str = Field(description="Province name, e.g. 'Kalimantan Timur'.")


class CityMention(Frozen):
    """A region named in a text: ``text[start:end] == surface`` ('Kota Balikpapan', 'Malang Regency')."""

    region: Region
    start: int
    end: int
    surface: str


class RegulationRef(Frozen):
    """A legal instrument in normal form, as mentioned in text or as a document's own identity."""

    instrument: str = Field(description="Normal type: UU, PP, Perpres, Permen, Peraturan BSSN, Perda, Pergub, "
                            "Perwali, Perbup, Kepgub, Kepwali, Kepbup, Keppres, Inpres ...")
    number: str = Field(description="Number as written, leading zeros dropped: '31', '188.45-390', '224/BAPPEDA'.")
    year: int | None = None
    region_code: str | None = Field(None, description="Issuing region's Kemendagri code when stated or implied.")
    region_name: str | None = Field(None, description="Issuing region's official name, e.g. 'Kota Balikpapan'.")
    subject: str | None = Field(None, description="'tentang ...' / subject line when known.")
    surface: str = Field("", description="The text as it was written in the source.")
    enacted: date | None = Field(None, description="A document's own identity: 'ditetapkan' (a UU: 'disahkan') date.")
    promulgated: date | None = Field(None, description="A document's own identity: 'diundangkan' date, if any.")
    signer: str | None = Field(None, description="The office the instrument is signed as: 'Bupati Pinrang'; for a "
                               "signature a.n. (on behalf of), the office on whose behalf.")
    confidence: tuple[tuple[str, float], ...] = Field(
        (), description="(field, 0-1) pairs for the fields (number, year, subject, enacted, promulgated ...) read "
        "with less than full confidence: from a handwritten or OCR-damaged spot, or guessed from elsewhere in the "
        "text. A field not listed is as sure as the text it was read from. Pairs, not a dict: the ref is hashable.")

    def confidence_of(self, field: str) -> float:
        return dict(self.confidence).get(field, 1.0)

    @property
    def key(self) -> str:
        """Stable identity used to de-duplicate mentions across documents."""
        region = self.region_code or "national"
        return f"{self.instrument}|{region}|{self.number}|{self.year or ''}".lower()

    @property
    def label(self) -> str:
        """How an Indonesian lawyer writes it: 'Perwali Kota Balikpapan No. 31 Tahun 2020'."""
        where = f" {self.region_name}" if self.region_name else ""
        number = f" No. {self.number}" if self.number else ""  # UUD 1945 has none
        year = f" Tahun {self.year}" if self.year else ""
        return f"{self.instrument}{where}{number}{year}"


class RegulationMention(Frozen):
    """A regulation found in a text, with where it was found (offsets into the analysed text)."""

    ref: RegulationRef
    start: int
    end: int


class Page(Frozen):
    """One page as extracted (before cleaning)."""

    number: int = Field(description="1-based page number in the source file.")
    text: str
    source: PageSource = "text"
    ocr_confidence: float | None = Field(None, description="Mean Tesseract word confidence, 0-100, if OCR'd.")
    text_quality: float | None = Field(None, description="Share of tokens that look like real words, 0-1.")
    note: str | None = Field(None, description="Why the page is empty or degraded, for the user.")


class ExtractedDocument(Frozen):
    """What a loader returns: the pages of one file."""

    path: str
    media_type: str
    pages: tuple[Page, ...]
    title_hint: str | None = None
    warnings: tuple[str, ...] = ()


class PageSpan(Frozen):
    """Where a page lies in the clean text."""

    number: int
    start: int
    end: int
    source: PageSource = "text"
    ocr_confidence: float | None = None


class CleanDocument(Frozen):
    """The document's clean text (the offsets' frame of reference) and its page layout."""

    text: str
    pages: tuple[PageSpan, ...]

    def page_at(self, offset: int) -> int:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.number
        return self.pages[-1].number if self.pages else 1


class PassageKind(StrEnum):
    """The structural unit a section (and each passage cut from it) is, as ingest finds it. A string enum: the
    stores keep the plain value, so stores written before the enum read unchanged."""

    TEXT = "text"  # running text: a paper's section, a regulation's closing, text between headings
    TITLE = "title"  # a paper's title page or a regulation's title block (Judul)
    REFERENCES = "references"  # a paper's reference list
    HEADING = "heading"  # headings standing alone (BAB / Bagian / Paragraf, a plan's chapter title)
    KONSIDERANS = "konsiderans"  # Menimbang / Mengingat
    PASAL = "pasal"  # a whole Pasal (or an amendment's article)
    AYAT = "ayat"  # one or more ayat of a Pasal too long to be one passage
    DIKTUM = "diktum"  # a Keputusan's KESATU, KEDUA ...
    PENJELASAN = "penjelasan"  # the elucidation
    LAMPIRAN = "lampiran"  # an annex


class Section(Frozen):
    """A structural unit found in the clean text (heading, BAB, Pasal, ayat ...)."""

    path: tuple[str, ...] = Field(description="Heading path, outermost first: ('BAB III', 'Bagian Kedua', 'Pasal 12').")
    start: int
    end: int
    kind: PassageKind = PassageKind.TEXT


class Passage(Frozen):
    """A retrievable unit: an exact slice of a document's clean text, with its provenance."""

    passage_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    page_start: int
    page_end: int
    section: str = Field("", description="Readable path: 'BAB III › Bagian Kedua › Pasal 12 ayat (3)'.")
    kind: PassageKind = Field(PassageKind.TEXT, description="The structural unit the passage was cut from.")
    language: Language = "en"
    cities: tuple[str, ...] = Field((), description="Region codes mentioned in the passage.")
    about_cities: tuple[str, ...] = Field((), description="Region codes this passage is evidence for.")
    regulations: tuple[str, ...] = Field((), description="RegulationRef keys mentioned in the passage.")
    pasal: str | None = Field(None, description="Article number when the passage is (part of) a Pasal.")
    ocr_confidence: float | None = None
    role: PassageRole | None = Field(None, description="What the passage is in its document (title block, "
                                     "article, definitions, closing ...); stores built before roles existed "
                                     "get it on read.")
    acronyms: tuple[str, ...] = Field((), description="The acronyms the text writes with the long forms its "
                                      "document defines them by ('TKA: Tenaga Kerja Asing'). Indexed; never quoted.")
    context: str = Field("", description="What the document prints once elsewhere that the passage's text needs "
                         "to be understood and found: for a plan table's rows, the table's caption, column headings "
                         "and the goal or programme the rows serve. Indexed with the text; never quoted.")

    @property
    def embedded_text(self) -> str:
        """What the embedder reads: a table row's figures mean nothing to it without their caption and headings."""
        return f"{self.context}\n{self.text}" if self.context else self.text


PlanKind = Literal["RPJPD", "RPJMD", "RKPD", "Renstra", "Renja"]


class PlanRef(Frozen):
    """A development plan's identity: which plan, of which region (and, for a Renstra or Renja, which Perangkat
    Daerah), for which period. The enacting Perda/Perkada of a plan carries the same identity."""

    kind: PlanKind = Field(description="RPJPD (20 years), RPJMD (5), RKPD (1), Renstra / Renja of a Perangkat Daerah.")
    region_code: str | None = Field(None, description="Kemendagri code of the planning region.")
    region_name: str | None = Field(None, description="Official name, e.g. 'Kota Semarang'.")
    period_start: int | None = Field(None, description="First year the plan covers (the year itself for an RKPD).")
    period_end: int | None = Field(None, description="Last year the plan covers.")
    agency: str | None = Field(None, description="For a Renstra or Renja: the Perangkat Daerah, e.g. 'Bappeda'.")
    amendment: str | None = Field(None, description="'Perubahan', 'Perubahan Kedua' ... when the plan is amended.")

    @property
    def key(self) -> str:
        """Stable identity: 'renstra|33.74|bappeda|2016-2021'."""
        agency = (self.agency or "").lower().replace(" ", "-")
        period = f"{self.period_start or ''}-{self.period_end or ''}"
        return f"{self.kind}|{self.region_code or 'national'}|{agency}|{period}".lower()

    @property
    def label(self) -> str:
        """How a planner names it: 'Perubahan Kedua Renstra Bappeda Kota Semarang 2016–2021'."""
        parts = [self.amendment, self.kind, self.agency, self.region_name]
        if self.period_start and self.period_end and self.period_end != self.period_start:
            parts.append(f"{self.period_start}–{self.period_end}")
        elif self.period_start:
            parts.append(str(self.period_start))
        return " ".join(p for p in parts if p)


class DocumentMeta(Frozen):
    """Catalog entry for one document."""

    doc_id: str = Field(description="Content hash of the file (sha256, first 16 hex).")
    filename: str
    media_type: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    language: Language = "en"
    doc_type: DocType = "other"
    cities: tuple[str, ...] = Field((), description="Region codes the document is about.")
    regulation: RegulationRef | None = Field(None, description="For a regulation: its own identity.")
    plan: PlanRef | None = Field(None, description="For a development plan (or the regulation enacting one): "
                                 "kind, region, period.")
    page_count: int = 0
    passage_count: int = 0
    ocr_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str = Field("", description="Stored copy of the file, relative to the data directory.")
    embedding_model: str = ""
    acronyms: tuple[str, ...] = Field((), description="The acronyms the document defines, with their long forms "
                                      "('TKA: Tenaga Kerja Asing').")
    reader: int = Field(0, description="The version of the reading rules that ingested the document "
                        "(ingest.pipeline.READER_VERSION); a document read by an older one is read again.")


class ManifestEntry(Frozen):
    """A row of documents/manifest.json: what a curator knows about a file."""

    file: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    language: Language | None = None
    doc_type: DocType | None = None
    cities: tuple[str, ...] = Field((), description="City names or region codes.")
    source_url: str | None = None
    notes: str | None = None


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cities: list[str] = Field(default_factory=list, description="Names or region codes; a passage must be about one.")
    doc_types: list[DocType] = Field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    language: Language | None = None
    doc_ids: list[str] = Field(default_factory=list)
    pasal: str | None = Field(None, description="Article number, e.g. '12'.")
    regulation: str | None = Field(None, description="A RegulationRef key.")


class SearchHit(Frozen):
    passage: Passage
    title: str
    doc_type: DocType = "other"
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    highlights: tuple[tuple[int, int], ...] = Field((), description="Spans within passage.text matching the query.")
    citation_label: str = ""


class Citation(Frozen):
    marker: int = Field(description="The [n] used in the answer text.")
    passage_id: str
    doc_id: str
    title: str
    page: int
    section: str = ""
    start: int = Field(description="Offset of the quote in the document's clean text.")
    end: int
    quote: str = Field(description="Verbatim: clean_text[start:end].")
    city: str | None = Field(None, description="Region code the quote is cited for, if any.")
    label: str = Field("", description="Lawyer-style reference: 'Pasal 12 ayat (3), Perda Kota Singkawang No. 5 "
                       "Tahun 2013, p. 9'; for papers 'Title, p. 4, Section'.")
    ocr_confidence: float | None = None
    acronyms: tuple[str, ...] = Field((), description="The acronyms the quote writes, with the long forms its "
                                      "document defines them by ('TKA: Tenaga Kerja Asing').")


class AnswerSentence(Frozen):
    text: str
    citations: tuple[int, ...] = ()
    supported: bool = True


class CityAnswer(Frozen):
    city: str | None = Field(description="Region code, or None for a question naming no city.")
    city_name: str | None = None
    sentences: tuple[AnswerSentence, ...] = ()
    no_evidence: bool = False


class NearestDocument(Frozen):
    doc_id: str
    title: str
    score: float


class Answer(Frozen):
    question: str
    engine: Engine = "extractive"
    text: str = Field(description="The answer with [n] citation markers.")
    covered: bool = Field(description="False when the corpus holds no sufficient evidence.")
    by_city: tuple[CityAnswer, ...] = ()
    citations: tuple[Citation, ...] = ()
    searched: str = Field("", description="What was searched, said plainly (for refusals).")
    nearest_documents: tuple[NearestDocument, ...] = ()
    dropped_sentences: tuple[str, ...] = Field(
        (), description="Why each generated sentence removed as unsupported was removed (its words are not repeated)."
    )
    notes: tuple[str, ...] = ()


class MatrixCell(Frozen):
    aspect: str
    city: str
    instruments: tuple[RegulationRef, ...] = ()
    citations: tuple[Citation, ...] = ()


class TargetCell(Frozen):
    """One cell of the comparison's targets view: an indicator's value for a city and a year, from a plan's target
    table, cited (the row's words through the value, where the text layer keeps them together)."""

    indicator: str
    city: str = Field(description="Region code of the plan's region.")
    year: int
    value: str = Field(description="As printed: '83,23', '5.712 siswa'.")
    kind: Literal["target", "baseline", "realisation"] = "target"
    unit: str | None = None
    plan_key: str = ""
    plan_label: str = ""
    row_id: str = ""
    citation: Citation | None = None


class TimelineEntry(Frozen):
    """One dated instrument of a compared city, placed on the comparison's timeline."""

    city: str = Field(description="Kemendagri code of the city whose instrument it is.")
    year: int
    label: str = Field(description="The instrument as cited (RegulationRef.label).")
    key: str = Field(description="The instrument's registry key (RegulationRef.key).")


class Comparison(Frozen):
    topic: str
    cities: tuple[Region, ...]
    answers: tuple[CityAnswer, ...]
    citations: tuple[Citation, ...]
    aspects: tuple[str, ...]
    matrix: tuple[MatrixCell, ...]
    engine: Engine = "extractive"
    targets: tuple[TargetCell, ...] = Field((), description="The targets view: indicator × city × year from the "
                                            "cities' plans, for the indicators the topic names.")


class LibraryStats(TypedDict):
    """What a store holds (``banding-kota stats``, ``GET /health``)."""

    documents: int
    passages: int
    pages: int
    ocr_pages: int
    embedding_model: str
    store: Literal["embedded", "server"]


class IngestOutcome(Frozen):
    """The result of ingesting one file."""

    path: str
    status: Literal["added", "replaced", "unchanged", "failed"]
    doc_id: str | None = None
    passages: int = 0
    pages: int = 0
    error: str | None = None
    error_code: str | None = None
    hint: str | None = Field(None, description="For a failed file: what to do about it, from the error itself.")
    seconds: float = 0.0
    timings: dict[str, float] = Field(default_factory=dict, description="parse/chunk/embed/store seconds.")
    warnings: tuple[str, ...] = Field((), description="The stored document's warnings (DocumentMeta.warnings): "
                                      "pages left without text and why, e.g. 'OCR not installed' with how to "
                                      "install it; also for an unchanged file, whose stored copy still has them.")


class QueuedFile(Frozen):
    """A file handed to the ingest queue (``ingest/queue``): one task per file."""

    task_id: str = Field(description="The Celery task id; its state and outcome are read from the result backend.")
    path: str = Field(description="The file as the workers will read it.")
    name: str = Field(description="The name shown to people (an upload's own file name, not its spool path).")


class DeadLetter(Frozen):
    """A queued file that failed for good: its file is unreadable or damaged, or the store stayed out of reach
    through every retry. Kept per file until the same file is ingested."""

    path: str = Field(description="The file's path as queued; for an API upload 'upload:<its name>'.")
    name: str
    task_id: str
    reason: str = Field(description="What went wrong, as the CLI would print it.")
    error_code: str | None = Field(None, description="IngestOutcome.error_code, or the exception's name.")
    hint: str | None = None
    attempts: int = Field(1, description="Deliveries the task had, retries included.")
    failed_at: float = Field(description="Unix time of the last failure.")


RelationKind = Literal["cites", "amends", "revokes"]


class RegulationEntry(NamedTuple):
    """A regulation with where it occurs: (doc_id, passage_id); passage_id None means the document *is* it."""

    ref: RegulationRef
    occurrences: list[tuple[str, str | None]]
    aliases: tuple[str, ...] = ()  # keys of partial mentions folded into it (merge_regional, merge_yearless)


class RegulationRelation(Frozen):
    """A typed edge of the regulation graph: ``source`` cites / amends / revokes ``target``."""

    kind: RelationKind
    source: RegulationRef
    target: RegulationRef
    evidence: str = Field("", description="The sentence the relation was read from.")


class OutlineKind(StrEnum):
    """What a node of a regulation's outline is. A string enum: catalogs keep the plain value, so outlines
    stored before the enum read unchanged."""

    BAB = "bab"
    BAGIAN = "bagian"
    PARAGRAF = "paragraf"
    PASAL = "pasal"
    DIKTUM = "diktum"
    PENJELASAN = "penjelasan"
    LAMPIRAN = "lampiran"
    KONSIDERANS = "konsiderans"  # the node holding Menimbang / Mengingat / Memperhatikan, and each of them
    AMENDMENT_ARTICLE = "amendment_article"  # an amending regulation's own 'Pasal I'
    AMENDMENT_ITEM = "amendment_item"  # a numbered change inside it, 'angka 2'
    AMENDED_PASAL = "amended_pasal"  # an article of the amended regulation in its new wording, quoted in it
    # The directive naming a changed unit: label 'Pasal 11', title 'diubah' | 'disisipkan' | 'dihapus'; the same
    # change as LegalDocument.amendments.
    AMENDMENT_CHANGE = "amendment_change"


class OutlineNode(Frozen):
    """One node of a regulation's outline (BAB, Bagian, Paragraf, Pasal, diktum ...)."""

    kind: OutlineKind = Field(description="What the node is (OutlineKind): bab, pasal, amendment_change ...")
    label: str = Field(description="As written: 'BAB III', 'Bagian Kedua', 'Pasal 12', 'KESATU', 'angka 2'.")
    title: str = Field("", description="Heading text, e.g. 'KETENTUAN UMUM'; for amended_pasal and "
                       "amendment_change what happened to the unit ('diubah').")
    start: int
    end: int
    children: tuple[OutlineNode, ...] = ()
    passage_ids: tuple[str, ...] = ()


AmendmentAction = Literal["diubah", "disisipkan", "dihapus"]


class AmendedUnit(Frozen):
    """A unit of an amended regulation that an amending regulation changes, read from the amending
    regulation's directive: "Ketentuan Pasal 11 diubah sehingga berbunyi sebagai berikut:" is Pasal 11, diubah."""

    target: RegulationRef = Field(description="The amended regulation (the target of the 'amends' relation, or "
                                  "the regulation the amending article names first).")
    unit: str = Field(description="The amended regulation's unit as cited: 'Pasal 11', 'Pasal 11A', "
                      "'Pasal 15 ayat (2)'.")
    action: AmendmentAction = Field(description="diubah: given new wording (also 'ditambahkan' to it); "
                                    "disisipkan: inserted; dihapus: deleted.")
    start: int = Field(description="Offset of the directive in the amending regulation's clean text.")
    end: int = Field(description="End of the directive: clean_text[start:end] == evidence.")
    evidence: str = Field(description="The directive as written in the amending regulation.")


class LegalDocument(Frozen):
    """A regulation's text parsed into its legal structure (offsets into the clean text)."""

    regulation: RegulationRef | None = Field(description="Title block: jenis, nomor, tahun, tentang, region.")
    jenis: str = Field("", description="Instrument as written in the title: 'PERATURAN WALI KOTA SINGKAWANG'.")
    outline: tuple[OutlineNode, ...] = ()
    sections: tuple[Section, ...] = Field((), description="Leaf units to chunk: title, konsiderans, each Pasal "
                                          "(with ayat sub-sections), diktum, penjelasan, lampiran.")
    relations: tuple[RegulationRelation, ...] = ()
    is_amendment: bool = False
    amendments: tuple[AmendedUnit, ...] = Field((), description="For an amending regulation: each unit of the "
                                                "amended regulation it changes, in text order.")


class IndicatorValue(Frozen):
    """One value of an indicator row: a target, baseline or realisation for a year, as printed, with its cell."""

    year: int | None = Field(None, description="The year the column is for; None for an end-of-period target.")
    value: str = Field(description="As printed in the cell: '97,50', '5.712 siswa', '100%'.")
    number: float | None = Field(None, description="The value read as a number (Indonesian separators), if it is one.")
    bbox: tuple[float, float, float, float] | None = Field(None, description="The cell on the page, PDF points "
                                                           "(x0, top, x1, bottom), origin top-left.")


class IndicatorRow(Frozen):
    """A row of a plan's target table: an indicator with its baseline and targets per year, the goal or programme
    it serves and who is responsible, with where it was read (page, cell boxes, offsets into the clean text)."""

    row_id: str = Field(description="'<doc_id>:p<page>:t<table>:r<row>[:<item>]'.")
    doc_id: str
    plan_key: str = Field("", description="PlanRef.key of the plan the table belongs to.")
    page: int
    table: str = Field("", description="The table's caption when the page gives one: 'TABEL 6.2 RENCANA PROGRAM ...'.")
    indicator: str
    unit: str | None = None
    baseline: IndicatorValue | None = Field(None, description="Condition at the start of the plan (or a realisation "
                                            "before the first target year), with its year.")
    targets: tuple[IndicatorValue, ...] = Field((), description="Target per year, in year order.")
    end_target: IndicatorValue | None = Field(None, description="Target at the end of the plan period.")
    actuals: tuple[IndicatorValue, ...] = Field((), description="Realisations the table reports (evaluation tables).")
    budgets: tuple[IndicatorValue, ...] = Field((), description="Funds planned per year, in rupiah as printed: "
                                                "anggaran, pagu indikatif, kerangka pendanaan ('RP' beside 'K').")
    budget_realised: tuple[IndicatorValue, ...] = Field((), description="Funds spent per year (realisasi anggaran), "
                                                        "in rupiah as printed.")
    goal: str | None = Field(None, description="The tujuan / sasaran / priority the indicator measures.")
    programme: str | None = Field(None, description="The programme (or kegiatan) the indicator belongs to.")
    code: str | None = Field(None, description="The programme or kegiatan code as printed: '1.06.01.15.005'.")
    agency: str | None = Field(None, description="The responsible Perangkat Daerah, when the table names one.")
    bbox: tuple[float, float, float, float] | None = Field(None, description="The indicator's cell on the page.")
    start: int | None = Field(None, description="Offset of the indicator's words in the clean text, when found.")
    end: int | None = None
    passage_id: str | None = Field(None, description="The passage holding the indicator's words (to cite the row).")

    def target_for(self, year: int) -> IndicatorValue | None:
        return next((t for t in self.targets if t.year == year), None)
