"""Banding Kota web app: ``streamlit run ui/app.py``. A client of the HTTP API only (address from
``BK_UI__API_URL``); the pages live in ``ui/views/``.

The folder is deliberately not called ``pages/``: Streamlit treats a ``pages/`` folder beside the main script as
a legacy multipage app, and a first visit straight to ``/ask`` would then run that page without this script
(no navigation, no language switch)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.client import ApiError, ApiUnreachable
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, current_language, option_labels, t
from ui.render import escape_markdown, inject_css, session_client

PAGES_DIR = Path(__file__).parent / "views"
LANGUAGE_WIDGET_KEY = "ui_language_choice"


def _language_chosen() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state[LANGUAGE_WIDGET_KEY]


def choose_language() -> None:
    # ?lang=en opens the app in English (links shared with colleagues keep their language).
    if LANGUAGE_KEY not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANGUAGE_KEY] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE
    # The widget keeps its own key and starts from the stored language: a widget value written into session
    # state before the widget exists is not sent to the browser, which would switch it back on the next rerun.
    labels = option_labels(LANGUAGES, "lang.")
    st.sidebar.selectbox(t("lang.label"), LANGUAGES, index=LANGUAGES.index(current_language()),
                         key=LANGUAGE_WIDGET_KEY, format_func=labels.__getitem__, on_change=_language_chosen)


def show_api_status() -> None:
    client = session_client()
    try:
        health = client.health()
    except ApiUnreachable as error:
        st.sidebar.error(t("api.unreachable", url=error.url), icon=":material/power_off:")
        return
    except ApiError as error:
        st.sidebar.warning(t("api.error", code=escape_markdown(error.code), message=escape_markdown(error.message)))
        return
    st.sidebar.caption(t("api.connected", documents=health.documents, passages=health.passages))


def main() -> None:
    st.set_page_config(page_title="Banding Kota", page_icon="🏙️", layout="wide")
    inject_css()
    choose_language()
    compare = st.Page(PAGES_DIR / "compare.py", title=t("page.compare"), icon=":material/compare_arrows:",
                      url_path="compare")

    def home() -> None:
        # The default page answers "/" only (its url_path is ignored), so Compare is a page of its own at
        # /compare (a link to it works) and "/" forwards there with the link's parameters.
        st.switch_page(compare, query_params=st.query_params.to_dict())

    pages = [
        st.Page(home, title=t("page.compare"), url_path="home", default=True, visibility="hidden"),
        compare,
        st.Page(PAGES_DIR / "ask.py", title=t("page.ask"), icon=":material/question_answer:", url_path="ask"),
        st.Page(PAGES_DIR / "source.py", title=t("page.source"), icon=":material/find_in_page:",
                url_path="source"),
        st.Page(PAGES_DIR / "regulation.py", title=t("page.regulation"), icon=":material/gavel:",
                url_path="regulation"),
        st.Page(PAGES_DIR / "library.py", title=t("page.library"), icon=":material/library_books:",
                url_path="library"),
    ]
    page = st.navigation(pages)
    st.sidebar.markdown(f"**{t('app.title')}**  \n{t('app.tagline')}")
    show_api_status()
    page.run()


main()
