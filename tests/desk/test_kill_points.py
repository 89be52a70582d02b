"""kill -9 at any moment: the workspace still opens, shows nothing half-written, and its audit trail verifies.

A ``desk ingest`` of four contracts is killed after a spread of delays (from
before the first write to after the last); a ``desk decide`` and a mandate save likewise. After
each kill every catalogued document has its file, its analysis and all its
clause vectors, and ``desk audit verify`` passes (chain and completeness). Then
the same ingest, run again, finishes the job.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from desk.service import Desk
from tests.conftest import SHARED_DATA

DELAYS = (0.8, 1.5, 2.3, 3.2)


@pytest.fixture(scope="module")
def contracts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kill")
    with (SHARED_DATA / "cuad" / "cuad_train.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(next(fh)) for _ in range(12)][8:12]
    paths = []
    for i, row in enumerate(rows):
        path = folder / f"contract-{i}.txt"
        path.write_text(row["text"][:8000], encoding="utf-8")
        paths.append(path)
    return paths


def _desk(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desk.cli", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _consistent(workspace) -> None:
    desk = Desk.open(workspace)
    if not desk.workspace.exists():
        return
    check = desk.audit_verify()
    assert check.ok, (check.problem, check.missing)
    vectors: dict[str, int] = {}
    for meta in desk.open_store().records().metadatas:
        vectors[meta["document_id"]] = vectors.get(meta["document_id"], 0) + 1
    for rec in desk.documents():
        assert desk.workspace.file_path(rec).exists() and desk.workspace.analysis_path(rec.id).exists()
        assert vectors.get(rec.id, 0) == rec.clauses, f"{rec.title}: {vectors.get(rec.id, 0)} of {rec.clauses} vectors"


@pytest.mark.parametrize("delay", DELAYS)
def test_an_ingest_killed_at_any_moment_leaves_a_consistent_workspace(tmp_path, contracts, delay):
    workspace = tmp_path / "ws"
    process = _desk("ingest", *map(str, contracts), "--workspace", str(workspace))
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _consistent(workspace)
    again = _desk("ingest", *map(str, contracts), "--workspace", str(workspace))
    assert again.wait(timeout=240) == 0, again.stderr.read().decode()
    _consistent(workspace)
    assert len(Desk.open(workspace).documents()) == len(contracts)


@pytest.mark.parametrize("delay", (0.3, 0.9))
def test_a_decision_killed_at_any_moment_is_stored_with_its_entry_or_not_at_all(demo_workspace, delay):
    proposal = Desk.open(demo_workspace).latest_proposal()
    process = _desk("decide", proposal.id, "exclusivity", "overridden", "--reason", "x" * 100_000, "--workspace", str(demo_workspace))
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _consistent(demo_workspace)


@pytest.mark.parametrize("delay", (0.3, 0.9))
def test_a_mandate_save_killed_at_any_moment_is_stored_with_its_entry_or_not_at_all(demo_workspace, delay):
    from tests.conftest import REPO

    text = (REPO / "data" / "demo" / "mandate.toml").read_text(encoding="utf-8").replace("walk_away = 5000000", "walk_away = 5500000", 1)
    code = f"from desk.service import Desk; Desk.open({str(demo_workspace)!r}).save_mandate({text!r}, note='killed')"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _consistent(demo_workspace)
    versions = Desk.open(demo_workspace).mandate_versions()
    assert all((demo_workspace / "mandates" / f"{v['version']}.toml").exists() for v in versions)
