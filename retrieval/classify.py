"""Clause classification: which categories each clause speaks to, with probabilities.

A clause alone is often ambiguous ("Licensee may not assign..." inside a section
called "Change of Control"), so every clause is described by its own words plus
its context: the enclosing heading, the neighbouring clauses, where it sits in
the document, what kind of block it is, and hand-written patterns for wording
lawyers repeat ("governed by the laws of"). Those features feed one logistic
regression per category (fitted by ``retrieval.train``), stored as plain arrays
in an ``.npz`` with a JSON header, so loading needs no pickles and the runtime
re-implements the TF-IDF transform and ``predict_proba`` in numpy.

Scores are calibrated: a raw logistic score is mapped per category through a
Platt curve fitted on held-out folds during training, so a clause shown with
Exclusivity 0.30 really is about Exclusivity about three times in ten (the raw
scores of an imbalanced one-vs-rest model are far too timid in the middle).
Decisions use a clause threshold per category, tuned on held-out folds during
training for a target span recall with the fewest wrong labels. The artifact
also carries a per-category *document* threshold on the best clause score (is
the category in this contract at all?), 0 where training found the gate not
worth the recall it costs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from core.domain import CategoryScore
from core.errors import DeskError
from core.paths import CLAUSE_MODEL_PATH

from .segment import Segment

__all__ = ["ClauseClassifier", "ClauseContext", "calibrate", "clause_contexts", "clause_tokens", "RULES", "DEFAULT_MODEL_PATH"]

DEFAULT_MODEL_PATH = CLAUSE_MODEL_PATH

_WORD_RE = re.compile(r"[a-z][a-z0-9'’-]*|\$|%|\d+")

# Formulaic wording, one named pattern each; a hit becomes the token "r:<name>".
# Patterns are evidence for the model, not verdicts: the weights are learnt.
RULES: dict[str, str] = {
    "governed_by": r"govern(?:ed|s)\s+(?:by|in accordance with)|constru\w+\s+(?:in accordance with|under)\s+the\s+laws?|laws of the (?:state|commonwealth|province)",
    "jurisdiction": r"exclusive jurisdiction|submit to the jurisdiction|venue",
    "whereas": r"^\s*whereas\b",
    "witness": r"in witness whereof",
    "by_between": r"\bby and (?:between|among)\b|\bentered into\b.{0,200}\bbetween\b",
    "dated_as_of": r"\b(?:dated|made|entered into)\b.{0,40}\bas of\b|\beffective (?:as of|date)\b",
    "month_date": r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+\d{4}\b|\bday of\b",
    "agreement_title": r"^\s*(?:exhibit[^\n]*\n\s*)?[A-Z][A-Z &,'-]{3,80}AGREEMENT",
    "assign": r"\bassign(?:ed|ment|s)?\b.{0,120}\b(?:without|prior written consent|consent of)\b",
    "change_control": r"change (?:of|in) control|merger|acquisition of all or substantially|controlling interest",
    "terminate_convenience": r"terminat\w+.{0,80}\b(?:for (?:any|no) reason|for convenience|without cause|at any time)\b",
    "notice_days": r"\b(?:\d+|thirty|sixty|ninety|one hundred)\s*(?:\(\d+\)\s*)?days?'?\s*(?:prior\s+)?(?:written\s+)?notice",
    "renew": r"\brenew\w*\b|\bsuccessive\b|\bextend\w*\b.{0,40}\bterm\b",
    "term_years": r"\b(?:initial term|term of this agreement|shall (?:commence|continue|remain in (?:full )?force))\b",
    "expire": r"\bexpir\w+\b|\buntil\b.{0,60}\b(?:\d{4}|anniversary)\b",
    "exclusive": r"\bexclusive(?:ly)?\b",
    "non_exclusive": r"\bnon-?\s?exclusive\b",
    "non_transferable": r"\bnon-?\s?transferable\b|\bnot transferable\b|\bnon-?\s?assignable\b",
    "sublicense": r"\bsub-?licens\w+\b",
    "license_grant": r"\bgrants?\b.{0,80}\b(?:license|right)\b|\blicense to\b",
    "perpetual": r"\bperpetual\b|\birrevocable\b",
    "royalty_free": r"\broyalty[- ]free\b|\bfully[- ]paid\b",
    "affiliates": r"\baffiliates?\b",
    "audit": r"\baudit\w*\b|\binspect\w*\b|\bbooks and records\b|\bexamin\w+\b.{0,40}\brecords\b",
    "insurance": r"\binsurance\b|\binsured\b|\bpolicy limits?\b",
    "liability_cap": r"\bin no event\b.{0,200}\bliab\w+\b|\baggregate liability\b|\bshall not exceed\b|\blimitation of liability\b",
    "consequential": r"\bconsequential\b|\bincidental\b|\bpunitive\b|\bindirect\b",
    "uncapped": r"\bgross negligence\b|\bwillful misconduct\b|\bshall not apply to\b",
    "liquidated": r"\bliquidated damages\b|\bpenalt(?:y|ies)\b|\bbreak-?up fee\b|\btermination fee\b",
    "warranty": r"\bwarrant\w*\b.{0,120}\b(?:days|months|year|period)\b|\bwarranty period\b",
    "minimum": r"\bminimum\b|\bat least\b|\bnot less than\b",
    "royalty": r"\broyalt(?:y|ies)\b|\brevenue\b|\bprofits?\b|\bcommission\b|\bpercent(?:age)?\b|%",
    "mfn": r"\bmost favou?red\b|\bno less favou?rable\b|\bbest (?:price|terms)\b",
    "price_change": r"\bprice\w*\b.{0,60}\b(?:increase|decrease|adjust|change)\w*\b",
    "compete": r"\bcompet\w+\b|\bnon-?compet\w+\b",
    "solicit": r"\bsolicit\w*\b|\bhire\b|\bemploy\b",
    "disparage": r"\bdisparag\w+\b|\bnegative (?:statements?|comments?)\b",
    "first_refusal": r"\bright of first\b|\bfirst refusal\b|\bfirst offer\b|\bfirst negotiation\b|\boption to (?:purchase|acquire)\b",
    "ip_own": r"\b(?:shall|will) (?:be|become|remain) the (?:sole and )?(?:exclusive )?property\b|\bhereby assigns?\b|\ball right, title and interest\b|\bwork made for hire\b",
    "joint_own": r"\bjointly own\w*\b|\bjoint(?:ly)? (?:owned|ownership|property)\b|\bco-?own\w*\b",
    "escrow": r"\bescrow\b|\bsource code\b",
    "third_party_beneficiary": r"\bthird[- ]party beneficiar\w*\b|\bintended beneficiar\w*\b",
    "covenant_not_sue": r"\bnot (?:to )?(?:sue|challenge|contest)\b|\bcontest the validity\b",
    "volume": r"\bunits?\b|\bper (?:year|month|annum)\b|\bnumber of\b|\bcap\b|\bup to \d",
    "unlimited": r"\bunlimited\b|\ball-you-can-eat\b|\benterprise-?wide\b|\bany number of\b",
    "post_termination": r"\b(?:after|upon|following) (?:the )?(?:expiration|termination)\b|\bsurviv\w+\b|\bwind[- ]down\b|\btransition\b",
    # AI-data deal patterns
    "ai_train": r"\b(?:train|training|fine-?tun\w*|pre-?train\w*)\b.{0,60}\b(?:model|models|ai|artificial intelligence|machine learning|neural|llm|algorithm)s?\b|\b(?:machine learning|artificial intelligence|generative ai|large language|foundation) models?\b",
    "ai_output": r"\boutputs?\b.{0,80}\b(?:model|generat\w+|ai)\b|\b(?:generated|synthetic) (?:content|output|text|works?)\b",
    "ai_delete": r"\b(?:delete|deletion|destroy|purge|erase|unlearn\w*|machine unlearning|remov\w+ from (?:the )?(?:training|model))\b",
    "ai_optout": r"\bopt[- ]?out\b|\bwithdraw\w*\b.{0,60}\b(?:content|works?|consent|member)\b|\bexclude\w*\b.{0,40}\b(?:member|publisher|work)s?\b",
    "ai_attrib": r"\battribut\w+\b|\bcredit\w*\b.{0,40}\b(?:source|publisher|author)\b|\blink(?:s|ing)? back\b|\bcitation\b",
    "ai_usage_report": r"\b(?:usage|use) (?:report|data|statistics|metrics)\b|\breport\w*\b.{0,80}\b(?:usage|queries|impressions|tokens|volume)\b",
    "ai_compensation": r"\blicen[cs]e fee\b|\bannual fee\b|\bpay\w*\b.{0,60}\b(?:fee|\$|usd|amount)\b|\$\s?\d",
    "ai_security": r"\bsecurity\b|\bencrypt\w*\b|\bunauthori[sz]ed access\b|\bdata breach\b|\bsecurity incident\b|\bISO 27001\b|\bSOC 2\b",
    "ai_downstream": r"\bdownstream\b|\bthird part(?:y|ies)\b.{0,80}\b(?:model|train|resell|redistribut)\w*\b|\bresell\b|\bredistribut\w+\b",
    "ai_retrieval": r"\bretriev\w+\b|\brag\b|\bgrounding\b|\bsnippets?\b|\bdisplay\w*\b.{0,60}\b(?:excerpts?|summar\w+|answers?|results?)\b|\breal-?time\b",
}
_CASE_SENSITIVE = {"agreement_title"}
_RULES_RE = {
    "r:" + name: re.compile(pat, re.MULTILINE if name in _CASE_SENSITIVE else re.IGNORECASE | re.MULTILINE | re.DOTALL)
    for name, pat in RULES.items()
}



@dataclass(frozen=True)
class ClauseContext:
    """What the classifier sees for one clause."""

    text: str
    heading: str = ""
    prev_text: str = ""
    next_text: str = ""
    kind: str = "paragraph"
    position: float = 0.5  # relative start offset in the document
    index: int = 5  # clause number in the document
    doc_head: str = ""  # the first few hundred characters: the contract's name and type


def clause_contexts(doc_text: str, segments: Sequence[Segment]) -> list[ClauseContext]:
    """Contexts for every segment of a document (neighbours, position, title)."""
    n = max(1, len(doc_text))
    head = doc_text[:400]
    out = []
    for i, s in enumerate(segments):
        prev_t = doc_text[segments[i - 1].start:segments[i - 1].end] if i > 0 else ""
        next_t = doc_text[segments[i + 1].start:segments[i + 1].end] if i + 1 < len(segments) else ""
        out.append(ClauseContext(doc_text[s.start:s.end], s.heading, prev_t[-400:], next_t[:400], s.kind, s.start / n, i, head))
    return out


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def clause_tokens(ctx: ClauseContext) -> list[str]:
    """The bag of tokens describing a clause in its context."""
    words = _words(ctx.text)
    toks = words + [a + " " + b for a, b in zip(words, words[1:])]
    toks += ["h:" + w for w in _words(ctx.heading)]
    toks += ["p:" + w for w in set(_words(ctx.prev_text))]
    toks += ["n:" + w for w in set(_words(ctx.next_text))]
    toks += ["t:" + w for w in set(_words(ctx.doc_head))]
    toks.append("k:" + ctx.kind)
    toks.append("pos:%d" % min(9, int(ctx.position * 10)))
    toks.append("idx:%d" % min(ctx.index, 8))
    length = len(ctx.text)
    toks.append("len:%d" % (0 if length < 60 else 1 if length < 200 else 2 if length < 600 else 3 if length < 1200 else 4))
    toks += [name for name, rx in _RULES_RE.items() if rx.search(ctx.text)]
    toks += _heading_rules(ctx.heading)
    return toks


@lru_cache(maxsize=4096)
def _heading_rules(heading: str) -> tuple[str, ...]:
    """Rule hits on a heading; cached because every clause of a section repeats it."""
    if not heading:
        return ()
    return tuple("rh:" + name[2:] for name, rx in _RULES_RE.items() if rx.search(heading))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def calibrate(logits: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Probabilities from raw logits through per-category Platt curves (slope, intercept)."""
    return _sigmoid(logits * calibration[:, 0] + calibration[:, 1]).astype(np.float32)


class ClauseClassifier:
    """Per-category logistic regressions over context features, with tuned thresholds."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 categories: Sequence[str], clause_thresholds: np.ndarray, doc_thresholds: np.ndarray,
                 meta: dict | None = None, calibration: np.ndarray | None = None) -> None:
        self.vocabulary_ = vocabulary
        self.idf_ = np.asarray(idf, dtype=np.float32)
        self.coef_ = np.asarray(coef, dtype=np.float32)  # (n_features, n_categories)
        self.intercept_ = np.asarray(intercept, dtype=np.float32)
        self.categories_ = list(categories)
        self.clause_thresholds_ = np.asarray(clause_thresholds, dtype=np.float32)
        self.doc_thresholds_ = np.asarray(doc_thresholds, dtype=np.float32)
        self.meta_ = meta or {}
        # (n_categories, 2): slope and intercept of each Platt curve on the raw logit
        identity = np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(self.categories_), 1))
        self.calibration_ = identity if calibration is None else np.asarray(calibration, dtype=np.float32)

    # ---- persistence -------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None) -> "ClauseClassifier":
        """Load the shipped artifact (``data/models/clause_model.npz``) or ``path``."""
        p = Path(path) if path else DEFAULT_MODEL_PATH
        if p.is_dir():
            p = p / "clause_model.npz"
        if not p.exists():
            raise DeskError(str(p), "clause model not found; run `python -m retrieval.train --out data/models/`")
        try:
            with np.load(p, allow_pickle=False) as z:
                header = json.loads(bytes(z["header"]).decode("utf-8"))
                return cls(
                    {t: i for i, t in enumerate(header["vocabulary"])},
                    z["idf"], z["coef"].astype(np.float32), z["intercept"],
                    header["categories"], z["clause_thresholds"], z["doc_thresholds"], header.get("meta", {}),
                    z["calibration"] if "calibration" in z.files else None,
                )
        except (KeyError, ValueError, OSError) as exc:
            raise DeskError(str(p), f"not a clause model artifact ({exc})") from exc

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.vocabulary_, key=self.vocabulary_.get)
        header = json.dumps({"vocabulary": vocab, "categories": self.categories_, "meta": self.meta_}).encode("utf-8")
        np.savez_compressed(
            p, header=np.frombuffer(header, dtype=np.uint8), idf=self.idf_.astype(np.float32),
            coef=self.coef_.astype(np.float16), intercept=self.intercept_.astype(np.float32),
            clause_thresholds=self.clause_thresholds_, doc_thresholds=self.doc_thresholds_,
            calibration=self.calibration_,
        )
        return p

    # ---- features ----------------------------------------------------
    def transform(self, contexts: Sequence[ClauseContext]):
        """TF-IDF rows (sublinear tf, l2-normalised) as a scipy CSR matrix."""
        from scipy.sparse import csr_matrix

        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        vocab = self.vocabulary_
        for ctx in contexts:
            counts: dict[int, int] = {}
            for t in clause_tokens(ctx):
                j = vocab.get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf_[cols]
            norm = np.sqrt((vals ** 2).sum()) or 1.0
            indices.extend(cols.tolist())
            data.extend((vals / norm).tolist())
            indptr.append(len(indices))
        return csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                          shape=(len(contexts), len(vocab)))

    def decision_function(self, contexts: Sequence[ClauseContext]) -> np.ndarray:
        """(n_clauses, n_categories) raw logits, before calibration."""
        if not contexts:
            return np.zeros((0, len(self.categories_)), dtype=np.float32)
        return np.asarray(self.transform(contexts) @ self.coef_) + self.intercept_

    def predict_proba(self, contexts: Sequence[ClauseContext]) -> np.ndarray:
        """(n_clauses, n_categories) calibrated probabilities."""
        return calibrate(self.decision_function(contexts), self.calibration_)

    # ---- decisions ---------------------------------------------------
    def decide(self, proba: np.ndarray) -> np.ndarray:
        """Boolean (n_clauses, n_categories): clause threshold, gated by the document threshold."""
        if proba.shape[0] == 0:
            return np.zeros_like(proba, dtype=bool)
        present = proba.max(axis=0) >= self.doc_thresholds_
        return (proba >= self.clause_thresholds_) & present[None, :]

    def classify_segments(self, doc_text: str, segments: Sequence[Segment]) -> list[tuple[CategoryScore, ...]]:
        """Categories of every segment of one document, best first."""
        proba = self.predict_proba(clause_contexts(doc_text, segments))
        chosen = self.decide(proba)
        out = []
        for i in range(proba.shape[0]):
            idx = np.flatnonzero(chosen[i])
            idx = idx[np.argsort(-proba[i, idx])]
            out.append(tuple(CategoryScore(self.categories_[j], round(float(proba[i, j]), 4)) for j in idx))
        return out

    def predict(self, texts: Sequence[str], headings: Sequence[str] | None = None) -> list[tuple[CategoryScore, ...]]:
        """Classify loose clauses (no document): clause thresholds only."""
        headings = headings or [""] * len(texts)
        ctxs = [ClauseContext(t, h) for t, h in zip(texts, headings)]
        proba = self.predict_proba(ctxs)
        out = []
        for i in range(proba.shape[0]):
            idx = np.flatnonzero(proba[i] >= self.clause_thresholds_)
            idx = idx[np.argsort(-proba[i, idx])]
            out.append(tuple(CategoryScore(self.categories_[j], round(float(proba[i, j]), 4)) for j in idx))
        return out
