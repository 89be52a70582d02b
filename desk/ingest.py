"""Getting documents into the workspace: read, analyse, store, catalogue.

A batch is read and analysed completely before anything is written, so one
bad file in a batch fails the batch with its name and the reason, and the
workspace is untouched. Each document is then stored in an order whose last
step (the catalogue row) is the commit point; see ``desk.workspace``.

Embedding is most of ingest's cost and onnxruntime releases the GIL, so each
document's clauses are embedded on a worker thread while the main thread reads
and segments the next file: on two cores the pure-Python work hides behind the
model. Vectors are only computed in phase 1, never written.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from desk.audit import AuditLog
from desk.domain import Clause, Document
from desk.errors import BadInputError, DeskError
from desk.settings import Settings
from desk.workspace import DocumentRecord, Workspace, sha256_bytes

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: str  # "added" | "unchanged" | "reanalysed"
    document: DocumentRecord

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "document": self.document.to_dict()}


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as the supported files inside them."""
    from retrieval.readers import iter_supported_files

    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = list(iter_supported_files(path))
            if not found:
                raise BadInputError(path, "folder has no supported files (PDF, DOCX, TXT, MD, HTML)")
            out.extend(found)
        elif not path.exists():
            raise BadInputError(path, "no such file")
        else:
            out.append(path)
    return out


def title_from_filename(name: str) -> str:
    stem = Path(name).stem
    return " ".join(stem.replace("_", " ").split()) or name


def analyse(document: Document) -> list[Clause]:
    from retrieval.clauses import analyse_document

    return analyse_document(document)


def read_any(settings: Settings, ref: str | Path, kind: str = "proposal") -> Document:
    """A file on disk, or else a document already in the workspace (by id or title)."""
    from retrieval.readers import read_document

    path = Path(ref)
    if path.exists():
        return read_document(path, kind=kind, title=title_from_filename(path.name))
    ws = Workspace(settings.workspace)
    rec = ws.find_document(str(ref))
    if rec is None:
        raise BadInputError(ref, "no such file, and no stored document with that id or title")
    return stored_document(ws, rec)


def stored_document(ws: Workspace, rec: DocumentRecord) -> Document:
    payload = ws.load_analysis(rec.id)
    if payload is None:
        raise BadInputError(rec.filename, "stored analysis is missing; remove the document and add its file again")
    return Document.from_dict(payload["document"])


def stored_clauses(ws: Workspace, doc_id: str) -> list[Clause]:
    payload = ws.load_analysis(doc_id) or {}
    return [Clause.from_dict(c) for c in payload.get("clauses", [])]


def analyse_any(settings: Settings, ref: str | Path) -> tuple[Document, list[Clause]]:
    """Clauses of a file (analysed now) or of a stored document (as stored)."""
    path = Path(ref)
    if not path.exists():
        ws = Workspace(settings.workspace)
        rec = ws.find_document(str(ref))
        if rec is not None:
            return stored_document(ws, rec), stored_clauses(ws, rec.id)
    document = read_any(settings, ref)
    return document, analyse(document)


@dataclass(frozen=True)
class _Prepared:
    path: str
    data: bytes
    document: Document
    clauses: list[Clause]
    embeddings: Future | None = None  # of an np.ndarray, one row per clause


_NEW_STORE_EMBEDDER: Any = None


@contextmanager
def _embedding_worker(switch_interval: float = 0.0005) -> Iterator[ThreadPoolExecutor]:
    """The thread that embeds each document while the next one is read.

    The GIL switch interval is shortened meanwhile: every model run releases
    the GIL and must take it back from the reader to return, and with the
    default 5 ms a worker waits up to that long each time; for the 1,010
    clauses of ``bench/ingest.py`` the whole ingest took 16.1 s instead of 14.3 s.
    A failed batch cancels the embedding of what will never be stored."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, switch_interval))
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-embed")
    try:
        yield worker
    finally:
        worker.shutdown(wait=True, cancel_futures=True)
        sys.setswitchinterval(previous)


def batch_embedder(settings: Settings) -> Any:
    """The embedder the batch's store will use, found without writing anything:
    the open or existing store's own, else the default for a new store."""
    global _NEW_STORE_EMBEDDER
    key = (str(settings.workspace), settings.chroma_url)
    if key in _STORES:
        return _STORES[key].embedder
    ws = Workspace(settings.workspace)
    if settings.chroma_url or (ws.exists() and ws.chroma_dir.exists()):
        return open_store(settings).embedder
    if _NEW_STORE_EMBEDDER is None:
        from retrieval.embed import default_embedder

        _NEW_STORE_EMBEDDER = default_embedder()
    return _NEW_STORE_EMBEDDER


def ingest_files(
    settings: Settings,
    paths: list[Path],
    kind: str = "proposal",
    deal: str = "",
    progress: Progress | None = None,
    titles: dict[str, str] | None = None,
) -> list[IngestResult]:
    """Ingest files by path; idempotent by content hash."""
    items = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BadInputError(path, f"cannot read: {exc.strerror or exc}") from None
        items.append((str(path), path.name, data))
    return ingest_blobs(settings, items, kind=kind, deal=deal, progress=progress, titles=titles)


def ingest_blobs(
    settings: Settings,
    items: list[tuple[str, str, bytes]],
    kind: str = "proposal",
    deal: str = "",
    progress: Progress | None = None,
    titles: dict[str, str] | None = None,
) -> list[IngestResult]:
    """Ingest ``(label, filename, bytes)`` items: the CLI's files and the UI's uploads."""
    from retrieval.readers import read_bytes

    ws = Workspace(settings.workspace)  # created only once something is worth storing
    report = progress or (lambda f, m: None)
    titles = titles or {}
    results: list[IngestResult | None] = [None] * len(items)
    prepared: list[tuple[int, _Prepared]] = []
    seen: dict[str, int] = {}
    total = max(1, len(items))

    # Phase 1: read and analyse everything, embedding on a worker thread; nothing is written yet.
    embedder = None  # loaded for the first document that needs it: an all-unchanged batch never opens the store
    with _embedding_worker() as worker:
        for i, (label, filename, data) in enumerate(items):
            doc_id = sha256_bytes(data)
            existing = ws.document(doc_id)
            if existing is not None:
                results[i] = IngestResult(label, "unchanged", existing)
                continue
            if doc_id in seen:  # the same bytes twice in one batch
                continue
            report(i / total * 0.5, f"reading {filename}")
            try:
                document = read_bytes(data, filename, kind=kind, deal=deal, title=titles.get(filename) or title_from_filename(filename))
            except BadInputError as exc:  # name the file as the user gave it, not just its base name
                raise BadInputError(label, exc.reason) from None
            report((i + 0.5) / total * 0.5, f"finding clauses in {filename}")
            clauses = analyse(document)
            seen[doc_id] = i
            vectors = None
            if clauses:
                embedder = embedder or batch_embedder(settings)
                vectors = worker.submit(embedder.embed, [c.text for c in clauses])
            prepared.append((i, _Prepared(label, data, document, clauses, vectors)))

        # Phase 2: store; each document commits on its own.
        if prepared:
            if not ws.exists():
                ws.init()
            store = open_store(settings)
            reconcile(ws, store)
            log = AuditLog(ws.audit_path)
            for n, (i, item) in enumerate(prepared):
                doc = item.document
                report(0.5 + n / len(prepared) * 0.5, f"storing {doc.title}")
                # vectors from another embedder (the store changed under us) are recomputed by the store
                embeddings = item.embeddings.result() if item.embeddings and store.embedder is embedder else None
                ws.store_file(doc.id, doc.format, item.data)
                ws.store_analysis(doc.id, analysis_payload(doc, item.clauses))
                store.add_clauses(doc, item.clauses, embeddings=embeddings)
                rec = DocumentRecord(
                    id=doc.id, title=doc.title, kind=doc.kind, deal=doc.deal, filename=Path(item.path).name,
                    format=doc.format, pages=doc.page_count, chars=len(doc.text), clauses=len(item.clauses), added_at=time.time(),
                )
                ws.commit_document(rec)
                log.append("ingest", {"document": doc.id, "title": doc.title, "kind": doc.kind, "deal": doc.deal, "clauses": len(item.clauses)})
                results[i] = IngestResult(item.path, "added", rec)
    # Duplicates inside the batch point at the copy that was added.
    for i, (label, _filename, data) in enumerate(items):
        if results[i] is None:
            rec = ws.document(sha256_bytes(data))
            assert rec is not None
            results[i] = IngestResult(label, "unchanged", rec)
    report(1.0, "done")
    return [r for r in results if r is not None]


def analysis_payload(document: Document, clauses: list[Clause]) -> dict[str, Any]:
    from retrieval.clauses import analyser_id

    return {"document": document.to_dict(), "clauses": [c.to_dict() for c in clauses], "analyser": analyser_id()}


def stale_documents(settings: Settings) -> list[DocumentRecord]:
    """Stored documents whose analysis came from another clause model or older rules."""
    from retrieval.clauses import analyser_id

    ws = Workspace(settings.workspace)
    if not ws.exists():
        return []
    current = analyser_id()

    def analyser(rec: DocumentRecord) -> str | None:
        try:
            return (ws.load_analysis(rec.id) or {}).get("analyser")
        except DeskError:  # unreadable: stale, and reanalyse says why in one line
            return None

    return [rec for rec in ws.documents() if analyser(rec) != current]


def reanalyse(settings: Settings, progress: Progress | None = None) -> list[IngestResult]:
    """Analyse every stale document again from its stored text, and replace its clauses.

    The text is the stored one, so offsets (and the ids of clauses that did not
    move) stay the same. The store is rewritten first and the analysis file
    last: it is what marks the document as current, so an interruption leaves
    the document stale and the next run finishes the job.
    """
    ws = Workspace(settings.workspace)
    stale = stale_documents(settings)
    report = progress or (lambda f, m: None)
    results = []
    if stale:
        store = open_store(settings)
        reconcile(ws, store)
        log = AuditLog(ws.audit_path)
        for n, rec in enumerate(stale):
            report(n / len(stale), f"analysing {rec.title} again")
            document = stored_document(ws, rec)
            clauses = analyse(document)
            store.add_clauses(document, clauses)
            ws.store_analysis(rec.id, analysis_payload(document, clauses))
            updated = dataclasses.replace(rec, clauses=len(clauses))
            ws.commit_document(updated)
            log.append("reanalyse", {"document": rec.id, "title": rec.title, "clauses": len(clauses), "before": rec.clauses})
            results.append(IngestResult(rec.filename, "reanalysed", updated))
    report(1.0, "done")
    return results


def reconcile(ws: Workspace, store: Any) -> set[str]:
    """Remove what an interrupted ingest left behind (vectors, files) for uncatalogued documents."""
    orphans = ws.orphans()
    for doc_id in orphans:
        store.delete_document(doc_id)
    ws.sweep_orphans()
    return orphans


def delete_document(settings: Settings, doc_id: str) -> DocumentRecord | None:
    ws = Workspace(settings.workspace)
    rec = ws.remove_document(doc_id)
    if rec is not None:
        open_store(settings).delete_document(doc_id)
        AuditLog(ws.audit_path).append("delete", {"document": doc_id, "title": rec.title})
    return rec


_STORES: dict[tuple[str, str], Any] = {}
_SEARCHERS: dict[int, Any] = {}


def open_store(settings: Settings) -> Any:
    """The clause store for this workspace (one per process: Chroma clients are heavy)."""
    from retrieval.store import ClauseStore

    key = (str(settings.workspace), settings.chroma_url)
    if key not in _STORES:
        ws = Workspace(settings.workspace)
        # a brand-new local store takes the embedder phase 1 already loaded
        fresh = not settings.chroma_url and not ws.chroma_dir.exists() and _NEW_STORE_EMBEDDER is not None
        _STORES[key] = ClauseStore(
            ws.chroma_dir, url=settings.chroma_url or None, embedder=_NEW_STORE_EMBEDDER if fresh else None
        )
    return _STORES[key]


def search_clauses(
    settings: Settings, query: str, k: int = 10, category: str | None = None, deal: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    from retrieval.search import HybridSearcher

    ws = Workspace(settings.workspace)
    titles = {r.id: r.title for r in ws.documents()}
    store = open_store(settings)
    searcher = _SEARCHERS.get(id(store))
    if searcher is None:  # keeps its lexical index between queries; it rebuilds itself when the store changes
        searcher = _SEARCHERS[id(store)] = HybridSearcher(store)
    hits = searcher.search(query, k=k, category=category, deal=deal, kind=kind)
    out = []
    for h in hits:
        if h.document_id not in titles:  # vectors of an interrupted ingest: not in the catalogue
            continue
        row = h.to_dict() if hasattr(h, "to_dict") else dict(h.__dict__)
        row["document_title"] = titles.get(row.get("document_id", ""), "")
        out.append(row)
    return out
