"""A page's state in its URL (``st.query_params``): a link reproduces the view, language included.

Widgets keep their values in session state under their keys; on a fresh session (a shared link) those keys are
seeded from the URL before the widgets are drawn, and after every run the URL is rewritten from them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ui.i18n import current_language

SEEDED_KEY = "url_seeded_pages"


def url_param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def seed_from_url(page: str, fields: Mapping[str, tuple[str, Callable[[str], object]]]) -> None:
    """Once per page and session: widget key ← parsed URL parameter, for ``{key: (param, parse)}``. A value that
    does not parse is left out, so the widget starts from its default."""
    seeded: set[str] = st.session_state.setdefault(SEEDED_KEY, set())
    if page in seeded:
        return
    seeded.add(page)
    for key, (param, parse) in fields.items():
        raw = url_param(param)
        if raw is None:
            continue
        try:
            value = parse(raw)
        except (ValueError, TypeError):
            value = None
        if value is not None:
            st.session_state[key] = value


def keep_in_url(**values: object) -> None:
    """Write the page's state (and the language) into the URL; empty values leave it."""
    wanted = {name: _text(value) for name, value in values.items()}
    wanted["lang"] = current_language()
    for name, text in wanted.items():
        if text:
            if st.query_params.get(name) != text:
                st.query_params[name] = text
        elif name in st.query_params:
            del st.query_params[name]


def _text(value: object) -> str:
    if value is None or value is False:
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def split_list(raw: str) -> list[str] | None:
    items = [part.strip() for part in raw.split(",") if part.strip()]
    return items or None


def parse_int(raw: str) -> int | None:
    return int(raw)
