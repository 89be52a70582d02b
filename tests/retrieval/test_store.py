"""ClauseStore: idempotent upserts, deletes, filters and reopening, on real Chroma."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pytest

from core.domain import CategoryScore, Clause, Document, Page, Value
from core.errors import WorkspaceError
from retrieval.embed import HashingEmbedder, MiniLMEmbedder
from retrieval.store import ClauseStore, build_where


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def make_document(paragraphs: list[tuple[str, tuple[CategoryScore, ...]]], deal: str, kind: str) -> tuple[Document, list[Clause]]:
    """A document of blank-line separated paragraphs, one clause each, offsets exact."""
    text = "\n\n".join(p for p, _ in paragraphs)
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    document = Document(id=doc_id, title=f"{deal} {kind}", kind=kind, text=text, pages=(Page(1, 0, len(text)),), deal=deal, format="txt")
    clauses, cursor = [], 0
    for body, categories in paragraphs:
        start = text.index(body, cursor)
        cursor = start + len(body)
        clauses.append(
            Clause(id=f"{doc_id[:16]}:{start}-{cursor}", document_id=doc_id, heading="", text=body, page=1,
                   start=start, end=cursor, categories=categories)
        )
    return document, clauses


GOV = (CategoryScore("Governing Law", 0.93),)
PAY = (CategoryScore("Revenue/Profit Sharing", 0.8), CategoryScore("Minimum Commitment", 0.4))
EXCL = (CategoryScore("Exclusivity", 0.88),)

ACME = make_document(
    [
        ("This Agreement is governed by the laws of the State of New York.", GOV),
        ("Licensee shall pay Licensor fifteen percent of net revenue, with a minimum of $2,000,000 a year.", PAY),
        ("Licensor shall not license the Content to any other AI developer during the Term.", EXCL),
        ("Notices shall be sent by registered mail.", ()),
    ],
    deal="acme-2025",
    kind="proposal",
)
GLOBEX = make_document(
    [
        ("The laws of England and Wales govern this Agreement.", GOV),
        ("The licence is exclusive within the European Union.", EXCL),
    ],
    deal="globex-2024",
    kind="comparable",
)


@pytest.fixture()
def store(tmp_path: Path, minilm: MiniLMEmbedder) -> ClauseStore:
    store = ClauseStore(tmp_path / "chroma", embedder=minilm)
    store.add_clauses(*ACME)
    store.add_clauses(*GLOBEX)
    return store


def test_adding_the_same_document_twice_changes_nothing(store: ClauseStore) -> None:
    assert store.count() == 6
    assert store.add_clauses(*ACME) == 0
    assert store.add_clauses(ACME[0], ACME[1] + ACME[1]) == 0  # duplicates in one call collapse too
    assert store.count() == 6


def test_re_adding_a_changed_document_replaces_its_clause_set(store: ClauseStore) -> None:
    document, clauses = ACME
    relabelled = [clauses[0], clauses[1], clauses[2].__class__(**{**clauses[2].__dict__, "categories": ()})]
    assert store.add_clauses(document, relabelled) == 1  # one changed, one stale removed, two untouched
    assert store.count() == 5
    assert [c.id for c in store.get_clauses(document_id=document.id)] == [c.id for c in relabelled]
    assert store.get_clauses(document_id=document.id)[2].categories == ()


def test_clauses_round_trip_with_scores_and_values(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    document, clauses = ACME
    fee = Value(kind="money", amount=2_000_000.0, unit="USD", text="$2,000,000", start=clauses[1].start + 70, end=clauses[1].start + 80)
    with_value = [clauses[0], Clause(**{**clauses[1].__dict__, "values": (fee,)})]
    store = ClauseStore(tmp_path / "chroma", embedder=minilm)
    store.add_clauses(document, with_value)
    assert store.get_clauses(document_id=document.id) == with_value
    assert all(document.text[c.start : c.end] == c.text for c in store.get_clauses())


def test_delete_and_has_document(store: ClauseStore) -> None:
    assert store.has_document(ACME[0].id) and store.has_document(GLOBEX[0].id)
    assert store.delete_document(ACME[0].id) == 4
    assert not store.has_document(ACME[0].id)
    assert store.count() == 2
    assert store.delete_document(ACME[0].id) == 0
    assert {c.document_id for c in store.get_clauses()} == {GLOBEX[0].id}


def test_filters_by_category_deal_and_kind(store: ClauseStore) -> None:
    governing = store.get_clauses(category="Governing Law")
    assert len(governing) == 2 and all("Governing Law" in c.category_names for c in governing)
    assert {c.document_id for c in store.get_clauses(deal="globex-2024")} == {GLOBEX[0].id}
    assert len(store.get_clauses(kind="proposal")) == 4
    assert len(store.get_clauses(category="Exclusivity", deal="acme-2025")) == 1
    assert store.get_clauses(category="Audit Rights") == []
    # "Minimum Commitment" is the second category of a clause: list membership, not a prefix
    assert len(store.get_clauses(category="Minimum Commitment")) == 1


def test_dense_query_ranks_by_cosine_distance_and_respects_filters(store: ClauseStore) -> None:
    hits = store.query_dense("Which law governs the contract?", k=3)
    assert "Governing Law" in hits[0][2]["categories"]
    distances = [d for _, d, _, _ in hits]
    assert distances == sorted(distances) and 0.0 <= distances[0] < 1.0
    only_globex = store.query_dense("Which law governs the contract?", k=5, where=build_where(deal="globex-2024", kind="comparable"))
    assert len(only_globex) == 2 and all(m["deal"] == "globex-2024" for _, _, m, _ in only_globex)
    exclusive = store.query_dense("governing law", k=5, where=build_where(category="Exclusivity"))
    assert {m["categories"] for _, _, m, _ in exclusive} == {"Exclusivity"}


def test_distance_is_cosine(store: ClauseStore, minilm: MiniLMEmbedder) -> None:
    query = "payment of a share of revenue"
    (clause_id, distance, _, text), *_ = store.query_dense(query, k=1)
    q, t = minilm.embed([query, text])
    assert distance == pytest.approx(1.0 - float(q @ t), abs=2e-3)


def test_store_reopens_without_warnings_and_refuses_another_embedder(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    path = tmp_path / "chroma"
    ClauseStore(path, embedder=minilm).add_clauses(*GLOBEX)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reopened = ClauseStore(path, embedder=minilm)
        assert reopened.count() == 2
    assert [str(w.message) for w in caught] == []
    with pytest.raises(WorkspaceError, match="built with embedder"):
        ClauseStore(path, embedder=HashingEmbedder())


def test_clause_of_another_document_is_refused(tmp_path: Path) -> None:
    store = ClauseStore(tmp_path / "chroma", embedder=HashingEmbedder())
    with pytest.raises(WorkspaceError, match="belongs to document"):
        store.add_clauses(ACME[0], GLOBEX[1])


def test_bulk_add_with_precomputed_vectors(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    store = ClauseStore(tmp_path / "chroma", embedder=embedder)
    texts = [f"clause number {i} about topic {i % 7}" for i in range(300)]
    metadatas = [{"document_id": "bulk", "deal": "d", "kind": "comparable", "start": i, "end": i + 1} for i in range(300)]
    store.add_embedded([f"id{i}" for i in range(300)], texts, metadatas, embedder.embed(texts))
    assert store.count() == 300
    with pytest.raises(WorkspaceError, match="dimension"):
        store.add_embedded(["x"], ["x"], [{"document_id": "x"}], np.zeros((1, 5), dtype=np.float32))


@pytest.fixture()
def chroma_server(tmp_path: Path):
    """A real ``chroma run`` server on a free local port, stopped after the test."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("chroma server did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_desk_chroma_url_switches_to_a_chroma_server(chroma_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK_CHROMA_URL", chroma_server)
    embedder = HashingEmbedder()
    first = ClauseStore(None, embedder=embedder)
    first.add_clauses(*ACME)
    second = ClauseStore(None, embedder=embedder)  # another workbench sharing the server
    assert second.path is None and second.url == chroma_server  # no path: only the server can hold it
    assert second.count() == 4 and second.add_clauses(*ACME) == 0
    assert [c.id for c in second.get_clauses(category="Exclusivity")] == [ACME[1][2].id]


def test_an_empty_store_answers_queries_with_nothing(tmp_path: Path) -> None:
    store = ClauseStore(tmp_path / "chroma", embedder=HashingEmbedder())
    assert store.count() == 0 and store.query_dense("anything", k=5) == [] and store.get_clauses() == []
    assert not store.has_document("x") and store.delete_document("x") == 0


def test_an_existing_store_reopens_in_the_vector_space_it_was_built_in(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    """A workspace from before the int8-arithmetic default keeps its float MiniLM vectors and queries."""
    path = tmp_path / "chroma"
    pinned = MiniLMEmbedder(int8_arithmetic=False)
    ClauseStore(path, embedder=pinned).add_clauses(*ACME)
    reopened = ClauseStore(path)  # no embedder: the one recorded in the collection
    assert reopened.embedder.name == pinned.name != minilm.name
    (clause_id, distance, _, _), *_ = reopened.query_dense("Which law governs the agreement?", k=1)
    assert clause_id == ACME[1][0].id and distance < 0.6
    assert ClauseStore(tmp_path / "new").embedder.name == minilm.name  # a new store gets the default


def test_precomputed_vectors_are_stored_as_given(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    document, clauses = ACME
    vectors = minilm.embed([c.text for c in clauses])
    store = ClauseStore(tmp_path / "chroma", embedder=minilm)
    assert store.add_clauses(document, clauses, embeddings=vectors) == len(clauses)
    stored = store.records(with_embeddings=True)
    order = [stored.ids.index(c.id) for c in clauses]
    np.testing.assert_allclose(stored.embeddings[order], vectors, atol=1e-6)
    with pytest.raises(WorkspaceError, match="shape"):
        store.add_clauses(document, clauses, embeddings=vectors[:2])


def test_snapshot_is_reused_until_any_store_writes(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    path = tmp_path / "chroma"
    store = ClauseStore(path, embedder=embedder)
    store.add_clauses(*ACME)
    first = store.snapshot()
    assert sorted(first.ids) == sorted(store.records().ids)
    copy = path / "desk-snapshot" / "records.json"
    assert copy.is_file()
    made = copy.stat().st_mtime_ns
    again = ClauseStore(path, embedder=embedder).snapshot()  # another process: read from the copy
    assert copy.stat().st_mtime_ns == made
    assert again.ids == first.ids and again.metadatas == first.metadatas
    np.testing.assert_array_equal(again.embeddings, first.embeddings)
    other = ClauseStore(path, embedder=embedder)  # another workbench rewrites a clause: same count, new text
    document, clauses = ACME
    changed = [clauses[0].__class__(**{**clauses[0].__dict__, "categories": ()}), *clauses[1:]]
    other.add_clauses(document, changed)
    fresh = store.snapshot()
    assert fresh.ids and copy.stat().st_mtime_ns != made
    row = fresh.ids.index(clauses[0].id)
    assert "category_list" not in fresh.metadatas[row]
    assert ClauseStore(path, embedder=embedder).count() == len(clauses)  # Chroma still opens the folder


def test_a_long_lived_store_sees_what_another_process_wrote(tmp_path):
    """Chroma's embedded client keeps its vector index in memory: without ``sync`` a running app's
    dense search missed clauses a CLI ingest had just added (its count saw them, its index did not)."""
    import subprocess
    import sys

    from tests.conftest import REPO

    path = tmp_path / "chroma"
    reader = ClauseStore(path, embedder=HashingEmbedder())
    reader.add_clauses(*GLOBEX)
    probe = reader.embedder.embed(["governed by the laws of the State of New York"])[0]
    assert len(reader.nearest_ids(probe, 10)) == len(GLOBEX[1])
    code = (
        "import sys; sys.path.insert(0, 'tests/retrieval'); from test_store import ACME\n"
        "from retrieval.embed import HashingEmbedder; from retrieval.store import ClauseStore\n"
        f"ClauseStore({str(path)!r}, embedder=HashingEmbedder()).add_clauses(*ACME)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    found = {cid for cid, _ in reader.nearest_ids(probe, 10)}
    assert {c.id for c in ACME[1]} <= found, "the other process's clauses are searchable here"
    assert reader.count() == len(GLOBEX[1]) + len(ACME[1])
