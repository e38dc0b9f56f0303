"""Compare page: 2–4 cities side by side on one topic, with cited answers, a regulation matrix and a timeline."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.types import CityAnswer, Comparison, Region
from ui.client import ApiClient
from ui.i18n import option_labels, t
from ui.render import (
    cached_regions,
    call_api,
    escape_markdown,
    filled_aspects,
    html_block,
    matrix_html,
    render_citation,
    safe_html,
    sentence_html,
    session_client,
    timeline_chart,
    timeline_frame,
)

DEFAULT_CITIES = ("Balikpapan", "Samarinda")
DEFAULT_ASPECT = "SPBE"
RESULT_KEY = "compare_result"
MIN_CITIES, MAX_CITIES = 2, 4


@st.cache_data(ttl=60, show_spinner=False)
def load_aspects(base_url: str) -> list[str]:
    """The regulation-matrix aspects the registry knows, SPBE first (the question this app was built for)."""
    aspects = {aspect for reg in ApiClient(base_url).regulations() for aspect in reg.get("aspects") or []}
    aspects.add(DEFAULT_ASPECT)
    return sorted(aspects, key=lambda a: (a.casefold() != DEFAULT_ASPECT.casefold(), a.casefold()))


def default_cities(regions: list[Region]) -> list[str]:
    wanted = [r.code for name in DEFAULT_CITIES for r in regions if r.name == name and r.kind == "kota"]
    return wanted or [r.code for r in regions[:MIN_CITIES]]


def compare_form(client: ApiClient, regions: list[Region]) -> None:
    names = {r.code: r.official for r in regions}
    aspects = call_api(lambda: load_aspects(client.base_url)) or [DEFAULT_ASPECT]
    with st.form("compare_form"):
        chosen = st.multiselect(t("compare.cities"), list(names), default=default_cities(regions),
                                format_func=lambda code: names.get(code, code), max_selections=MAX_CITIES,
                                help=t("compare.cities_help"), key="compare_cities")
        modes = option_labels(["aspect", "free"], "compare.mode_")
        mode = st.radio(t("compare.topic_mode"), list(modes), horizontal=True, key="compare_mode",
                        format_func=modes.__getitem__)
        left, right = st.columns(2)
        aspect = left.selectbox(t("compare.aspect"), aspects, key="compare_aspect")
        question = right.text_input(t("compare.question"), placeholder=t("compare.question_placeholder"),
                                    key="compare_question")
        submitted = st.form_submit_button(t("compare.submit"), type="primary")
    if not submitted:
        return
    topic = (aspect if mode == "aspect" else question).strip()
    if not MIN_CITIES <= len(chosen) <= MAX_CITIES:
        st.warning(t("compare.need_cities"))
        return
    if not topic:
        st.warning(t("compare.need_topic"))
        return
    with st.spinner(t("working")):
        result = call_api(lambda: client.compare(list(chosen), topic))
    st.session_state[RESULT_KEY] = result


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


def matrix_evidence(comparison: Comparison, client: ApiClient) -> None:
    """The quotes behind the matrix markers, two columns of expanders under the table."""
    markers = sorted({c.marker for cell in comparison.matrix for c in cell.citations})
    citations = [c for c in comparison.citations if c.marker in markers]
    if not citations:
        return
    st.markdown(f"**{t('compare.matrix_evidence')}**")
    columns = st.columns(2)
    for i, citation in enumerate(citations):
        with columns[i % 2]:
            render_citation(citation, client)


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


def show_result(comparison: Comparison, timeline: list[dict[str, Any]], client: ApiClient) -> None:
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
        st.caption(t("compare.matrix_rest", aspects=escape_markdown(", ".join(empty))))
    matrix_evidence(comparison, client)
    targets_view(comparison, names, client)
    st.subheader(t("compare.timeline"))
    frame = timeline_frame(timeline, {**names, **{r.name: r.official for r in comparison.cities}})
    if frame.empty:
        st.info(t("compare.timeline_empty"))
    else:
        st.altair_chart(timeline_chart(frame, city_title=t("compare.city"), year_title=t("compare.year"),
                                       regulation_title=t("compare.regulation")), width="stretch")


def main() -> None:
    st.title(t("compare.title"))
    st.caption(t("compare.intro"))
    client = session_client()
    regions = call_api(lambda: [r for r, _d, _p in cached_regions(client.base_url)])
    if regions is None:
        return
    if not regions:
        st.info(t("compare.no_cities"))
        return
    compare_form(client, regions)
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        comparison, timeline = result
        show_result(comparison, timeline, client)


main()
