"""The workspace keeps its previous state readable whatever happens mid-write."""

from __future__ import annotations

import os

import pytest

from desk.workspace import Workspace, atomic_write


def test_atomic_write_leaves_old_content_when_the_write_dies(tmp_path, monkeypatch):
    target = tmp_path / "state.json"
    atomic_write(target, b"old")

    def crash(*args, **kwargs):
        raise OSError("disk vanished")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"], "no temporary file is left behind"


def test_catalogue_transaction_rolls_back(tmp_path):
    ws = Workspace(tmp_path / "ws").init()
    ws.set_meta("counterparty", "Before")
    with pytest.raises(RuntimeError):
        with ws.connect() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('counterparty', 'After')")
            raise RuntimeError("crash between writes")
    assert ws.meta("counterparty") == "Before"


def test_mandate_versions_are_content_addressed(tmp_path):
    ws = Workspace(tmp_path / "ws").init()
    v1 = ws.save_mandate_text("a = 1\n", "Trust")
    v2 = ws.save_mandate_text("a = 2\n", "Trust")
    again = ws.save_mandate_text("a = 1\n", "Trust")
    assert v1 == again != v2
    assert [v["version"] for v in ws.mandate_versions()] == [v1, v2]
    assert ws.active_mandate_path().read_text() == "a = 1\n"


def test_orphans_of_a_crashed_ingest_are_swept(tmp_path):
    ws = Workspace(tmp_path / "ws").init()
    ws.store_file("abc123", "pdf", b"%PDF-1.4")
    ws.store_analysis("abc123", {"document": {}, "clauses": []})
    assert ws.orphans() == {"abc123"}
    assert ws.sweep_orphans() == {"abc123"}
    assert ws.orphans() == set()
    assert ws.documents() == []


def test_opening_a_missing_workspace_says_so(tmp_path):
    from core.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="no workspace here"):
        with Workspace(tmp_path / "nothing").connect():
            pass


def test_the_writer_lock_is_exclusive_between_processes_and_says_busy(tmp_path):
    """Another process holding the lock makes a writer wait, then say so in one line."""
    import subprocess
    import sys

    import pytest

    from core.errors import WorkspaceError
    from desk.workspace import Workspace

    ws = Workspace(tmp_path / "ws").init()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,sys,time; f=open(sys.argv[1],'a+b'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
         str(ws.lock_path)], stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceError, match="busy: another desk has been writing"):
            with ws.writing(timeout=0.3):
                pass
        with pytest.raises(WorkspaceError, match="busy"):
            with ws.reading(timeout=0.3):
                pass
    finally:
        holder.kill()
        holder.wait()
    with ws.writing(timeout=5), ws.writing(timeout=5), ws.reading(timeout=5):  # re-entrant, and a writer reads
        pass
