"""The negotiation at a glance: who we are, who sits across, what we hold, what next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pathlib import Path

from core.domain import Mandate, Serializable
from core.errors import DeskError, MandateError
from desk.mandate import load_mandate
from desk.workspace import DocumentRecord, Workspace


def active_mandate(ws: Workspace) -> Mandate | None:
    """The mandate version the workspace currently works with (the last saved)."""
    path = ws.active_mandate_path()
    if path is None or not path.exists():
        return None
    return load_mandate(path)


@dataclass(frozen=True)
class Overview(Serializable):
    workspace: str
    collective: dict[str, Any] | None
    mandate_version: str | None
    mandate_terms: int
    counterparty: str
    proposals: tuple[DocumentRecord, ...]
    comparables: tuple[DocumentRecord, ...]
    references: tuple[DocumentRecord, ...]
    next_steps: tuple[str, ...]
    problems: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "collective": self.collective,
            "mandate_version": self.mandate_version,
            "mandate_terms": self.mandate_terms,
            "counterparty": self.counterparty,
            "documents": {
                "proposal": [d.to_dict() for d in self.proposals],
                "comparable": [d.to_dict() for d in self.comparables],
                "reference": [d.to_dict() for d in self.references],
            },
            "next_steps": list(self.next_steps),
            "problems": list(self.problems),
        }


def overview(ws: Workspace) -> Overview:
    problems: list[str] = []
    mandate = None
    try:
        mandate = active_mandate(ws)
    except DeskError as exc:
        problems.append(f"the active mandate does not load: {exc}")
    docs = ws.documents()
    proposals = tuple(d for d in docs if d.kind == "proposal")
    comparables = tuple(d for d in docs if d.kind == "comparable")
    references = tuple(d for d in docs if d.kind == "reference")
    steps: list[str] = []
    if mandate is None:
        steps.append("Load or write the collective's mandate (Mandate page, or `desk demo` for the example).")
    if not proposals:
        steps.append("Ingest the AI company's proposal (Documents page, or `desk ingest FILE --kind proposal`).")
    if not comparables:
        steps.append("Add comparable deals: contracts you have seen (`desk ingest FILE --kind comparable --deal NAME`).")
    if mandate is not None and proposals:
        steps.append(f"Review '{proposals[-1].title}' against the mandate, term by term (Review page).")
        steps.append("Compare its clauses with precedent (Compare page) and check the market (Market page).")
        steps.append("Value the collective's data and prepare scenarios and counteroffers.")
    return Overview(
        workspace=str(ws.root),
        collective=mandate.collective.to_dict() if mandate else None,
        mandate_version=mandate.version if mandate else None,
        mandate_terms=len(mandate.terms) if mandate else 0,
        counterparty=ws.meta("counterparty") or "",
        proposals=proposals,
        comparables=comparables,
        references=references,
        next_steps=tuple(steps),
        problems=tuple(problems),
    )


def resolve_mandate(ws: Workspace, ref: str | Path | None) -> Mandate:
    """``--mandate``: a TOML path, a saved version (id or prefix), or the workspace's active mandate."""
    if ref:
        path = Path(ref)
        if path.exists():
            return load_mandate(path)
        for v in ws.mandate_versions():
            if len(str(ref)) >= 6 and v["version"].startswith(str(ref)):
                return load_mandate(ws.mandates_dir / f"{v['version']}.toml")
        raise MandateError(ref, "no such mandate file or saved version")
    mandate = active_mandate(ws)
    if mandate is None:
        raise MandateError(str(ws.root), "no mandate in this workspace; pass --mandate FILE or run `desk demo`")
    return mandate
