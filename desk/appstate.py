"""The one app-layer module: Streamlit caching and the frame every page shares.

Core packages never import Streamlit; pages call this module for the cached
heavy objects (the clause store, the settings) and then call ``desk`` functions.
"""

from __future__ import annotations

import html

import streamlit as st

from desk.ingest import open_store
from desk.settings import Settings, load_settings
from desk.workspace import Workspace


def settings() -> Settings:
    return load_settings()


def workspace() -> Workspace:
    ws = Workspace(settings().workspace)
    if not ws.exists():
        ws.init()
    return ws


@st.cache_resource(show_spinner="Opening the clause store…")
def _store(workspace_path: str, chroma_url: str):
    """The arguments are the cache key: one store per workspace and Chroma server."""
    return open_store(settings())


def store():
    s = settings()
    return _store(str(s.workspace), s.chroma_url)


def pick_proposal(ws: Workspace, key: str) -> str:
    """The proposal a page works on (latest first); stops the page politely when there is none."""
    proposals = ws.documents(kind="proposal") or ws.documents()
    if not proposals:
        st.info("No documents yet: add the proposal (and comparable contracts) on the Documents page.")
        st.stop()
    labels = {d.id: d.title for d in proposals}
    return st.selectbox("Proposal", list(labels), format_func=labels.get, index=len(labels) - 1, key=key)


def sidebar_status() -> None:
    """Where the data lives and whether anything leaves the machine."""
    s = settings()
    with st.sidebar:
        st.caption(f"Workspace: `{s.workspace}`")
        if s.llm_enabled:
            st.warning(
                f"LLM assistance is ON: text you choose to send goes to **{s.llm_endpoint_label}**"
                f" (model {s.llm_model or 'default'}). Nothing is sent without your click.",
                icon=":material/cloud_upload:",
            )
        else:
            st.caption(":material/lock: LLM assistance is off: everything runs on this machine.")
        if s.chroma_url:
            st.caption(f"Clause store: Chroma server at `{s.chroma_url}`")


def highlight(text: str, start: int, end: int, context: int = 1200) -> str:
    """HTML of ``text`` around [start, end) with that span marked; everything escaped."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    before, span, after = text[lo:start], text[start:end], text[end:hi]
    body = (
        ("…" if lo > 0 else "")
        + html.escape(before)
        + '<mark style="background:#ffe08a">'
        + html.escape(span)
        + "</mark>"
        + html.escape(after)
        + ("…" if hi < len(text) else "")
    )
    return f'<div style="white-space:pre-wrap;font-family:Georgia,serif;font-size:0.92rem;max-height:420px;overflow:auto;border:1px solid #ddd;padding:0.8rem;border-radius:6px">{body}</div>'


def not_yet(what: str, will: list[str], cli: str) -> None:
    """A page whose engine has not landed yet says what it will do, and nothing more."""
    st.info(f"**{what} is not available yet.**", icon=":material/construction:")
    st.markdown("When it lands, this page will:\n" + "\n".join(f"- {w}" for w in will))
    st.caption(f"CLI equivalent (also not available yet): `{cli}`")
