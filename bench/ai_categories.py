"""Do the AI-data categories fire where a reader says they should?

    .venv/bin/python bench/ai_categories.py                       # the shipped model
    .venv/bin/python bench/ai_categories.py --model OTHER.npz     # e.g. an earlier artifact, for a before/after

CUAD has no labels for these categories, so ``bench/eval_clauses.py`` cannot measure them. Two documents
with section-level labels do (``data/evaluation/``): a licence written for the tests and never trained on, and
the demo proposal (some training examples were written from it, so it is not held out). Prints, per
document, how many expected labels were found and which extra AI labels were given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrieval.classify import ClauseClassifier  # noqa: E402
from retrieval.readers import read_document  # noqa: E402
from retrieval.train import AI_HOLDOUT, AI_HOLDOUT_LABELS, DEMO_AI_LABELS, ai_label_check  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = (
    ("held-out licence", AI_HOLDOUT, AI_HOLDOUT_LABELS),
    ("demo proposal", REPO / "data" / "demo" / "proposal.pdf", DEMO_AI_LABELS),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=None, help="a clause_model.npz (default: the shipped one)")
    args = parser.parse_args()
    classifier = ClauseClassifier.load(args.model)
    print("| document | labelled sections | expected labels found | extra AI labels |")
    print("|---|---:|---:|---|")
    for name, path, labels_path in DOCUMENTS:
        labels = json.loads(labels_path.read_text(encoding="utf-8"))["sections"]
        text = read_document(path, kind="proposal", title=name).text
        found, expected, extra = ai_label_check(classifier, text, labels)
        shown = ", ".join(f"{section} {category}" for section, category in extra) or "none"
        print(f"| {name} | {len(labels)} | {found} of {expected} | {len(extra)}: {shown} |")


if __name__ == "__main__":
    main()
