"""The clause vector store: one Chroma record per clause, with its provenance.

Embedded Chroma (``PersistentClient``) in the workspace by default, a Chroma
server (``HttpClient``) when ``DESK_CHROMA_URL`` or ``url`` is given, so many
workbenches can share one store. Record ids are clause ids, which derive from
the document id and character offsets: writes are upserts, re-ingesting a
document never duplicates a record, and an unchanged document is not even
re-embedded.

Metadata carries everything needed to rebuild a :class:`Clause` (so search hits
and reviews can cite it) plus filterable fields: ``deal``, ``kind``,
``document_id`` and ``category_list``, a list metadata value that chromadb 1.5
filters with ``{"category_list": {"$contains": name}}``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from core.domain import CategoryScore, Clause, Document, Value
from core.errors import WorkspaceError
from retrieval.embed import DeskEmbeddingFunction, Embedder, default_embedder, embedder_from_name

COLLECTION = "clauses"
# Contracts repeat boilerplate clauses nearly verbatim, which makes tight
# clusters of near-duplicate vectors; with Chroma's default 16 links per node
# such a cluster can become an island the HNSW search never reaches. 32 links
# and a deeper construction search keep recall@10 high at ~1.5x insert cost.
HNSW = {"space": "cosine", "max_neighbors": 32, "ef_construction": 200, "ef_search": 100}
CATEGORY_SEPARATOR = "|"
_PAGE = 5000  # records per get() call when scanning the store
#: folder inside a local store for the snapshot of all records (see ClauseStore.snapshot)
SNAPSHOT_DIR = "desk-snapshot"


@dataclass(frozen=True)
class StoredRecords:
    """A column view of stored clauses, for building the lexical index."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    embeddings: np.ndarray | None = None


def build_where(
    category: str | None = None, deal: str | None = None, kind: str | None = None, document_id: str | None = None
) -> dict[str, Any] | None:
    """The Chroma ``where`` filter for the desk's search facets (None = no filter)."""
    conditions: list[dict[str, Any]] = []
    if category:
        conditions.append({"category_list": {"$contains": category}})
    if deal:
        conditions.append({"deal": deal})
    if kind:
        conditions.append({"kind": kind})
    if document_id:
        conditions.append({"document_id": document_id})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def clause_metadata(document: Document, clause: Clause) -> dict[str, Any]:
    names = list(clause.category_names)
    metadata: dict[str, Any] = {
        "document_id": clause.document_id,
        "document_title": document.title,
        "deal": document.deal,
        "kind": document.kind,
        "heading": clause.heading,
        "page": int(clause.page),
        "start": int(clause.start),
        "end": int(clause.end),
        "categories": CATEGORY_SEPARATOR.join(names),
        "categories_json": json.dumps([[c.name, c.score] for c in clause.categories]),
        "values_json": json.dumps([v.to_dict() for v in clause.values]),
    }
    if names:  # chromadb rejects empty list values
        metadata["category_list"] = names
    return metadata


def clause_from_record(clause_id: str, text: str, metadata: dict[str, Any]) -> Clause:
    categories = tuple(CategoryScore(name, float(score)) for name, score in json.loads(metadata.get("categories_json", "[]")))
    values = tuple(Value.from_dict(v) for v in json.loads(metadata.get("values_json", "[]")))
    return Clause(
        id=clause_id,
        document_id=str(metadata["document_id"]),
        heading=str(metadata.get("heading", "")),
        text=text,
        page=int(metadata.get("page", 1)),
        start=int(metadata["start"]),
        end=int(metadata["end"]),
        categories=categories,
        values=values,
    )


def _atomic_write_text(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(text)
    os.replace(temporary, path)


def _load_snapshot(cache: Path, stamp: str | None, dim: int) -> StoredRecords | None:
    try:
        payload = json.loads((cache / "records.json").read_text())
        if payload.get("stamp") != stamp:
            return None
        vectors = np.load(cache / f"vectors-{stamp}.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None
    if vectors.shape != (len(payload["ids"]), dim):
        return None
    return StoredRecords(payload["ids"], payload["texts"], payload["metadatas"], vectors.astype(np.float32, copy=False))


def _save_snapshot(cache: Path, stamp: str, records: StoredRecords) -> None:
    """Vectors first, then the JSON that names their stamp: a reader never pairs
    new texts with old vectors. Best effort: a full disk only costs speed."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        vectors = cache / f"vectors-{stamp}.npy"
        temporary = cache / f".vectors-{uuid.uuid4().hex}.npy"
        embeddings = records.embeddings if records.embeddings is not None else np.zeros((0, 0), dtype=np.float32)
        np.save(temporary, embeddings, allow_pickle=False)
        os.replace(temporary, vectors)
        payload = {"stamp": stamp, "ids": records.ids, "texts": records.texts, "metadatas": records.metadatas}
        _atomic_write_text(cache / "records.json", json.dumps(payload))
        for old in cache.glob("vectors-*.npy"):
            if old != vectors:
                old.unlink(missing_ok=True)
    except OSError:
        return


def _client(path: Path | None, url: str | None) -> Any:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        ssl = parsed.scheme == "https"
        port = parsed.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=parsed.hostname or "localhost", port=port, ssl=ssl, settings=settings)
    if path is None:
        raise WorkspaceError("vector store", "needs a workspace path or DESK_CHROMA_URL")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _cached_system(path: Path) -> Any:
    """The Chroma system this process keeps for ``path`` (chromadb caches one per folder), if any."""
    from chromadb.api.shared_system_client import SharedSystemClient

    return SharedSystemClient._identifier_to_system.get(str(path))


def _forget_system(path: Path) -> None:
    """Make the next client for ``path`` load a new system from disk. The old one is
    not stopped: clients still holding it move to the new one at their next use."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)


class ClauseStore:
    """Clauses in Chroma, in cosine space, with vectors from ``embedder``.

    ``url`` (else ``$DESK_CHROMA_URL``) selects a Chroma server; otherwise the
    store lives at ``path``. The collection remembers which embedder built it;
    opening it with another one is refused, because the vectors would not be
    comparable and search would be silently wrong. Without an explicit
    ``embedder`` an existing store reopens with the one that built it.
    """

    def __init__(
        self,
        path: Path | str | None,
        url: str | None = None,
        embedder: Embedder | None = None,
        collection: str = COLLECTION,
    ):
        self.path = Path(path) if path is not None else None
        self.url = url or os.environ.get("DESK_CHROMA_URL") or None
        self.collection_name = collection
        #: bumped on every write from this process (and on catching up with another's), so caches see changes
        self.generation = 0
        #: the write stamp this client has caught up with (see :meth:`sync`)
        self._seen_stamp: str | None = None
        self._client = self._connect()
        if embedder is None:
            # An existing store keeps the vector space it was built in (a workspace
            # from before the int8-arithmetic MiniLM keeps the float one); a new
            # store gets the default.
            recorded = self._recorded_embedder_name()
            embedder = embedder_from_name(recorded) if recorded else default_embedder()
        self.embedder = embedder
        self._open = self._open_collection()
        built_with = (self._open.metadata or {}).get("embedder")
        if built_with and built_with != self.embedder.name:
            raise WorkspaceError(
                self.path or self.url,
                f"the clause store was built with embedder {built_with!r}, not {self.embedder.name!r}; "
                "re-ingest the documents into a fresh workspace",
            )

    # -- staying current with other processes ------------------------------------
    def _connect(self) -> Any:
        """A client; one on a system this process opened earlier may predate another
        process's writes, so it is checked (``_seen_stamp`` None) on first use."""
        shared = self.url is None and self.path is not None and _cached_system(self.path) is not None
        client = _client(self.path, self.url)
        self._seen_stamp = None if shared else self._stamp()
        return client

    @property
    def _collection(self) -> Any:
        """The collection, caught up with other processes' writes first (:meth:`sync`)."""
        self.sync()
        return self._open

    def sync(self) -> bool:
        """Catch up with writes another process made; True if the client was reopened.

        Chroma's embedded client keeps the vector index in memory, shared by every
        client of the same folder in one process, and never re-reads it: after a
        CLI ingest, a running app's searches missed the new clauses (``count`` saw
        them, the index did not). Every write stamps the store with the writer's
        process id, so a stamp from another process means: drop this process's
        copy of the index and load it again from disk (once for the whole
        process; clients that share it attach to the reloaded one).
        """
        if self._cache_dir is None:
            return False
        stamp = self._stamp()
        if stamp is None or stamp == self._seen_stamp:
            return False
        foreign = not stamp.startswith(f"{os.getpid()}:")
        if foreign and self.path is not None and _cached_system(self.path) is self._client._system:
            _forget_system(self.path)
        if foreign or _cached_system(self.path) is not self._client._system:  # type: ignore[arg-type]
            self._client = _client(self.path, None)
            self._open = self._open_collection()
        self._seen_stamp = stamp
        self.generation += 1
        return True

    def _recorded_embedder_name(self) -> str | None:
        try:
            existing = self._client.get_collection(self.collection_name)
        except Exception:  # chromadb raises NotFoundError (a ValueError in older versions) for a new store
            return None
        recorded = (existing.metadata or {}).get("embedder")
        return str(recorded) if recorded else None

    def _open_collection(self) -> Any:
        return self._client.get_or_create_collection(
            self.collection_name,
            configuration={"hnsw": dict(HNSW)},
            metadata={"embedder": self.embedder.name, "dim": self.embedder.dim},
            embedding_function=DeskEmbeddingFunction(self.embedder),
        )

    def clear(self) -> None:
        """Drop every record (and the index) and start an empty collection."""
        with self._writing():
            self._client.delete_collection(self.collection_name)
            self._open = self._open_collection()

    @property
    def max_batch_size(self) -> int:
        try:
            return int(self._client.get_max_batch_size())
        except Exception:  # older servers do not say; Chroma's documented floor
            return 5000

    # -- writes -------------------------------------------------------------
    def add_clauses(
        self, document: Document, clauses: list[Clause], batch_size: int = 256, embeddings: np.ndarray | None = None
    ) -> int:
        """Store ``document``'s clauses; returns how many records were written.

        The document's clause set becomes exactly ``clauses``: records it no
        longer has are removed, unchanged ones are left alone (not re-embedded).
        ``embeddings`` (one row per clause, from this store's embedder) lets the
        ingest pipeline embed while it is still reading the next file.
        """
        if embeddings is not None and embeddings.shape != (len(clauses), self.embedder.dim):
            raise WorkspaceError("embeddings", f"shape {embeddings.shape} != ({len(clauses)}, {self.embedder.dim})")
        unique: dict[str, Clause] = {}
        row_of: dict[str, int] = {}
        for row, clause in enumerate(clauses):
            if clause.document_id != document.id:
                raise WorkspaceError(clause.id, f"clause belongs to document {clause.document_id}, not {document.id}")
            unique.setdefault(clause.id, clause)
            row_of.setdefault(clause.id, row)
        stored = self._stored_records(document.id)
        new_metadata = {cid: clause_metadata(document, c) for cid, c in unique.items()}
        stale = [cid for cid in stored if cid not in unique]
        changed = [
            cid for cid, c in unique.items() if cid not in stored or stored[cid] != (c.text, new_metadata[cid])
        ]
        if not stale and not changed:
            return 0
        # Chroma's upsert merges metadata keys, so a clause that lost all its
        # categories would keep its old ``category_list``: replace, not merge.
        replaced = [cid for cid in changed if cid in stored]
        with self._writing():
            if stale or replaced:
                self._collection.delete(ids=stale + replaced)
            batch = max(1, min(batch_size, self.max_batch_size))
            for begin in range(0, len(changed), batch):
                ids = changed[begin : begin + batch]
                texts = [unique[cid].text for cid in ids]
                if embeddings is not None:
                    vectors = embeddings[[row_of[cid] for cid in ids]]
                else:
                    vectors = self.embedder.embed(texts)
                self._collection.upsert(
                    ids=ids,
                    embeddings=vectors,
                    documents=texts,
                    metadatas=[new_metadata[cid] for cid in ids],
                )
        return len(changed)

    def add_embedded(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]], embeddings: np.ndarray) -> None:
        """Upsert records whose vectors were computed elsewhere (bulk loads, benchmarks)."""
        if embeddings.shape[1] != self.embedder.dim:
            raise WorkspaceError("embeddings", f"dimension {embeddings.shape[1]} != {self.embedder.dim}")
        batch = self.max_batch_size
        with self._writing():
            for begin in range(0, len(ids), batch):
                end = begin + batch
                self._collection.upsert(
                    ids=ids[begin:end], embeddings=embeddings[begin:end], documents=texts[begin:end], metadatas=metadatas[begin:end]
                )

    def delete_document(self, document_id: str) -> int:
        """Remove every clause of a document; returns how many were removed."""
        ids = list(self._stored_records(document_id))
        if ids:
            with self._writing():
                self._collection.delete(ids=ids)
        return len(ids)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Mark a write: a new stamp before (a snapshot cached meanwhile is
        not trusted) and after (nor one cached from a half-written state).
        Another process's writes are caught up with first: our stamp would hide them."""
        self.sync()
        self._new_stamp()
        try:
            yield
        finally:
            self._new_stamp()
            self.generation += 1

    # -- the on-disk snapshot of all records (local stores only) -------------
    @property
    def _cache_dir(self) -> Path | None:
        return None if self.url or self.path is None else self.path / SNAPSHOT_DIR

    def _new_stamp(self) -> None:
        """``<pid>:<random>``: which process wrote last, so others know to reload (:meth:`sync`)."""
        if self._cache_dir is not None:
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            stamp = f"{os.getpid()}:{uuid.uuid4().hex}"
            _atomic_write_text(self._cache_dir / "write-stamp", stamp)
            self._seen_stamp = stamp

    def _stamp(self) -> str | None:
        try:
            return (self._cache_dir / "write-stamp").read_text() if self._cache_dir else None
        except OSError:
            return None

    def snapshot(self) -> StoredRecords:
        """Every record with its vector, as :meth:`records` gives them, but from a
        disk copy when no write has happened since it was made.

        Reading 100k records out of Chroma takes 15-20 s (most of a first search
        on a big store); the copy (JSON and a ``.npy``) loads in about a second.
        Every write through any :class:`ClauseStore` changes the store's write
        stamp, which retires the copy; a server store (``url``) is never copied.
        """
        cache = self._cache_dir
        if cache is None:
            return self.records(with_embeddings=True)
        stamp = self._stamp()
        if stamp is None:  # a store from before stamps: give it one, so it can be copied
            self._new_stamp()
            stamp = self._stamp()
        loaded = _load_snapshot(cache, stamp, self.embedder.dim)
        if loaded is not None and len(loaded.ids) == self.count():
            return loaded
        records = self.records(with_embeddings=True)
        if stamp is not None and self._stamp() == stamp:  # nobody wrote while we read
            _save_snapshot(cache, stamp, records)
        return records

    # -- reads --------------------------------------------------------------
    def has_document(self, document_id: str) -> bool:
        return bool(self._collection.get(where={"document_id": document_id}, limit=1, include=[])["ids"])

    def count(self) -> int:
        return int(self._collection.count())

    def get_clauses(
        self,
        document_id: str | None = None,
        category: str | None = None,
        deal: str | None = None,
        kind: str | None = None,
    ) -> list[Clause]:
        """Stored clauses matching the filters, in document order."""
        where = build_where(category=category, deal=deal, kind=kind, document_id=document_id)
        records = self.records(where)
        clauses = [clause_from_record(i, t, m) for i, t, m in zip(records.ids, records.texts, records.metadatas)]
        return sorted(clauses, key=lambda c: (c.document_id, c.start, c.end))

    def records(self, where: dict[str, Any] | None = None, with_embeddings: bool = False) -> StoredRecords:
        """Every matching record's id, text and metadata (and vector), fetched in pages."""
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        vectors: list[np.ndarray] = []
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        for page in self._pages(where, include=include):
            ids.extend(page["ids"])
            texts.extend(page["documents"])
            metadatas.extend(dict(m) for m in page["metadatas"])
            if with_embeddings:
                vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
        embeddings = None
        if with_embeddings:
            embeddings = np.concatenate(vectors) if vectors else np.zeros((0, self.embedder.dim), dtype=np.float32)
        return StoredRecords(ids, texts, metadatas, embeddings)

    def query_dense(
        self, text: str, k: int = 10, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float, dict[str, Any], str]]:
        """Nearest clauses to ``text`` by cosine distance: (id, distance, metadata, text)."""
        return self.query_vector(self.embedder.embed([text])[0], k, where)

    def query_vector(
        self, vector: np.ndarray, k: int = 10, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float, dict[str, Any], str]]:
        if k <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=k,
            where=where,
            include=["distances", "metadatas", "documents"],
        )
        return [
            (cid, float(dist), dict(meta), doc)
            for cid, dist, meta, doc in zip(
                result["ids"][0], result["distances"][0], result["metadatas"][0], result["documents"][0]
            )
        ]

    def nearest_ids(self, vector: np.ndarray, k: int = 10, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Like :meth:`query_vector` without the payload: for callers that
        already hold the texts and metadata (the hybrid searcher), it halves
        the cost of a Chroma query."""
        if k <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, where=where, include=["distances"]
        )
        return [(cid, float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]

    def get_records(self, ids: list[str]) -> StoredRecords:
        """Text and metadata of the given record ids (missing ids are skipped)."""
        if not ids:
            return StoredRecords([], [], [])
        page = self._collection.get(ids=ids, include=["documents", "metadatas"])
        return StoredRecords(list(page["ids"]), list(page["documents"]), [dict(m) for m in page["metadatas"]])

    # -- helpers ------------------------------------------------------------
    def _stored_records(self, document_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for page in self._pages({"document_id": document_id}, include=["documents", "metadatas"]):
            for cid, doc, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                out[cid] = (doc, dict(meta))
        return out

    def _pages(self, where: dict[str, Any] | None, include: list[str]) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            page = self._collection.get(where=where, limit=_PAGE, offset=offset, include=include)
            if not page["ids"]:
                return
            yield page
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE
