"""The workspace: one folder that holds a negotiation's state.

Layout::

    workspace/
      catalogue.sqlite     documents, deals, mandate versions, decisions (the source of truth)
      files/<sha256>.<ext> the original files, by content hash
      analysis/<sha256>.json  extracted text, pages and clauses of each document
      mandates/<sha256>.toml  every saved mandate version
      chroma/              the embedded vector store
      .lock                the one-writer lock (see ``Workspace.writing``)

The catalogue also holds the audit trail (table ``audit``, hash-chained; see
``desk.audit``), written in the same transaction as the action it records.

Why this shape: the catalogue row is written last, inside one SQLite
transaction, so it is the commit point. Everything written before it (files,
analysis, vectors) is content-addressed and idempotent; if the process dies
half-way the document is simply not in the catalogue, the previous state stays
readable, and re-ingesting finishes the job. ``reconcile`` sweeps leftovers.

One writer at a time: every write holds ``Workspace.writing()``, an exclusive
lock on ``.lock`` shared by every process on the machine, so two negotiators
ingesting at once take turns per document, and leftovers swept under the lock
can only be a dead process's, never a live writer's half-finished work.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from core.domain import Serializable
from core.errors import WorkspaceError
from desk.audit import GENESIS, AuditCheck, AuditEvent, chained, verify_chain

AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
"""
#: how long a writer waits for another to finish before saying the workspace is busy
LOCK_TIMEOUT_S = 300.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    deal TEXT NOT NULL DEFAULT '',
    filename TEXT NOT NULL,
    format TEXT NOT NULL,
    pages INTEGER NOT NULL,
    chars INTEGER NOT NULL,
    clauses INTEGER NOT NULL DEFAULT 0,
    added_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS mandates (
    version TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    added_at REAL NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS deals (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    origin TEXT NOT NULL,
    added_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    document_id TEXT NOT NULL,
    term TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT '',
    at REAL NOT NULL,
    PRIMARY KEY (document_id, term)
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
""" + AUDIT_SCHEMA


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class DocumentRecord(Serializable):
    """A stored document's catalogue row."""

    id: str
    title: str
    kind: str
    deal: str
    filename: str
    format: str
    pages: int
    chars: int
    clauses: int
    added_at: float


class Workspace:
    """A negotiation's folder; cheap to open, safe to open from several processes."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._writer = threading.RLock()  # this object's threads take turns; the flock does processes
        self._lock_file: Any = None
        self._depth = 0
        self._owner: int | None = None  # the thread holding the writer lock

    # -- layout -----------------------------------------------------------
    @property
    def catalogue_path(self) -> Path:
        return self.root / "catalogue.sqlite"

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    @property
    def analysis_dir(self) -> Path:
        return self.root / "analysis"

    @property
    def mandates_dir(self) -> Path:
        return self.root / "mandates"

    @property
    def chroma_dir(self) -> Path:
        return self.root / "chroma"

    @property
    def audit_path(self) -> Path:
        return self.root / "audit.jsonl"

    @property
    def lock_path(self) -> Path:
        return self.root / ".lock"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    def exists(self) -> bool:
        return self.catalogue_path.exists()

    def init(self) -> "Workspace":
        for d in (self.root, self.files_dir, self.analysis_dir, self.mandates_dir, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)
        # executescript manages its own transaction, so it gets a plain connection.
        db = sqlite3.connect(self.catalogue_path, timeout=30)
        try:
            db.executescript(SCHEMA)
        finally:
            db.close()
        return self

    @contextlib.contextmanager
    def writing(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator["Workspace"]:
        """Hold the workspace's one-writer lock (re-entrant; other processes and threads wait).

        An exclusive ``flock`` on ``.lock``: the kernel releases it when the
        holder dies, so a killed process never leaves the workspace locked.
        The workspace folder must exist (``init`` it first); nothing is created here.
        """
        if not self._writer.acquire(timeout=timeout):
            raise WorkspaceError(self.root, f"busy: another writer in this process held it for {timeout:.0f} s")
        try:
            if self._depth == 0:
                if not self.root.is_dir():
                    raise WorkspaceError(self.root, "no workspace here; run `desk demo` or `desk ingest` first")
                handle = open(self.lock_path, "a+b")
                try:
                    self._flock(handle, fcntl.LOCK_EX, timeout)
                except WorkspaceError:
                    handle.close()
                    raise
                self._lock_file = handle
                self._owner = threading.get_ident()
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None
                    fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
                    self._lock_file.close()
                    self._lock_file = None
        finally:
            self._writer.release()

    @contextlib.contextmanager
    def reading(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator["Workspace"]:
        """A shared hold on the same lock, for reads of the clause store: Chroma's embedded
        store is not safe to read while another process writes it ("Error finding id" under
        load). Readers share; a writer waits for them and they for it. Within one process,
        threads share Chroma's own (thread-safe) client, so a thread of the writer passes."""
        if not self.lock_path.parent.is_dir() or self._owner == threading.get_ident():
            yield self
            return
        with open(self.lock_path, "a+b") as handle:
            self._flock(handle, fcntl.LOCK_SH, timeout)
            try:
                yield self
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _flock(self, handle: Any, mode: int, timeout: float) -> None:
        """``flock`` in ``mode``, polling so that a writer stuck elsewhere ends in one clear line."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WorkspaceError(self.root, f"busy: another desk has been writing for {timeout:.0f} s; try again") from None
                time.sleep(0.02)

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection whose ``with`` block is one transaction."""
        if not self.root.exists():
            raise WorkspaceError(self.root, "no workspace here; run `desk demo` or `desk ingest` first")
        db = sqlite3.connect(self.catalogue_path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            else:
                db.execute("COMMIT")
        finally:
            db.close()

    # -- documents --------------------------------------------------------
    def documents(self, kind: str | None = None) -> list[DocumentRecord]:
        if not self.exists():
            return []
        with self.connect() as db:
            sql, args = "SELECT * FROM documents", ()
            if kind:
                sql, args = sql + " WHERE kind = ?", (kind,)
            rows = db.execute(sql + " ORDER BY added_at, title", args).fetchall()
        return [DocumentRecord(**dict(r)) for r in rows]

    def document(self, doc_id: str) -> DocumentRecord | None:
        if not self.exists():
            return None
        with self.connect() as db:
            row = db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return DocumentRecord(**dict(row)) if row else None

    def find_document(self, ref: str) -> DocumentRecord | None:
        """A document by id, id prefix, title or original file name."""
        for rec in self.documents():
            if ref in (rec.id, rec.title, rec.filename) or (len(ref) >= 8 and rec.id.startswith(ref)):
                return rec
        return None

    def file_path(self, rec: DocumentRecord) -> Path:
        return self.files_dir / f"{rec.id}.{rec.format}"

    def analysis_path(self, doc_id: str) -> Path:
        return self.analysis_dir / f"{doc_id}.json"

    def store_file(self, doc_id: str, fmt: str, data: bytes) -> Path:
        path = self.files_dir / f"{doc_id}.{fmt}"
        if not path.exists():
            atomic_write(path, data)
        return path

    def store_analysis(self, doc_id: str, payload: dict[str, Any]) -> None:
        atomic_write(self.analysis_path(doc_id), json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def load_analysis(self, doc_id: str) -> dict[str, Any] | None:
        path = self.analysis_path(doc_id)
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:  # edited or damaged by hand
            raise WorkspaceError(path, f"stored analysis is not readable JSON ({exc}); remove the document and add its file again") from None

    def commit_document(self, rec: DocumentRecord, event: AuditEvent | None = None) -> None:
        """The commit point of an ingest: after this the document exists, with its audit entry."""
        with self.connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                (rec.id, rec.title, rec.kind, rec.deal, rec.filename, rec.format, rec.pages, rec.chars, rec.clauses, rec.added_at),
            )
            if event is not None:
                self._append(db, event)

    def remove_document(
        self, doc_id: str, event: Callable[[DocumentRecord], AuditEvent] | None = None
    ) -> DocumentRecord | None:
        """Forget a document: catalogue row first (commit point, with the audit entry ``event``
        makes from the record), then its files."""
        with self.connect() as db:
            row = db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                return None
            rec = DocumentRecord(**dict(row))
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            db.execute("DELETE FROM decisions WHERE document_id = ?", (doc_id,))
            if event is not None:
                self._append(db, event(rec))
        for path in (self.file_path(rec), self.analysis_path(doc_id)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        return rec

    def orphans(self) -> set[str]:
        """Document ids with files or analysis on disk but no catalogue row."""
        known = {r.id for r in self.documents()}
        on_disk = {p.name.split(".", 1)[0] for d in (self.files_dir, self.analysis_dir) if d.exists() for p in d.iterdir() if not p.name.startswith(".")}
        return on_disk - known

    def sweep_orphans(self) -> set[str]:
        """Delete what a crashed ingest left behind; returns the ids swept."""
        gone = self.orphans()
        for doc_id in gone:
            for d in (self.files_dir, self.analysis_dir):
                for p in d.glob(f"{doc_id}.*"):
                    p.unlink()
        # only where writers hold the workspace lock: a valuation cache file being written without it is left alone
        for folder in (self.files_dir, self.analysis_dir, self.mandates_dir):
            for tmp in folder.glob(".*.tmp") if folder.exists() else ():
                tmp.unlink(missing_ok=True)
        return gone

    # -- mandates -----------------------------------------------------------
    def save_mandate_text(self, text: str, name: str, note: str = "", event: AuditEvent | None = None) -> str:
        """Store a mandate version (content-addressed); returns its version id. The ``event``'s
        details get the ``version``."""
        version = sha256_bytes(text.encode("utf-8"))
        atomic_write(self.mandates_dir / f"{version}.toml", text.encode("utf-8"))
        with self.connect() as db:
            db.execute("INSERT OR IGNORE INTO mandates VALUES (?,?,?,?)", (version, name, time.time(), note))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('active_mandate', ?)", (version,))
            if event is not None:
                self._append(db, AuditEvent(event.action, {**event.details, "version": version}, event.user))
        return version

    def mandate_versions(self) -> list[dict[str, Any]]:
        if not self.exists():
            return []
        with self.connect() as db:
            rows = db.execute("SELECT * FROM mandates ORDER BY added_at").fetchall()
        return [dict(r) for r in rows]

    def active_mandate_path(self) -> Path | None:
        version = self.meta("active_mandate")
        return self.mandates_dir / f"{version}.toml" if version else None

    # -- meta ----------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        if not self.exists():
            return None
        with self.connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.connect() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- decisions on findings ----------------------------------------------------
    def record_decision(
        self, document_id: str, term: str, decision: str, reason: str = "", user: str = "", event: AuditEvent | None = None
    ) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?,?,?,?,?,?)",
                (document_id, term, decision, reason, user, time.time()),
            )
            if event is not None:
                self._append(db, event)

    def decisions(self, document_id: str) -> dict[str, dict[str, Any]]:
        if not self.exists():
            return {}
        with self.connect() as db:
            rows = db.execute("SELECT * FROM decisions WHERE document_id = ?", (document_id,)).fetchall()
        return {r["term"]: dict(r) for r in rows}

    # -- hand-entered and ingested deals --------------------------------------------
    def add_deal(self, deal_id: str, data: dict[str, Any], origin: str, event: AuditEvent | None = None) -> None:
        with self.connect() as db:
            db.execute("INSERT OR REPLACE INTO deals VALUES (?,?,?,?)", (deal_id, json.dumps(data), origin, time.time()))
            if event is not None:
                self._append(db, event)

    # -- the audit trail ------------------------------------------------------------
    def log(self, event: AuditEvent) -> dict[str, Any]:
        """Record an action that stores nothing else (its own transaction)."""
        with self.connect() as db:
            return self._append(db, event)

    def _append(self, db: sqlite3.Connection, event: AuditEvent) -> dict[str, Any]:
        """Chain ``event`` after the last entry, inside the caller's transaction."""
        self._ensure_audit(db)
        row = db.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        entry = chained(event, row["hash"] if row else GENESIS)
        db.execute(
            "INSERT INTO audit (at, user, action, details, prev, hash) VALUES (?,?,?,?,?,?)",
            (entry["at"], entry["user"], entry["action"], json.dumps(entry["details"], ensure_ascii=False), entry["prev"], entry["hash"]),
        )
        return entry

    def _ensure_audit(self, db: sqlite3.Connection) -> None:
        """The audit table, with a pre-2026-12 workspace's ``audit.jsonl`` imported into it (hashes kept)."""
        db.execute(AUDIT_SCHEMA)  # one statement: executescript would commit the caller's transaction
        legacy = self.audit_path
        if legacy.exists() and db.execute("SELECT 1 FROM audit LIMIT 1").fetchone() is None:
            for line in legacy.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    e = json.loads(line)
                    values = (e["at"], e["user"], e["action"], json.dumps(e["details"], ensure_ascii=False), e["prev"], e["hash"])
                except (ValueError, KeyError, TypeError):
                    continue  # a damaged line is left out: the chain check then shows where
                db.execute("INSERT INTO audit (at, user, action, details, prev, hash) VALUES (?,?,?,?,?,?)", values)
            legacy.rename(legacy.with_name(legacy.name + ".imported"))

    def audit_entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first, as the chain hashes them."""
        if not self.exists():
            return []
        with self.connect() as db:
            self._ensure_audit(db)
            rows = db.execute("SELECT at, user, action, details, prev, hash FROM audit ORDER BY seq").fetchall()
        out = []
        for r in rows:
            entry = dict(r)
            try:
                entry["details"] = json.loads(entry["details"])
            except ValueError:
                pass  # an edited row: left as text, so its hash no longer matches
            out.append(entry)
        return out

    def verify_audit(self) -> AuditCheck:
        """The chain is intact, and every stored document, decision, mandate version and
        hand-entered deal has the entry that records it."""
        entries = self.audit_entries()
        check = verify_chain(entries)
        if not check.ok or not self.exists():
            return check
        logged: dict[str, set[Any]] = {}
        for e in entries:
            d = e["details"] if isinstance(e["details"], dict) else {}
            if e["action"] == "ingest":
                logged.setdefault("documents", set()).add(d.get("document"))
            elif e["action"] == "review.decision":
                logged.setdefault("decisions", set()).add((d.get("document"), d.get("term"), d.get("decision"), d.get("reason", "")))
            elif e["action"] == "mandate.save":
                logged.setdefault("mandates", set()).add(d.get("version"))
            elif e["action"] == "deal.add":
                logged.setdefault("deals", set()).add(d.get("deal"))
        missing: list[str] = []
        with self.connect() as db:
            for r in db.execute("SELECT id, title FROM documents ORDER BY added_at"):
                if r["id"] not in logged.get("documents", ()):
                    missing.append(f"document {r['id'][:12]} ({r['title']}) has no ingest entry")
            for r in db.execute("SELECT document_id, term, decision, reason FROM decisions ORDER BY at"):
                if (r["document_id"], r["term"], r["decision"], r["reason"]) not in logged.get("decisions", ()):
                    missing.append(f"decision {r['decision']} on {r['term']} ({r['document_id'][:12]}) has no entry")
            for r in db.execute("SELECT version FROM mandates ORDER BY added_at"):
                if r["version"] not in logged.get("mandates", ()):
                    missing.append(f"mandate version {r['version'][:12]} has no entry")
            for r in db.execute("SELECT id FROM deals WHERE origin = 'hand' ORDER BY added_at"):
                if r["id"] not in logged.get("deals", ()):
                    missing.append(f"deal {r['id']} has no entry")
        if missing:
            return AuditCheck(False, check.entries, f"{len(missing)} stored item(s) without an audit entry", None, tuple(missing))
        return check

    def deals(self) -> list[dict[str, Any]]:
        if not self.exists():
            return []
        with self.connect() as db:
            rows = db.execute("SELECT * FROM deals ORDER BY added_at").fetchall()
        return [{**json.loads(r["data"]), "deal_id": r["id"], "origin": r["origin"]} for r in rows]

    def snapshot(self) -> dict[str, Any]:
        """Everything a user could lose, for before/after comparisons in tests and checks."""
        files = {}
        if self.root.exists():
            for p in sorted(self.root.rglob("*")):
                if p.is_file() and "chroma" not in p.parts and p.name not in ("catalogue.sqlite-wal", "catalogue.sqlite-shm", ".lock"):
                    if p.name == "catalogue.sqlite":
                        continue
                    files[str(p.relative_to(self.root))] = sha256_bytes(p.read_bytes())
        tables = {}
        if self.exists():
            with self.connect() as db:
                self._ensure_audit(db)
                for table in ("documents", "mandates", "deals", "decisions", "meta", "audit"):
                    tables[table] = [tuple(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY 1")]
        return {"files": files, "tables": tables}
