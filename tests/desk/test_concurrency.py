"""Two negotiators at once: two processes ingesting into one workspace lose nothing and log once.

Each round starts a fresh workspace and runs two ``desk ingest`` processes side
by side: different files each, plus one file both of them add. Afterwards every
catalogued document has all its clause vectors, the shared file is stored once
and said "added" by exactly one process, and the audit trail has exactly one
ingest entry per document and verifies.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from desk.service import Desk
from tests.conftest import SHARED_DATA

ROUNDS = 3


@pytest.fixture(scope="module")
def contracts(tmp_path_factory):
    """Seven short real contracts (CUAD openings): three for each process and one for both."""
    folder = tmp_path_factory.mktemp("contracts")
    rows = []
    with (SHARED_DATA / "cuad" / "cuad_train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) == 7:
                break
    paths = []
    for i, row in enumerate(rows):
        path = folder / f"contract-{i}.txt"
        path.write_text(row["text"][:6000], encoding="utf-8")
        paths.append(path)
    return paths[:3], paths[3:6], paths[6]


def _ingest(workspace, files) -> subprocess.Popen:
    argv = [sys.executable, "-m", "desk.cli", "ingest", *map(str, files), "--kind", "comparable", "--json", "--workspace", str(workspace)]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_processes_ingesting_at_once_lose_nothing_and_log_once(tmp_path, contracts, round_):
    mine, theirs, shared = contracts
    workspace = tmp_path / "ws"
    first = _ingest(workspace, [*mine, shared] if round_ % 2 == 0 else [shared, *mine])
    second = _ingest(workspace, [shared, *theirs])
    outputs = [p.communicate(timeout=240) for p in (first, second)]
    for (out, err), process in zip(outputs, (first, second)):
        assert process.returncode == 0, err
    statuses = Counter(
        r["status"] for out, _ in outputs for r in json.loads(out)["results"] if r["path"] == str(shared)
    )
    assert statuses == Counter({"added": 1, "unchanged": 1}), statuses

    desk = Desk.open(workspace)
    documents = desk.documents()
    assert len(documents) == 7
    records = desk.open_store().records()
    vectors = Counter(m["document_id"] for m in records.metadatas)
    assert {d.id: d.clauses for d in documents} == dict(vectors), "every document keeps every clause vector"
    ingests = Counter(e["details"]["document"] for e in desk.audit_entries() if e["action"] == "ingest")
    assert set(ingests) == {d.id for d in documents} and set(ingests.values()) == {1}
    assert desk.audit_verify().ok
