"""The ingest pipeline: clauses embedded on a worker thread while the next file
is read, stored only once the whole batch is analysed, in the store's own space."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from desk import ingest
from core.errors import BadInputError
from desk.service import Desk

LICENCE = """CONTENT LICENCE AGREEMENT

1. GRANT. Licensor grants Licensee a non-exclusive licence to use the Content to train machine learning models.

2. FEES. Licensee shall pay Licensor USD 250,000 per year, payable quarterly in advance.

3. TERM. This Agreement runs for three (3) years from the Effective Date.

4. GOVERNING LAW. This Agreement is governed by the laws of the State of New York.
"""

DATA_DEAL = """DATA SHARING AGREEMENT

1. SCOPE. The Provider shall deliver its news archive to the Recipient within ninety (90) days.

2. DELETION. Upon termination the Recipient shall delete all copies of the archive and any derived datasets.

3. EXCLUSIVITY. The Provider shall not license the archive to any other AI developer during the Term.
"""


@pytest.fixture()
def contracts(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "licence.txt", tmp_path / "data-deal.txt"]
    for path, text in zip(paths, (LICENCE, DATA_DEAL)):
        path.write_text(text)
    return paths


def _embedding_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("desk-embed")]


def test_batch_vectors_are_each_clauses_own(tmp_path: Path, contracts: list[Path]) -> None:
    desk = Desk.open(tmp_path / "ws")
    results = desk.ingest(contracts, kind="comparable")
    assert [r.status for r in results] == ["added", "added"]
    store = desk.open_store()
    records = store.records(with_embeddings=True)
    assert len(records.ids) == sum(r.document.clauses for r in results) >= 7
    expected = store.embedder.embed(records.texts)  # one by one, outside the pipeline
    np.testing.assert_allclose(records.embeddings, expected, atol=1e-5)
    assert not _embedding_threads(), "the embedding worker is shut down after the batch"


def test_a_bad_file_after_good_ones_stops_the_worker_and_writes_nothing(tmp_path: Path, contracts: list[Path]) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    desk = Desk.open(tmp_path / "ws")
    with pytest.raises(BadInputError, match="empty.txt"):
        desk.ingest([*contracts, bad])
    assert not (tmp_path / "ws").exists()
    assert not _embedding_threads()


def test_an_existing_workspace_keeps_the_embedder_its_store_was_built_with(tmp_path: Path, contracts: list[Path]) -> None:
    from retrieval.embed import MiniLMEmbedder
    from retrieval.store import ClauseStore

    desk = Desk.open(tmp_path / "ws")
    desk.workspace.init()
    pinned = MiniLMEmbedder(int8_arithmetic=False)
    ClauseStore(desk.workspace.chroma_dir, embedder=pinned)  # an older workspace's store
    desk.ingest(contracts[:1])
    store = desk.open_store()
    assert store.embedder.name == pinned.name
    records = store.records(with_embeddings=True)
    np.testing.assert_allclose(records.embeddings, pinned.embed(records.texts), atol=1e-5)
    hits = desk.search("which law governs this agreement", k=1).hits
    assert "New York" in hits[0].text


def test_documents_analysed_by_an_older_model_are_analysed_again(tmp_path: Path, contracts: list[Path]) -> None:
    """Re-ingesting the same bytes is a no-op, so a model upgrade needs its own path:
    ``reanalyse`` finds analyses from another analyser and replaces their clauses."""
    import json


    desk = Desk.open(tmp_path / "ws")
    desk.ingest(contracts)
    ws = desk.workspace
    assert desk.stale_documents() == [] and desk.reanalyse() == []
    licence = next(r for r in ws.documents() if r.filename == "licence.txt")
    path = ws.analysis_path(licence.id)
    payload = json.loads(path.read_text())
    current = [c["categories"] for c in payload["clauses"]]
    payload["analyser"] = "clause-model-older/rules-older"
    for clause in payload["clauses"]:  # what an older model said: nothing about governing law
        clause["categories"] = [c for c in clause["categories"] if c["name"] != "Governing Law"]
    path.write_text(json.dumps(payload))
    store = desk.open_store()
    law = next(c for c in ingest.stored_clauses(ws, licence.id) if "New York" in c.text)
    store.add_clauses(ingest.stored_document(ws, licence), ingest.stored_clauses(ws, licence.id))
    assert "Governing Law" not in store.get_records([law.id]).metadatas[0]["categories"]

    assert [r.id for r in desk.stale_documents()] == [licence.id]
    results = desk.reanalyse()
    assert [(r.status, r.document.id) for r in results] == [("reanalysed", licence.id)]
    assert [c.to_dict()["categories"] for c in ingest.stored_clauses(ws, licence.id)] == current
    assert "Governing Law" in store.get_records([law.id]).metadatas[0]["categories"]
    assert store.count() == sum(r.clauses for r in ws.documents())
    assert desk.stale_documents() == [] and desk.reanalyse() == []
    assert [e["action"] for e in ws.audit_entries()][-1] == "reanalyse"
    assert ws.verify_audit().ok
