"""The review as users reach it: the findings with the document and clauses they came from,
the legal advisers' decisions, and each fallback drafted as a redline of the deciding clause.

:meth:`desk.service.Desk.review` builds it; :meth:`desk.service.Desk.decide` records a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, get_args

from core.domain import PROBLEMS, Clause, Document, Finding, Mandate, Serializable
from core.errors import BadInputError
from desk.redline import redline, to_html, to_markdown

if TYPE_CHECKING:  # the review engine is loaded when a review is made, not when the CLI starts
    from desk.review import Review

DecisionKind = Literal["accepted", "overridden", "escalated"]
DECISIONS: tuple[str, ...] = get_args(DecisionKind)

#: each status as people say it (the ids stay in JSON)
STATUS_WORDS: dict[str, str] = {
    "meets_preferred": "meets preferred",
    "acceptable": "acceptable",
    "breaches_walk_away": "breaches walk-away",
    "not_addressed": "not addressed",
    "unclear": "unclear",
}
#: statuses decided by the words of a clause: the finding's first evidence item (the engine orders
#: evidence deciding-first). A term the proposal does not address has no such clause: the evidence
#: it may carry is the closest clauses, which decide nothing, so its fallback is a new clause.
DECIDED_BY_A_CLAUSE = ("meets_preferred", "acceptable", "breaches_walk_away", "unclear")


@dataclass(frozen=True)
class Decision(Serializable):
    """A legal adviser's call on one finding of one document."""

    document: str
    term: str
    decision: DecisionKind
    reason: str = ""
    user: str = ""

    @classmethod
    def checked(cls, document: str, term: str, decision: str, reason: str = "", user: str = "") -> "Decision":
        """The decision, or a one-line error: an unknown decision, or an override without a reason."""
        if decision not in DECISIONS:
            raise BadInputError(f"term '{term}'", f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        if decision == "overridden" and not reason.strip():
            raise BadInputError(f"term '{term}'", "an override needs a reason, which is kept in the briefing pack and the audit log")
        return cls(document, term, decision, reason.strip(), user)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RecordedDecision:
    """A decision as recorded in the workspace, for showing beside its finding."""

    decision: str
    reason: str = ""
    user: str = ""
    at: float | None = None  # seconds since the epoch

    @property
    def short(self) -> str:
        """One line for a table cell: "overridden: priced in"."""
        return self.decision + (f": {self.reason}" if self.reason else "")

    @property
    def when(self) -> str:
        """When it was recorded, in UTC ("2025-03-14 09:26 UTC"); empty when unknown."""
        if self.at is None:
            return ""
        return datetime.fromtimestamp(self.at, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class ReviewResult(Serializable):
    review: Review
    document: Document
    clauses: tuple[Clause, ...]
    mandate: Mandate
    assistance: dict[str, Any] | None = None  # what the optional LLM reader settled and rejected (desk.llm_reader)

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def problems(self) -> tuple[Finding, ...]:
        """The findings a negotiator must act on (breaches, unclear, not addressed), in
        :meth:`Review.problems_first` order: heaviest first."""
        return tuple(f for f in self.review.problems_first() if f.status in PROBLEMS)

    def deciding_clause(self, finding: Finding) -> Clause | None:
        """The clause whose words decided ``finding``: that of its first evidence item, for a finding
        with a value or an unclear one; ``None`` for a term the proposal does not address."""
        if finding.status not in DECIDED_BY_A_CLAUSE or not finding.evidence:
            return None
        return self.clause(finding.evidence[0].clause_id)

    def decision(self, term: str) -> RecordedDecision | None:
        """The legal adviser's recorded decision on ``term``, if any."""
        row = self.review.decisions.get(term)
        if not row:
            return None
        at = row.get("at")
        return RecordedDecision(
            str(row.get("decision", "")), str(row.get("reason") or ""), str(row.get("user") or ""),
            float(at) if isinstance(at, (int, float)) and not isinstance(at, bool) else None,
        )

    def redline(self, finding: Finding) -> dict[str, Any] | None:
        """The fallback as a minimal edit of the deciding clause (:meth:`deciding_clause`), or as a new
        clause when there is none; ``against`` names that clause (id, heading, page) for the reader."""
        if not finding.fallback:
            return None
        base = self.deciding_clause(finding)
        old = base.text if base else ""
        edits = redline(" ".join(old.split()), finding.fallback)
        return {
            "against_clause": base.id if base else None,
            "against": {
                "clause_id": base.id, "heading": " ".join((base.heading or "").split("\n")[0].split()),
                "page": base.page, "start": base.start, "end": base.end,
            } if base else None,
            "html": to_html(edits),
            "markdown": to_markdown(edits),
            "edits": [{"op": e.op, "text": e.text} for e in edits],
        }

    def to_dict(self) -> dict[str, Any]:
        payload = self.review.to_dict()
        findings = {f.term: f for f in self.review.findings}
        for row in payload["findings"]:
            rl = self.redline(findings[row["term"]])
            row["redline"] = {"against_clause": rl["against_clause"], "markdown": rl["markdown"]} if rl else None
        payload["document"]["pages"] = self.document.page_count
        # what the reader left out or repaired (hidden text, encodings): a reviewer must know the file held it
        payload["document"]["warnings"] = list(self.document.warnings)
        if self.assistance is not None:
            payload["assistance"] = self.assistance
        return payload
