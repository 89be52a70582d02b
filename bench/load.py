"""Bounded load: several negotiators working on one workspace at once, for a fixed time.

Each simulated user is its own process (as each CLI call or workbench server
is), with its own ``Desk`` over the same workspace, looping for ``--seconds``:

* **ingest** a short contract only this user has (new bytes every time);
* **review** the demo proposal against the demo mandate;
* **search** a negotiator's question across every stored deal.

Afterwards nothing may be lost: every contract a user was told was added is
catalogued, with all its clause vectors and one audit entry, and the audit
trail verifies. The table gives each action's count and latency percentiles.
Everything stays on this machine (the embedded store: no network at all).

    .venv/bin/python bench/load.py --users 10 --seconds 120
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.paths import CUAD_TRAIN, DEMO_DIR  # noqa: E402

QUESTIONS = (
    "can they keep training on our archive after the deal ends?",
    "who owns the outputs of the model?",
    "how much do they pay each year?",
    "can we audit their use of the data?",
    "which law governs the agreement?",
)


def user(number: int, workspace: str, texts: list[str], seconds: float, results: multiprocessing.Queue) -> None:
    from core.errors import DeskError
    from desk.service import Desk

    desk = Desk.open(workspace)
    rng = random.Random(number)
    folder = Path(tempfile.mkdtemp(prefix=f"user{number}-"))
    added: list[str] = []
    timings: list[tuple[str, float]] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        action = rng.choice(("ingest", "review", "search", "search"))
        began = time.perf_counter()
        try:
            if action == "ingest":
                path = folder / f"user{number}-{i}.txt"
                path.write_text(f"Contract of user {number}, number {i}.\n\n" + rng.choice(texts), encoding="utf-8")
                result = desk.ingest([path], kind="comparable", deal=f"user {number}")[0]
                if result.status == "added":
                    added.append(result.document.id)
            elif action == "review":
                desk.review(DEMO_DIR / "proposal.pdf", DEMO_DIR / "mandate.toml")
            else:
                desk.search(rng.choice(QUESTIONS), k=10)
        except DeskError as exc:
            errors.append(f"{action}: {exc}")
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            errors.append(f"{action}: {type(exc).__name__}: {exc}")
        timings.append((action, time.perf_counter() - began))
        i += 1
    shutil.rmtree(folder, ignore_errors=True)
    results.put({"user": number, "timings": timings, "errors": errors, "added": added})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--workspace", default=None, help="default: a new temporary workspace seeded with the demo")
    args = parser.parse_args()

    from desk.service import Desk

    root = Path(args.workspace or tempfile.mkdtemp(prefix="desk-load-")) / "workspace"
    if not (root / "catalogue.sqlite").exists():
        Desk.open(root).seed_demo()
    with CUAD_TRAIN.open(encoding="utf-8") as fh:
        texts = [json.loads(next(fh))["text"][:5000] for _ in range(30)]

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    began = time.monotonic()
    users = [context.Process(target=user, args=(n, str(root), texts, args.seconds, queue)) for n in range(args.users)]
    for process in users:
        process.start()
    reports = [queue.get(timeout=args.seconds + 600) for _ in users]
    for process in users:
        process.join()
    wall = time.monotonic() - began

    timings: dict[str, list[float]] = defaultdict(list)
    errors = [e for r in reports for e in r["errors"]]
    added = [d for r in reports for d in r["added"]]
    for r in reports:
        for action, seconds in r["timings"]:
            timings[action].append(seconds)

    desk = Desk.open(root)
    catalogued = {d.id: d for d in desk.documents()}
    vectors = Counter(m["document_id"] for m in desk.open_store().records().metadatas)
    lost = [d for d in added if d not in catalogued]
    short = [d.id for d in catalogued.values() if vectors.get(d.id, 0) != d.clauses]
    ingests = Counter(e["details"]["document"] for e in desk.audit_entries() if e["action"] == "ingest")
    duplicated = [d for d, n in ingests.items() if n > 1]
    check = desk.audit_verify()

    print(f"load: {args.users} users for {args.seconds:g} s on one workspace ({wall:.0f} s wall with start-up); "
          f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print()
    print("| action | count | p50 s | p95 s | max s |")
    print("|---|---:|---:|---:|---:|")
    for action in ("ingest", "review", "search"):
        values = timings.get(action, [])
        if values:
            print(f"| {action} | {len(values)} | {statistics.median(values):.2f} | {percentile(values, 0.95):.2f} | {max(values):.2f} |")
    print()
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"documents added by users: {len(added)}; missing from the catalogue: {len(lost)}; "
          f"with missing vectors: {len(short)}; logged twice: {len(duplicated)}; audit trail: "
          + ("verifies" if check.ok else f"BROKEN ({check.problem})"))
    ok = not errors and not lost and not short and not duplicated and check.ok
    print("result:", "nothing lost, no errors" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
