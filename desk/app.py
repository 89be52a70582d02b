"""The Streamlit entry point: navigation and the frame around every page.

Run with ``streamlit run desk/app.py``. Pages live in ``pages/`` and are
declared here with absolute paths, so Streamlit's legacy auto-discovery of a
``pages/`` folder beside this script never applies.
"""

from __future__ import annotations

import streamlit as st

from core.paths import PAGES_DIR
from desk import appstate



def _page(name: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(PAGES_DIR / f"{name}.py", title=title, icon=icon, url_path=name, default=default)


def main() -> None:
    st.set_page_config(page_title="Negotiation Desk", page_icon=":material/handshake:", layout="wide")
    navigation = st.navigation(
        {
            "Negotiation": [
                _page("home", "Home", ":material/home:", default=True),
                _page("documents", "Documents", ":material/description:"),
                _page("mandate", "Mandate", ":material/rule:"),
            ],
            "Analysis": [
                _page("review", "Review", ":material/fact_check:"),
                _page("compare", "Compare", ":material/compare:"),
                _page("market", "Market", ":material/monitoring:"),
                _page("valuation", "Valuation", ":material/payments:"),
            ],
            "Strategy": [
                _page("scenarios", "Scenarios", ":material/table_chart:"),
                _page("counteroffer", "Counteroffer", ":material/edit_note:"),
                _page("briefing", "Briefing pack", ":material/picture_as_pdf:"),
            ],
        }
    )
    appstate.sidebar_status()
    navigation.run()


main()
