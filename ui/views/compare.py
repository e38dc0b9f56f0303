"""Compare page: 2–4 cities side by side on one topic, with cited answers, a regulation matrix, a timeline and
exports. The cities and the topic live in the URL, so a link reopens the same comparison."""

from __future__ import annotations

import streamlit as st

from core.types import CityAnswer, Comparison, Region, TimelineEntry
from ui.client import ApiClient
from ui.exports import comparison_csv, comparison_docx, comparison_markdown
from ui.i18n import aspect_name, current_language, option_labels, t
from ui.render import (
    cached_regions,
    call_api,
    escape_markdown,
    filled_aspects,
    html_block,
    matrix_html,
    region_choices,
    render_citation,
    safe_html,
    sentence_html,
    session_client,
    timeline_chart,
    timeline_frame,
)
from ui.state import keep_in_url, seed_from_url, split_list

DEFAULT_CITIES = ("Balikpapan", "Samarinda")
DEFAULT_ASPECT = "SPBE"
RESULT_KEY = "compare_result"
REQUEST_KEY = "compare_request"
MIN_CITIES, MAX_CITIES = 2, 4
MODES = ("aspect", "free")


@st.cache_data(ttl=60, show_spinner=False)
def load_aspects(base_url: str) -> list[str]:
    """The regulation-matrix aspects the registry knows, SPBE first (the question this app was built for)."""
    aspects = {aspect for reg in ApiClient(base_url).regulations() for aspect in reg.aspects}
    aspects.add(DEFAULT_ASPECT)
    return sorted(aspects, key=lambda a: (a.casefold() != DEFAULT_ASPECT.casefold(), a.casefold()))


def default_cities(regions: list[Region]) -> list[str]:
    wanted = [r.code for name in DEFAULT_CITIES for r in regions if r.name == name and r.kind == "kota"]
    return wanted or [r.code for r in regions[:MIN_CITIES]]


def _mode(raw: str) -> str | None:
    return raw if raw in MODES else None


def compare_form(client: ApiClient, regions: list[tuple[Region, int, int]]) -> tuple[list[str], str] | None:
    """The pickers; returns (cities, topic) when the analyst asks for a comparison (or a link carries one)."""
    labels = region_choices(regions)
    aspects = call_api(lambda: load_aspects(client.base_url)) or [DEFAULT_ASPECT]
    # A link that names cities and a topic shows its comparison at once, on the session's first visit only.
    first_visit = "compare_visited" not in st.session_state
    st.session_state["compare_visited"] = True
    from_link = first_visit and bool(st.query_params.get("cities")) and bool(
        st.query_params.get("aspect") or st.query_params.get("q"))
    seed_from_url("compare", {
        "compare_cities": ("cities", lambda raw: [c for c in split_list(raw) or [] if c in labels][:MAX_CITIES]
                           or None),
        "compare_mode": ("mode", _mode),
        "compare_aspect": ("aspect", lambda raw: raw if raw in aspects else None),
        "compare_question": ("q", str),
    })
    chosen = st.multiselect(t("compare.cities"), list(labels), default=None if "compare_cities" in st.session_state
                            else default_cities([r for r, _d, _p in regions]),
                            format_func=lambda code: labels.get(code, code), max_selections=MAX_CITIES,
                            help=t("picker.city_help"), key="compare_cities", placeholder=t("picker.choose_many"))
    modes = option_labels(MODES, "compare.mode_")
    # One topic input that changes with the mode: an aspect list or a free question, never both at once.
    mode = st.radio(t("compare.topic_mode"), list(modes), horizontal=True, key="compare_mode",
                    format_func=modes.__getitem__)
    if mode == "aspect":
        lang = current_language()
        topic = st.selectbox(t("compare.aspect"), aspects, key="compare_aspect", help=t("compare.aspect_help"),
                             format_func={a: aspect_name(a, lang) for a in aspects}.__getitem__)
    else:
        topic = st.text_input(t("compare.question"), placeholder=t("compare.question_placeholder"),
                              key="compare_question", help=t("compare.question_help"))
    keep_in_url(cities=chosen, mode=mode, aspect=topic if mode == "aspect" else None,
                q=topic if mode == "free" else None)
    submitted = st.button(t("compare.submit"), type="primary", key="compare_submit")
    if not (submitted or from_link):
        return None
    topic = (topic or "").strip()
    if not MIN_CITIES <= len(chosen) <= MAX_CITIES:
        st.warning(t("compare.need_cities"))
        return None
    if not topic:
        st.warning(t("compare.need_topic"))
        return None
    return list(chosen), topic


def city_column(answer: CityAnswer, comparison: Comparison, names: dict[str, str], client: ApiClient) -> None:
    name = answer.city_name or names.get(answer.city or "", answer.city or "")
    html_block(f'<div class="bk-city">{safe_html(name)}</div>')
    if answer.no_evidence or not answer.sentences:
        html_block(f'<div class="bk-none">{safe_html(t("compare.no_evidence", city=name))}</div>')
        return
    html_block('<div class="bk-text">' + " ".join(sentence_html(s) for s in answer.sentences) + "</div>")
    cited = {n for s in answer.sentences for n in s.citations}
    citations = [c for c in comparison.citations if c.marker in cited]
    if citations:
        st.markdown(f"**{t('compare.evidence')}**")
    for citation in citations:
        render_citation(citation, client)


def answer_markers(comparison: Comparison) -> set[int]:
    return {n for a in comparison.answers for s in a.sentences for n in s.citations}


def matrix_evidence(comparison: Comparison, client: ApiClient) -> None:
    """The quotes behind the matrix markers that the city answers above do not already show."""
    markers = {c.marker for cell in comparison.matrix for c in cell.citations}
    shown = answer_markers(comparison)
    citations = [c for c in comparison.citations if c.marker in markers - shown]
    if citations:
        st.markdown(f"**{t('compare.matrix_evidence')}**")
        columns = st.columns(2)
        for i, citation in enumerate(citations):
            with columns[i % 2]:
                render_citation(citation, client)
    if markers & shown:
        st.caption(t("compare.already_cited"))


def exports(comparison: Comparison, names: dict[str, str]) -> None:
    lang = current_language()
    st.subheader(t("export.title"))
    stem = "banding-kota-" + "-".join(r.name.lower().replace(" ", "_") for r in comparison.cities)
    md_col, csv_col, docx_col = st.columns(3)
    md_col.download_button(t("export.markdown"), comparison_markdown(comparison, names, lang), f"{stem}.md",
                           "text/markdown", key="export_md", on_click="ignore")
    csv_col.download_button(t("export.csv"), comparison_csv(comparison, names, lang), f"{stem}.csv", "text/csv",
                            key="export_csv", on_click="ignore")
    docx_col.download_button(
        t("export.docx"), comparison_docx(comparison, names, lang), f"{stem}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="export_docx",
        on_click="ignore")


def targets_view(comparison: Comparison, names: dict[str, str], client: ApiClient) -> None:
    """Indicator × city × year: each cell the plan's value with the marker of its quote, the quotes below."""
    if not comparison.targets:
        return
    import pandas as pd

    st.subheader(t("compare.targets"))
    st.caption(t("compare.targets_caption"))
    records = [{t("compare.indicator"): f"{c.indicator} ({c.unit})" if c.unit else c.indicator,
                t("compare.city"): names.get(c.city, c.city), "year": str(c.year),
                "cell": f"{c.value} [{c.citation.marker}]" if c.citation else c.value} for c in comparison.targets]
    frame = pd.DataFrame(records).pivot_table(index=[t("compare.indicator"), t("compare.city")], columns="year",
                                              values="cell", aggfunc="first", fill_value="")
    st.dataframe(frame, width="stretch")
    citations = [c.citation for c in comparison.targets if c.citation is not None]
    with st.expander(t("compare.targets_evidence")):
        for citation in citations:
            render_citation(citation, client)


def show_result(comparison: Comparison, timeline: list[TimelineEntry], client: ApiClient) -> None:
    names = {r.code: r.official for r in comparison.cities}
    st.subheader(t("compare.answers"))
    answers = {a.city: a for a in comparison.answers}
    columns = st.columns(len(comparison.cities))
    for column, region in zip(columns, comparison.cities, strict=True):
        with column:
            answer = answers.get(region.code) or CityAnswer(city=region.code, city_name=region.official,
                                                            no_evidence=True)
            city_column(answer, comparison, names, client)
    st.subheader(t("compare.matrix"))
    aspects = filled_aspects(comparison)
    if aspects:
        html_block(matrix_html(comparison, aspects, names, t("compare.matrix_aspect")))
    else:
        st.info(t("compare.matrix_empty"))
    empty = [a for a in comparison.aspects if a not in aspects]
    if aspects and empty:
        shown = ", ".join(aspect_name(a, current_language()) for a in empty)
        st.caption(t("compare.matrix_rest", aspects=escape_markdown(shown)))
    matrix_evidence(comparison, client)
    targets_view(comparison, names, client)
    st.subheader(t("compare.timeline"))
    frame = timeline_frame(timeline, {**names, **{r.name: r.official for r in comparison.cities}})
    if frame.empty:
        st.info(t("compare.timeline_empty"))
    else:
        st.altair_chart(timeline_chart(frame, city_title=t("compare.city"), year_title=t("compare.year"),
                                       regulation_title=t("compare.regulation")), width="stretch")
    exports(comparison, names)


def main() -> None:
    st.title(t("compare.title"))
    st.caption(t("compare.intro"))
    client = session_client()
    regions = call_api(lambda: cached_regions(client.base_url))
    if regions is None:
        return
    if not regions:
        st.info(t("compare.no_cities"))
        return
    request = compare_form(client, regions)
    if request is not None:
        st.session_state[REQUEST_KEY] = request
        with st.spinner(t("working")):
            st.session_state[RESULT_KEY] = call_api(lambda: client.compare(*request))
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        comparison, timeline = result
        show_result(comparison, timeline, client)


main()
