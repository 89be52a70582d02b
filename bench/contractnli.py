"""ContractNLI as a review benchmark: 17 NDA hypotheses as boolean mandate terms.

ContractNLI (Yuta Koreeda and Christopher D. Manning, 2021, "ContractNLI: A Dataset for Document-level
Natural Language Inference for Contracts", Findings of EMNLP 2021, CC BY 4.0) labels real NDAs against
17 fixed hypotheses. Each hypothesis is a boolean term the collective wants to hold (preferred =
acceptable = walk-away = true), so the desk's findings map onto the labels:

* ``meets_preferred`` / ``acceptable`` (the desk read *true*)  -> Entailment
* ``breaches_walk_away`` (the desk read *false*)               -> Contradiction
* ``not_addressed`` and ``unclear``                            -> NotMentioned (unclear counted apart)

A finding's evidence *decides* when its first evidence quote overlaps a gold evidence span (both are
offsets into the ContractNLI ``text``, which the desk reads unchanged as a ``.txt`` file).

    from bench.contractnli import load, evaluate
    docs = load("dev")
    result = evaluate(docs, mandate)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from core.domain import Clause, Document, Evidence, Finding, Mandate  # noqa: E402
from core.paths import EVALUATION_DIR, SHARED_DATA_DIR  # noqa: E402
from desk.review import review  # noqa: E402
from retrieval.clauses import analyse_document  # noqa: E402
from retrieval.readers import read_bytes  # noqa: E402

DATA_DIR = SHARED_DATA_DIR / "contractnli"
MANDATES = {
    "hypothesis": EVALUATION_DIR / "contractnli" / "nda_mandate.toml",
    "short": EVALUATION_DIR / "contractnli" / "nda_mandate_short.toml",
}
LABELS = ("Entailment", "Contradiction", "NotMentioned")
STATUS_LABEL = {
    "meets_preferred": "Entailment",
    "acceptable": "Entailment",
    "breaches_walk_away": "Contradiction",
    "not_addressed": "NotMentioned",
    "unclear": "NotMentioned",
}


@dataclass(frozen=True)
class NliDocument:
    """One labelled NDA: the desk's document and clauses, and ContractNLI's labels and evidence spans."""

    id: int
    file_name: str
    document: Document
    clauses: list[Clause] = field(compare=False)
    labels: dict[str, str]  # hypothesis id ("nda-1") -> label
    evidence: dict[str, tuple[tuple[int, int], ...]]  # hypothesis id -> gold spans (offsets into the text)


def hypotheses(data_dir: Path = DATA_DIR) -> dict[str, dict[str, str]]:
    """ContractNLI's 17 hypotheses: id -> {"short_description", "hypothesis"}."""
    return json.loads((data_dir / "hypotheses.json").read_text(encoding="utf-8"))


def available(data_dir: Path = DATA_DIR) -> bool:
    return (data_dir / "dev.jsonl").is_file() and (data_dir / "hypotheses.json").is_file()


def records(split: str, data_dir: Path = DATA_DIR) -> Iterator[dict[str, Any]]:
    """The raw ContractNLI records of a split (``dev`` or ``test_rest``)."""
    with (data_dir / f"{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def document_of(record: dict[str, Any]) -> Document:
    """The record's text as the desk reads a ``.txt`` file: exactly, so offsets are ContractNLI's."""
    name = Path(record["file_name"]).stem or f"contractnli-{record['id']}"
    doc = read_bytes(record["text"].encode("utf-8"), f"{name}.txt", kind="proposal", title=name)
    if doc.text != record["text"]:
        raise ValueError(f"ContractNLI document {record['id']}: the desk's text differs from the record's; offsets would not line up")
    return doc


_ANALYSED: dict[tuple[str, int], NliDocument] = {}  # in memory only, per process


def load(split: str, data_dir: Path = DATA_DIR, limit: int | None = None) -> list[NliDocument]:
    """The split's documents, analysed (segmented, classified, values read) once per process."""
    out = []
    for i, record in enumerate(records(split, data_dir)):
        if limit is not None and i >= limit:
            break
        key = (f"{data_dir}/{split}", int(record["id"]))
        if key not in _ANALYSED:
            doc = document_of(record)
            spans = record["spans"]
            _ANALYSED[key] = NliDocument(
                id=int(record["id"]),
                file_name=record["file_name"],
                document=doc,
                clauses=analyse_document(doc),
                labels={h: a["choice"] for h, a in record["annotations"].items()},
                evidence={h: tuple((spans[j][0], spans[j][1]) for j in a["spans"]) for h, a in record["annotations"].items()},
            )
        out.append(_ANALYSED[key])
    return out


def hypothesis_of(term_key: str, mandate: Mandate, hyps: dict[str, dict[str, str]] | None = None) -> str:
    """The ContractNLI hypothesis a mandate term states: by its label or query (either style), never by its key."""
    hyps = hyps or hypotheses()
    term = mandate.term(term_key)
    said = {_norm(term.label), _norm(term.query)}
    for hid, h in hyps.items():
        if _norm(h["hypothesis"]) in said or _norm(h["short_description"]) in said:
            return hid
    raise KeyError(f"term {term_key!r} states none of ContractNLI's hypotheses")


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def label_of(finding: Finding) -> str:
    return STATUS_LABEL[finding.status]


def quote_span(evidence: Evidence, text: str) -> tuple[int, int]:
    """Where the evidence's quoted words are in the document (the clause's span when the quote is not found)."""
    if evidence.quote:
        at = text.find(evidence.quote, evidence.start, evidence.end)
        if at >= 0:
            return at, at + len(evidence.quote)
    return evidence.start, evidence.end


def overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


@dataclass(frozen=True)
class Outcome:
    """One (document, hypothesis) pair: the gold label, the desk's, and whether its evidence decides."""

    document: int
    hypothesis: str
    gold: str
    predicted: str
    status: str
    evidence_decides: bool | None  # None: the desk cited nothing or gold has no span


def review_document(item: NliDocument, mandate: Mandate, hyps: dict[str, dict[str, str]] | None = None) -> list[Outcome]:
    hyps = hyps or hypotheses()
    result = review(item.document, item.clauses, mandate)
    out = []
    for f in result.findings:
        hid = hypothesis_of(f.term, mandate, hyps)
        gold = item.labels[hid]
        predicted = label_of(f)
        decides = None
        if f.evidence and predicted != "NotMentioned" and item.evidence.get(hid):
            decides = overlaps(quote_span(f.evidence[0], item.document.text), item.evidence[hid])
        out.append(Outcome(item.id, hid, gold, predicted, f.status, decides))
    return out


def evaluate(items: Iterable[NliDocument], mandate: Mandate) -> list[Outcome]:
    hyps = hypotheses()
    return [o for item in items for o in review_document(item, mandate, hyps)]


def scores(outcomes: list[Outcome]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class recall and precision, evidence overlap, unclear count."""
    n = len(outcomes)
    correct = sum(o.gold == o.predicted for o in outcomes)
    per_class = {}
    f1s = []
    for label in LABELS:
        tp = sum(o.gold == label and o.predicted == label for o in outcomes)
        gold = sum(o.gold == label for o in outcomes)
        pred = sum(o.predicted == label for o in outcomes)
        recall = tp / gold if gold else 0.0
        precision = tp / pred if pred else 0.0
        f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        f1s.append(f1)
        per_class[label] = {"gold": gold, "predicted": pred, "recall": round(recall, 4), "precision": round(precision, 4), "f1": round(f1, 4)}
    judged = [o for o in outcomes if o.evidence_decides is not None]
    right = [o for o in judged if o.gold == o.predicted]
    return {
        "pairs": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4),
        "per_class": per_class,
        "contradiction_recall": per_class["Contradiction"]["recall"],
        "evidence_overlap": round(sum(o.evidence_decides for o in judged) / len(judged), 4) if judged else 0.0,
        "evidence_overlap_correct": round(sum(o.evidence_decides for o in right) / len(right), 4) if right else 0.0,
        "evidence_judged": len(judged),
        "unclear": sum(o.status == "unclear" for o in outcomes),
        "baseline_not_mentioned": round(sum(o.gold == "NotMentioned" for o in outcomes) / n, 4) if n else 0.0,
    }


def per_hypothesis(outcomes: list[Outcome]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for hid in sorted({o.hypothesis for o in outcomes}, key=lambda h: int(h.split("-")[1])):
        mine = [o for o in outcomes if o.hypothesis == hid]
        out[hid] = {
            "n": len(mine),
            "accuracy": round(sum(o.gold == o.predicted for o in mine) / len(mine), 4),
            "gold": {label: sum(o.gold == label for o in mine) for label in LABELS},
            "predicted": {label: sum(o.predicted == label for o in mine) for label in LABELS},
            "contradiction_recall": round(sum(o.gold == o.predicted == "Contradiction" for o in mine) / max(1, sum(o.gold == "Contradiction" for o in mine)), 4),
        }
    return out
