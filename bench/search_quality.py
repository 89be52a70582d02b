"""How well does hybrid search answer a negotiator's questions? Ranking quality, not speed.

    .venv/bin/python bench/search_quality.py                 # 60 CUAD contracts + the demo proposal
    .venv/bin/python bench/search_quality.py --contracts 20  # a quick one

Two labelled question sets, both ours (``data/search/``):

* ``questions.jsonl``: 82 plain-language questions, two per CUAD category
  ("can they walk away from the deal without a reason?" -> Termination For
  Convenience). They are asked of CUAD train contracts segmented by
  ``retrieval.segment``; a clause is relevant when it overlaps a span CUAD's
  lawyers labelled with the question's category. The categories stored with
  the clauses (which the category ranking uses) come from a classifier trained
  by ``retrieval.train`` on the *other* CUAD train contracts, as a new contract
  would get them; it is cached in the temp directory. Each question is asked within every sampled
  contract that has its category (the Documents page's "this document" filter)
  and once over the whole store.
* ``demo_questions.jsonl``: 16 questions about the demo proposal, each with the
  section numbers that answer it (the issue's own "can they keep training on our
  archive after the deal ends?" -> 12.4). Never used for choosing a configuration.

Configurations differ in the weight of each ranking (meaning, words, category)
in reciprocal rank fusion, its ``k``, whether headings are indexed for BM25, and
how similar a question must be to a category's description to be routed to it. The configuration is
chosen honestly: on the questions of half the categories, scored on the other
half, and the other way round.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.domain import CategoryScore, Clause, Document, Page  # noqa: E402
from retrieval.embed import Embedder, default_embedder  # noqa: E402
from retrieval.route import CategoryRouter  # noqa: E402
from retrieval.search import CATEGORY_WEIGHT, HybridSearcher  # noqa: E402
from retrieval.segment import segment  # noqa: E402
from retrieval.store import ClauseStore  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
QUESTIONS = REPO / "data" / "search" / "questions.jsonl"
DEMO_QUESTIONS = REPO / "data" / "search" / "demo_questions.jsonl"
DEPTH = 10  # a hit below rank 10 counts as not found


ROUTERS: dict[tuple[str, float | None], CategoryRouter] = {}


@dataclass(frozen=True)
class Config:
    name: str
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    category_weight: float = 0.0
    rrf_k: int = 60
    index_headings: bool = False
    route_floor: float | None = None  # None: the router's default

    def searcher(self, store: ClauseStore) -> HybridSearcher:
        key = (store.embedder.name, self.route_floor)
        if key not in ROUTERS:  # embedding the taxonomy costs ~0.3 s; one router per floor for the whole run
            options = {} if self.route_floor is None else {"floor": self.route_floor}
            ROUTERS[key] = CategoryRouter.from_taxonomy(store.embedder, **options)
        router = ROUTERS[key]
        return HybridSearcher(store, rrf_k=self.rrf_k, dense_weight=self.dense_weight,
                              lexical_weight=self.lexical_weight, index_headings=self.index_headings,
                              category_weight=self.category_weight, router=router)


CONFIGS = (
    Config("words only (BM25)", dense_weight=0.0),
    Config("meaning only (MiniLM)", lexical_weight=0.0),
    Config("category only", dense_weight=0.0, lexical_weight=0.0, category_weight=1.0),
    Config("meaning + words (RRF k=60)"),
    Config("meaning + words, headings indexed", index_headings=True),
    Config("meaning x2 + words, headings", dense_weight=2.0, index_headings=True),
    Config("meaning + words + category x0.5", category_weight=0.5),
    Config("meaning + words + category", category_weight=1.0),
    Config("meaning + words + category x2", category_weight=2.0),
    Config(f"meaning + words + category x{CATEGORY_WEIGHT:g} (the default)", category_weight=CATEGORY_WEIGHT),
    Config("meaning + words + category x3, route floor 0.40", category_weight=3.0, route_floor=0.40),
    Config("meaning + words + category x3, route floor 0.50", category_weight=3.0, route_floor=0.50),
    Config("meaning + words + category x3, route floor 0.30", category_weight=3.0, route_floor=0.30),
    Config("meaning + words + category x3, route floor 0.25", category_weight=3.0, route_floor=0.25),
    Config("meaning + words + category x5", category_weight=5.0),
    Config("meaning + category x2", lexical_weight=0.0, category_weight=2.0),
    Config("meaning + words + category, headings", category_weight=1.0, index_headings=True),
    Config("meaning + words + category x3, headings", category_weight=3.0, index_headings=True),
)


class MemoEmbedder:
    """The store's embedder with a memo: every question is asked many times."""

    def __init__(self, inner: Embedder):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, self.inner.embed(missing)))
        return np.stack([self._memo[t] for t in texts])


def held_out_classifier(records: list[dict], held_out: list[int]):
    """A clause classifier trained as ``retrieval.train`` does, without the held-out contracts."""
    from retrieval.classify import ClauseClassifier
    from retrieval.train import AI_PATH, build_corpus, cuad_categories, fit_classifier, load_ai_examples

    inputs = [REPO / "retrieval" / name for name in ("train.py", "classify.py", "segment.py")] + [AI_PATH]
    code = b"".join(path.read_bytes() for path in inputs)
    key = hashlib.sha256(json.dumps(held_out).encode() + code).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"desk-bench-quality-classifier-{key}.npz"
    if path.exists():
        return ClauseClassifier.load(path)
    corpus = build_corpus(records, cuad_categories())
    train = np.array([i for i in range(len(records)) if i not in set(held_out)])
    classifier = fit_classifier(corpus, train, load_ai_examples(), log=lambda *_: None)
    classifier.save(path)
    return classifier


def cuad_contracts(n: int, seed: int = 7) -> tuple[list[tuple[Document, list[Clause]]], dict[str, set[str]]]:
    """``n`` CUAD train contracts (fixed sample), segmented and classified by a model that never saw them,
    and each clause's gold categories (those whose labelled spans it overlaps)."""
    with open(DATA / "cuad" / "cuad_train.jsonl") as handle:
        records = [json.loads(line) for line in handle]
    chosen = sorted(np.random.RandomState(seed).choice(len(records), size=min(n, len(records)), replace=False).tolist())
    classifier = held_out_classifier(records, chosen)
    out, gold_of = [], {}
    for index in chosen:
        record = records[index]
        text = record["text"]
        doc_id = hashlib.sha256(text.encode()).hexdigest()
        document = Document(id=doc_id, title=record["title"], kind="comparable", text=text,
                            pages=(Page(1, 0, len(text)),), deal=f"cuad-{index}", format="txt")
        gold = [(c["answer_start"], c["answer_start"] + len(c["answer_text"]), c["category"]) for c in record["clauses"]]
        segments = segment(text)
        clauses = []
        for seg, predicted in zip(segments, classifier.classify_segments(text, segments)):
            clause_id = f"{doc_id[:16]}:{seg.start}-{seg.end}"
            gold_of[clause_id] = {cat for s, e, cat in gold if s < seg.end and e > seg.start}
            clauses.append(Clause(id=clause_id, document_id=doc_id, heading=seg.heading, text=text[seg.start:seg.end],
                                  page=1, start=seg.start, end=seg.end, kind=seg.kind, categories=tuple(predicted)))
        out.append((document, clauses))
    return out, gold_of


def demo_proposal() -> tuple[Document, list[Clause]]:
    from desk.ingest import analyse
    from retrieval.readers import read_document

    document = read_document(REPO / "data" / "demo" / "proposal.pdf", kind="proposal", title="proposal")
    return document, analyse(document)


def cached_embeddings(embedder: Embedder, texts: list[str]) -> np.ndarray:
    key = hashlib.sha256("\x00".join([embedder.name, *texts]).encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"desk-bench-quality-{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = embedder.embed(texts)
    np.save(path, vectors)
    return vectors


def first_relevant_rank(hits, relevant) -> int | None:
    return next((rank for rank, hit in enumerate(hits, start=1) if relevant(hit)), None)


def summarise(ranks: list[int | None]) -> dict[str, float]:
    found = [r for r in ranks if r is not None]
    n = max(1, len(ranks))
    return {"hit@1": sum(r == 1 for r in found) / n, "hit@3": sum(r <= 3 for r in found) / n,
            "mrr": sum(1.0 / r for r in found) / n, "n": len(ranks)}


def evaluate(config: Config, store: ClauseStore, contracts, gold_of, questions, demo_id, demo_clauses,
             demo_questions) -> dict:
    searcher = config.searcher(store)
    per_category: dict[str, list[int | None]] = {}
    precision_at_10 = []
    for q in questions:
        category = q["categories"][0]

        def relevant(hit) -> bool:
            return category in gold_of.get(hit.clause_id, ())

        for document, clauses in contracts:
            if not any(category in gold_of[c.id] for c in clauses):
                continue
            hits = searcher.search(q["question"], k=DEPTH, document_id=document.id)
            per_category.setdefault(category, []).append(first_relevant_rank(hits, relevant))
        overall = searcher.search(q["question"], k=10)
        precision_at_10.append(sum(map(relevant, overall)) / 10)
    section_of = {c.id: c.heading.split(" ")[0] for c in demo_clauses}
    demo_ranks = []
    for q in demo_questions:
        hits = searcher.search(q["question"], k=DEPTH, document_id=demo_id)
        demo_ranks.append(first_relevant_rank(hits, lambda h: section_of.get(h.clause_id) in q["sections"]))
    return {"per_category": per_category, "p@10": float(np.mean(precision_at_10)), "demo": summarise(demo_ranks),
            "demo_ranks": demo_ranks}


def pooled(per_category: dict[str, list[int | None]], categories) -> dict[str, float]:
    """Mean over categories of each category's within-contract summary (so Parties does not dominate)."""
    rows = [summarise(per_category[c]) for c in categories if per_category.get(c)]
    return {m: float(np.mean([r[m] for r in rows])) for m in ("hit@1", "hit@3", "mrr")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contracts", type=int, default=60)
    args = parser.parse_args()
    t0 = time.time()
    questions = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    demo_questions = [json.loads(line) for line in DEMO_QUESTIONS.read_text().splitlines() if line.strip()]
    contracts, gold_of = cuad_contracts(args.contracts)
    demo_document, demo_clauses = demo_proposal()
    embedder = MemoEmbedder(default_embedder())
    everything = contracts + [(demo_document, demo_clauses)]
    texts = [c.text for _, clauses in everything for c in clauses]
    vectors = cached_embeddings(embedder.inner, texts)
    print(f"{len(contracts)} CUAD contracts + demo proposal, {len(texts)} clauses, embedded in {time.time() - t0:.0f}s",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = ClauseStore(Path(tmp) / "chroma", url=None, embedder=embedder)  # type: ignore[arg-type]
        row = 0
        for document, clauses in everything:
            store.add_clauses(document, clauses, embeddings=vectors[row : row + len(clauses)])
            row += len(clauses)
        results = {cfg: evaluate(cfg, store, contracts, gold_of, questions, demo_document.id, demo_clauses,
                                 demo_questions) for cfg in CONFIGS}
    categories = sorted({q["categories"][0] for q in questions})
    halves = (categories[0::2], categories[1::2])
    print(f"\nWithin one contract (mean over {len(categories)} categories; rank of the first labelled clause), "
          f"whole-store precision@10, and the demo questions ({len(demo_questions)}):\n")
    print("| configuration | hit@1 | hit@3 | MRR | store P@10 | demo hit@1 | demo hit@3 | demo MRR |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for cfg, res in results.items():
        p = pooled(res["per_category"], categories)
        d = res["demo"]
        print(f"| {cfg.name} | {p['hit@1']:.3f} | {p['hit@3']:.3f} | {p['mrr']:.3f} | {res['p@10']:.3f} "
              f"| {d['hit@1']:.3f} | {d['hit@3']:.3f} | {d['mrr']:.3f} |")
    print("\nChosen on one half of the categories by MRR, scored on the other half:\n")
    baseline = next(c for c in CONFIGS if c.name == "meaning + words (RRF k=60)")
    default = next(c for c in CONFIGS if c.name.endswith("(the default)"))
    print(f"| tuned on | chosen | held-out MRR | held-out MRR of {baseline.name} | held-out MRR of the default |")
    print("|---|---|---:|---:|---:|")
    for tune, test in (halves, halves[::-1]):
        best = max(CONFIGS, key=lambda c: pooled(results[c]["per_category"], tune)["mrr"])
        print(f"| {len(tune)} categories | {best.name} | {pooled(results[best]['per_category'], test)['mrr']:.3f} "
              f"| {pooled(results[baseline]['per_category'], test)['mrr']:.3f} "
              f"| {pooled(results[default]['per_category'], test)['mrr']:.3f} |")
    print("\nDemo question ranks per configuration (None: not in the top 10):")
    for cfg, res in results.items():
        print(f"  {cfg.name}: {res['demo_ranks']}")
    print(f"\n{time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
