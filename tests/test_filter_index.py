"""The filter index selects exactly the passages that a passage-by-passage check of the same filters keeps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.types import DocumentMeta, Passage, RegulationRef, SearchFilters
from vectorstore.filter_index import FilterIndex

CITIES = ["64.71", "64.72", "35.73", "35.07"]
DOCS = ["d1", "d2", "d3", "d4"]
PASALS = ["1", "2", "12a"]
REFS = [
    RegulationRef(instrument="Perwali", number="31", year=2020, region_code="64.71"),
    RegulationRef(instrument="Perda", number="6", year=2021, region_code="64.72"),
    RegulationRef(instrument="UU", number="23", year=2014),
]
KEYS = [r.key for r in REFS]
SINGKAWANG_24 = RegulationRef(instrument="Perwali", number="24", year=2018, region_code="61.72")
DOC_TYPES = ["paper", "regulation", "plan", "report", "other"]


def reference(passage: Passage, meta: DocumentMeta | None, filters: SearchFilters, cities: list[str]) -> bool:
    """The filters' meaning, one passage at a time (as ``chroma_store.where_for`` states it for Chroma)."""
    if cities and not set(cities) & set(passage.about_cities):
        return False
    year = meta.year if meta else None
    return all(
        (
            not filters.doc_types or (meta is not None and meta.doc_type in filters.doc_types),
            filters.year_from is None or (year is not None and year >= filters.year_from),
            filters.year_to is None or (year is not None and year <= filters.year_to),
            filters.language is None or passage.language == filters.language,
            not filters.doc_ids or passage.doc_id in filters.doc_ids,
            filters.pasal is None or passage.pasal == filters.pasal,
            filters.regulation is None or _of_regulation(passage, meta, filters.regulation.lower()),
        )
    )


def _of_regulation(passage: Passage, meta: DocumentMeta | None, key: str) -> bool:
    """Part of the regulation's own document, or a passage elsewhere that mentions it."""
    own = meta is not None and meta.regulation is not None and meta.regulation.key == key
    return own or key in passage.regulations


@st.composite
def passages(draw: st.DrawFn) -> list[Passage]:
    count = draw(st.integers(0, 25))
    return [
        Passage(
            passage_id=f"p{i}",
            doc_id=draw(st.sampled_from(DOCS)),
            index=i,
            text="x",
            start=0,
            end=1,
            page_start=1,
            page_end=1,
            language=draw(st.sampled_from(["id", "en"])),
            about_cities=tuple(draw(st.lists(st.sampled_from(CITIES), max_size=2, unique=True))),
            regulations=tuple(draw(st.lists(st.sampled_from(KEYS), max_size=2, unique=True))),
            pasal=draw(st.none() | st.sampled_from(PASALS)),
        )
        for i in range(count)
    ]


metas = st.dictionaries(
    st.sampled_from(DOCS[:3]),  # d4 never has a catalog entry
    st.builds(
        lambda doc_type, year, own: (doc_type, year, own),
        st.sampled_from(DOC_TYPES),
        st.none() | st.integers(2015, 2024),
        st.none() | st.sampled_from(REFS),
    ),
)

filters = st.builds(
    SearchFilters,
    doc_types=st.lists(st.sampled_from(DOC_TYPES), max_size=2, unique=True),
    year_from=st.none() | st.integers(2014, 2025),
    year_to=st.none() | st.integers(2014, 2025),
    language=st.none() | st.sampled_from(["id", "en"]),
    doc_ids=st.lists(st.sampled_from([*DOCS, "missing"]), max_size=2, unique=True),
    pasal=st.none() | st.sampled_from([*PASALS, "99"]),
    regulation=st.none() | st.sampled_from([*KEYS, "PERDA|64.72|6|2021", "pp|national|1|2000"]),
)


@settings(max_examples=300, deadline=None)
@given(passages(), metas, filters, st.lists(st.sampled_from(CITIES), max_size=2, unique=True))
def test_allowed_matches_the_passage_by_passage_check(items, doc_specs, search_filters, cities):
    catalog = {
        doc_id: DocumentMeta(doc_id=doc_id, filename=f"{doc_id}.pdf", media_type="application/pdf", title=doc_id,
                             doc_type=doc_type, year=year, regulation=own)
        for doc_id, (doc_type, year, own) in doc_specs.items()
    }
    index = FilterIndex.build(items, catalog)
    expected = {p.passage_id for p in items if reference(p, catalog.get(p.doc_id), search_filters, cities)}
    assert set(index.allowed(search_filters, cities)) == expected


def passage(pid: str, doc_id: str, pasal: str | None = None, regulations: tuple[str, ...] = ()) -> Passage:
    return Passage(passage_id=pid, doc_id=doc_id, index=0, text="x", start=0, end=1, page_start=1, page_end=1,
                   pasal=pasal, regulations=regulations)


def test_a_regulation_filter_keeps_its_own_articles_and_the_mentions_elsewhere():
    # Perwako Singkawang 24/2018: its Pasal 12 cites only UU 14/2008, never the Perwali itself.
    items = [
        passage("own:12", "skw24", pasal="12", regulations=("uu|national|14|2008",)),
        passage("own:13", "skw24", pasal="13"),
        passage("paper:4", "paper", regulations=(SINGKAWANG_24.key,)),
        passage("other:12", "sby68", pasal="12"),
    ]
    metas = {
        "skw24": DocumentMeta(doc_id="skw24", filename="s.pdf", media_type="application/pdf", title="Perwako 24",
                              doc_type="regulation", regulation=SINGKAWANG_24),
        "paper": DocumentMeta(doc_id="paper", filename="p.pdf", media_type="application/pdf", title="A paper"),
    }
    index = FilterIndex.build(items, metas)
    assert index.allowed(SearchFilters(regulation=SINGKAWANG_24.key)) == {"own:12", "own:13", "paper:4"}
    assert index.allowed(SearchFilters(regulation=SINGKAWANG_24.key.upper(), pasal="12")) == {"own:12"}
    assert index.regulation_documents(SINGKAWANG_24.key) == {"skw24"}
    # An article of the regulation is not a *mention* of it (the identifier boost counts mentions).
    assert index.mentioning([("24", 2018)]) == {"paper:4"}


def test_no_filters_select_every_passage_without_copying():
    items = [Passage(passage_id=f"p{i}", doc_id="d1", index=i, text="x", start=0, end=1, page_start=1, page_end=1)
             for i in range(3)]
    index = FilterIndex.build(items, {})
    assert index.allowed(SearchFilters()) is index.all_ids
    assert index.all_ids == {"p0", "p1", "p2"}


PIPE_KEYS = ["perwali|64.71|31|2020", "perda|64.72|31|2020", "kepwali|64.71|224/bappeda|2023", "uu||23|2014",
             "perwali|64.71|14|"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIPE_KEYS), max_size=3, unique=True), max_size=12),
       st.lists(st.tuples(st.sampled_from(["31", "224", "224/bappeda", "23", "14", "9"]),
                          st.sampled_from([2014, 2020, 2023])), max_size=3))
def test_mentioning_finds_what_key_matches_finds(keys_per_passage, numbers):
    from vectorstore.hybrid import key_matches

    items = [Passage(passage_id=f"p{i}", doc_id="d1", index=i, text="x", start=0, end=1, page_start=1, page_end=1,
                     regulations=tuple(keys)) for i, keys in enumerate(keys_per_passage)]
    expected = {p.passage_id for p in items if any(key_matches(k, numbers) for k in p.regulations)}
    assert FilterIndex.build(items, {}).mentioning(numbers) == expected
