"""The audit trail: hash-chained in the catalogue, written with the action it records, never jammed."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from desk.audit import GENESIS, AuditEvent, chained, verify_chain
from desk.workspace import DocumentRecord, Workspace


@pytest.fixture()
def ws(tmp_path) -> Workspace:
    return Workspace(tmp_path / "ws").init()


def _tamper(ws: Workspace, sql: str, *args) -> None:
    db = sqlite3.connect(ws.catalogue_path)
    db.execute(sql, args)
    db.commit()
    db.close()


def test_chain_verifies_and_detects_an_edited_entry(ws):
    for i in range(5):
        ws.log(AuditEvent("note", {"n": i}, user="ana"))
    check = ws.verify_audit()
    assert check.ok and check.entries == 5
    _tamper(ws, "UPDATE audit SET details = ? WHERE seq = 3", json.dumps({"n": 99}))
    check = ws.verify_audit()
    assert not check.ok and check.line == 3 and "altered" in check.problem


def test_deleting_an_entry_breaks_the_chain(ws):
    for i in range(3):
        ws.log(AuditEvent("note", {"n": i}, user="ben"))
    _tamper(ws, "DELETE FROM audit WHERE seq = 2")
    check = ws.verify_audit()
    assert not check.ok and check.line == 2 and "chain broken" in check.problem


@pytest.mark.parametrize(
    "reason",
    ["x" * 70_000, "é" * 40_000, "line one\nline two", '{"prev": "forged"}', "\u202eevil\u202c \x00 \U0001f600"],
)
def test_entries_of_any_size_and_characters_never_jam_the_next_write(ws, reason):
    """The file-based log found its head in the last 64 KiB: one long or cut reason jammed every later write."""
    ws.record_decision("doc", "fee", "overridden", reason, "ana", AuditEvent("review.decision", {"document": "doc", "term": "fee", "decision": "overridden", "reason": reason}))
    ws.log(AuditEvent("after", {"ok": True}))
    entries = ws.audit_entries()
    assert [e["action"] for e in entries] == ["review.decision", "after"]
    assert entries[0]["details"]["reason"] == reason and entries[1]["prev"] == entries[0]["hash"]
    assert ws.verify_audit().ok


def test_an_action_and_its_entry_commit_together_or_not_at_all(ws, monkeypatch):
    rec = DocumentRecord("d" * 64, "T", "proposal", "", "t.txt", "txt", 1, 10, 1, time.time())

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full while writing the entry")

    monkeypatch.setattr(Workspace, "_append", broken)
    with pytest.raises(RuntimeError):
        ws.commit_document(rec, AuditEvent("ingest", {"document": rec.id}))
    assert ws.documents() == []  # no document without its entry
    monkeypatch.undo()
    ws.commit_document(rec, AuditEvent("ingest", {"document": rec.id}))
    assert ws.document(rec.id) is not None and ws.verify_audit().ok


def test_verify_names_stored_things_that_have_no_entry(ws):
    rec = DocumentRecord("e" * 64, "Unlogged", "proposal", "", "u.txt", "txt", 1, 10, 1, time.time())
    ws.commit_document(rec)  # as a writer that forgot to log would
    ws.record_decision(rec.id, "fee", "accepted", "", "ana")
    check = ws.verify_audit()
    assert not check.ok and len(check.missing) == 2
    assert "Unlogged" in check.missing[0] and "accepted on fee" in check.missing[1]


def test_a_workspace_with_the_old_log_file_keeps_its_history(tmp_path):
    """Workspaces from before the trail moved into the catalogue: audit.jsonl is imported, hashes and all."""
    ws = Workspace(tmp_path / "old").init()
    first = chained(AuditEvent("demo", {"mandate": "v1"}, "ana"), GENESIS)
    second = chained(AuditEvent("note", {"n": 1}, "ana"), first["hash"])
    ws.audit_path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    ws.log(AuditEvent("note", {"n": 2}))
    entries = ws.audit_entries()
    assert [e["hash"] for e in entries[:2]] == [first["hash"], second["hash"]] and entries[2]["prev"] == second["hash"]
    assert verify_chain(entries).ok and not ws.audit_path.exists()
