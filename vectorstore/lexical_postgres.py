"""The lexical index served by PostgreSQL (``BK_STORE__LEXICAL=postgres``): the same BM25 as the embedded bm25s
index (``vectorstore.lexical.LexicalIndex``), over the same tokens and with the same query expansion, kept in the
catalog's database rather than in every reading process.

Ingest writes a document's postings in one transaction (replacing any it had) and a delete removes them; a query
reads the postings of its own (expanded) terms only, and the vocabulary and root classes that expansion consults
are looked up for the query's words. So an API replica holds nothing that grows with the corpus, and replicas and
queue workers on several machines share one index.

Scores are those of bm25s's defaults (Lucene's BM25: its k1, b and idf, taken from ``bm25s.BM25`` itself), summed
as ``LexicalIndex`` sums them: each query word (an expanded term group) counts its best indexed form, weighted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import bm25s
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql

from core.errors import ConfigurationError
from core.types import Passage
from vectorstore.catalog_db import is_postgres, lock_for_writers, transaction
from vectorstore.catalog_schema import lexical_passages, lexical_postings, lexical_stats, lexical_terms
from vectorstore.lexical import (
    TermGroup,
    expand_query,
    query_terms,
    search_text,
    tokenize,
    with_headings,
)
from vectorstore.stemming import stem

logger = logging.getLogger(__name__)

_BM25 = bm25s.BM25()  # the embedded index's parameters, so that both modes score alike
if _BM25.method != "lucene" or _BM25.idf_method != "lucene":  # pragma: no cover - a bm25s that changed its default
    raise ImportError(f"bm25s now defaults to {_BM25.method}/{_BM25.idf_method}; lexical_postgres scores Lucene's BM25")
K1, B = float(_BM25.k1), float(_BM25.b)
# An API replica looks at the index's generation at most this often: often enough that a document another
# process ingested is searchable within a second, rarely enough that a question's many reads cost no round trip.
GENERATION_POLL_S = 1.0
EXPANSIONS_CACHED = 1024
# The server memory one search may aggregate in before spilling to disk (PostgreSQL's default, 4 MB, spilled a
# question's 240k (passage, word) pairs at 100k passages in five batches).
SEARCH_WORK_MEM = "64MB"
_STATS_ROW = 1
_BATCH = 5000

# One statement per query: per group, a passage's best alternative (BM25 × the form's factor × the group's weight),
# summed over groups, the k best returned (ties to the earlier passage, as the embedded index breaks them). What
# depends only on the asked form (its weight × idf) and on the corpus (the length normalisation's constants) is
# computed once per form, so a posting costs one division; every constant is a float8, as PostgreSQL would
# otherwise compute in numeric. A group of one form needs no maximum: its postings go straight to the sum, and only
# groups of several forms are aggregated twice (most of a search's time is aggregation: 273k postings of a question
# at 100k passages were read in 0.12 s and aggregated in 1.2 s). The k passages' ids are looked up one by one: a
# join read every passage's row.
_SEARCH = f"""
WITH corpus AS (
    SELECT passages::float8 AS n, total_length::float8 / GREATEST(passages, 1) AS avgdl
    FROM lexical_stats WHERE id = {_STATS_ROW}
), q AS MATERIALIZED (
    SELECT q.grp, q.token_id, q.single,
           q.weight * q.factor * ln(1 + (corpus.n - t.df + CAST(0.5 AS float8)) / (t.df + CAST(0.5 AS float8))) AS wi,
           CAST({K1 * (1 - B)!r} AS float8) AS c0, CAST({K1 * B!r} AS float8) / corpus.avgdl AS c1
    FROM unnest(CAST(:groups AS int[]), CAST(:weights AS float8[]), CAST(:tokens AS int[]),
                CAST(:factors AS float8[]), CAST(:singles AS bool[])) AS q(grp, weight, token_id, factor, single)
    JOIN lexical_terms t ON t.token_id = q.token_id
    CROSS JOIN corpus
), best AS (
    SELECT p.row_id, q.wi * p.tf / (p.tf + q.c0 + q.c1 * p.length) AS score
    FROM q JOIN lexical_postings p ON p.token_id = q.token_id
    WHERE q.single {{restriction}}
    UNION ALL
    SELECT p.row_id, max(q.wi * p.tf / (p.tf + q.c0 + q.c1 * p.length))
    FROM q JOIN lexical_postings p ON p.token_id = q.token_id
    WHERE NOT q.single {{restriction}}
    GROUP BY p.row_id, q.grp
), total AS (
    SELECT row_id, sum(score) AS score FROM best GROUP BY row_id HAVING sum(score) > 0
    ORDER BY score DESC, row_id LIMIT :k
)
SELECT (SELECT l.passage_id FROM lexical_passages l WHERE l.row_id = total.row_id), total.score
FROM total ORDER BY total.score DESC, total.row_id
"""
_SEARCH_ALL = text(_SEARCH.format(restriction=""))
_SEARCH_ALLOWED = text(_SEARCH.format(restriction="AND p.row_id IN (SELECT row_id FROM lexical_passages "
                                                  "WHERE passage_id = ANY(CAST(:allowed AS text[])))"))


@dataclass(frozen=True)
class Vocabulary:
    """The indexed tokens a query's expansion may consult: token → id, token → document frequency, and the root
    classes (:func:`vectorstore.stemming.stem` → the indexed letters-only forms of that root)."""

    ids: Mapping[str, int]
    df: Mapping[str, int]
    stem_classes: Mapping[str, tuple[str, ...]]


class _AskedKeys(Mapping[str, Any]):
    """A vocabulary that holds every token and records each one asked (and a root-class map that holds none and
    records each root asked): :func:`expand_query` run over it asks for every key it could ask of the real
    vocabulary, so one lookup fetches all of them. (Every word holding lets compounds and translations go on to
    ask for their own roots and misreadings.)"""

    def __init__(self, holds: bool) -> None:
        self.asked: set[str] = set()
        self._holds = holds

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return self._holds

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        if self._holds:
            return 0
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        raise TypeError("query expansion may only look tokens up in a server-side vocabulary, not list it")

    def __len__(self) -> int:
        raise TypeError("query expansion may only look tokens up in a server-side vocabulary, not size it")


class PostgresLexicalIndex:
    """The lexical index at one generation of the database's index (a new object once another write lands, which
    is how the retriever's views know to re-read the store); implements ``LexicalLike``."""

    def __init__(self, engine: Engine, generation: int = 0) -> None:
        if not is_postgres(engine):
            raise ConfigurationError(
                "BK_STORE__LEXICAL=postgres serves the lexical index from the catalog's PostgreSQL, but the catalog "
                f"is {engine.url.get_backend_name()}.",
                hint="Set BK_STORE__DATABASE_URL to a PostgreSQL database, or leave BK_STORE__LEXICAL at bm25s.",
            )
        self.engine = engine
        self.generation = generation
        # A question is searched once per city it names, and the answer engine asks how widespread each of its words
        # is: each expansion is looked up once per generation. Bounded, so a long-lived replica holds a few MB.
        self._expansions = lru_cache(maxsize=EXPANSIONS_CACHED)(self._expand)

    # --- reading ----------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return read_stats(self.engine)[0]

    @property
    def ids(self) -> list[str]:
        """Every indexed passage id, in index order (what the consistency checks compare with the store)."""
        with transaction(self.engine, write=False) as conn:
            return list(conn.execute(select(lexical_passages.c.passage_id).order_by(lexical_passages.c.row_id))
                        .scalars())

    def vocabulary(self, tokens: Iterable[str], roots: Iterable[str]) -> Vocabulary:
        """The indexed ``tokens`` (with their ids and document frequencies) and the forms of ``roots``."""
        ids: dict[str, int] = {}
        dfs: dict[str, int] = {}
        classes: dict[str, list[str]] = {}
        t = lexical_terms.c
        query = (select(t.token, t.token_id, t.df, t.stem)
                 .where(t.df > 0, t.token.in_(bindparam("tokens", expanding=True))
                        | t.stem.in_(bindparam("roots", expanding=True))))
        with transaction(self.engine, write=False) as conn:
            for token, token_id, df, root in conn.execute(query, {"tokens": sorted(set(tokens)),
                                                                  "roots": sorted(set(roots))}):
                ids[token], dfs[token] = token_id, df
                if root is not None:
                    classes.setdefault(root, []).append(token)
        return Vocabulary(ids, dfs, {root: tuple(forms) for root, forms in classes.items()})

    def expanded(self, query: str) -> tuple[list[TermGroup], Vocabulary]:
        """:func:`expand_query` over the indexed vocabulary, looked up for this query's words only; and that
        part of the vocabulary."""
        return self._expansions(query)

    def _expand(self, query: str) -> tuple[list[TermGroup], Vocabulary]:
        vocab, roots = _AskedKeys(holds=True), _AskedKeys(holds=False)
        expand_query(query, vocab, roots)
        found = self.vocabulary(vocab.asked, roots.asked)
        return expand_query(query, found.ids, found.stem_classes), found

    def _plain(self, query: str) -> tuple[list[TermGroup], Vocabulary]:
        """The query's own terms (:func:`query_terms`), each a group of itself, as ``LexicalIndex.scores`` reads it."""
        weights = query_terms(query)
        found = self.vocabulary(weights, ())
        return [TermGroup(float(w), {t: 1.0}) for t, w in weights.items() if t in found.ids], found

    def search(
        self, query: str, k: int, allowed_ids: AbstractSet[str] | None = None, *, expand: bool = False
    ) -> list[tuple[str, float]]:
        """The ``k`` best passages with a positive score, restricted to ``allowed_ids`` *before* ranking;
        ``expand`` matches other forms and translations of the query's words (:func:`expand_query`)."""
        if k <= 0 or (allowed_ids is not None and not allowed_ids):
            return []
        groups, found = self.expanded(query) if expand else self._plain(query)
        rows = [(g, group.weight, found.ids[token], factor, len(group.alternatives) == 1)
                for g, group in enumerate(groups) for token, factor in group.alternatives.items()]
        if not rows:
            return []
        params: dict[str, object] = {"groups": [r[0] for r in rows], "weights": [r[1] for r in rows],
                                     "tokens": [r[2] for r in rows], "factors": [r[3] for r in rows],
                                     "singles": [r[4] for r in rows], "k": k}
        statement = _SEARCH_ALL
        if allowed_ids is not None:
            statement, params["allowed"] = _SEARCH_ALLOWED, list(allowed_ids)
        with transaction(self.engine, write=False) as conn:
            conn.execute(text(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'"))
            return [(pid, float(score)) for pid, score in conn.execute(statement, params)]

    def document_frequency(self, term: str) -> int:
        """How many passages hold the term in its most widespread indexed form: itself, another form of its root
        or a translation (:func:`expand_query`)."""
        groups, found = self.expanded(term)
        return max((found.df[token] for group in groups for token in group.alternatives), default=0)

    # --- writing ----------------------------------------------------------------------------------------------

    # What this object writes changes the counts it looked up: each write forgets its expansions.

    def put_document(self, doc_id: str, passages: Iterable[Passage]) -> None:
        """Index a document's passages (each read as ``vectorstore.lexical.search_texts`` reads it), replacing what
        the document had: running it twice leaves the index as once."""
        tokenized = [(doc_id, pid, tokens) for _, pid, tokens in _tokenized(passages)]
        with transaction(self.engine, write=True) as conn:
            lock_for_writers(conn)  # the token counts and the totals are shared by every document
            _delete_documents(conn, [doc_id])
            _insert_passages(conn, tokenized)
            _bump_generation(conn)
        self._expansions.cache_clear()

    def delete_document(self, doc_id: str) -> None:
        with transaction(self.engine, write=True) as conn:
            lock_for_writers(conn)
            _delete_documents(conn, [doc_id])
            _bump_generation(conn)
        self._expansions.cache_clear()

    def rebuild(self, passages: Iterable[Passage]) -> int:
        """Replace the whole index with ``passages`` (a store's, in its order); returns how many it holds. One
        transaction: readers see the old index until it ends."""
        count = 0
        with transaction(self.engine, write=True) as conn:
            lock_for_writers(conn)
            for table in (lexical_postings, lexical_passages, lexical_terms, lexical_stats):
                conn.execute(delete(table))
            batch: list[tuple[str, str, list[str]]] = []
            for row in _tokenized(passages):
                batch.append(row)
                count += 1
                if len(batch) >= _BATCH:
                    _insert_passages(conn, batch)
                    batch = []
            _insert_passages(conn, batch)
            _bump_generation(conn)
        self._expansions.cache_clear()
        logger.info("lexical index rebuilt in %s over %d passages", self.engine.url.render_as_string(), count)
        return count


def read_stats(engine: Engine) -> tuple[int, int]:
    """(passages, generation) of the database's index; (0, 0) before anything was written."""
    with transaction(engine, write=False) as conn:
        row = conn.execute(select(lexical_stats.c.passages, lexical_stats.c.generation)
                           .where(lexical_stats.c.id == _STATS_ROW)).one_or_none()
    return (int(row[0]), int(row[1])) if row is not None else (0, 0)


class ServerLexical:
    """The index as a reader sees it: :meth:`current` is the index at the database's latest generation, looked
    at no more often than :data:`GENERATION_POLL_S` (or at once after :meth:`refresh`)."""

    def __init__(self, engine: Engine) -> None:
        self._index = PostgresLexicalIndex(engine)
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def current(self) -> PostgresLexicalIndex:
        with self._lock:
            if time.monotonic() - self._checked >= GENERATION_POLL_S:
                self._refresh_locked()
            return self._index

    def refresh(self) -> PostgresLexicalIndex:
        with self._lock:
            self._refresh_locked()
            return self._index

    def _refresh_locked(self) -> None:
        generation = read_stats(self._index.engine)[1]
        if generation != self._index.generation:
            self._index = PostgresLexicalIndex(self._index.engine, generation)
        self._checked = time.monotonic()


# --- the writes' statements ---------------------------------------------------------------------------------------


def _tokenized(passages: Iterable[Passage]) -> Iterator[tuple[str, str, list[str]]]:
    """(doc id, passage id, tokens) of each passage, read as the embedded index reads it (``search_texts``: with
    the titles of its units)."""
    for passage, headings in with_headings(passages):
        yield passage.doc_id, passage.passage_id, tokenize(search_text(passage, headings))


def _insert_passages(conn: Connection, tokenized: list[tuple[str, str, list[str]]]) -> None:
    """Index passages given as (doc id, passage id, tokens), in this order."""
    if not tokenized:
        return
    row_ids = conn.execute(
        insert(lexical_passages).returning(lexical_passages.c.row_id, sort_by_parameter_order=True),
        [{"passage_id": pid, "doc_id": doc_id, "length": len(tokens)} for doc_id, pid, tokens in tokenized],
    ).scalars().all()
    counts = [(row_id, Counter(tokens), len(tokens)) for row_id, (_, _, tokens) in zip(row_ids, tokenized, strict=True)]
    token_ids = _token_ids(conn, {token for _, tf, _ in counts for token in tf})
    # COPY: a passage has a hundred postings or so, and INSERT's bound parameters cost several times as much.
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy("COPY lexical_postings (token_id, row_id, tf, length) FROM STDIN") as copy:
        for row_id, tf, length in counts:
            for token, n in tf.items():
                copy.write_row((token_ids[token], row_id, n, length))
    df = Counter(token_ids[token] for _, tf, _ in counts for token in tf)
    _add_df(conn, df, 1)
    _add_totals(conn, len(counts), sum(length for _, _, length in counts))


def _token_ids(conn: Connection, tokens: set[str]) -> dict[str, int]:
    """Ids of ``tokens``, new ones added (with their roots)."""
    ordered = sorted(tokens)
    for start in range(0, len(ordered), _BATCH):
        rows = [{"token": t, "stem": stem(t) if t.isalpha() else None} for t in ordered[start:start + _BATCH]]
        conn.execute(postgresql.insert(lexical_terms).on_conflict_do_nothing(index_elements=["token"]), rows)
    found: dict[str, int] = {}
    for start in range(0, len(ordered), _BATCH):
        chunk = ordered[start:start + _BATCH]
        found.update(conn.execute(select(lexical_terms.c.token, lexical_terms.c.token_id)
                                  .where(lexical_terms.c.token.in_(chunk))).tuples().all())
    return found


def _add_df(conn: Connection, df: Mapping[int, int], sign: int) -> None:
    if df:
        ids, counts = list(df), [sign * n for n in df.values()]
        conn.execute(text("UPDATE lexical_terms t SET df = t.df + c.n FROM unnest(CAST(:ids AS int[]), "
                          "CAST(:counts AS int[])) AS c(token_id, n) WHERE t.token_id = c.token_id"),
                     {"ids": ids, "counts": counts})


def _add_totals(conn: Connection, passages: int, length: int) -> None:
    s = lexical_stats.c
    statement = postgresql.insert(lexical_stats).values(id=_STATS_ROW, passages=passages, total_length=length,
                                                        generation=0)
    conn.execute(statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"passages": s.passages + passages, "total_length": s.total_length + length}))


def _bump_generation(conn: Connection) -> None:
    _add_totals(conn, 0, 0)  # the row exists from here on
    conn.execute(update(lexical_stats).where(lexical_stats.c.id == _STATS_ROW)
                 .values(generation=lexical_stats.c.generation + 1))


def _delete_documents(conn: Connection, doc_ids: list[str]) -> None:
    p = lexical_passages.c
    rows = conn.execute(select(p.row_id, p.length).where(p.doc_id.in_(doc_ids))).all()
    if not rows:
        return
    row_ids = [row_id for row_id, _ in rows]
    po = lexical_postings.c
    df: dict[int, int] = dict(conn.execute(select(po.token_id, func.count()).where(po.row_id.in_(row_ids))
                           .group_by(po.token_id)).tuples().all())
    _add_df(conn, df, -1)
    conn.execute(delete(lexical_postings).where(po.row_id.in_(row_ids)))
    conn.execute(delete(lexical_passages).where(p.row_id.in_(row_ids)))
    _add_totals(conn, -len(rows), -sum(length for _, length in rows))
