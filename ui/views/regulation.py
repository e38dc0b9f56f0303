"""Regulation page: one instrument of the registry — its identity, its outline (BAB → Pasal), what it amends,
revokes or cites and what does that to it, the articles an amendment changed in both wordings, and every passage
that mentions it. ``?key=`` in the URL names the instrument."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from core.api_models import RegulationDetail, RegulationSummary, UnitChange
from core.types import OutlineNode, RegulationRef, RegulationRelation
from ui.client import ApiClient
from ui.i18n import current_language, t
from ui.render import (
    SOURCE_PAGE,
    call_api,
    escape_markdown,
    html_block,
    link_html,
    safe_html,
    session_client,
)
from ui.state import keep_in_url, url_param

OUTLINE_KINDS = {"bab", "bagian", "paragraf", "pasal", "diktum", "amendment_article", "amended_pasal"}
MAX_MENTIONS = 60
# A long outline (a Perda has a hundred Pasal) scrolls in its own box instead of pushing the mentions down.
OUTLINE_SCROLL_LINES = 20


@st.cache_data(ttl=60, show_spinner=False)
def registry(base_url: str, lang: str) -> list[RegulationSummary]:
    return ApiClient(base_url, language=lang).regulations()


def regulation_link(ref: RegulationRef, prefix: str = "") -> str:
    return link_html(f"{prefix}{ref.label}", "regulation", {"key": ref.key, "lang": current_language()})


def link_list(links: Sequence[str]) -> None:
    html_block('<ul class="bk-links">' + "".join(f"<li>{link}</li>" for link in links) + "</ul>")


def pick(client: ApiClient) -> None:
    entries = call_api(lambda: registry(client.base_url, current_language())) or []
    if not entries:
        st.info(t("reg.none"))
        return
    ordered = sorted(entries, key=lambda e: (e.ref.region_name or "", -(e.ref.year or 0), e.label))
    labels = {e.key: e.label + (f" — {e.ref.subject}" if e.ref.subject else "") for e in ordered}
    st.selectbox(t("reg.pick"), list(labels), format_func=labels.__getitem__, index=None, help=t("reg.pick_help"),
                 placeholder=t("picker.choose_one"),
                 key="reg_pick", on_change=_picked)


def _picked() -> None:
    # The page is drawn from its URL: choosing an instrument puts its key there.
    if st.session_state.get("reg_pick"):
        st.query_params["key"] = st.session_state["reg_pick"]


def identity(detail: RegulationDetail) -> None:
    ref = detail.ref
    rows: list[tuple[str, object]] = [
        (t("reg.instrument"), ref.instrument),
        (t("reg.number"), ref.number or "—"),
        (t("reg.year"), ref.year or "—"),
        (t("reg.region"), ref.region_name or t("reg.national")),
        (t("reg.subject"), ref.subject or "—"),
        (t("reg.key"), detail.key),
    ]
    body = "".join(f"<tr><th>{safe_html(str(k))}</th><td>{safe_html(str(v))}</td></tr>" for k, v in rows)
    html_block(f'<table class="bk-docs"><tbody>{body}</tbody></table>')
    own = [m for m in detail.mentions if m.passage_id is None]
    st.caption(t("reg.in_corpus") if own or detail.outline else t("reg.not_in_corpus"))


def warnings(detail: RegulationDetail) -> None:
    amending = {r.source.instrument + r.source.label: r.source for r in detail.relations_in if r.kind == "amends"}
    if amending:
        st.warning(t("reg.amended_warning", by=escape_markdown(", ".join(r.label for r in amending.values()))))
    if detail.revoked_by:
        st.error(t("reg.revoked_warning", by=escape_markdown(", ".join(r.label for r in detail.revoked_by))))


def outline(nodes: Sequence[OutlineNode], depth: int = 0) -> list[str]:
    lines = []
    for node in nodes:
        if node.kind in OUTLINE_KINDS:
            title = f" — {node.title}" if node.title else ""
            lines.append(f"{'  ' * depth}- {escape_markdown(node.label + title)}")
            lines += outline(node.children, depth + 1)
        else:
            lines += outline(node.children, depth)
    return lines


def relations(detail: RegulationDetail) -> None:
    st.subheader(t("reg.relations"))
    outgoing, incoming = detail.relations_out, detail.relations_in
    if not outgoing and not incoming:
        st.caption(t("reg.relations_empty"))
        return
    out_col, in_col = st.columns(2)
    with out_col:
        st.markdown(f"**{t('reg.out')}**")
        link_list([regulation_link(r.target, prefix=f"{t('rel.out.' + r.kind)}: ")
                   for r in _unique(outgoing, lambda r: r.target)])
        if not outgoing:
            st.caption(t("reg.side_empty"))
    with in_col:
        st.markdown(f"**{t('reg.in')}**")
        link_list([regulation_link(r.source, prefix=f"{t('rel.in.' + r.kind)}: ")
                   for r in _unique(incoming, lambda r: r.source)])
        if not incoming:
            st.caption(t("reg.side_empty"))


def _unique(relations: Sequence[RegulationRelation],
            side: Callable[[RegulationRelation], RegulationRef]) -> list[RegulationRelation]:
    seen: dict[tuple[str, str], RegulationRelation] = {}
    for relation in relations:
        seen.setdefault((relation.kind, side(relation).key), relation)
    order = {"revokes": 0, "amends": 1, "cites": 2}
    return sorted(seen.values(), key=lambda r: (order.get(r.kind, 3), side(r).label))


def changes(title: str, items: Sequence[UnitChange], *, made: bool) -> None:
    """Units changed: by this regulation (``made``: named with the regulation they belong to) or in it (named
    with the regulation that changes them)."""
    if not items:
        return
    st.subheader(title)
    for change in items:
        action = t(f"action.{change.action}")
        head = (t("reg.change_made", unit=change.unit, target=change.amended.label, action=action) if made
                else t("reg.change_head", unit=change.unit, action=action, by=change.amended_by.label))
        with st.expander(escape_markdown(head)):
            citation = change.citation
            st.markdown(f"**{t('reg.directive')}**")
            html_block(f'<div class="bk-wording">{safe_html(change.evidence)}</div>')
            if citation:
                st.page_link(SOURCE_PAGE, label=t("source.open_viewer"), icon=":material/find_in_page:",
                             query_params={"doc": citation.doc_id, "passage": citation.passage_id,
                                           "start": str(citation.start), "end": str(citation.end),
                                           "lang": current_language()})
            old_col, new_col = st.columns(2)
            for column, text, label in ((old_col, change.old_wording, "reg.old_wording"),
                                        (new_col, change.new_wording, "reg.new_wording")):
                with column:
                    st.markdown(f"**{t(label)}**")
                    if text:
                        html_block(f'<div class="bk-wording">{safe_html(text)}</div>')
                    else:
                        st.caption(t("reg.wording_missing"))


def mentions(detail: RegulationDetail) -> None:
    found = [m for m in detail.mentions if m.passage_id]
    st.subheader(t("reg.mentions", n=len(found)))
    if not found:
        st.caption(t("reg.mentions_empty"))
        return
    for mention in found[:MAX_MENTIONS]:
        st.page_link(SOURCE_PAGE, label=t("reg.mention_row", title=mention.title, page=mention.page or 1),
                     icon=":material/format_quote:",
                     query_params={"doc": mention.doc_id, "passage": mention.passage_id or "",
                                   "lang": current_language()})


def show(client: ApiClient, key: str) -> None:
    detail = call_api(lambda: client.regulation(key))
    if detail is None:
        return
    st.subheader(escape_markdown(detail.label))
    warnings(detail)
    identity(detail)
    relations(detail)
    changes(t("reg.changes"), detail.changes, made=True)
    changes(t("reg.changed"), detail.amended_units, made=False)
    st.subheader(t("reg.outline"))
    lines = outline(detail.outline)
    if len(lines) > OUTLINE_SCROLL_LINES:
        with st.container(height=420):
            st.markdown("\n".join(lines))
    elif lines:
        st.markdown("\n".join(lines))
    else:
        st.caption(t("reg.outline_empty"))
    mentions(detail)


def main() -> None:
    st.title(t("reg.title"))
    client = session_client()
    key = url_param("key")
    keep_in_url(key=key)
    if key:
        show(client, key)
    st.divider()
    pick(client)


main()
