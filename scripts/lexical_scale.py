"""The lexical index at scale, embedded (bm25s, in the reading process) against served (PostgreSQL,
``BK_STORE__LEXICAL=postgres``): ``scripts/benchmark.py --lexical 100000,1000000`` (issue 15, item 4).

SYNTHETIC TEXT: the passages are the paragraphs of scale documents (``scale_corpus.py``: the sample papers'
paragraphs recombined, cities and regulation numbers varied), so the vocabulary is the sample corpus's, far
smaller than a national corpus's, and every common word's postings are long: the hard case for a query. For each
size both indexes are built over the same passages; then the devset's questions are searched as the retriever
searches them (expanded, ``candidates_per_list`` deep), over everything and restricted to a city-sized subset
(every 64th document: about 1.5 % of the passages). Memory: the resident set a fresh process gains by opening each
index and searching every question once (the served index's size on the server's disk is given beside it). The
PostgreSQL server is a fresh one on loopback (``testing/postgres_server.py``: default settings but no fsync),
sharing the machine with the benchmark; after the build the tables are vacuumed, as autovacuum would.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from core.settings import PROJECT_ROOT, Settings
from core.types import Passage
from vectorstore.catalog import Catalog
from vectorstore.lexical import LexicalIndex, search_texts
from vectorstore.lexical_postgres import PostgresLexicalIndex

SUBSET_EVERY = 64  # documents: a subset the size of one city's share of a national store


@dataclass
class LexicalRow:
    engine: str
    passages: int
    build_s: float
    queries: int
    p50_ms: float
    p95_ms: float
    subset_p50_ms: float
    subset_p95_ms: float
    reader_mb: float  # what a reading process holds for the index
    server_mb: float  # what the database holds (0 for the embedded index)


def synthetic_passages(target: int) -> Iterator[Passage]:
    """At least ``target`` passages: each scale document's paragraphs (SYNTHETIC TEXT, see the module)."""
    from scale_corpus import ScaleCorpus, paragraphs_of

    corpus = ScaleCorpus.from_documents(PROJECT_ROOT / "documents")
    made, doc = 0, 0
    while made < target:
        doc_id = f"synthetic{doc:07d}"
        for index, paragraph in enumerate(paragraphs_of(corpus.document(doc))):
            yield Passage(passage_id=f"{doc_id}-{index:04d}", doc_id=doc_id, index=index, text=paragraph,
                          start=0, end=len(paragraph), page_start=1, page_end=1)
            made += 1
        doc += 1


def questions() -> list[str]:
    """The sample devset's questions, then the real one's (every part): what the retriever is asked."""
    from api.evaluation import DEVSET, REAL_DEVSET, load_questions

    return [q.question for path in (DEVSET, REAL_DEVSET) for q in load_questions(path)]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else 0.0


def timed_searches(index: LexicalIndex | PostgresLexicalIndex, asked: Sequence[str], depth: int,
                   allowed: set[str] | None) -> list[float]:
    for question in asked[:3]:  # warm-up: caches, the first plan
        index.search(question, depth, allowed, expand=True)
    times = []
    for question in asked:
        started = time.perf_counter()
        index.search(question, depth, allowed, expand=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _opened_rss(where: str, result: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    import psutil

    before = psutil.Process().memory_info().rss
    catalog = Catalog(where) if "://" in where else None
    index = PostgresLexicalIndex(catalog.engine) if catalog is not None else LexicalIndex.load(Path(where))
    for question in questions():  # the embedded index builds its root classes on first use
        index.search(question, 50, expand=True)
    result.put((psutil.Process().memory_info().rss - before) / 2**20)


def reader_memory_mb(where: str) -> float:
    """The resident memory a fresh process gains by opening an index (a saved folder, or a database URL) and
    searching every question once."""
    context = multiprocessing.get_context("spawn")
    result = context.Queue()
    process = context.Process(target=_opened_rss, args=(where, result))
    process.start()
    gained = float(result.get(timeout=3600))
    process.join()
    return gained


def settle(catalog: Catalog) -> None:
    """What autovacuum does to a table that has taken inserts: statistics, and its pages marked all-visible, so
    that a token's postings are read from the covering index alone. The test server commits asynchronously, and
    VACUUM marks a page only once its rows' commits reached the WAL (the WAL writer's 200 ms)."""
    time.sleep(1.0)
    with catalog.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SELECT count(*) FROM lexical_postings"))  # sets the rows' commit hint bits
        conn.execute(text("VACUUM (ANALYZE) lexical_postings, lexical_passages, lexical_terms, lexical_stats"))


def measure(sizes: Sequence[int], work: Path, base: Settings) -> list[LexicalRow]:
    from testing.postgres_server import running_postgres_server

    asked = questions()
    depth = base.retrieval.candidates_per_list
    rows = []
    with running_postgres_server() as server:
        for size in sizes:
            subset = {p.passage_id for p in synthetic_passages(size)
                      if int(p.doc_id.removeprefix("synthetic")) % SUBSET_EVERY == 0}

            started = time.perf_counter()
            embedded = LexicalIndex.build(search_texts(synthetic_passages(size)))
            build_s = time.perf_counter() - started
            folder = work / f"lexical-{size}"
            embedded.save(folder)
            everything = timed_searches(embedded, asked, depth, None)
            restricted = timed_searches(embedded, asked, depth, subset)
            count = len(embedded)
            rows.append(LexicalRow("bm25s (embedded)", count, build_s, len(asked),
                                   percentile(everything, 50), percentile(everything, 95),
                                   percentile(restricted, 50), percentile(restricted, 95),
                                   reader_memory_mb(str(folder)), 0.0))
            del embedded

            url = server.create_database(f"lexical_{size}")
            catalog = Catalog(url)
            served = PostgresLexicalIndex(catalog.engine)
            started = time.perf_counter()
            served.rebuild(synthetic_passages(size))
            build_s = time.perf_counter() - started
            settle(catalog)
            with catalog.engine.connect() as conn:
                server_mb = conn.execute(text(
                    "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY['lexical_passages', 'lexical_terms', "
                    "'lexical_postings', 'lexical_stats']::regclass[]) AS c")).scalar_one() / 2**20
            everything = timed_searches(served, asked, depth, None)
            restricted = timed_searches(served, asked, depth, subset)
            rows.append(LexicalRow("postgres (served)", count, build_s, len(asked),
                                   percentile(everything, 50), percentile(everything, 95),
                                   percentile(restricted, 50), percentile(restricted, 95), reader_memory_mb(url),
                                   float(server_mb)))
            catalog.close()
    return rows
