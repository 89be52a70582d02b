"""Shared fixtures: the shared data folder, a CLI runner, and the demo workspace."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    assert SHARED_DATA.is_dir(), f"the shared data folder is missing: {SHARED_DATA}"
    return SHARED_DATA


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_cli(*args: str, workspace: Path | None = None) -> CliResult:
    """Run ``desk`` in-process (fast), capturing stdout and stderr."""
    from desk.cli import main

    argv = list(args) + (["--workspace", str(workspace)] if workspace is not None else [])
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse errors and explicit exits
            code = exc.code if isinstance(exc.code, int) else 1
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture()
def cli():
    return run_cli


@pytest.fixture(autouse=True)
def _no_llm_env(monkeypatch):
    """Tests run offline: no endpoint is configured unless a test sets one."""
    for var in ("DESK_LLM_BASE_URL", "OPENAI_API_KEY", "DESK_LLM_MODEL", "DESK_CHROMA_URL", "DESK_HOME"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def demo_workspace_master(tmp_path_factory) -> Path:
    """The demo seeded once per test session; copy it before changing it."""
    path = tmp_path_factory.mktemp("demo") / "workspace"
    result = run_cli("demo", "--json", workspace=path)
    assert result.code == 0, result.err
    return path


@pytest.fixture()
def demo_workspace(demo_workspace_master, tmp_path) -> Path:
    """A private copy of the demo workspace that a test may change."""
    path = tmp_path / "workspace"
    shutil.copytree(demo_workspace_master, path)
    return path
