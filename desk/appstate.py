"""The one app-layer module: the cached :class:`Desk` every page calls, and the frame pages share.

The core packages never import Streamlit; Streamlit's caching lives here and
nowhere else. Pages get the one ``Desk`` from :func:`desk` and call its methods.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import streamlit as st

from core.errors import DeskError
from desk.compare import Comparison
from desk.ingest import IngestResult
from desk.markup import md
from desk.service import Desk
from desk.settings import load_settings


@st.cache_resource(show_spinner="Opening the desk…")
def _open_desk(workspace: str, chroma_url: str, llm: tuple[str, str, str, bool]) -> Desk:
    """The arguments are the cache key: one Desk per workspace, Chroma server and LLM configuration."""
    desk = Desk(load_settings(workspace))
    if not desk.workspace.exists():
        desk.workspace.init()  # a first-time user's empty workspace, so every page can open
    return desk


def desk() -> Desk:
    """The one Desk of this app (its store, searcher and caches live as long as the server)."""
    s = load_settings()
    return _open_desk(str(s.workspace), s.chroma_url, (s.llm_base_url, s.llm_api_key, s.llm_model, s.redact_personal_data))


@dataclass
class IngestJob:
    """An upload being read and stored on a server thread, so the page that started it stays live."""

    id: str
    fraction: float = 0.0
    message: str = "Starting…"
    results: list[IngestResult] = field(default_factory=list)
    error: str = ""
    finished: bool = False

    def report(self, fraction: float, message: str) -> None:
        self.fraction, self.message = fraction, message


@st.cache_resource
def _ingest_jobs() -> dict[str, IngestJob]:
    """Jobs by id, for every session of this server (a rerun finds its job here)."""
    return {}


def start_ingest(items: list[tuple[str, str, bytes]], kind: str, deal: str) -> str:
    """Start ingesting ``items`` on a thread; returns the job's id for :func:`ingest_job`."""
    the_desk, jobs = desk(), _ingest_jobs()
    job = IngestJob(uuid.uuid4().hex)

    def run() -> None:
        try:
            job.results = the_desk.ingest_uploads(items, kind=kind, deal=deal, progress=job.report)
        except DeskError as exc:
            job.error = str(exc)
        except Exception as exc:  # the page shows one line, never a traceback
            job.error = f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        finally:
            job.finished = True

    jobs[job.id] = job
    threading.Thread(target=run, name=f"desk-ingest-{job.id[:8]}", daemon=True).start()
    return job.id


def ingest_job(job_id: str, forget: bool = False) -> IngestJob | None:
    """The job, if it exists; ``forget`` removes a finished one once its outcome has been shown."""
    jobs = _ingest_jobs()
    job = jobs.get(job_id) if job_id else None
    if forget and job is not None and job.finished:
        del jobs[job_id]
    return job


@st.cache_data(show_spinner="Finding the closest precedent for every clause…", max_entries=16)
def compare(workspace: str, doc_id: str, k: int, deal: str | None, documents: int) -> Comparison:
    """The comparison, kept until the documents change (``documents``, the count, is part of the key)."""
    return desk().compare(doc_id, k=k, deal=deal)


def pick_proposal(key: str) -> str:
    """The proposal a page works on (latest first); stops the page politely when there is none."""
    d = desk()
    proposals = d.documents(kind="proposal") or d.documents()
    if not proposals:
        st.info("No documents yet: add the proposal (and comparable contracts) on the Documents page.")
        st.stop()
    labels = {doc.id: doc.title for doc in proposals}
    return st.selectbox("Proposal", list(labels), format_func=labels.get, index=len(labels) - 1, key=key)


def sidebar_status() -> None:
    """Where the data lives and whether anything leaves the machine."""
    s = desk().settings
    with st.sidebar:
        st.caption(f"Workspace: `{s.workspace}`")
        if s.llm_enabled:
            st.warning(
                f"LLM assistance is ON: text you choose to send goes to **{md(s.llm_endpoint_label)}**"
                f" (model {md(s.llm_model or 'default')}). Nothing is sent without your click.",
                icon=":material/cloud_upload:",
            )
        else:
            st.caption(":material/lock: LLM assistance is off: everything runs on this machine.")
        if s.chroma_url:
            st.caption(f"Clause store: Chroma server at `{s.chroma_url}`")


def not_yet(what: str, will: list[str], cli: str) -> None:
    """A page whose engine has not landed yet says what it will do, and nothing more."""
    st.info(f"**{what} is not available yet.**", icon=":material/construction:")
    st.markdown("When it lands, this page will:\n" + "\n".join(f"- {w}" for w in will))
    st.caption(f"CLI equivalent (also not available yet): `{cli}`")
