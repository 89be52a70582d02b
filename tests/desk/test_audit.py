"""The audit log is append-only and any edit to the past is detected."""

from __future__ import annotations

import json

from desk.audit import AuditLog


def test_chain_verifies_and_detects_tampering(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(5):
        log.append("ingest", {"n": i}, user="ana")
    assert log.verify().ok and log.verify().entries == 5

    lines = log.path.read_text().splitlines()
    entry = json.loads(lines[2])
    entry["details"]["n"] = 99
    lines[2] = json.dumps(entry)
    log.path.write_text("\n".join(lines) + "\n")
    check = log.verify()
    assert not check.ok and check.line == 3 and "altered" in check.problem


def test_deleting_an_entry_breaks_the_chain(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(3):
        log.append("x", {"n": i}, user="ben")
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    check = log.verify()
    assert not check.ok and check.line == 2 and "chain broken" in check.problem
