"""The `desk` command line: demo, ingest, errors that change nothing, JSON that parses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desk.workspace import Workspace
from tests.conftest import REPO

DEMO_PDF = REPO / "data" / "demo" / "proposal.pdf"


def test_help_lists_every_design_command(cli):
    result = cli("--help")
    assert result.code == 0
    for command in ("ingest", "text", "clauses", "search", "review", "compare", "value", "scenarios",
                    "counteroffer", "brief", "market", "members", "users", "audit", "demo"):
        assert command in result.out


def test_demo_seeds_the_negotiation(demo_workspace, cli):
    status = cli("status", "--json", workspace=demo_workspace)
    assert status.code == 0, status.err
    payload = status.json()
    assert payload["collective"]["name"] == "Northern News Publishers' Data Trust"
    assert payload["counterparty"] == "Helix AI Labs, Inc."
    assert len(payload["documents"]["proposal"]) == 1
    assert len(payload["documents"]["comparable"]) >= 2
    assert cli("audit", "verify", "--json", workspace=demo_workspace).json()["ok"] is True


def test_demo_is_idempotent(demo_workspace, cli):
    before = Workspace(demo_workspace).snapshot()
    again = cli("demo", "--json", workspace=demo_workspace)
    assert again.code == 0, again.err
    after = Workspace(demo_workspace).snapshot()
    assert before["tables"]["documents"] == after["tables"]["documents"]


def test_ingest_twice_is_a_noop_that_says_so(tmp_path, cli):
    ws = tmp_path / "ws"
    first = cli("ingest", str(DEMO_PDF), "--deal", "Helix", "--json", workspace=ws)
    assert first.code == 0, first.err
    assert first.json()["results"][0]["status"] == "added"
    before = Workspace(ws).snapshot()
    second = cli("ingest", str(DEMO_PDF), workspace=ws)
    assert second.code == 0
    assert "unchanged" in second.out and "nothing to do" in second.out
    assert Workspace(ws).snapshot() == before


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda d: d / "missing.pdf", "no such file"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "no supported files"),
        (lambda d: (d / "notes.xyz").write_text("hello") and d / "notes.xyz", "unsupported"),
        (lambda d: (d / "zero.pdf").write_bytes(b"") or d / "zero.pdf", "empty"),
    ],
    ids=["missing", "folder-without-files", "unsupported-extension", "zero-bytes"],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(demo_workspace, tmp_path, cli, make, reason):
    bad = make(tmp_path)
    before = Workspace(demo_workspace).snapshot()
    result = cli("ingest", str(bad), workspace=demo_workspace)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}") and reason in lines[0].lower()
    assert Workspace(demo_workspace).snapshot() == before


def test_a_bad_file_in_a_batch_stores_none_of_it(tmp_path, cli):
    ws = tmp_path / "ws"
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(DEMO_PDF.read_bytes()[:2000])
    result = cli("ingest", str(DEMO_PDF), str(bad), workspace=ws)
    assert result.code == 2 and "broken.pdf" in result.err
    assert not ws.exists(), "a failed first ingest leaves no workspace behind"


def test_crash_between_writes_leaves_previous_state_and_reingest_finishes(tmp_path, cli, monkeypatch):
    """Kill the ingest after the files and vectors are written but before the catalogue commit."""
    ws_path = tmp_path / "ws"
    from desk.service import Desk
    from desk.workspace import Workspace as WS

    def crash(self, rec, event=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(WS, "commit_document", crash)
    result = cli("ingest", str(DEMO_PDF), workspace=ws_path)
    assert result.code == 130
    assert WS(ws_path).documents() == []
    monkeypatch.undo()
    again = cli("ingest", str(DEMO_PDF), "--json", workspace=ws_path)
    assert again.code == 0, again.err
    assert again.json()["results"][0]["status"] == "added"
    assert WS(ws_path).orphans() == set()
    store = Desk.open(ws_path).open_store()
    doc_id = again.json()["results"][0]["document"]["id"]
    assert store.count() == again.json()["results"][0]["document"]["clauses"], "no duplicate vectors after the crash"
    assert store.has_document(doc_id)


def test_search_says_which_category_a_question_matched(demo_workspace, cli):
    result = cli("search", "how often do they report usage to us?", "--kind", "proposal", "-k", "3", "--json",
                 workspace=demo_workspace)
    assert result.code == 0, result.err
    first = result.json()["hits"][0]
    assert first["heading"].startswith("8.")
    assert first["matched_categories"] == ["Usage Reporting"] and first["category_rank"] >= 1
    assert {"dense_rank", "lexical_rank", "page", "start", "end"} <= set(first)
    human = cli("search", "how often do they report usage to us?", "--kind", "proposal", "-k", "3", workspace=demo_workspace)
    assert "(category: Usage Reporting)" in human.out


def test_the_issues_own_question_finds_the_retention_clause_first(demo_workspace, cli):
    """A legal adviser's question with no word of the clause's heading in it."""
    result = cli("search", "can they keep training on our archive after the deal ends?", "--kind", "proposal", "--json",
                 workspace=demo_workspace)
    assert result.code == 0, result.err
    first = result.json()["hits"][0]
    assert first["heading"].startswith("12.4 Retention of Models"), [h["heading"] for h in result.json()["hits"][:3]]
    assert "Data Deletion And Unlearning" in first["matched_categories"]


def test_reanalyse_after_a_model_change(demo_workspace, cli):
    import json

    assert cli("reanalyse", "--json", workspace=demo_workspace).json() == {"results": []}
    ws = Workspace(demo_workspace)
    proposal = ws.documents(kind="proposal")[0]
    path = ws.analysis_path(proposal.id)
    path.write_text(json.dumps({**json.loads(path.read_text()), "analyser": "clause-model-older/rules-older"}))
    result = cli("reanalyse", workspace=demo_workspace)
    assert result.code == 0, result.err
    assert f"reanalysed: {proposal.id[:12]}" in result.out
    assert "nothing to do" in cli("reanalyse", workspace=demo_workspace).out


def test_commands_not_yet_built_say_so(demo_workspace, cli):
    result = cli("scenarios", str(DEMO_PDF), "--json", workspace=demo_workspace)
    assert result.code == 2
    assert result.err.strip() == "error: not available yet: scenarios"
    assert result.out == ""


def test_console_script_is_installed(tmp_path):
    exe = Path(sys.executable).with_name("desk")
    assert exe.exists(), "`desk` console script is missing: `make test` installs the project"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "negotiation desk" in out.stdout.lower()
