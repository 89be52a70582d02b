"""The behaviour snapshot: the ``--json`` outputs of the desk's main commands on the demo.

Taken before the architecture move (issue 11) and kept as the contract that a
refactor must not change. Regenerate it deliberately, and only when behaviour
is meant to change, with::

    .venv/bin/python -m tests.behaviour_snapshot --update

Volatile fields (timings, cache flags, absolute paths) are normalised so the
snapshot is the same on every machine and clone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT_DIR = REPO / "tests" / "data" / "snapshot"
PROPOSAL = REPO / "data" / "demo" / "proposal.pdf"
MANDATE = REPO / "data" / "demo" / "mandate.toml"

#: name -> argv (the workspace is added by the runner)
CASES: dict[str, list[str]] = {
    "clauses": ["clauses", str(PROPOSAL), "--json"],
    "review": ["review", str(PROPOSAL), "--mandate", str(MANDATE), "--json"],
    "compare": ["compare", str(PROPOSAL), "--json"],
    "compare_filtered": ["compare", str(PROPOSAL), "--material", "--category", "Audit Rights", "-k", "2", "--json"],
    "market": ["market", "--json"],
    "value": ["value", "--mandate", str(MANDATE), "--seed", "7", "--draws", "300", "--proceeds", "3000000", "--json"],
    "search": ["search", "can they keep training on our archive after the deal ends?", "-k", "5", "--json"],
    "search_filtered": ["search", "audit of records", "--kind", "comparable", "-k", "5", "--json"],
}

VOLATILE_KEYS = frozenset({"timings", "timings_s", "cached"})


def normalise(payload: Any, workspace: Path) -> Any:
    """Drop volatile keys; write the repository and workspace paths as placeholders."""
    if isinstance(payload, dict):
        return {k: normalise(v, workspace) for k, v in payload.items() if k not in VOLATILE_KEYS}
    if isinstance(payload, list):
        return [normalise(v, workspace) for v in payload]
    if isinstance(payload, str):
        return payload.replace(str(workspace), "<workspace>").replace(str(REPO), "<repo>")
    if isinstance(payload, float):
        return round(payload, 6)
    return payload


def take(workspace: Path) -> dict[str, Any]:
    """Every case's normalised JSON output on ``workspace`` (a seeded demo)."""
    from tests.conftest import run_cli

    out = {}
    for name, argv in CASES.items():
        result = run_cli(*argv, workspace=workspace)
        if result.code != 0:
            raise AssertionError(f"{name}: exit {result.code}: {result.err}")
        out[name] = normalise(result.json(), workspace)
    return out


def main(argv: list[str]) -> int:
    import tempfile

    from tests.conftest import run_cli

    if argv != ["--update"]:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "workspace"
        assert run_cli("demo", "--json", workspace=workspace).code == 0
        snapshot = take(workspace)
    SNAPSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for name, payload in snapshot.items():
        (SNAPSHOT_DIR / f"{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(snapshot)} files to {SNAPSHOT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
