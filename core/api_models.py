"""Request and response bodies of the HTTP API, imported by the API (which validates and serialises with them)
and by the UI's client (which parses with them), so a field renamed on one side is renamed on the other.
Domain types come from ``core.types``; only the envelopes that exist for HTTP are declared here."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.types import (
    AmendmentAction,
    Citation,
    Comparison,
    DocumentMeta,
    IndicatorRow,
    IngestOutcome,
    OutlineNode,
    PageSpan,
    PlanRef,
    Region,
    RegulationRef,
    RegulationRelation,
    SearchFilters,
    SearchHit,
    TimelineEntry,
)


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchRequest(Request):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"query": "Nomor 14 Tahun 2022", "k": 5},
        {"query": "SPBE regulation", "k": 10, "filters": {"cities": ["Balikpapan"], "doc_types": ["paper"]}},
        {"query": "keterbukaan informasi publik", "filters": {"pasal": "12", "language": "id"}},
    ]})

    query: str = Field(min_length=1, max_length=2000, description="Words, a question or an identifier.")
    k: int = Field(10, ge=1, le=50, description="How many passages to return.")
    filters: SearchFilters = Field(default_factory=SearchFilters)


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]
    took_ms: float


class AskRequest(Request):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "How do Balikpapan and Samarinda regulate SPBE?"},
        {"question": "Apa isi Perwali Nomor 14 Tahun 2022?", "engine": "extractive"},
        {"question": "What does Kendari's third amendment of Perwali 48/2021 change?", "k": 5},
    ]})

    question: str = Field(min_length=1, max_length=2000, description="In English or Indonesian.")
    filters: SearchFilters = Field(default_factory=SearchFilters)
    k: int = Field(8, ge=1, le=20)
    engine: Literal["auto", "extractive", "generative"] = "auto"
    lang: Literal["id", "en"] | None = Field(None, description="Language of the answer's own sentences (refusal, "
                                             "what was searched); else the Accept-Language header, else English.")


class CompareRequest(Request):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"cities": ["Balikpapan", "Samarinda"], "topic": "SPBE"},
        {"cities": ["Kota Malang", "Kota Balikpapan", "Kota Samarinda"], "topic": "smart city budget"},
    ]})

    cities: list[str] = Field(min_length=2, max_length=6, description="Names or Kemendagri codes, 2 to 6.")
    topic: str = Field(min_length=1, max_length=500, description="An aspect (e.g. 'SPBE') or a question.")
    aspects: list[str] | None = Field(None, max_length=20)
    k_per_city: int = Field(6, ge=1, le=20)


class ComparisonResponse(Comparison):
    timeline: tuple[TimelineEntry, ...] = ()


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    documents: int
    passages: int
    embedding_model: str
    store: Literal["embedded", "server"]
    ocr_available: bool
    llm_configured: bool


class Mention(BaseModel):
    doc_id: str
    passage_id: str | None
    title: str
    page: int | None


class RegulationSummary(BaseModel):
    key: str
    ref: RegulationRef
    label: str
    aspects: list[str]
    mentions: list[Mention]
    aliases: list[str] = Field(
        default_factory=list,
        description="Keys of partial mentions counted as this instrument: one without the year or the issuing "
        "region (the source omitted it) when this is the only instrument that fits.",
    )


class RegulationList(BaseModel):
    regulations: list[RegulationSummary]


class UnitChange(BaseModel):
    """A unit of one regulation changed by another, with the directive that changes it:
    'Pasal 11 diubah by Perwali Kota Kendari No. 19 Tahun 2024'."""

    unit: str = Field(description="The amended regulation's unit: 'Pasal 11', 'Pasal 11A', 'Pasal 15 ayat (2)'.")
    action: AmendmentAction = Field(description="diubah: given new wording; disisipkan: inserted; dihapus: deleted.")
    label: str = Field(description="Said plainly: 'Pasal 11 diubah by Perwali Kota Kendari No. 19 Tahun 2024'.")
    amended: RegulationRef = Field(description="The regulation whose unit is changed.")
    amended_key: str = Field(description="Its key (GET /regulations/{key}).")
    amended_by: RegulationRef = Field(description="The amending regulation, whose directive makes the change.")
    amended_by_key: str = Field(description="Its key (GET /regulations/{key}).")
    doc_id: str = Field(description="The amending regulation's document, which holds the directive.")
    evidence: str = Field(description="The directive as written: 'Ketentuan Pasal 11 diubah sehingga berbunyi "
                          "sebagai berikut:'.")
    start: int = Field(description="Offset of the directive in the document's clean text.")
    end: int = Field(description="End of the directive (GET /documents/{doc_id}/context?start=&end= shows it).")
    passage_ids: list[str] = Field(default_factory=list, description="The document's passages holding the "
                                   "directive.")
    citation: Citation | None = Field(None, description="The directive cited from the first passage holding it "
                                      "(quote, page, Pasal, label); None when no stored passage holds it.")
    new_wording: str = Field("", description="The unit as the amending regulation words it (empty when the "
                             "change deletes it or the wording was not found).")
    old_wording: str = Field("", description="The unit as the amended regulation worded it, when that regulation "
                             "is in the corpus.")


class RegulationDetail(BaseModel):
    key: str
    ref: RegulationRef
    label: str
    outline: list[OutlineNode]
    relations_out: list[RegulationRelation]
    relations_in: list[RegulationRelation]
    amended_units: list[UnitChange] = Field(
        default_factory=list,
        description="Units of this regulation that regulations in the corpus change ('Pasal 11 diubah by ...'), "
        "in the order the amending regulations state them.",
    )
    changes: list[UnitChange] = Field(
        default_factory=list,
        description="For an amending regulation: the units it changes in the regulation it amends, in text order.",
    )
    newer_amendment: bool = Field(
        description="True when a regulation in the corpus amends this one (an 'amends' relation); a revocation "
        "is reported in revoked_by instead."
    )
    revoked_by: list[RegulationRef] = Field(
        default_factory=list,
        description="Regulations in the corpus that revoke this one ('revokes' relations); empty while in force.",
    )
    mentions: list[Mention]
    aliases: list[str] = Field(default_factory=list, description="As in the regulation list.")


class CityCount(BaseModel):
    region: Region
    documents: int
    passages: int


class CityList(BaseModel):
    cities: list[CityCount]


class DocumentList(BaseModel):
    documents: list[DocumentMeta]


class DocumentDetail(DocumentMeta):
    pages: tuple[PageSpan, ...] = ()


class QuoteContext(BaseModel):
    before: str
    quote: str
    after: str
    page: int
    section: str


class PassageView(BaseModel):
    """One passage in its place: the clean text around it, its neighbours and what the source viewer needs to
    show its page."""

    doc_id: str
    passage_id: str
    title: str
    filename: str
    media_type: str
    is_pdf: bool = Field(description="True when GET /documents/{doc_id}/pages/{page}/image can render its pages.")
    page: int = Field(description="The page the passage starts on.")
    page_end: int
    page_count: int
    page_source: Literal["text", "ocr"] = Field("text", description="How the page's text was read.")
    section: str = Field(description="'BAB III › Bagian Kedua › Pasal 12 ayat (3)'.")
    start: int = Field(description="Offset of the passage in the document's clean text.")
    end: int
    text: str = Field(description="The passage: clean_text[start:end].")
    before: str = Field(description="Clean text just before the passage, from a word boundary.")
    after: str = Field(description="Clean text just after the passage, to a word boundary.")
    previous_id: str | None = Field(None, description="The document's passage before this one.")
    next_id: str | None = Field(None, description="The document's passage after this one.")
    regulation_key: str | None = Field(None, description="When the document is a regulation: its registry key.")
    acronyms: tuple[str, ...] = Field((), description="The acronyms the passage writes, with the long forms its "
                                      "document defines them by ('TKA: Tenaga Kerja Asing').")


class PassageEntry(BaseModel):
    passage_id: str
    index: int
    page: int
    section: str


class PassageList(BaseModel):
    doc_id: str
    passages: list[PassageEntry] = Field(description="The document's passages in reading order.")


class PageHighlights(BaseModel):
    """Where a span lies on a rendered PDF page, as fractions of the page (top-left origin)."""

    doc_id: str
    page: int
    boxes: list[tuple[float, float, float, float]] = Field(description="(left, top, right, bottom) per box.")


JobStatus = Literal["queued", "running", "done", "failed"]


class JobAccepted(BaseModel):
    job_id: str
    filename: str


class Job(BaseModel):
    job_id: str
    filename: str
    status: JobStatus
    outcome: IngestOutcome | None = None
    message: str = ""


class Reindexed(BaseModel):
    passages: int


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. 'unknown_city', 'not_found', 'rate_limited'.")
    message: str = Field(description="What went wrong, in words a user can act on.")
    hint: str | None = Field(None, description="What to do about it, when there is something to do.")
    status: int = Field(description="The HTTP status, repeated for clients that only see the body.")


class ErrorEnvelope(BaseModel):
    """Every error response has this shape, whatever the route and status."""

    error: ErrorBody


class PlanSummary(BaseModel):
    """A development plan in the corpus (or the regulation enacting one)."""

    key: str = Field(description="PlanRef.key, e.g. 'renstra|33.74|bappeda|2016-2021'.")
    label: str = Field(description="'Perubahan Kedua Renstra Bappeda Kota Semarang 2016–2021'.")
    plan: PlanRef
    doc_id: str
    title: str
    filename: str
    page_count: int
    chapters: list[str] = Field(default_factory=list, description="The plan's chapters as found: 'BAB I PENDAHULUAN'.")
    indicators: int = Field(0, description="Indicator rows read from its target tables.")


class PlanList(BaseModel):
    plans: list[PlanSummary]


class IndicatorHit(BaseModel):
    """An indicator row with the citation that opens it (the indicator's words in the plan's text), when the
    text layer holds them; ``row.page`` and ``row.bbox`` locate the row on the page in any case."""

    row: IndicatorRow
    citation: Citation | None = None


class IndicatorList(BaseModel):
    plan: PlanSummary
    filters: dict[str, str | int | None]
    indicators: list[IndicatorHit]
