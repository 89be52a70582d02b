"""The desk's JSON answers on the demo are what they were before the architecture move.

A refactor must not change behaviour; when a change is meant to, regenerate
the snapshot (see ``tests/behaviour_snapshot.py``) in the same commit, so the
diff of ``tests/data/snapshot/`` shows exactly what changed for users.
"""

from __future__ import annotations

import json

import pytest

from tests.behaviour_snapshot import CASES, SNAPSHOT_DIR, take


@pytest.fixture(scope="module")
def current(demo_workspace_master, tmp_path_factory):
    import shutil

    workspace = tmp_path_factory.mktemp("snapshot") / "workspace"
    shutil.copytree(demo_workspace_master, workspace)
    return take(workspace)


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_output_is_unchanged(current, name):
    expected = json.loads((SNAPSHOT_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert current[name] == expected, f"`desk {' '.join(CASES[name][:1])}` changed; see tests/behaviour_snapshot.py"
