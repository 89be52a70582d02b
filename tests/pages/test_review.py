"""The Review page shows text from a document or a user as text, never as markup.

Driven with Streamlit's AppTest on a demo copy whose clause headings were
replaced by markup and whose decision reason is markup: the page's HTML must
carry them escaped (what a browser then shows literally), never as tags.
"""

from __future__ import annotations

import json

import pytest

HOSTILE_HEADING = "<img src=x onerror=alert(1)>"
HOSTILE_REASON = "<b>x</b>"


@pytest.fixture()
def hostile_workspace(demo_workspace, monkeypatch):
    from desk.service import Desk

    desk = Desk.open(demo_workspace)
    proposal = desk.latest_proposal()
    path = desk.workspace.analysis_path(proposal.id)
    payload = json.loads(path.read_text(encoding="utf-8"))
    for clause in payload["clauses"]:
        clause["heading"] = HOSTILE_HEADING
    path.write_text(json.dumps(payload), encoding="utf-8")
    desk.decide(proposal.id, "exclusivity", "overridden", HOSTILE_REASON)
    monkeypatch.setenv("DESK_HOME", str(demo_workspace))
    return demo_workspace


def test_a_heading_and_a_reason_holding_markup_are_shown_as_text(hostile_workspace):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    app = AppTest.from_file(str(REPO / "pages" / "review.py"), default_timeout=120).run()
    assert not app.exception, [e.message for e in app.exception]
    table = next(h.value for h in app.html if 'id="review-table"' in h.value)
    assert "&lt;img src=x onerror=alert(1)&gt;" in table and "<img" not in table
    assert "&lt;b&gt;x&lt;/b&gt;" in table and "<b>x</b>" not in table
    every_html = "".join(h.value for h in app.html)
    assert "<img" not in every_html and "onerror=alert(1)>" not in every_html
