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
