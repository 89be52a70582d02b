"""The unusual-clause detector: planted outliers in a corpus of real CUAD clauses, and the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.domain import CategoryScore, Clause
from desk.unusual import UnusualDetector
from retrieval.values import extract_values

CUAD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cuad" / "cuad_train.jsonl"


def _clause(cid: str, text: str, categories: tuple[str, ...]) -> Clause:
    return Clause(id=cid, document_id=cid, heading="", text=text, page=1, start=0, end=len(text),
                  categories=tuple(CategoryScore(c, 1.0) for c in categories), values=tuple(extract_values(text)))


@pytest.fixture(scope="module")
def corpus() -> list[Clause]:
    """Lawyer-labelled clauses of 60 real contracts (CUAD train), with the values they state."""
    assert CUAD.is_file(), f"shared CUAD data missing: {CUAD}"
    clauses = []
    with CUAD.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= 60:
                break
            row = json.loads(line)
            spans: dict[tuple[int, int], set[str]] = {}
            for c in row["clauses"]:
                spans.setdefault((c["answer_start"], len(c["answer_text"])), set()).add(c["category"])
            for (start, length), cats in spans.items():
                clauses.append(_clause(f"{n}:{start}", row["text"][start : start + length], tuple(sorted(cats))))
    return clauses


def test_planted_absurd_fee_is_an_outlier_with_its_numbers(corpus):
    detector = UnusualDetector().fit(corpus)
    fees = detector.values_[("money", "USD")]
    assert len(fees) >= 20  # real fees to compare with
    absurd = _clause("x", "Licensee shall pay Licensor a minimum annual royalty of $9,000,000,000,000 (nine trillion dollars).",
                     ("Minimum Commitment",))
    flags = [f for f in detector.outlier_values(absurd)]
    assert flags and flags[0].kind == "outlier_value"
    # Real contract fees range from unit prices to nine-figure guarantees, so z alone is modest here;
    # the figure is still thousands of times the largest fee in the corpus.
    assert flags[0].numbers["beyond_range"] and flags[0].numbers["value"] == 9e12
    assert flags[0].numbers["max"] * 1000 < 9e12
    assert "far above" in flags[0].reason and "$9,000,000,000,000" in flags[0].reason and "times the largest" in flags[0].reason
    ordinary = _clause("y", "Licensee shall pay Licensor a minimum annual royalty of $250,000.", ("Minimum Commitment",))
    assert detector.outlier_values(ordinary) == []


def test_robust_z_flags_an_outlier_percentage_among_close_ones():
    texts = [f"Licensee shall pay Licensor a royalty of {p} percent ({p}%) of Net Revenue." for p in (8, 10, 10, 12, 15, 10)]
    detector = UnusualDetector().fit([_clause(f"r{i}", t, ("Revenue/Profit Sharing",)) for i, t in enumerate(texts)])
    greedy = _clause("g", "Licensee shall pay Licensor a royalty of ninety-five percent (95%) of Net Revenue.", ("Revenue/Profit Sharing",))
    flags = detector.outlier_values(greedy)
    assert flags and flags[0].numbers["robust_z"] > 3.5 and flags[0].numbers["scope"] == "clauses of the same category"
    assert detector.outlier_values(_clause("n", "a royalty of eleven percent (11%) of Net Revenue.", ("Revenue/Profit Sharing",))) == []


def test_category_combination_never_seen_is_flagged_but_common_pairs_are_not(corpus):
    detector = UnusualDetector().fit(corpus)
    counts = detector.category_counts_
    assert counts["Governing Law"] >= 3 and counts["Insurance"] >= 3
    together = sum(1 for s in detector.category_sets_ if {"Governing Law", "Insurance"} <= s)
    assert together == 0  # checked, not assumed: the planted combination is really absent
    odd = _clause("z", "This Agreement is governed by the laws of New York and Licensee shall maintain insurance of $1,000,000.",
                  ("Governing Law", "Insurance"))
    flag = detector.rare_categories(odd)
    assert flag is not None and flag.kind == "rare_categories" and flag.numbers["combination_support"] == 0
    common = max(((a, b) for a in counts for b in counts if a < b),
                 key=lambda p: sum(1 for s in detector.category_sets_ if set(p) <= s))
    assert detector.rare_categories(_clause("w", "text", common)) is None
    unseen = detector.rare_categories(_clause("v", "text", ("AI Training Use",)))
    assert unseen is not None and "AI Training Use" in unseen.reason


def test_no_counterpart_below_threshold_only():
    detector = UnusualDetector(no_counterpart_below=0.5).fit([])
    assert detector.no_counterpart(0.9) is None
    flag = detector.no_counterpart(0.31, "Deal X")
    assert flag is not None and "0.31" in flag.reason and "Deal X" in flag.reason
    assert detector.no_counterpart(None) is not None  # an empty corpus: nothing to compare with


def test_demo_flags_ai_specific_clauses_as_without_precedent(demo_workspace):
    """The 2006-2018 content licences define no AI models or fine-tuning: those definitions have no counterpart."""
    from desk.service import Desk

    desk = Desk.open(demo_workspace)
    proposal = desk.documents(kind="proposal")[0]
    flagged = desk.unusual(proposal.id)
    assert flagged and all(f.reason and f.numbers for c in flagged for f in c.unusual)
    for defined in ('"Fine-Tuning" means', '"Model" means'):
        hit = next((c for c in flagged if defined in " ".join(c.text.split())), None)
        assert hit is not None, (defined, [c.text[:40] for c in flagged])
        assert any(f.kind == "no_counterpart" and f.numbers["best_similarity"] < 0.45 for f in hit.unusual)
    headings = {c.heading.split(" ")[0] for c in flagged}
    assert not headings & {"3.1", "17.1", "18.1"}  # term, governing law, assignment: every precedent has them
