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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Protocol

from core.domain import Clause, Document, Serializable
from core.errors import BadInputError, DeskError
from desk.audit import AuditEvent
from desk.workspace import DocumentRecord, Workspace, sha256_bytes
from retrieval.readers import DEFAULT_MAX_BYTES, read_input
from retrieval.worker import ReadLimits, read_and_analyse

if TYPE_CHECKING:  # chromadb loads with these: only the types are needed here
    from retrieval.embed import Embedder
    from retrieval.store import ClauseStore

Progress = Callable[[float, str], None]


class ClauseIndex(Protocol):
    """What ingest needs from its owner (the :class:`desk.service.Desk`): the
    clause store, opened on demand, and the embedder a batch will be stored
    with, found without opening or writing anything that need not be."""

    def open_store(self) -> ClauseStore: ...

    def batch_embedder(self) -> Embedder: ...


@dataclass(frozen=True)
class IngestResult(Serializable):
    path: str
    status: Literal["added", "unchanged", "reanalysed"]
    document: DocumentRecord


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as the supported files inside them.

    A link found inside a folder must point inside that folder: a folder of
    contracts holding ``contract.txt -> /etc/passwd`` would otherwise send a
    system file into the workspace (and to an LLM, if one is configured). A
    link the user names on the command line is taken as meant.
    """
    from retrieval.readers import iter_supported_files

    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            found = list(iter_supported_files(path))
            if not found:
                raise BadInputError(path, "folder has no supported files (PDF, DOCX, TXT, MD, HTML)")
            for file in found:
                target = file.resolve()
                if not target.is_relative_to(root):
                    raise BadInputError(file, f"a link to {target}, outside the folder being ingested; name it directly to ingest it")
            out.extend(found)
        elif not path.exists() and not path.is_symlink():
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


def read_file(
    path: Path, kind: str = "proposal", limits: ReadLimits = ReadLimits(), analyse: bool = False, data: bytes | None = None
) -> tuple[Document, list[Clause]]:
    """A file on disk (its ``data``, when already read), checked, then read (and analysed) in a
    worker process within ``limits``."""
    data = read_input(path, limits.max_bytes) if data is None else data
    return read_and_analyse(data, str(path), kind=kind, title=title_from_filename(path.name), limits=limits, analyse=analyse)


def read_any(ws: Workspace, ref: str | Path, kind: str = "proposal", limits: ReadLimits = ReadLimits()) -> Document:
    """A file on disk, or else a document already in the workspace (by id or title)."""
    path = Path(ref)
    if path.exists() or path.is_symlink():
        return read_file(path, kind=kind, limits=limits)[0]
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


def analyse_any(ws: Workspace, ref: str | Path, limits: ReadLimits = ReadLimits()) -> tuple[Document, list[Clause]]:
    """Clauses of a file (analysed now, in a worker within ``limits``) or of a stored document (as stored)."""
    path = Path(ref)
    if path.exists() or path.is_symlink():
        document, clauses = read_file(path, limits=limits, analyse=True)
        return document, clauses
    rec = ws.find_document(str(ref))
    if rec is None:
        raise BadInputError(ref, "no such file, and no stored document with that id or title")
    return stored_document(ws, rec), stored_clauses(ws, rec.id)


def stored_or_analysed(ws: Workspace, ref: str | Path, limits: ReadLimits = ReadLimits()) -> tuple[Document, list[Clause], bool]:
    """Like :func:`analyse_any`, but a file whose bytes are stored gives the stored
    analysis (no re-classification); the flag says whether the document is stored."""
    path = Path(ref)
    if path.is_file():
        data = read_input(path, limits.max_bytes)  # read once: hashed here, analysed below if not stored
        rec = ws.document(sha256_bytes(data))
        if rec is not None:
            return stored_document(ws, rec), stored_clauses(ws, rec.id), True
        document, clauses = read_file(path, limits=limits, analyse=True, data=data)
        return document, clauses, False
    document, clauses = analyse_any(ws, ref, limits)
    return document, clauses, ws.document(document.id) is not None


@dataclass(frozen=True)
class _Prepared:
    path: str
    data: bytes
    document: Document
    clauses: list[Clause]
    embeddings: Future | None = None  # of an np.ndarray, one row per clause


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


def read_files(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> list[tuple[str, str, bytes]]:
    """``(label, filename, bytes)`` for each path, as :func:`ingest_blobs` takes them."""
    return [(str(path), path.name, read_input(path, max_bytes)) for path in paths]


def ingest_blobs(
    ws: Workspace,
    index: ClauseIndex,
    items: list[tuple[str, str, bytes]],
    kind: str = "proposal",
    deal: str = "",
    progress: Progress | None = None,
    titles: dict[str, str] | None = None,
    limits: ReadLimits = ReadLimits(),
) -> list[IngestResult]:
    """Ingest ``(label, filename, bytes)`` items: the CLI's files and the UI's uploads.

    Each file is read and analysed in a worker process within ``limits``
    (:mod:`retrieval.worker`): a hostile file costs at most their time and memory."""
    # the workspace folder is created only once something is worth storing
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
            title = titles.get(filename) or title_from_filename(filename)
            try:
                document, clauses = read_and_analyse(data, filename, kind=kind, deal=deal, title=title, limits=limits)
            except BadInputError as exc:  # name the file as the user gave it, not just its base name
                raise BadInputError(label, exc.reason) from None
            report((i + 0.5) / total * 0.5, f"found the clauses of {filename}")
            seen[doc_id] = i
            vectors = None
            if clauses:
                embedder = embedder or index.batch_embedder()
                vectors = worker.submit(embedder.embed, [c.text for c in clauses])
            prepared.append((i, _Prepared(label, data, document, clauses, vectors)))

        # Phase 2: store; each document commits on its own, holding the workspace's writer lock,
        # so another process's batch interleaves whole documents with ours, never half ones.
        if prepared:
            if not ws.exists():
                ws.init()
            store = index.open_store()
            for n, (i, item) in enumerate(prepared):
                doc = item.document
                report(0.5 + n / len(prepared) * 0.5, f"storing {doc.title}")
                with ws.writing():
                    if n == 0:
                        reconcile(ws, store)  # under the lock: leftovers are a dead writer's, never a live one's
                    stored = ws.document(doc.id)
                    if stored is not None:  # another desk stored the same bytes meanwhile: once, and logged once
                        results[i] = IngestResult(item.path, "unchanged", stored)
                        continue
                    # vectors from another embedder (the store changed under us) are recomputed by the store
                    embeddings = item.embeddings.result() if item.embeddings and store.embedder is embedder else None
                    ws.store_file(doc.id, doc.format, item.data)
                    ws.store_analysis(doc.id, analysis_payload(doc, item.clauses))
                    store.add_clauses(doc, item.clauses, embeddings=embeddings)
                    rec = DocumentRecord(
                        id=doc.id, title=doc.title, kind=doc.kind, deal=doc.deal, filename=Path(item.path).name,
                        format=doc.format, pages=doc.page_count, chars=len(doc.text), clauses=len(item.clauses), added_at=time.time(),
                    )
                    event = AuditEvent("ingest", {"document": doc.id, "title": doc.title, "kind": doc.kind, "deal": doc.deal, "clauses": len(item.clauses)})
                    ws.commit_document(rec, event)
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


def stale_documents(ws: Workspace) -> list[DocumentRecord]:
    """Stored documents whose analysis came from another clause model or older rules."""
    from retrieval.clauses import analyser_id

    if not ws.exists():
        return []
    current = analyser_id()

    def analyser(rec: DocumentRecord) -> str | None:
        try:
            return (ws.load_analysis(rec.id) or {}).get("analyser")
        except DeskError:  # unreadable: stale, and reanalyse says why in one line
            return None

    return [rec for rec in ws.documents() if analyser(rec) != current]


def reanalyse(ws: Workspace, index: ClauseIndex, progress: Progress | None = None) -> list[IngestResult]:
    """Analyse every stale document again from its stored text, and replace its clauses.

    The text is the stored one, so offsets (and the ids of clauses that did not
    move) stay the same. The store is rewritten first and the analysis file
    last: it is what marks the document as current, so an interruption leaves
    the document stale and the next run finishes the job.
    """
    report = progress or (lambda f, m: None)
    results = []
    if not stale_documents(ws):
        report(1.0, "done")
        return results
    with ws.writing():
        stale = stale_documents(ws)  # again under the lock: another desk may have done it meanwhile
        store = index.open_store()
        reconcile(ws, store)
        for n, rec in enumerate(stale):
            report(n / len(stale), f"analysing {rec.title} again")
            document = stored_document(ws, rec)
            clauses = analyse(document)
            store.add_clauses(document, clauses)
            ws.store_analysis(rec.id, analysis_payload(document, clauses))
            updated = dataclasses.replace(rec, clauses=len(clauses))
            event = AuditEvent("reanalyse", {"document": rec.id, "title": rec.title, "clauses": len(clauses), "before": rec.clauses})
            ws.commit_document(updated, event)
            results.append(IngestResult(rec.filename, "reanalysed", updated))
    report(1.0, "done")
    return results


def reconcile(ws: Workspace, store: ClauseStore) -> set[str]:
    """Remove what an interrupted ingest left behind (vectors, files) for uncatalogued documents."""
    orphans = ws.orphans()
    for doc_id in orphans:
        store.delete_document(doc_id)
    ws.sweep_orphans()
    return orphans


def delete_document(ws: Workspace, index: ClauseIndex, doc_id: str) -> DocumentRecord | None:
    """Remove a document from the catalogue (the commit point, logged with it), then its vectors."""
    if not ws.exists():
        return None
    with ws.writing():
        removed = ws.remove_document(doc_id, lambda rec: AuditEvent("delete", {"document": doc_id, "title": rec.title}))
        if removed is not None:
            index.open_store().delete_document(doc_id)
    return removed
