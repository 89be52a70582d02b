"""The front door: one :class:`Desk` per workspace, one method per thing a user can do.

The CLI and every Streamlit page hold a ``Desk`` and call its methods; neither
opens a workspace, a store or a mandate on its own. Like sqlite-utils'
``Database``, a ``Desk`` is cheap to open and owns everything heavy behind it:
the workspace, the Chroma clause store, the hybrid searcher with its lexical
index, the embedder a new store is built with, the question router and the
comparison corpus. Those live as long as the ``Desk`` (a page's cached one, or
one CLI command) and never in module globals, so two desks over two workspaces
in one process cannot see each other's state.

Every method takes typed arguments and returns a typed, frozen result with
``to_dict()``; a refusal is a :class:`core.errors.DeskError` naming what is at
fault. To find how the desk does something, start at its method here.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.domain import Clause, Document, Mandate, Serializable
from core.errors import DeskError, NotAvailableError, WorkspaceError
from core.taxonomy import load_taxonomy
from desk import ingest as ingest_engine
from desk.audit import AuditCheck, AuditEvent, current_user
from desk.demo import DemoSummary, seed_demo
from desk.ingest import IngestResult
from desk.mandate_edit import save_mandate
from desk.overview import Overview, active_mandate, overview, resolve_mandate
from desk.review_service import Decision, ReviewResult
from desk.settings import Settings, load_settings
from desk.workspace import DocumentRecord, Workspace

if TYPE_CHECKING:  # the engines below load chromadb, scikit-learn or pandas (1-2 s): imported when first used
    from desk.mandate_check import MandateCheck
    from desk.compare import ClauseComparison, Comparison, CorpusCache
    from desk.deals_catalogue import DealRecord
    from desk.llm import Assistant
    from desk.market import MarketView
    from desk.valuation_service import ValuationInputs, ValuationResult
    from retrieval.embed import Embedder
    from retrieval.search import HybridSearcher, SearchHit
    from retrieval.store import ClauseStore

Progress = Callable[[float, str], None]
__all__ = ["AnalysedDocument", "Desk", "DeskError", "SearchResults"]  # DeskError: what every method raises


@dataclass(frozen=True)
class AnalysedDocument(Serializable):
    """A document and its clauses, as ``desk clauses`` prints them."""

    document: Document
    clauses: tuple[Clause, ...]

    def to_dict(self) -> dict[str, Any]:
        d = self.document
        return {
            "document": {"id": d.id, "title": d.title, "pages": d.page_count, "chars": len(d.text), "warnings": list(d.warnings)},
            "clauses": [c.public_dict() for c in self.clauses],
        }


@dataclass(frozen=True)
class SearchResults(Serializable):
    """Hits for a query, best first, with the filters that applied."""

    query: str
    filters: dict[str, str | None]
    hits: tuple[SearchHit, ...]


class Desk:
    """The negotiation desk over one workspace (see the module docstring)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        """``embedder`` is the one a new clause store is built with (default: the desk's default
        embedder, loaded when first needed); an existing store keeps the one it was built with."""
        if settings.workspace.exists() and not settings.workspace.is_dir():
            raise WorkspaceError(settings.workspace, "is a file, not a workspace folder")
        self.settings = settings
        self.workspace = Workspace(settings.workspace)
        # Streamlit shares one cached Desk between sessions' threads: this guards what the Desk opens lazily
        # and the searcher's index; writes take the workspace's own lock (Workspace.writing), so a long
        # upload on one thread never stalls another thread's search
        self._lock = threading.RLock()
        self._store: ClauseStore | None = None
        self._new_store_embedder: Embedder | None = embedder
        self._searcher: HybridSearcher | None = None
        self._corpus: CorpusCache | None = None
        self._llm_answers: dict[tuple[str, str, str, str], tuple[Any, ...]] = {}  # the LLM reader's answers, by document, mandate, endpoint, model

    @classmethod
    def open(cls, workspace: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> "Desk":
        """A desk from ``--workspace`` (else ``$DESK_HOME``, else ``./workspace``) and the environment."""
        return cls(load_settings(workspace, env))

    def __repr__(self) -> str:
        return f"Desk({str(self.workspace.root)!r})"

    # -- what the desk owns --------------------------------------------------
    def open_store(self) -> ClauseStore:
        """The clause store, opened once (Chroma clients and embedders are heavy)."""
        from retrieval.store import ClauseStore

        with self._lock:
            if self._store is None:
                # Opening an embedded store may create Chroma's tables, and a process opening it while
                # another was still creating them failed with "table collections already exists":
                # a local store is opened under the writer lock (once per Desk).
                local = not self.settings.chroma_url and self.workspace.exists()
                with self.workspace.writing() if local else contextlib.nullcontext():
                    fresh = not self.settings.chroma_url and not self.workspace.chroma_dir.exists()
                    # a brand-new local store takes the embedder a batch already loaded to embed its clauses
                    self._store = ClauseStore(
                        self.workspace.chroma_dir,
                        url=self.settings.chroma_url or None,
                        embedder=self._new_store_embedder if fresh else None,
                    )
            return self._store

    def batch_embedder(self) -> Embedder:
        """The embedder an ingest batch will be stored with, found without writing anything:
        the store's own if it exists, else the default a new store gets."""
        with self._lock:
            if self._store is not None:
                return self._store.embedder
            if self.settings.chroma_url or (self.workspace.exists() and self.workspace.chroma_dir.exists()):
                return self.open_store().embedder
            if self._new_store_embedder is None:
                from retrieval.embed import default_embedder

                self._new_store_embedder = default_embedder()
            return self._new_store_embedder

    def searcher(self) -> HybridSearcher:
        """The hybrid searcher; it keeps its lexical index between queries and rebuilds it when the store changes."""
        from retrieval.route import CategoryRouter
        from retrieval.search import HybridSearcher

        with self._lock:
            if self._searcher is None:
                store = self.open_store()
                self._searcher = HybridSearcher(store, router=CategoryRouter.from_taxonomy(store.embedder))
            return self._searcher

    def taxonomy(self) -> dict[str, str]:
        """Every clause category the desk knows, with its one-line description."""
        return load_taxonomy()

    def assistant(self) -> Assistant:
        """LLM assistance as configured (off unless the user set an endpoint)."""
        from desk.llm import Assistant

        return Assistant(self.settings)

    # -- documents -------------------------------------------------------------
    def documents(self, kind: str | None = None) -> list[DocumentRecord]:
        return self.workspace.documents(kind=kind) if self.workspace.exists() else []

    def document(self, ref: str) -> DocumentRecord | None:
        """A stored document by id, id prefix or title."""
        return self.workspace.find_document(ref) if self.workspace.exists() else None

    def latest_proposal(self) -> DocumentRecord | None:
        proposals = self.documents(kind="proposal")
        return proposals[-1] if proposals else None

    def ingest(
        self,
        paths: Iterable[str | Path],
        kind: str = "proposal",
        deal: str = "",
        progress: Progress | None = None,
        titles: dict[str, str] | None = None,
    ) -> list[IngestResult]:
        """Add files (and the supported files of folders) to the workspace and the store; idempotent."""
        items = ingest_engine.read_files(ingest_engine.expand_paths([Path(p) for p in paths]), self.settings.limits.max_bytes)
        return self.ingest_uploads(items, kind=kind, deal=deal, progress=progress, titles=titles)

    def ingest_uploads(
        self,
        items: Sequence[tuple[str, str, bytes]],
        kind: str = "proposal",
        deal: str = "",
        progress: Progress | None = None,
        titles: dict[str, str] | None = None,
    ) -> list[IngestResult]:
        """Add ``(label, filename, bytes)`` items (the page's uploads); all or nothing per bad file."""
        return ingest_engine.ingest_blobs(
            self.workspace, self, list(items), kind=kind, deal=deal, progress=progress, titles=titles,
            limits=self.settings.limits,
        )

    def stale_documents(self) -> list[DocumentRecord]:
        """Stored documents an older clause model or older rules analysed."""
        return ingest_engine.stale_documents(self.workspace)

    def reanalyse(self, progress: Progress | None = None) -> list[IngestResult]:
        """Analyse the stale documents again from their stored text, keeping offsets."""
        return ingest_engine.reanalyse(self.workspace, self, progress=progress)

    def delete_document(self, doc_id: str) -> DocumentRecord | None:
        return ingest_engine.delete_document(self.workspace, self, doc_id)

    def text(self, ref: str | Path) -> Document:
        """The document (a file, or a stored document by id or title) with the text its offsets index."""
        return ingest_engine.read_any(self.workspace, ref, limits=self.settings.limits)

    def clauses(self, ref: str | Path) -> AnalysedDocument:
        """Clauses of a file (analysed now, nothing stored) or of a stored document (as stored)."""
        document, clauses = ingest_engine.analyse_any(self.workspace, ref, self.settings.limits)
        return AnalysedDocument(document, tuple(clauses))

    def stored(self, rec: DocumentRecord) -> AnalysedDocument:
        """A stored document with its stored clauses."""
        return AnalysedDocument(
            ingest_engine.stored_document(self.workspace, rec), tuple(ingest_engine.stored_clauses(self.workspace, rec.id))
        )

    def search(
        self, query: str, k: int = 10, category: str | None = None, deal: str | None = None, kind: str | None = None
    ) -> SearchResults:
        """Hybrid search (words, meaning, clause category) over every stored clause."""
        titles = {r.id: r.title for r in self.documents()}
        searcher = self.searcher()  # opened before the shared hold: opening a new store takes the writer lock
        with self._lock, self.workspace.reading():
            hits = searcher.search(query, k=k, category=category, deal=deal, kind=kind)
        # vectors of an interrupted ingest are not in the catalogue: never shown
        kept = tuple(replace(h, document_title=titles[h.document_id]) for h in hits if h.document_id in titles)
        return SearchResults(query, {"category": category, "deal": deal, "kind": kind}, kept)

    # -- the mandate -------------------------------------------------------------
    def mandate(self, ref: str | Path | None = None) -> Mandate:
        """A mandate file, a saved version (id or prefix), or the workspace's active mandate."""
        return resolve_mandate(self.workspace, ref)

    def active_mandate(self) -> Mandate | None:
        return active_mandate(self.workspace) if self.workspace.exists() else None

    def check_mandate(self, ref: str | Path | None = None) -> "MandateCheck":
        """Which term type and reader each term gets, and what nothing can read (before any contract arrives)."""
        from desk.mandate_check import check_mandate

        return check_mandate(self.mandate(ref))

    def term_types(self) -> list[dict[str, str]]:
        """The library of term types a mandate can name with ``type = "..."``."""
        from desk.mandate_check import type_names

        return type_names()

    def mandate_versions(self) -> list[dict[str, Any]]:
        return self.workspace.mandate_versions() if self.workspace.exists() else []

    def save_mandate(self, mandate_or_text: Mandate | str, note: str = "") -> str:
        """Validate and store a new mandate version; returns its version id."""
        return save_mandate(self.workspace, mandate_or_text, note=note)

    # -- review --------------------------------------------------------------------
    def review(self, ref: str | Path, mandate: str | Path | None = None, *, assist: bool = False) -> ReviewResult:
        """Every mandate term judged against the document, with evidence and the decisions recorded so far.

        ``assist``: ask the configured LLM about the terms left unclear or not addressed; only answers
        whose quote is in the cited clause are applied, and never over a deterministic reading."""
        terms = self.mandate(mandate)
        document, clauses = ingest_engine.analyse_any(self.workspace, ref, self.settings.limits)
        decisions = self.workspace.decisions(document.id) if self.workspace.exists() else {}
        from desk.review import review as review_engine

        result = review_engine(document, clauses, terms, decisions=decisions)
        if not assist:
            return ReviewResult(result, document, tuple(clauses), terms)
        from desk.llm_reader import ask_open_terms, settle

        assistant = self.assistant()
        # the review is deterministic, so its open terms are too: ask once per document, mandate and model
        # (the page reviews again on every interaction; the endpoint is not called again)
        key = (document.id, terms.version, assistant.settings.llm_endpoint_label, assistant.model)
        answers = self._llm_answers.get(key)
        if answers is None:
            answers = self._llm_answers[key] = ask_open_terms(result, clauses, terms, assistant)
        assisted = settle(result, answers, clauses, terms, assistant)
        return ReviewResult(assisted.review, document, tuple(clauses), terms, assistance=assisted.assistance())

    def decide(self, ref: str | Path, term: str, decision: str, reason: str = "", user: str = "") -> Decision:
        """A legal adviser's call on a finding, kept in the workspace and the audit log."""
        document = self.text(ref)
        made = Decision.checked(document.id, term, decision, reason, user or current_user())
        if not self.workspace.exists():
            self.workspace.init()
        event = AuditEvent(
            "review.decision",
            {"document": made.document, "term": made.term, "decision": made.decision, "reason": made.reason},
            user=made.user,
        )
        with self.workspace.writing():
            self.workspace.record_decision(made.document, made.term, made.decision, made.reason, made.user, event)
        return made

    # -- comparison ------------------------------------------------------------------
    def compare(
        self, ref: str | Path, k: int = 3, category: str | None = None, deal: str | None = None, material_only: bool = False
    ) -> Comparison:
        """Each clause of ``ref`` beside its ``k`` closest precedents in the comparable contracts."""
        from desk.compare import CorpusCache, compare_document

        t0 = time.perf_counter()
        document, clauses, stored = ingest_engine.stored_or_analysed(self.workspace, ref, self.settings.limits)
        analysed = time.perf_counter()
        store = self.open_store()  # before the shared hold: opening a new store takes the writer lock
        with self._lock, self.workspace.reading():
            self._corpus = self._corpus or CorpusCache()
            corpus = self._corpus.load(store)
        loaded = time.perf_counter()
        spent = {"analyse_s": analysed - t0, "load_corpus_s": loaded - analysed, "total_s": loaded - t0}
        return compare_document(
            document, clauses, stored, store, corpus, self.documents(), k=k, category=category, deal=deal,
            material_only=material_only, timings=spent,
        )

    def unusual(self, ref: str | Path) -> list[ClauseComparison]:
        """The clauses of ``ref`` that the stored corpus flags as unusual, each with its reasons."""
        return [row for row in self.compare(ref, k=1).clauses if row.unusual]

    # -- market and valuation ----------------------------------------------------------
    def market(
        self,
        proposal: str | Path | None = None,
        mandate: str | Path | None = None,
        sector: str | None = None,
        year: int | None = None,
        data_type: str | None = None,
        use: str | None = None,
        record_type: str | None = None,
        origin: str | None = None,
    ) -> MarketView:
        """The public and hand-entered deals, normalised, and where ``proposal`` (default: the latest) sits."""
        from desk.deals_catalogue import all_deals, unpriced_contract_deals
        from desk.market import market, proposal_terms

        if proposal is None:
            latest = self.latest_proposal()
            proposal = latest.id if latest else None
        terms = proposal_terms(self.review(proposal, mandate)) if proposal is not None else None
        catalogue = all_deals(self.workspace)
        return market(
            catalogue, terms, unpriced_contract_deals(self.workspace, catalogue), sector=sector, year=year,
            data_type=data_type, use=use, record_type=record_type, origin=origin,
        )

    def add_deal(self, fields: Mapping[str, Any]) -> DealRecord:
        """A comparable deal entered by hand (marked as such), validated field by field."""
        from desk.deals_catalogue import add_manual_deal

        return add_manual_deal(self.workspace, fields)

    def value(
        self,
        mandate: str | Path | None = None,
        sample: str | Path | None = None,
        inputs: ValuationInputs | None = None,
        proceeds: float | None = None,
        progress: Progress | None = None,
    ) -> ValuationResult:
        """What the collective's data is worth per year, by method and combined; with ``proceeds``,
        their split among members beside pro rata."""
        from desk.valuation_service import ValuationInputs, run_valuation

        inputs = inputs or ValuationInputs()
        result = run_valuation(self.workspace, self.mandate(mandate), Path(sample) if sample else None, inputs, progress)
        return replace(result, payout=result.share_out(proceeds)) if proceeds is not None else result

    def sample_in_use(self) -> Path | None:
        """The collective's own data sample, if one was uploaded (else valuation uses the demo's stand-in)."""
        from desk.valuation_service import workspace_sample

        return workspace_sample(self.workspace)

    def store_sample(self, data: bytes, filename: str) -> Path:
        from desk.valuation_service import store_sample

        return store_sample(self.workspace, data, filename)

    # -- the negotiation at a glance, the log, the demo ------------------------------------
    def status(self) -> Overview:
        return overview(self.workspace)

    def audit_verify(self) -> AuditCheck:
        """Whether the hash-chained audit trail is intact and every stored thing has its entry."""
        return self.workspace.verify_audit()

    def audit_entries(self) -> list[dict[str, Any]]:
        """The audit trail, oldest first."""
        return self.workspace.audit_entries()

    def seed_demo(self, progress: Progress | None = None) -> DemoSummary:
        """The demo negotiation in this workspace (idempotent)."""
        return seed_demo(self.workspace, self.ingest, progress=progress)

    # -- not built yet: each says so in one line ----------------------------------------
    def scenarios(self, ref: str | Path, mandate: str | Path | None = None) -> Any:
        raise NotAvailableError("scenarios")

    def counteroffer(self, ref: str | Path, mandate: str | Path | None = None) -> Any:
        raise NotAvailableError("counteroffer")

    def brief(self, ref: str | Path, out: str | Path, mandate: str | Path | None = None) -> Any:
        raise NotAvailableError("brief")

    def members(self, action: str, path: str | Path | None = None) -> Any:
        raise NotAvailableError("members")

    def add_user(self, name: str, role: str) -> Any:
        raise NotAvailableError("users")
