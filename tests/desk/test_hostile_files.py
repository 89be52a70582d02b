"""The hostile corpus through the CLI: every case ends in one clean line or a safe read, within its limits.

Limits for this run: 3 s and 512 MB a file (``DESK_READ_SECONDS``,
``DESK_READ_MEMORY_MB``); a case may take at most 8 s of wall clock end to end.
After a refused file the workspace is exactly as it was.
"""

from __future__ import annotations

import time

import pytest

from desk.workspace import Workspace
from tests.hostile.generate import make

LIMIT_SECONDS = 3
WALL_CLOCK = 8.0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return {case.name: case for case in make(tmp_path_factory.mktemp("hostile"))}


@pytest.fixture()
def limited(monkeypatch):
    monkeypatch.setenv("DESK_READ_SECONDS", str(LIMIT_SECONDS))
    monkeypatch.setenv("DESK_READ_MEMORY_MB", "512")


def _case_names():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return [case.name for case in make(Path(tmp))]


@pytest.mark.parametrize("name", _case_names(), ids=lambda n: n.encode("unicode_escape").decode())
def test_each_hostile_file_ends_in_one_line_or_a_safe_read(demo_workspace, corpus, limited, cli, name):
    case = corpus[name]
    before = Workspace(demo_workspace).snapshot()
    began = time.monotonic()
    result = cli("ingest", str(case.path), "--kind", "comparable", workspace=demo_workspace)
    elapsed = time.monotonic() - began
    assert elapsed < WALL_CLOCK, f"{name}: {elapsed:.1f} s"
    if case.error is None:
        assert result.code == 0, result.err
        return
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and case.error in lines[0], result.err
    assert "\x1b" not in result.err, "no escape code reaches the terminal"
    assert Workspace(demo_workspace).snapshot() == before, "a refused file changes nothing"


def test_a_folder_with_a_link_out_of_it_is_refused(tmp_path, cli):
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "licence.txt").write_text("1. FEES. Licensee shall pay USD 5 per year.\n", encoding="utf-8")
    (folder / "contract.txt").symlink_to("/etc/passwd")
    result = cli("ingest", str(folder), workspace=tmp_path / "ws")
    assert result.code == 2 and "outside the folder being ingested" in result.err
    assert not (tmp_path / "ws").exists()
    named = cli("ingest", str(folder / "licence.txt"), workspace=tmp_path / "ws")
    assert named.code == 0, named.err


@pytest.mark.parametrize(
    ("mandate", "message"),
    [
        ("a = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        (None, "integer out of range"),
    ],
)
def test_hostile_mandates_are_one_line(tmp_path, cli, mandate, message):
    from tests.conftest import REPO

    text = mandate if mandate is not None else (REPO / "data" / "demo" / "mandate.toml").read_text().replace(
        "walk_away = 5000000", "walk_away = 1" + "0" * 400, 1)
    path = tmp_path / "mandate.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("review", str(REPO / "data" / "demo" / "proposal.md"), "--mandate", str(path), workspace=tmp_path / "ws")
    assert result.code == 2 and len(result.err.splitlines()) == 1 and message in result.err, result.err
