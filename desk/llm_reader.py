"""An optional LLM reader that may settle what the deterministic reader could not, and nothing else.

When the user has configured an endpoint, the desk can ask the model, for each term the
review left *unclear* or *not addressed*, one structured answer: the value, the clause it
comes from and the exact words that decide it. An answer is accepted only when

* the cited clause is a clause of this document,
* the quoted words are in that clause (whitespace and case aside),
* the value is a value of the term (a number whose digits or words appear in the quote,
  one of the mandate's own options, yes or no), and
* the term was not already read by the deterministic reader: a verified reading is never
  overruled; a disagreement is kept beside the finding for a person, not applied.

Accepted answers become findings judged by the same rules (:func:`desk.review.judge`),
marked ``assisted`` and naming the model, so the page can show where the LLM was used.
The prompt is built by :class:`desk.llm.Assistant` (untrusted text fenced, personal data
redacted, nothing sent without an endpoint).
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

from pydantic import BaseModel, Field

from core.domain import Clause, Evidence, Finding, Mandate, MandateTerm
from desk.llm import Assistant
from desk.mandate import fill_fallback, format_value
from desk.review import Review, judge

SETTLES = ("unclear", "not_addressed")


class TermAnswer(BaseModel):
    term: str = Field(description="the mandate term key")
    value: str = Field(description="the proposal's value: a number in the term's unit, option ids separated by commas, 'yes' or 'no', or 'not addressed'")
    clause_id: str = Field(description="the id of the one clause (from the CLAUSE headers) that decides the term")
    quote: str = Field(description="the exact words of that clause that decide the term, copied character for character")


class TermAnswers(BaseModel):
    answers: list[TermAnswer]


@dataclass(frozen=True)
class AssistedReview:
    """The review after the LLM reader: settled findings replaced, every answer's fate recorded."""

    review: Review
    accepted: tuple[dict[str, Any], ...]
    rejected: tuple[dict[str, Any], ...]
    disagreements: tuple[dict[str, Any], ...]
    model: str
    endpoint: str

    def assistance(self) -> dict[str, Any]:
        """What the LLM reader was asked and what became of each answer (shown beside the review)."""
        return {"model": self.model, "endpoint": self.endpoint, "accepted": list(self.accepted),
                "rejected": list(self.rejected), "disagreements": list(self.disagreements)}

    def to_dict(self) -> dict[str, Any]:
        return {**self.review.to_dict(), "assistance": self.assistance()}


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


def parse_value(term: MandateTerm, raw: str) -> Any:
    """The answer's value as the term holds it; None when it is not a value of this term."""
    text = raw.strip().lower()
    if text in ("", "not addressed", "none", "n/a", "unclear"):
        return None
    if term.kind == "boolean":
        return {"yes": True, "true": True, "no": False, "false": False}.get(text)
    if term.kind == "choice":
        chosen = [o.strip() for o in re.split(r"[,;]", raw) if o.strip()]
        return chosen if chosen and all(o in term.options for o in chosen) else None
    if term.kind == "number":
        if text in ("inf", "infinite", "perpetual", "unlimited", "never"):
            return math.inf
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    return None


def _numbers_in(text: str) -> set[float]:
    from retrieval.values import parse_number_words

    found = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    for words in re.findall(r"\b[a-z]+(?:[- ][a-z]+)*\b", text.lower()):
        value = parse_number_words(words)
        if value is not None:
            found.add(float(value))
    return found


def verify(answer: TermAnswer, term: MandateTerm, clauses: dict[str, Clause]) -> tuple[Any, str]:
    """The value an answer gives, or the reason it is rejected."""
    clause = clauses.get(answer.clause_id)
    if clause is None:
        return None, "cites a clause that is not in this document"
    if not answer.quote.strip() or _norm(answer.quote) not in _norm(clause.text):
        return None, "the quoted words are not in the cited clause"
    value = parse_value(term, answer.value)
    if value is None:
        return None, f"{answer.value!r} is not a value of this term"
    if term.kind == "number" and math.isfinite(value) and value not in _numbers_in(answer.quote):
        return None, f"the number {value:g} does not appear in the quoted words"
    return value, ""


def assist(review: Review, clauses: Sequence[Clause], mandate: Mandate, assistant: Assistant) -> AssistedReview:
    """Ask the model about the terms the review could not settle; apply only what survives :func:`verify`."""
    return settle(review, ask_open_terms(review, clauses, mandate, assistant), clauses, mandate, assistant)


def ask_open_terms(review: Review, clauses: Sequence[Clause], mandate: Mandate, assistant: Assistant) -> tuple[TermAnswer, ...]:
    """The model's answers for the terms the review left open (the one network call; nothing when none is open)."""
    open_terms = [f for f in review.findings if f.status in SETTLES]
    if not open_terms:
        return ()
    terms = {t.key: t for t in mandate.terms}
    spec = {f.term: {"label": f.label, "kind": terms[f.term].kind, "unit": terms[f.term].unit, "options": list(terms[f.term].options)} for f in open_terms}
    task = ("For each term below, read the contract and answer with the value the contract gives it, the id of the one clause "
            "that decides it and the exact words of that clause that decide it. Answer 'not addressed' when no clause decides it. "
            f"Terms: {spec}")
    return tuple(assistant.ask(TermAnswers, task, clauses, open_terms).answers)


def settle(review: Review, answers: Sequence[TermAnswer], clauses: Sequence[Clause], mandate: Mandate, assistant: Assistant) -> AssistedReview:
    """Apply the answers that survive :func:`verify` to the terms the review left open; record the rest."""
    open_keys = {f.term for f in review.findings if f.status in SETTLES}
    by_id = {c.id: c for c in clauses}
    terms = {t.key: t for t in mandate.terms}
    accepted, rejected, settled = [], [], {}
    for answer in answers:
        row = answer.model_dump()
        term = terms.get(answer.term)
        if term is None or answer.term not in open_keys:
            rejected.append({**row, "why": "not a term the review left open"})
            continue
        if answer.value.strip().lower() == "not addressed":
            continue
        value, why = verify(answer, term, by_id)
        if why:
            rejected.append({**row, "why": why})
            continue
        accepted.append(row)
        settled[term.key] = _finding(term, value, answer, by_id[answer.clause_id], assistant.model)
    disagreements = tuple(
        {"term": a.term, "llm_value": a.value, "desk_value": f.value_text}
        for a in answers
        for f in review.findings
        if a.term == f.term and f.status not in SETTLES
    )
    findings = tuple(settled.get(f.term, f) for f in review.findings)
    return AssistedReview(dataclasses.replace(review, findings=findings), tuple(accepted), tuple(rejected), disagreements,
                          assistant.model, assistant.settings.llm_endpoint_label)


def _finding(term: MandateTerm, value: Any, answer: TermAnswer, clause: Clause, model: str) -> Finding:
    status = judge(term, value)
    evidence = Evidence(clause.id, clause.location, answer.quote)
    value_text = format_value(term, value)
    explanation = (f"Proposal: {value_text}, read by the LLM ({model}) from “{' '.join(answer.quote.split())}” "
                   f"({clause.heading or 'clause'}, p. {clause.page}); the quote was checked against the clause. "
                   f"Mandate: preferred {format_value(term, term.preferred)}; walk-away {format_value(term, term.walk_away)}.")
    fallback = fill_fallback(term) if status in ("breaches_walk_away", "acceptable") else ""
    return Finding(term.key, term.label, status, value, value_text, (evidence,), explanation, fallback, term.weight,
                   reader=f"llm: {model} (quote verified against the cited clause)", confidence=0.6, assisted=True)
