"""The review as users reach it: a stored or new document, a mandate, decisions, redlines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.audit import AuditLog
from desk.domain import Clause, Document, Finding
from desk.errors import DeskError
from desk.ingest import analyse_any
from desk.overview import resolve_mandate
from desk.redline import redline, to_html, to_markdown
from desk.review import Review, review
from desk.settings import Settings
from desk.workspace import Workspace

DECISIONS = ("accepted", "overridden", "escalated")


@dataclass(frozen=True)
class ReviewResult:
    review: Review
    document: Document
    clauses: tuple[Clause, ...]

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
        return payload


def run_review(settings: Settings, ref: str | Path, mandate_ref: str | None = None) -> ReviewResult:
    mandate = resolve_mandate(settings, mandate_ref)
    document, clauses = analyse_any(settings, ref)
    decisions = Workspace(settings.workspace).decisions(document.id)
    result = review(document, clauses, mandate, decisions=decisions)
    return ReviewResult(result, document, tuple(clauses))


def record_decision(settings: Settings, document_id: str, term: str, decision: str, reason: str = "", user: str = "") -> None:
    """A legal adviser's call on a finding; an override without a reason is refused."""
    if decision not in DECISIONS:
        raise DeskError(f"term '{term}'", f"decision must be one of {', '.join(DECISIONS)}")
    if decision == "overridden" and not reason.strip():
        raise DeskError(f"term '{term}'", "an override needs a reason, which is kept in the briefing pack and the audit log")
    ws = Workspace(settings.workspace)
    if not ws.exists():
        ws.init()
    from desk.audit import current_user

    who = user or current_user()
    ws.record_decision(document_id, term, decision, reason.strip(), who)
    AuditLog(ws.audit_path).append("review.decision", {"document": document_id, "term": term, "decision": decision, "reason": reason.strip()}, user=who)
