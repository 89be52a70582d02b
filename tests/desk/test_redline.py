"""Redlines: minimal word edits that reproduce both texts exactly."""

from desk.redline import changed_numbers, redline, similarity, to_html, to_markdown


def _old(edits):
    return "".join(e.text for e in edits if e.op != "insert")


def _new(edits):
    return "".join(e.text for e in edits if e.op != "delete")


def test_redline_reconstructs_both_sides_on_a_real_clause_pair():
    old = ("Not more than once in any period of twelve (12) months, the Trust may, on not less than thirty (30) days' "
           "prior written notice, appoint an independent certified public accountant to inspect the records.")
    new = ("Not more than once in any period of twelve (12) months, the Trust may, on not less than ten (10) days' "
           "prior written notice, appoint an independent auditor to inspect the records on site.")
    edits = redline(old, new)
    assert _old(edits) == old and _new(edits) == new
    deleted = " ".join(e.text for e in edits if e.op == "delete")
    inserted = " ".join(e.text for e in edits if e.op == "insert")
    assert "thirty" in deleted and "ten" in inserted and "twelve" not in deleted
    assert ("30", "10") in changed_numbers(old, new)
    assert 0.6 < similarity(old, new) < 1.0


def test_renderings_escape_and_mark():
    edits = redline("pay <USD 3,000,000>", "pay <USD 12,000,000>")
    html = to_html(edits)
    assert "&lt;" in html and "<del" in html and "<ins" in html
    md = to_markdown(edits)
    assert "~~" in md and "**" in md


# -- the review's fallback redline: drawn against the clause whose words decided the finding ---------


def _demo_review(workspace):
    from desk.service import Desk

    desk = Desk.open(workspace)
    return desk.review(desk.latest_proposal().id)


def _with_fallback(finding, status):
    import dataclasses

    return dataclasses.replace(finding, status=status, fallback=finding.fallback or "Licensee shall pay USD 12,000,000 per year.")


def test_the_fallback_is_redlined_against_the_first_evidence_clause(demo_workspace):
    import dataclasses

    result = _demo_review(demo_workspace)
    finding = next(f for f in result.review.findings if len({e.clause_id for e in f.evidence}) >= 2)
    ids = list(dict.fromkeys(e.clause_id for e in finding.evidence))
    for status in ("meets_preferred", "acceptable", "breaches_walk_away", "unclear"):
        for first in ids:  # whichever clause comes first decided it (evidence is ordered deciding-first)
            ordered = tuple(sorted(finding.evidence, key=lambda e: e.clause_id != first))
            f = dataclasses.replace(_with_fallback(finding, status), evidence=ordered)
            rl = result.redline(f)
            clause = result.clause(first)
            assert rl["against_clause"] == first == result.deciding_clause(f).id
            assert rl["against"] == {"clause_id": first, "heading": " ".join(clause.heading.split("\n")[0].split()),
                                     "page": clause.page, "start": clause.start, "end": clause.end}
            assert rl["edits"] == [{"op": e.op, "text": e.text} for e in redline(" ".join(clause.text.split()), f.fallback)]


def test_a_term_not_addressed_gets_its_fallback_as_a_new_clause_even_beside_the_closest_clauses(demo_workspace):
    result = _demo_review(demo_workspace)
    near = next(f for f in result.review.findings if f.evidence)  # "closest clauses, which do not decide it"
    f = _with_fallback(near, "not_addressed")
    rl = result.redline(f)
    assert result.deciding_clause(f) is None
    assert rl["against_clause"] is None and rl["against"] is None
    assert [e["op"] for e in rl["edits"]] == ["insert"] and rl["edits"][0]["text"] == f.fallback
    assert "<del" not in rl["html"]


def test_a_finding_without_a_fallback_has_no_redline(demo_workspace):
    import dataclasses

    result = _demo_review(demo_workspace)
    finding = dataclasses.replace(result.review.findings[0], fallback="")
    assert result.redline(finding) is None
