"""Cross-validated clause segmentation + classification quality on CUAD.

``python -m bench.eval_clauses [--folds 5] [--out report.md]``

5-fold cross-validation over ``cuad_train.jsonl`` split BY CONTRACT; every
threshold is tuned inside the training folds (``retrieval.train.fit_classifier``
runs its own inner folds). Metrics, over the 41 CUAD categories:

- span recall: a gold span is found when one predicted clause carrying its
  category covers at least half of the span's characters;
- clause precision: a predicted (clause, category) pair is right when the clause
  overlaps some gold span of that category (distinct pairs);
- contract-level F1: per (contract, category), is the category present at all;
  F1 per category over contracts, macro-averaged over categories;
- granularity: median length in characters of the clauses carrying a category.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from scipy.special import expit

from retrieval.classify import calibrate, clause_contexts
from retrieval.train import SEED, build_corpus, cuad_categories, fit_classifier, load_ai_examples, load_cuad


def contract_folds(n_docs: int, k: int, seed: int = SEED) -> np.ndarray:
    """Fold number of every contract (a fixed permutation, so runs repeat)."""
    perm = np.random.RandomState(seed + 1).permutation(n_docs)
    fold = np.empty(n_docs, dtype=np.int64)
    fold[perm] = np.arange(n_docs) % k
    return fold


def evaluate(docs: list[dict], preds: list[list[tuple[int, int, set[str]]]], categories: list[str]) -> dict:
    """Metrics from predicted clauses ``(start, end, {category})`` per contract."""
    cats = set(categories)
    per = {c: {"found": 0, "spans": 0, "right": 0, "pairs": 0, "tp": 0, "fp": 0, "fn": 0} for c in categories}
    carrying_lengths = []
    for d, clauses in zip(docs, preds):
        gold: dict[str, list[tuple[int, int]]] = {}
        for g in d["clauses"]:
            if g["category"] in cats:
                gold.setdefault(g["category"], []).append((g["answer_start"], g["answer_start"] + len(g["answer_text"])))
        predicted_cats = set()
        for s, e, labels in clauses:
            labels = labels & cats
            if labels:
                carrying_lengths.append(e - s)
            for c in labels:
                predicted_cats.add(c)
                per[c]["pairs"] += 1
                if any(min(e, b) > max(s, a) for a, b in gold.get(c, [])):
                    per[c]["right"] += 1
        for c, spans in gold.items():
            for a, b in spans:
                per[c]["spans"] += 1
                if any(c in labels and 2 * (min(e, b) - max(s, a)) >= (b - a) for s, e, labels in clauses):
                    per[c]["found"] += 1
        for c in categories:
            g, p = c in gold, c in predicted_cats
            per[c]["tp"] += g and p
            per[c]["fp"] += p and not g
            per[c]["fn"] += g and not p
    f1s = {}
    for c, r in per.items():
        denom = 2 * r["tp"] + r["fp"] + r["fn"]
        f1s[c] = 2 * r["tp"] / denom if denom else 1.0
    found = sum(r["found"] for r in per.values())
    spans = sum(r["spans"] for r in per.values())
    right = sum(r["right"] for r in per.values())
    pairs = sum(r["pairs"] for r in per.values())
    return {
        "span_recall": found / max(1, spans), "clause_precision": right / max(1, pairs),
        "contract_macro_f1": float(np.mean(list(f1s.values()))),
        "granularity_median": statistics.median(carrying_lengths) if carrying_lengths else 0,
        "per_category": per, "f1": f1s,
    }


CALIBRATION_BINS = (0.0, 0.01, 0.03, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001)


def reliability(scores: np.ndarray, raw: np.ndarray, labels: np.ndarray) -> tuple[list[tuple], float]:
    """Held-out (clause, category) scores against how often the label was right.

    Rows: (bin, pairs, mean raw score, mean calibrated score, observed rate);
    plus the expected calibration error of the calibrated scores."""
    rows, ece = [], 0.0
    for lo, hi in zip(CALIBRATION_BINS, CALIBRATION_BINS[1:]):
        m = (scores >= lo) & (scores < hi)
        if m.any():
            rows.append((f"{lo:.2f}-{min(hi, 1):.2f}", int(m.sum()), float(raw[m].mean()), float(scores[m].mean()), float(labels[m].mean())))
            ece += m.sum() / scores.size * abs(scores[m].mean() - labels[m].mean())
    return rows, float(ece)


def format_reliability(rows: list[tuple], ece: float) -> str:
    lines = ["Calibration on the held-out folds (every clause x CUAD category; right = the clause overlaps a gold span "
             f"of that category): expected calibration error **{ece:.3f}**.", "",
             "| score bin | pairs | mean raw score | mean calibrated score | observed right |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {b} | {n} | {r:.3f} | {c:.3f} | {o:.3f} |" for b, n, r, c, o in rows]
    return "\n".join(lines)


def format_report(m: dict, seconds: float, folds: int) -> str:
    lines = [
        f"{folds}-fold CV by contract over CUAD train ({seconds:.0f}s):",
        "",
        f"- span recall **{m['span_recall']:.3f}**, clause precision **{m['clause_precision']:.3f}**, "
        f"contract-level macro-F1 **{m['contract_macro_f1']:.3f}**, median carrying-clause length {m['granularity_median']:.0f} chars",
        "",
        "| category | span recall | clause precision | contract F1 | spans | contracts |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    per = m["per_category"]
    for c in sorted(per, key=lambda c: m["f1"][c]):
        r = per[c]
        lines.append(f"| {c} | {r['found'] / max(1, r['spans']):.2f} | {r['right'] / max(1, r['pairs']):.2f} | "
                     f"{m['f1'][c]:.2f} | {r['spans']} | {r['tp'] + r['fn']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Cross-validated CUAD clause metrics")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N contracts (smoke runs)")
    ap.add_argument("--out", default="", help="also write the report (markdown) here")
    args = ap.parse_args(argv)
    t0 = time.time()
    docs = load_cuad()
    if args.limit:
        docs = docs[: args.limit]
    cats = cuad_categories()
    corpus = build_corpus(docs, cats)
    ai_rows = load_ai_examples()
    fold = contract_folds(len(docs), args.folds)
    preds: list[list] = [[] for _ in docs]
    n_cuad = len(cats)
    held_scores, held_raw, held_right = [], [], []
    offsets = np.r_[0, np.cumsum([len(s) for s in corpus.segments])]
    for k in range(args.folds):
        tk = time.time()
        clf = fit_classifier(corpus, np.flatnonzero(fold != k), ai_rows, log=lambda *_: None)
        for d_i in np.flatnonzero(fold == k):
            segs = corpus.segments[d_i]
            contexts = clause_contexts(docs[d_i]["text"], segs)
            logits = clf.decision_function(contexts)
            proba = calibrate(logits, clf.calibration_)
            chosen = clf.decide(proba)
            held_scores.append(proba[:, :n_cuad].ravel())
            held_raw.append(expit(logits[:, :n_cuad]).ravel())
            held_right.append(corpus.Y[offsets[d_i]:offsets[d_i + 1]].ravel())
            preds[d_i] = [(s.start, s.end, {clf.categories_[j] for j in np.flatnonzero(chosen[i])}) for i, s in enumerate(segs)]
        part = evaluate([docs[i] for i in np.flatnonzero(fold == k)], [preds[i] for i in np.flatnonzero(fold == k)], cats)
        print(f"fold {k}: recall {part['span_recall']:.3f} precision {part['clause_precision']:.3f} "
              f"macroF1 {part['contract_macro_f1']:.3f} ({time.time() - tk:.0f}s)", flush=True)
    m = evaluate(docs, preds, cats)
    report = format_report(m, time.time() - t0, args.folds)
    report += "\n\n" + format_reliability(*reliability(np.concatenate(held_scores), np.concatenate(held_raw), np.concatenate(held_right)))
    print(report)
    if args.out:
        Path(args.out).write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
