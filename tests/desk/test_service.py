"""The front door: one Desk per workspace owns its state; every method returns a typed result."""

from __future__ import annotations

import pytest

from core.errors import MandateError, NotAvailableError
from desk.service import AnalysedDocument, Desk, SearchResults
from tests.conftest import REPO

DEMO = REPO / "data" / "demo"


def test_open_reads_the_workspace_from_the_argument_then_desk_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))
    assert Desk.open().workspace.root == (tmp_path / "home").resolve()
    assert Desk.open(tmp_path / "given").workspace.root == (tmp_path / "given").resolve()


def test_two_desks_in_one_process_do_not_share_state(tmp_path):
    """What module-level caches got wrong: a second workspace must not see the first one's store or index."""
    first, second = Desk.open(tmp_path / "a"), Desk.open(tmp_path / "b")
    licence = tmp_path / "licence.txt"
    licence.write_text("1. GOVERNING LAW. This Agreement is governed by the laws of the State of New York.\n", encoding="utf-8")
    first.ingest([licence], kind="comparable", deal="A")
    assert first.search("which law governs", k=3).hits
    assert second.documents() == [] and not second.workspace.exists()
    assert first.open_store() is first.open_store() and first.searcher() is first.searcher()
    second.ingest([licence], kind="comparable", deal="B")
    assert second.open_store() is not first.open_store()
    assert {h.deal for h in second.search("which law governs", k=3).hits} == {"B"}


def test_results_are_typed_and_serialise_to_the_cli_shape(tmp_path):
    desk = Desk.open(tmp_path / "ws")
    analysed = desk.clauses(DEMO / "proposal.md")
    assert isinstance(analysed, AnalysedDocument) and analysed.clauses
    payload = analysed.to_dict()
    assert set(payload) == {"document", "clauses"} and payload["clauses"][0]["text"] == analysed.clauses[0].text
    result = desk.review(DEMO / "proposal.md", DEMO / "mandate.toml")
    assert result.mandate.collective.name and len(result.review.findings) == len(result.mandate.terms)
    firsts = [f.status for f in result.review.problems_first()]
    problems = [s in ("breaches_walk_away", "unclear", "not_addressed") for s in firsts]
    assert problems == sorted(problems, reverse=True), "problems come first"
    assert isinstance(desk.search("fee"), SearchResults)  # an empty workspace: no hits, no error


def test_a_workspace_without_a_mandate_says_so(tmp_path):
    with pytest.raises(MandateError, match="no mandate in this workspace"):
        Desk.open(tmp_path / "ws").mandate()


@pytest.mark.parametrize(
    ("call", "command"),
    [
        (lambda d: d.scenarios("p.pdf"), "scenarios"),
        (lambda d: d.counteroffer("p.pdf"), "counteroffer"),
        (lambda d: d.brief("p.pdf", "out.md"), "brief"),
        (lambda d: d.members("list"), "members"),
        (lambda d: d.add_user("ana", "negotiator"), "users"),
    ],
)
def test_capabilities_not_built_yet_say_so(tmp_path, call, command):
    with pytest.raises(NotAvailableError, match=f"^not available yet: {command}$"):
        call(Desk.open(tmp_path / "ws"))
