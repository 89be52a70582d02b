"""Build the demo's stand-in sample from CUAD clause texts.

Why a stand-in: a real collective would upload a labelled sample of its own
data; the demo needs one that is real text, public and licensed (CUAD, CC BY
4.0). Task: classify a clause into one of five frequent CUAD categories.
Members: the filer company (title prefix) of each contract, grouped into
``n_members`` pseudo-members by alphabetical blocks of roughly equal size.

Run: ``python -m valuation.demo_sample [cuad_train.jsonl] [out_dir]``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from core.paths import CUAD_TRAIN, DEMO_DIR

CATEGORIES = ("License Grant", "Cap On Liability", "Audit Rights", "Anti-Assignment", "Insurance")
DEFAULT_CUAD = CUAD_TRAIN
DEFAULT_OUT = DEMO_DIR


def filer_company(title: str) -> str:
    """The filer's name: the title up to the first '_' or '-' followed by a digit."""
    return re.split(r"[_\-\s]+\d", title, maxsplit=1)[0].strip(" _-,").upper() or title


def build(cuad_path: Path = DEFAULT_CUAD, out_dir: Path = DEFAULT_OUT, n_members: int = 12,
          max_rows: int = 1500, max_chars: int = 400, seed: int = 0) -> dict[str, object]:
    rows = []
    for line in cuad_path.open(encoding="utf-8"):  # not splitlines: texts hold U+2028
        doc = json.loads(line)
        company = filer_company(doc["title"])
        for clause in doc["clauses"]:
            if clause["category"] in CATEGORIES and len(clause["answer_text"].strip()) >= 20:
                text = " ".join(clause["answer_text"].split())[:max_chars]
                rows.append({"text": text, "label": clause["category"], "company": company, "contract": doc["id"]})
    rng = np.random.default_rng(seed)
    if len(rows) > max_rows:
        keep = np.sort(rng.choice(len(rows), max_rows, replace=False))
        rows = [rows[i] for i in keep]
    companies = sorted({r["company"] for r in rows})
    per_company = Counter(r["company"] for r in rows)
    # alphabetical blocks of roughly equal row counts
    target, acc, block, member_of = len(rows) / n_members, 0, 0, {}
    for c in companies:
        member_of[c] = f"member_{block + 1:02d}"
        acc += per_company[c]
        if acc >= target * (block + 1) and block < n_members - 1:
            block += 1
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "sample.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["text", "label", "member", "company"])
        w.writeheader()
        for r in rows:
            w.writerow({"text": r["text"], "label": r["label"], "member": member_of[r["company"]], "company": r["company"]})
    meta = {
        "stand_in": True,
        "what": "STAND-IN demo sample, not a collective's data: CUAD v1 train-split clause texts "
                "(SEC EDGAR contracts, CC BY 4.0), labelled by CUAD category.",
        "task": f"classify a clause into one of {list(CATEGORIES)}",
        "member": f"filer company (contract title prefix) grouped alphabetically into {n_members} pseudo-members",
        "rows": len(rows), "max_chars_per_text": max_chars, "seed": seed,
        "label_counts": dict(Counter(r["label"] for r in rows)),
        "member_rows": dict(sorted(Counter(member_of[r["company"]] for r in rows).items())),
        "member_companies": {m: [c for c in companies if member_of[c] == m] for m in sorted(set(member_of.values()))},
        "source": "shared/data/cuad/cuad_train.jsonl", "builder": "python -m valuation.demo_sample",
    }
    (out_dir / "sample.meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


if __name__ == "__main__":
    args = sys.argv[1:]
    info = build(Path(args[0]) if args else DEFAULT_CUAD, Path(args[1]) if len(args) > 1 else DEFAULT_OUT)
    print(json.dumps({k: info[k] for k in ("rows", "label_counts", "member_rows")}, indent=1))
