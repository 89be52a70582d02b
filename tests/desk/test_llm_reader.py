"""The optional LLM reader, against a local stub server: verified answers settle open terms, nothing else."""

from __future__ import annotations

import pytest

from desk.llm import Assistant
from desk.llm_reader import assist
from desk.review import review
from desk.settings import load_settings
from retrieval.clauses import analyse_document
from retrieval.readers import read_bytes
from tests.desk.test_llm import MANDATE, stub  # noqa: F401 (the module's stub server fixture)

CONTRACT = """LICENCE TERMS

1. Fees. Licensee shall pay Licensor an annual licence fee of USD 3,000,000 per Contract Year.

2. Members. A Member's works will be taken out of the corpus within 45 days of the Member's request.

3. Governing Law. This Agreement shall be governed by the laws of the State of New York.
"""


@pytest.fixture(scope="module")
def reviewed():
    doc = read_bytes(CONTRACT.encode(), "terms.txt")
    clauses = analyse_document(doc)
    return doc, clauses, review(doc, clauses, MANDATE)


def _assistant(stub):
    return Assistant(load_settings("unused", {"DESK_LLM_BASE_URL": stub.url, "DESK_LLM_MODEL": "stub-model"}))


def _clause(clauses, words):
    return next(c for c in clauses if words in c.text)


def test_a_verified_answer_settles_an_open_term_and_is_marked(stub, reviewed):
    doc, clauses, result = reviewed
    open_terms = {f.term for f in result.findings if f.status in ("unclear", "not_addressed")}
    assert "most_favoured_nation" in open_terms
    members = _clause(clauses, "taken out of the corpus")
    stub.payload = {"answers": [
        {"term": "member_opt_out_days", "value": "45", "clause_id": members.id, "quote": "taken out of the corpus within 45 days"},
    ]}
    assert {f.term: f for f in result.findings}["member_opt_out_days"].status == "not_addressed"
    assisted = assist(result, clauses, MANDATE, _assistant(stub))
    after = {f.term: f for f in assisted.review.findings}["member_opt_out_days"]
    assert (after.value, after.status, after.assisted) == (45.0, "acceptable", True)
    assert after.evidence[0].clause_id == members.id and "stub-model" in after.reader


def test_a_quote_not_in_the_cited_clause_is_rejected(stub, reviewed):
    doc, clauses, result = reviewed
    fees = _clause(clauses, "annual licence fee")
    stub.payload = {"answers": [
        {"term": "most_favoured_nation", "value": "yes", "clause_id": fees.id, "quote": "Licensee grants the Trust most-favoured-nation pricing"},
        {"term": "member_opt_out_days", "value": "45", "clause_id": "no-such-clause", "quote": "within 45 days"},
        {"term": "deletion_days", "value": "15", "clause_id": fees.id, "quote": "USD 3,000,000 per Contract Year"},
    ]}
    assisted = assist(result, clauses, MANDATE, _assistant(stub))
    assert assisted.accepted == ()
    why = {r["term"]: r["why"] for r in assisted.rejected}
    assert why["most_favoured_nation"] == "the quoted words are not in the cited clause"
    assert why["member_opt_out_days"] == "cites a clause that is not in this document"
    assert why["deletion_days"] == "the number 15 does not appear in the quoted words"
    assert [f.status for f in assisted.review.findings] == [f.status for f in result.findings]


def test_a_verified_reading_is_never_overruled(stub, reviewed):
    doc, clauses, result = reviewed
    law = _clause(clauses, "governed by")
    stub.payload = {"answers": [{"term": "governing_law", "value": "california", "clause_id": law.id, "quote": "governed by"}]}
    assisted = assist(result, clauses, MANDATE, _assistant(stub))
    assert {f.term: f for f in assisted.review.findings}["governing_law"].value == ["new_york"]
    assert assisted.rejected[0]["why"] == "not a term the review left open"


def test_review_cli_assist_needs_an_endpoint(tmp_path, cli):
    path = tmp_path / "terms.txt"
    path.write_text(CONTRACT)
    result = cli("review", str(path), "--mandate", str(MANDATE.source), "--assist", workspace=tmp_path / "ws")
    assert result.code == 2 and result.err.startswith("error: LLM assistance: is off")
