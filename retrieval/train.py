"""Train the clause classifier from CUAD plus our handwritten AI-deal clauses.

``python -m retrieval.train --out data/models/`` writes ``clause_model.npz`` and
the model card ``clause_model.md``.  Reproducible: fixed fold assignment and
deterministic solvers (liblinear), single-threaded.

Labels: a segment carries a CUAD category when it overlaps a span the CUAD
lawyers highlighted for it (that is also what clause precision rewards).
Thresholds are tuned on out-of-fold scores of the training contracts only
(inner folds): per category a clause threshold and an optional contract gate, chosen jointly across
categories (one trade-off ``lam`` between spans found and wrong clause labels)
to reach a target span recall with as few wrong labels as possible. The
shipped weights average the inner-fold models, so the thresholds apply to the
models they were tuned on.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from core.paths import CUAD_TRAIN, EVALUATION_DIR, MODELS_DIR, SHARED_DATA_DIR, TRAINING_DIR

from .classify import ClauseClassifier, ClauseContext, calibrate, clause_contexts, clause_tokens
from .segment import segment

SHARED_DATA = SHARED_DATA_DIR
CUAD_PATH = CUAD_TRAIN
AI_PATH = TRAINING_DIR / "ai_clauses.jsonl"
EVALUATION = EVALUATION_DIR  # section-labelled contracts for the AI categories; never trained on
AI_HOLDOUT = EVALUATION / "ai_holdout_licence.md"
AI_HOLDOUT_LABELS = EVALUATION / "ai_holdout_labels.json"
DEMO_AI_LABELS = EVALUATION / "demo_proposal_ai_labels.json"
AI_CATEGORIES = (
    "AI Training Use", "Model Output Rights", "Data Deletion And Unlearning", "Member Opt-Out", "Attribution",
    "Usage Reporting", "Compensation", "Data Security", "Downstream Use Restrictions", "Retrieval And Display Use",
)
SEED = 13
MAX_VOCAB = 40000
MIN_DF = 3
C_REG = 4.0
RECALL_TARGET = 0.91
AI_POSITIVE_WEIGHT = 10.0
AI_F_BETA = 2.0
# The AI categories' own patterns (``retrieval.classify.RULES``). CUAD was not labelled
# for these categories, and plenty of its clauses are true instances (a royalty clause is
# Compensation, "return or destroy all Confidential Information" is Data Deletion): a CUAD
# clause that matches the category's pattern is unlabelled for it, not a negative.
AI_CATEGORY_RULES = {
    "AI Training Use": "ai_train", "Model Output Rights": "ai_output", "Data Deletion And Unlearning": "ai_delete",
    "Member Opt-Out": "ai_optout", "Attribution": "ai_attrib", "Usage Reporting": "ai_usage_report",
    "Compensation": "ai_compensation", "Data Security": "ai_security",
    "Downstream Use Restrictions": "ai_downstream", "Retrieval And Display Use": "ai_retrieval",
}
CONTRACT_F1_WEIGHT = 50.0  # spans' worth of one category's contract-level F1 in the threshold trade-off


def cuad_categories() -> list[str]:
    cats = json.loads((SHARED_DATA / "cuad" / "categories.json").read_text())["categories"]
    return [c["category"] for c in cats]


@dataclass
class Corpus:
    """Segmented CUAD contracts with labels, ready for any fold split."""

    categories: list[str]
    doc_ids: list[str]
    seg_doc: np.ndarray  # contract index of each segment
    seg_len: np.ndarray
    tokens: list[list[str]]
    Y: np.ndarray  # (n_seg, n_cat) bool: overlaps a gold span
    # gold spans: contract index, category index, covering segment (-1 if none covers half)
    span_doc: np.ndarray
    span_cat: np.ndarray
    span_seg: np.ndarray
    doc_cat: np.ndarray  # (n_doc, n_cat) bool: category present in contract
    segments: list[list] = field(default_factory=list)


def load_cuad(path: Path = CUAD_PATH) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def build_corpus(docs: list[dict], categories: list[str]) -> Corpus:
    cat_idx = {c: i for i, c in enumerate(categories)}
    seg_doc, seg_len, tokens, rows = [], [], [], []
    span_doc, span_cat, span_seg = [], [], []
    doc_cat = np.zeros((len(docs), len(categories)), dtype=bool)
    all_segments = []
    base = 0
    for d_i, d in enumerate(docs):
        text = d["text"]
        segs = segment(text)
        all_segments.append(segs)
        starts = np.array([s.start for s in segs])
        ends = np.array([s.end for s in segs])
        Yd = np.zeros((len(segs), len(categories)), dtype=bool)
        for cl in d["clauses"]:
            c = cat_idx.get(cl["category"])
            if c is None:
                continue
            a = cl["answer_start"]
            b = a + len(cl["answer_text"])
            doc_cat[d_i, c] = True
            ov = np.minimum(ends, b) - np.maximum(starts, a)
            Yd[ov > 0, c] = True
            best = int(np.argmax(ov)) if len(ov) else -1
            covering = best if best >= 0 and 2 * ov[best] >= (b - a) else -1
            span_doc.append(d_i)
            span_cat.append(c)
            span_seg.append(base + covering if covering >= 0 else -1)
        for ctx in clause_contexts(text, segs):
            tokens.append(clause_tokens(ctx))
        seg_doc.extend([d_i] * len(segs))
        seg_len.extend((ends - starts).tolist())
        rows.append(Yd)
        base += len(segs)
    return Corpus(categories, [d["id"] for d in docs], np.array(seg_doc), np.array(seg_len), tokens,
                  np.vstack(rows), np.array(span_doc), np.array(span_cat), np.array(span_seg), doc_cat, all_segments)


def load_ai_examples(path: Path = AI_PATH) -> list[tuple[ClauseContext, list[str], int]]:
    """Our handwritten AI-deal clauses: ``{"text", "heading", "categories", "group"}`` a line.

    ``group`` numbers the base clause a variant was written from, so variants of
    one clause never sit on both sides of a fold split."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append((ClauseContext(r["text"], r.get("heading", ""), kind="section"), list(r["categories"]), int(r["group"])))
    return out


# ---------------------------------------------------------------- features
CONTEXT_PREFIXES = ("p:", "n:", "t:", "pos:", "idx:")


def with_borrowed_context(tokens: list[str], donor: list[str]) -> list[str]:
    """A handwritten clause's tokens with the context tokens of a real contract clause.

    Our AI examples are single clauses with no neighbours, no contract title
    and no position. Trained as they are, the model learns that a clause with
    *no context* is an AI clause, and no clause in a real document is one: the
    demo proposal's training licence scored 0.02 for AI Training Use. Giving
    each example the surroundings of a (training) contract clause makes the
    context uninformative for these categories, so the clause's own words decide.
    """
    own = [t for t in tokens if not t.startswith(CONTEXT_PREFIXES)]
    return own + [t for t in donor if t.startswith(CONTEXT_PREFIXES)]


def build_vocabulary(token_lists: list[list[str]]) -> tuple[dict[str, int], np.ndarray]:
    df = Counter()
    for toks in token_lists:
        df.update(set(toks))
    keep = [t for t, n in df.items() if n >= MIN_DF or t.startswith(("r:", "rh:", "k:", "pos:", "idx:", "len:"))]
    keep.sort(key=lambda t: (-df[t], t))
    keep = sorted(keep[:MAX_VOCAB])
    vocab = {t: i for i, t in enumerate(keep)}
    n = len(token_lists)
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in keep], dtype=np.float32)
    return vocab, idf


def vectorize(token_lists: list[list[str]], vocab: dict[str, int], idf: np.ndarray) -> csr_matrix:
    """Same transform as ``ClauseClassifier.transform``, from cached tokens."""
    indptr, indices, data = [0], [], []
    for toks in token_lists:
        counts: dict[int, int] = {}
        for t in toks:
            j = vocab.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[cols]
        norm = np.sqrt((vals ** 2).sum()) or 1.0
        indices.extend(cols.tolist())
        data.extend((vals / norm).tolist())
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices), np.asarray(indptr)), shape=(len(token_lists), len(vocab)))


def fit_weights(X: csr_matrix, Y: np.ndarray, upweight_from: int | None = None,
                unlabelled: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One liblinear logistic regression per column of Y.

    Columns from ``upweight_from`` on (the AI categories: a few hundred
    handwritten positives against tens of thousands of CUAD clauses) weight
    their positives up so their probabilities are not crushed by class imbalance.
    Rows marked in ``unlabelled`` (same shape as Y) are left out of that column's fit."""
    coef = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float32)
    intercept = np.full(Y.shape[1], -10.0, dtype=np.float32)
    for c in range(Y.shape[1]):
        y = Y[:, c]
        if y.sum() < 2:
            continue
        weight = {0: 1.0, 1: AI_POSITIVE_WEIGHT} if upweight_from is not None and c >= upweight_from else None
        lr = LogisticRegression(C=C_REG, solver="liblinear", max_iter=200, random_state=SEED, class_weight=weight)
        if unlabelled is not None and unlabelled[:, c].any():
            lr.fit(X[~unlabelled[:, c]], y[~unlabelled[:, c]])
        else:
            lr.fit(X, y)
        coef[:, c] = lr.coef_[0]
        intercept[c] = lr.intercept_[0]
    return coef, intercept


def fit_calibration(Z: np.ndarray, Y: np.ndarray, unlabelled: np.ndarray | None = None) -> np.ndarray:
    """Per-category Platt curves (slope, intercept) from out-of-fold logits ``Z``.

    Why: the one-vs-rest models see ~1% positives and are regularised, so their
    raw probabilities are far too low in the middle (out of fold, raw 0.3-0.5 is
    right about 69% of the time). A monotone curve fixes the scores users read
    without changing which clauses pass a threshold. Slopes stay positive so the
    order of clauses never flips."""
    out = np.tile(np.array([1.0, 0.0]), (Y.shape[1], 1))
    for c in range(Y.shape[1]):
        known = np.ones(len(Y), dtype=bool) if unlabelled is None else ~unlabelled[:, c]
        y = Y[known, c]
        if y.sum() < 2 or y.all():
            continue
        lr = LogisticRegression(C=100.0, solver="lbfgs", max_iter=200)
        lr.fit(Z[known, c : c + 1], y)
        out[c] = (max(0.05, float(lr.coef_[0, 0])), float(lr.intercept_[0]))
    return out.astype(np.float32)


# ---------------------------------------------------------------- thresholds
GATE_FRACTIONS = (None, 1.0, 0.5, 0.25)  # None: no contract gate; else gate at this fraction of the best-F1 threshold


def tune_thresholds(corpus: Corpus, seg_mask: np.ndarray, P: np.ndarray, recall_target: float = RECALL_TARGET):
    """Clause and contract thresholds from out-of-fold scores ``P`` of the masked segments.

    Every category gets a menu of options (clause threshold x optional contract
    gate on its best clause score); one trade-off ``lam`` picks, for every
    category, the option maximising ``spans found - lam * wrong labels +
    CONTRACT_F1_WEIGHT * contract-level F1`` (so rare categories are not
    switched on in every contract for a handful of spans), and
    ``lam`` is the largest value whose choices still reach ``recall_target``.
    """
    n_cat = len(corpus.categories)
    seg_ids = np.flatnonzero(seg_mask)
    local = -np.ones(len(seg_mask), dtype=np.int64)
    local[seg_ids] = np.arange(len(seg_ids))
    docs = np.unique(corpus.seg_doc[seg_ids])
    doc_local = {d: i for i, d in enumerate(docs)}
    sd = np.array([doc_local[d] for d in corpus.seg_doc[seg_ids]])
    Y = corpus.Y[seg_ids]
    span_in = np.isin(corpus.span_doc, docs)
    options = []  # per category: list of (clause t, found, wrong, gate, contract F1)
    for c in range(n_cat):
        p = P[:, c]
        dmax = np.full(len(docs), 0.0)
        np.maximum.at(dmax, sd, p)
        gold = corpus.doc_cat[docs, c]
        best_f, best_t = -1.0, 1.0
        for t in np.unique(np.round(dmax, 4)):  # contract-level F1 threshold
            pred = dmax >= t
            f = 2 * (pred & gold).sum() / max(1, pred.sum() + gold.sum())
            if f > best_f + 1e-9:
                best_f, best_t = f, float(t)
        sp = span_in & (corpus.span_cat == c)
        sp_seg = local[corpus.span_seg[sp][corpus.span_seg[sp] >= 0]]
        pos = p[Y[:, c]]
        grid = np.unique(np.concatenate([np.quantile(pos, np.linspace(0, 1, 81)) if len(pos) else [], [1.0]]))
        opts = []
        for frac in GATE_FRACTIONS:
            gate_t = 0.0 if frac is None else best_t * frac
            gate = dmax[sd] >= gate_t
            for t in grid:
                on = (p >= t) & gate
                tp = int((on & Y[:, c]).sum())
                present = np.zeros(len(docs), dtype=bool)
                present[sd[on]] = True
                f1 = 2 * (present & gold).sum() / max(1, present.sum() + gold.sum())
                opts.append((float(t), int(on[sp_seg].sum()), int(on.sum()) - tp, gate_t, float(f1)))
        options.append(opts)
    n_spans = int(span_in.sum())

    def pick(lam: float):
        chosen = [max(o, key=lambda r: (r[1] - lam * r[2] + CONTRACT_F1_WEIGHT * r[4], -r[3])) for o in options]
        return chosen, sum(r[1] for r in chosen) / max(1, n_spans)

    lo, hi = 0.0, 50.0
    for _ in range(40):  # largest trade-off that still reaches the recall target
        mid = (lo + hi) / 2
        _, rec = pick(mid)
        lo, hi = (mid, hi) if rec >= recall_target else (lo, mid)
    chosen, rec = pick(lo)
    clause_thr = np.array([r[0] for r in chosen], dtype=np.float32)
    doc_thr = np.array([r[3] for r in chosen], dtype=np.float32)
    return clause_thr, doc_thr, {"lambda": lo, "oof_recall": rec, "gated_categories": int((doc_thr > 0).sum())}


def best_fbeta_threshold(p: np.ndarray, y: np.ndarray, beta: float = AI_F_BETA) -> tuple[float, float]:
    """Threshold with the best out-of-fold F-beta (AI categories: positives are our examples,
    negatives the CUAD clauses known not to be about the category and the other categories'
    examples), kept in [0.05, 0.9].

    beta > 1 weighs recall above precision: a negotiator who is not shown the clause that
    lets the buyer keep training after the deal ends loses more than one who reads an
    extra "possible" label."""
    best_f, best_t = 0.0, 0.5
    b2 = beta * beta
    for t in np.unique(np.clip(p[y], 0.05, 0.9)):
        on = p >= t
        tp = (on & y).sum()
        f = (1 + b2) * tp / max(1, (1 + b2) * tp + b2 * (y.sum() - tp) + (on.sum() - tp))
        if f > best_f:
            best_f, best_t = float(f), float(t)
    return best_t, best_f


# ---------------------------------------------------------------- fitting
def fit_classifier(corpus: Corpus, train_docs: np.ndarray, ai_rows: list[tuple[ClauseContext, list[str], int]],
                   inner_folds: int = 3, recall_target: float = RECALL_TARGET, log=print) -> ClauseClassifier:
    """Fit on ``train_docs`` (contract indices) only.

    The shipped weights are the average of the ``inner_folds`` fold models, and
    the thresholds are tuned on those same models' out-of-fold scores: a model
    refitted on all contracts would be more confident than the fold models and
    the tuned thresholds would no longer mean what they meant.
    """
    cats = corpus.categories
    all_cats = cats + [c for c in AI_CATEGORIES if c not in cats]
    seg_mask = np.isin(corpus.seg_doc, train_docs)
    seg_ids = np.flatnonzero(seg_mask)
    donors = np.random.RandomState(SEED).choice(seg_ids, size=len(ai_rows)) if len(seg_ids) else []
    ai_tokens = [with_borrowed_context(clause_tokens(ctx), corpus.tokens[d]) for (ctx, _, _), d in zip(ai_rows, donors)]
    tok = [corpus.tokens[i] for i in seg_ids] + ai_tokens
    Y = np.zeros((len(tok), len(all_cats)), dtype=bool)
    Y[: len(seg_ids), : len(cats)] = corpus.Y[seg_ids]
    for r, (_, labels, _) in enumerate(ai_rows):
        for lab in labels:
            Y[len(seg_ids) + r, all_cats.index(lab)] = True
    unlabelled = np.zeros_like(Y)
    for name, rule in AI_CATEGORY_RULES.items():
        marker = "r:" + rule
        unlabelled[: len(seg_ids), all_cats.index(name)] = [marker in t for t in tok[: len(seg_ids)]]
    vocab, idf = build_vocabulary(tok)
    X = vectorize(tok, vocab, idf)
    rng = np.random.RandomState(SEED)
    perm = rng.permutation(train_docs)
    fold_of = {d: i % inner_folds for i, d in enumerate(perm)}
    inner = np.array([fold_of[d] for d in corpus.seg_doc[seg_ids]] + [g % inner_folds for _, _, g in ai_rows])
    Z = np.zeros((len(tok), len(all_cats)), dtype=np.float32)  # out-of-fold logits
    coef_sum = np.zeros((X.shape[1], len(all_cats)), dtype=np.float64)
    b_sum = np.zeros(len(all_cats), dtype=np.float64)
    for k in range(inner_folds):
        t0 = time.time()
        tr, te = np.flatnonzero(inner != k), np.flatnonzero(inner == k)
        coef, b = fit_weights(X[tr], Y[tr], upweight_from=len(cats), unlabelled=unlabelled[tr])
        Z[te] = np.asarray(X[te] @ coef) + b
        coef_sum += coef
        b_sum += b
        log(f"  inner fold {k}: {len(tr)} segments, {time.time() - t0:.1f}s")
    calibration = fit_calibration(Z, Y, unlabelled)
    P = calibrate(Z, calibration)  # thresholds live in the calibrated space the runtime reports
    clause_thr, doc_thr, info = tune_thresholds(corpus, seg_mask, P[: len(seg_ids), : len(cats)], recall_target)
    n_ai = len(all_cats) - len(cats)
    ai_thr = [best_fbeta_threshold(P[~unlabelled[:, c], c], Y[~unlabelled[:, c], c]) for c in range(len(cats), len(all_cats))]
    info["ai_thresholds_f2"] = {all_cats[len(cats) + i]: round(f, 3) for i, (_, f) in enumerate(ai_thr)}
    clause_thr = np.concatenate([clause_thr, np.array([t for t, _ in ai_thr], dtype=np.float32)])
    doc_thr = np.concatenate([doc_thr, np.zeros(n_ai, dtype=np.float32)])
    meta = {"threshold_tuning": info, "recall_target": recall_target, "inner_folds": inner_folds,
            "train_contracts": int(len(train_docs)), "ai_examples": len(ai_rows)}
    return ClauseClassifier(vocab, idf, coef_sum / inner_folds, b_sum / inner_folds, all_cats, clause_thr, doc_thr, meta,
                            calibration)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(MODELS_DIR))
    ap.add_argument("--cv-report", default="", help="markdown with cross-validation results to embed in the card")
    args = ap.parse_args(argv)
    t0 = time.time()
    docs = load_cuad()
    cats = cuad_categories()
    corpus = build_corpus(docs, cats)
    ai_rows = load_ai_examples()
    print(f"{len(docs)} contracts, {len(corpus.tokens)} segments, {len(ai_rows)} AI examples ({time.time() - t0:.1f}s)")
    clf = fit_classifier(corpus, np.arange(len(docs)), ai_rows)
    out = Path(args.out)
    path = clf.save(out / "clause_model.npz")
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.1f}s")
    write_card(out / "clause_model.md", clf, path, len(docs), len(corpus.tokens), len(ai_rows),
               Path(args.cv_report).read_text() if args.cv_report else "")


def ai_label_check(clf: ClauseClassifier, text: str, labels: dict[str, list[str]]) -> tuple[int, int, list[tuple[str, str]]]:
    """(found, expected, extra) AI-category labels on the numbered sections ``labels`` names
    (a section split into several clauses has the labels of any of them)."""
    segments = segment(text)
    predicted: dict[str, set[str]] = {}
    for seg, scores in zip(segments, clf.classify_segments(text, segments)):
        names = {s.name for s in scores if s.name in AI_CATEGORIES}
        predicted.setdefault(seg.heading.split(" ")[0], set()).update(names)
    found = expected = 0
    extra: list[tuple[str, str]] = []
    for section, wanted in labels.items():
        got = predicted.get(section, set())
        expected += len(wanted)
        found += len(set(wanted) & got)
        extra += [(section, name) for name in sorted(got - set(wanted))]
    return found, expected, extra


def ai_holdout_summary(clf: ClauseClassifier) -> str:
    """Found and extra AI-category labels on the held-out AI licence written for the tests."""
    labels = json.loads(AI_HOLDOUT_LABELS.read_text(encoding="utf-8"))["sections"]
    found, expected, extra = ai_label_check(clf, AI_HOLDOUT.read_text(encoding="utf-8"), labels)
    return f"{found} of {expected} expected labels found, {len(extra)} extra AI labels on {len(labels)} labelled sections"


def write_card(path: Path, clf: ClauseClassifier, artifact: Path, n_docs: int, n_segs: int, n_ai: int, cv: str) -> None:
    lines = [
        "# Clause classifier: model card",
        "",
        f"- Trained: {_dt.date.today().isoformat()} by `python -m retrieval.train --out data/models/` (seed {SEED}).",
        f"- Artifact: `{artifact.name}` ({artifact.stat().st_size / 1e6:.2f} MB; numpy arrays + JSON header, no pickles).",
        f"- Data: CUAD v1 train split (CC BY 4.0), {n_docs} contracts segmented by `retrieval.segment` into {n_segs} clauses; "
        f"plus {n_ai} handwritten AI-deal clauses from `data/training/ai_clauses.jsonl` (ours).",
        "- Labels: a clause carries a CUAD category when it overlaps a span CUAD's lawyers highlighted for that category.",
        f"- Features: TF-IDF (sublinear tf, l2) over clause unigrams+bigrams, heading words (`h:`), neighbouring clauses' words "
        f"(`p:`/`n:`), the contract's first 400 characters (`t:`), clause kind, position, length, and {len(__import__('retrieval.classify', fromlist=['RULES']).RULES)} "
        f"named regex patterns (`r:`/`rh:`, see `retrieval.classify.RULES`); vocabulary {len(clf.vocabulary_)} features (min df {MIN_DF}).",
        f"- Model: one L2 logistic regression per category (liblinear, C={C_REG}); {len(clf.categories_)} categories.",
        f"- Weights: the average of the 3 inner-fold models (each fitted on 2/3 of the contracts plus all AI examples).\n"
        "- Calibration: per category a Platt curve (slope, intercept on the raw logit) fitted on the inner-fold "
        "models' out-of-fold logits, so reported scores are probabilities that the label is right; thresholds are in that space.\n"
        f"- Thresholds: per category a clause threshold tuned on those models' out-of-fold scores for span recall "
        f"{RECALL_TARGET} with the fewest wrong labels (plus {CONTRACT_F1_WEIGHT:g} x contract-level F1), optionally gated by a contract-level threshold on the best clause score. "
        f"AI categories (no CUAD labels): positives weighted x{AI_POSITIVE_WEIGHT:g}; each example is given the context "
        "features of a random training clause (so that having no neighbours is not what marks an AI clause); a CUAD clause "
        "matching the category's own pattern (`AI_CATEGORY_RULES`) is unlabelled for that category, not a negative; "
        f"threshold = best out-of-fold F{AI_F_BETA:g} over our examples vs the other CUAD clauses (folds split by base clause), "
        "no contract gate.",
        "",
        "AI categories on a contract the model never saw (`data/evaluation/ai_holdout_licence.md`, labelled in "
        "`data/evaluation/ai_holdout_labels.json`; `tests/retrieval/test_classify.py` checks it): "
        f"{ai_holdout_summary(clf)}.",
        "",
    ]
    if cv:
        lines += ["## Cross-validation (bench/eval_clauses.py)", "", cv, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
