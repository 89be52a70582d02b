"""Clause comparison: real clause pairs, a workspace of real CUAD contracts, and the demo.

The CUAD workspace is built from the lawyers' own clause labels (not from our
classifier), so neighbour quality is measured against ground truth; the demo
test runs the whole pipeline (reader, segmenter, classifier, store) end to end.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from core.domain import Clause, Document, Page
from desk.compare import (
    category_agreement,
    content_words,
    difference_summary,
    key_phrases,
    value_differences,
)
from desk.redline import redline
from desk.service import Desk
from desk.workspace import DocumentRecord, Workspace

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CUAD = SHARED / "cuad" / "cuad_train.jsonl"

# Two real audit clauses (CUAD train): 15 days' notice vs 30 days' notice.
ITHEMART_AUDIT = (
    "Any such inspection will be conducted in a manner that does not unreasonably interfere with i-Escrow's "
    "business activities and with no less than fifteen (15) days notice."
)
MALL_AUDIT = (
    "HDI's General Manager (as hereinafter defined), may upon no less than thirty (30) days prior written notice "
    "to the Company, have the right to inspect the records of the Company's General Manager reasonably related to "
    "the calculation of such payments during the Company's normal business hours."
)


def _clause(doc_id: str, text: str, start: int, categories: tuple[str, ...] = ()) -> Clause:
    from core.domain import CategoryScore
    from retrieval.values import extract_values

    return Clause(
        id=f"{doc_id[:16]}:{start}-{start + len(text)}", document_id=doc_id, heading="", text=text, page=1,
        start=start, end=start + len(text), categories=tuple(CategoryScore(c, 1.0) for c in categories),
        values=tuple(extract_values(text, offset=start)),
    )


def test_real_audit_pair_diff_names_the_notice_periods_and_missing_inspection_terms():
    ours = _clause("a" * 64, ITHEMART_AUDIT, 0, ("Audit Rights",))
    theirs = _clause("b" * 64, MALL_AUDIT, 100, ("Audit Rights",))
    diffs = value_differences(ours, theirs)
    assert [(d["label"], d["ours"], d["theirs"]) for d in diffs] == [("notice", 15.0, 30.0)]
    edits = redline(MALL_AUDIT, ITHEMART_AUDIT)
    missing = key_phrases(edits, "delete", frozenset(content_words(ITHEMART_AUDIT)), lambda w: 1.0, limit=20)
    # The precedent lets the licensor inspect the records; ours does not say so. Party names are not phrases.
    assert any("inspect the records" in p for p in missing), missing
    assert not any("hdi" in p for p in missing), missing
    added = key_phrases(edits, "insert", frozenset(content_words(MALL_AUDIT)), lambda w: 1.0, limit=20)
    assert any("unreasonably interfere" in p for p in added), added
    summary = difference_summary("Mall deal", diffs, [], ["inspect the records"], [], (), (), identical=False)
    assert summary == "notice fifteen (15) days vs thirty (30) days in Mall deal; missing: inspect the records"


def test_numbers_and_similarity_from_one_redline_agree_with_desk_redline():
    from desk.compare import numbers_from_edits, similarity_from_edits
    from desk.redline import changed_numbers, similarity

    pairs = [(MALL_AUDIT, ITHEMART_AUDIT), (ITHEMART_AUDIT, ITHEMART_AUDIT.replace("fifteen (15)", "ten (10)"))]
    for old, new in pairs:
        edits = redline(old, new)
        assert numbers_from_edits(edits) == changed_numbers(old, new)
        assert similarity_from_edits(edits) == pytest.approx(similarity(old, new), abs=0.05)
    assert numbers_from_edits(redline(pairs[1][0], pairs[1][1])) == [("15", "10")]


def test_section_numbers_are_not_changed_numbers():
    from desk.compare import substantive_numbers

    old, new = "6.1.3 Either party may terminate on 30 days notice.", "12.1 Either party may terminate on 60 days notice."
    assert substantive_numbers([("6.1.3", "12.1"), ("30", "60")], old, new) == [("30", "60")]
    assert substantive_numbers([("5", "1,500")], "a" * 20, "b" * 20) == [("5", "1,500")]


def test_identical_clauses_are_not_material_and_say_so():
    assert difference_summary("X", [], [], [], [], (), (), identical=True) == "same wording as in X"
    assert category_agreement([], []) == 0.5
    assert category_agreement(["Audit Rights"], []) == 0.0
    assert category_agreement(["Audit Rights", "Governing Law"], ["Audit Rights"]) == 0.5


# ----------------------------------------------------------------- CUAD workspace
COMPARABLES = {
    "FulucaiProductionsLtd_20131223_10-Q_EX-10.9_8368347_EX-10.9_Content License Agreement": "Fulucai (2013)",
    "IdeanomicsInc_20160330_10-K_EX-10.26_9512211_EX-10.26_Content License Agreement": "Ideanomics (2016)",
    "GopageCorp_20140221_10-K_EX-10.1_8432966_EX-10.1_Content License Agreement": "Gopage (2014)",
}
PROPOSAL = "DataCallTechnologies_20060918_SB-2A_EX-10.9_944510_EX-10.9_Content License Agreement"
REFERENCE = "MidwestEnergyEmissionsCorp_20080604_8-K_EX-10.2_3093976_EX-10.2_Content License Agreement"


def _cuad_rows() -> dict[str, dict]:
    assert CUAD.is_file(), f"shared CUAD data missing: {CUAD}"
    wanted = {f"cuad::{k}" for k in (*COMPARABLES, PROPOSAL, REFERENCE)}
    rows = {}
    with CUAD.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in wanted:
                rows[row["id"].removeprefix("cuad::")] = row
    assert set(rows) == {k.removeprefix("cuad::") for k in wanted}
    return rows


def _store_cuad_document(ws: Workspace, store, row: dict, kind: str, deal: str) -> list[Clause]:
    """A CUAD contract as a stored document whose clauses are the lawyers' labelled spans."""
    import hashlib

    from core.domain import CategoryScore
    from retrieval.values import extract_values

    text = row["text"]
    doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()
    document = Document(id=doc_id, title=row["id"][6:60], kind=kind, text=text, pages=(Page(1, 0, len(text)),), deal=deal, format="txt")
    spans: dict[tuple[int, int], set[str]] = {}
    for c in row["clauses"]:
        if c["category"] in ("Document Name", "Parties", "Agreement Date", "Effective Date") or len(c["answer_text"]) < 40:
            continue
        spans.setdefault((c["answer_start"], c["answer_start"] + len(c["answer_text"])), set()).add(c["category"])
    clauses = [
        Clause(
            id=f"{doc_id[:16]}:{s}-{e}", document_id=doc_id, heading="", text=text[s:e], page=1, start=s, end=e,
            categories=tuple(CategoryScore(n, 1.0) for n in sorted(cats)), values=tuple(extract_values(text[s:e], offset=s)),
        )
        for (s, e), cats in sorted(spans.items())
    ]
    ws.store_analysis(doc_id, {"document": document.to_dict(), "clauses": [c.to_dict() for c in clauses]})
    store.add_clauses(document, clauses)
    ws.commit_document(DocumentRecord(doc_id, document.title, kind, deal, f"{doc_id}.txt", "txt", 1, len(text), len(clauses), time.time()))
    return clauses


@pytest.fixture(scope="module")
def cuad_workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("cuad") / "workspace"
    desk = Desk.open(root)
    ws = desk.workspace.init()
    store = desk.open_store()
    rows = _cuad_rows()
    for key, deal in COMPARABLES.items():
        _store_cuad_document(ws, store, rows[key], "comparable", deal)
    _store_cuad_document(ws, store, rows[REFERENCE], "reference", "Midwest")
    proposal = _store_cuad_document(ws, store, rows[PROPOSAL], "proposal", "Data Call")
    return desk, proposal


def test_neighbours_come_from_comparables_only_and_never_from_the_document_itself(cuad_workspace):
    desk, proposal = cuad_workspace
    result = desk.compare(proposal[0].document_id, k=3)
    assert len(result.clauses) == len(proposal)
    deals = {n.deal for c in result.clauses for n in c.neighbours}
    assert deals <= set(COMPARABLES.values()) and deals, deals
    assert all(len(c.neighbours) == 3 for c in result.clauses)
    assert {c["deal"] for c in result.comparables} == set(COMPARABLES.values())
    payload = json.loads(json.dumps(result.to_dict()))  # JSON-ready
    first = payload["clauses"][0]["neighbours"][0]
    for key in ("document_id", "deal", "clause_id", "similarity", "redline", "changed_numbers", "summary", "material"):
        assert key in first


def test_nearest_precedent_is_of_the_same_kind_on_lawyer_labelled_clauses(cuad_workspace):
    desk, proposal = cuad_workspace
    result = desk.compare(proposal[0].document_id, k=3)
    checked = []
    for row in result.clauses:
        if len(row.categories) == 1 and row.categories[0] in ("Governing Law", "Audit Rights", "License Grant", "Expiration Date", "Renewal Term"):
            checked.append((row.categories[0], row.categories[0] in row.neighbours[0].categories))
    assert len(checked) >= 5, checked
    assert sum(ok for _, ok in checked) / len(checked) >= 0.8, checked


def test_filters_deal_category_and_material_only(cuad_workspace):
    desk, proposal = cuad_workspace
    doc_id = proposal[0].document_id
    only = desk.compare(doc_id, k=2, deal="Gopage (2014)")
    assert {n.deal for c in only.clauses for n in c.neighbours} == {"Gopage (2014)"}
    audit = desk.compare(doc_id, category="Audit Rights")
    assert audit.clauses and all("Audit Rights" in c.categories for c in audit.clauses)
    material = desk.compare(doc_id, material_only=True)
    assert all(c.material for c in material.clauses)
    assert len(material.clauses) <= len(desk.compare(doc_id).clauses)


def test_a_file_on_disk_is_compared_without_storing_it(cuad_workspace, tmp_path):
    desk, _ = cuad_workspace
    path = tmp_path / "draft.txt"
    path.write_text(
        "1. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the State of New York.\n\n"
        "2. Audit. Licensor may audit Licensee's books and records once a year on thirty (30) days' notice.\n",
        encoding="utf-8",
    )
    before = len(desk.workspace.documents())
    result = desk.compare(path, k=1)
    assert len(desk.workspace.documents()) == before
    assert result.clauses and all(c.neighbours for c in result.clauses)


# ----------------------------------------------------------------- the demo, end to end
MAIN_CLAUSES = {  # the proposal's main clauses (by heading) -> the kinds its nearest precedent may be
    "2.1 Training Licence": ("License Grant",),
    "3.1 Initial Term": ("Expiration Date", "Renewal Term"),
    "6.1 Annual Licence Fee": ("Minimum Commitment", "Revenue/Profit Sharing", "Compensation"),
    "8.4 Audit": ("Audit Rights",),
    "12.1 Termination for Breach": ("Termination For Convenience",),
    "17.1 Governing Law": ("Governing Law",),
}


def test_demo_main_clauses_have_neighbours_of_the_same_kind(demo_workspace):
    desk = Desk.open(demo_workspace)
    ws = desk.workspace
    proposal = ws.documents(kind="proposal")[0]
    result = desk.compare(proposal.id, k=3)
    assert len(result.comparables) == 3
    report = []
    for fragment, kinds in MAIN_CLAUSES.items():
        rows = [c for c in result.clauses if c.heading.startswith(fragment) and c.neighbours]
        assert rows, f"no proposal clause headed {fragment!r}"
        row = rows[0]
        best = row.neighbours[0]
        report.append((fragment, row.heading, best.heading, best.categories, round(best.similarity, 3)))
        assert set(best.categories) & set(kinds), report[-1]
        assert best.deal in {c["deal"] for c in result.comparables}
    print(report)
    law = next(c for c in result.clauses if c.heading.startswith("17.1"))
    by_deal = {n.deal.split(" - ")[0]: n for n in law.neighbours}
    # California law in the proposal; Ontario law in the EuroMedia licence, California in WPT-Zynga's.
    assert "law of California vs Ontario" in by_deal["EuroMedia"].summary, by_deal["EuroMedia"].summary
    assert "law of" not in by_deal["WPT Enterprises"].summary
    audit = next(c for c in result.clauses if c.heading.startswith("8.4"))
    datacall = next(n for n in audit.neighbours if n.deal.startswith("Data Call"))
    # Audit costs shift at a 5% underpayment in the proposal, at 10% in the Data Call licence.
    assert "underpayment five percent (5%) vs ten (10) percent" in datacall.summary and datacall.material
