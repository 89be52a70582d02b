"""The review as users reach it: the findings with the document and clauses they came from,
the legal advisers' decisions, and each fallback drafted as a redline of the deciding clause.

:meth:`desk.service.Desk.review` builds it; :meth:`desk.service.Desk.decide` records a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from core.domain import Clause, Document, Finding, Mandate, Serializable
from core.errors import BadInputError
from desk.redline import redline, to_html, to_markdown
from desk.review import Review

DecisionKind = Literal["accepted", "overridden", "escalated"]
DECISIONS: tuple[str, ...] = get_args(DecisionKind)


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
class ReviewResult(Serializable):
    review: Review
    document: Document
    clauses: tuple[Clause, ...]
    mandate: Mandate

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def redline(self, finding: Finding) -> dict[str, Any] | None:
        """The fallback as a minimal edit of the proposal's deciding clause (or plain, when absent)."""
        if not finding.fallback:
            return None
        base = self.clause(finding.evidence[0].clause_id) if finding.evidence else None
        old = base.text if base else ""
        edits = redline(" ".join(old.split()), finding.fallback)
        return {
            "against_clause": base.id if base else None,
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
        return payload
