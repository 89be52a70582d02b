"""The demo negotiation: a news publishers' collective and an AI company's proposal.

Seeding is idempotent (it ingests by content hash), so ``make run`` can call it
whenever the workspace is missing and a user can call it again safely.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from core.domain import Serializable
from core.paths import DEMO_DIR
from desk.audit import AuditEvent
from desk.mandate import load_mandate
from desk.workspace import Workspace

DEMO_MANDATE = DEMO_DIR / "mandate.toml"
DEMO_PROPOSAL = DEMO_DIR / "proposal.pdf"
DEMO_COMPARABLES = DEMO_DIR / "comparables"
DEMO_COUNTERPARTY = "Helix AI Labs, Inc."
DEMO_TITLE = "Content and Data Licence Agreement (Helix AI Labs draft, 16 Nov 2026)"


def comparable_deals() -> dict[str, str]:
    """File name -> deal name for the comparable contracts shipped with the demo."""
    listing = json.loads((DEMO_COMPARABLES / "deals.json").read_text(encoding="utf-8"))
    return {d["file"]: d["deal"] for d in listing["deals"]}


@dataclass(frozen=True)
class DemoSummary(Serializable):
    workspace: str
    mandate: str  # the version id of the demo mandate
    documents: int
    collective: str


#: how the demo stores files: ``ingest(paths, kind=…, deal=…, titles=…)`` (the Desk's own method)
Ingest = Callable[..., Any]


def seed_demo(ws: Workspace, ingest: Ingest, progress: Callable[[float, str], None] | None = None) -> DemoSummary:
    ws.init()
    mandate = load_mandate(DEMO_MANDATE)
    report = progress or (lambda f, m: None)
    with ws.writing():
        event = AuditEvent("mandate.save", {"note": "demo mandate", "terms": len(mandate.terms)})
        version = ws.save_mandate_text(DEMO_MANDATE.read_text(encoding="utf-8"), mandate.collective.name, note="demo mandate", event=event)
        ws.set_meta("counterparty", DEMO_COUNTERPARTY)
        ws.set_meta("proposal_deal", "Helix AI proposal")
        report(0.0, "ingesting the proposal")
        ingest([DEMO_PROPOSAL], kind="proposal", deal="Helix AI proposal", titles={DEMO_PROPOSAL.name: DEMO_TITLE})
        deals = comparable_deals()
        for n, (filename, deal) in enumerate(sorted(deals.items()), start=1):
            report(n / (len(deals) + 1), f"ingesting comparable: {deal}")
            ingest([DEMO_COMPARABLES / filename], kind="comparable", deal=deal, titles={filename: deal})
        ws.log(AuditEvent("demo", {"mandate": version}))
    report(1.0, "demo ready")
    return DemoSummary(str(ws.root), version, len(ws.documents()), mandate.collective.name)
