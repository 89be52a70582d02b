"""The Review page shows text from a document or a user as text, never as markup.

Driven with Streamlit's AppTest on a demo copy whose clause headings were
replaced by markup and whose decision reason is markup: the page's HTML must
carry them escaped (what a browser then shows literally), never as tags.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.conftest import REPO

REPO_MANDATE = REPO / "data" / "demo" / "mandate.toml"

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

    app = AppTest.from_file(str(REPO / "pages" / "review.py"), default_timeout=120).run()
    assert not app.exception, [e.message for e in app.exception]
    table = next(h.value for h in app.html if 'id="review-table"' in h.value)
    assert "&lt;img src=x onerror=alert(1)&gt;" in table and "<img" not in table
    assert "&lt;b&gt;x&lt;/b&gt;" in table and "<b>x</b>" not in table
    every_html = "".join(h.value for h in app.html)
    assert "<img" not in every_html and "onerror=alert(1)>" not in every_html
    # the recorded decision shows in the finding's panel too, escaped
    app.selectbox(key="review_term").set_value("exclusivity").run()
    panel = next(h.value for h in app.html if 'id="recorded-decision"' in h.value)
    assert "&lt;b&gt;x&lt;/b&gt;" in panel and "<b>x</b>" not in panel


# -- issue 13, item 6: a newcomer's trial of the Review page ------------------------------------------

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture()
def workspace(demo_workspace, monkeypatch):
    monkeypatch.setenv("DESK_HOME", str(demo_workspace))
    return demo_workspace


def _app():
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "pages" / "review.py"), default_timeout=120).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _select(app, term):
    app.selectbox(key="review_term").set_value(term).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _result(workspace):
    from desk.service import Desk

    desk = Desk.open(workspace)
    return desk.review(desk.latest_proposal().id)


def _table_rows(app):
    table = next(h.value for h in app.html if 'id="review-table"' in h.value)
    body = table.split("<tbody>", 1)[1]
    return [[html.unescape(re.sub(r"<[^>]+>", " ", cell)).split() for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def _visible_text(app):
    """What a person reads on the page (tags stripped), the widgets' labels and options included."""
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption] + [c.value for c in app.code]
    parts += [html.unescape(re.sub(r"<[^>]+>", " ", h.value)) for h in app.html]
    parts += [e.label for e in app.expander] + [str(m.value) for m in app.metric] + [m.label for m in app.metric]
    for box in app.selectbox:
        parts += [box.label, *map(str, box.options)]
    return "\n".join(parts)


def test_the_fallback_is_redlined_against_the_deciding_clause_and_the_page_names_it(workspace):
    from desk.markup import md

    result = _result(workspace)
    app = _app()
    checked = set()
    for finding in result.review.findings:
        if not finding.fallback:
            continue
        _select(app, finding.term)
        shown = next(h.value for h in app.html if 'id="redline"' in h.value)
        said = [m.value for m in app.markdown if m.value.startswith("**Fallback clause from the mandate")]
        assert len(said) == 1, said
        rl = result.redline(finding)
        assert shown.endswith(rl["html"] + "</div>")
        if finding.status == "not_addressed":
            assert rl["against_clause"] is None and "as a new clause" in said[0] and "<del" not in shown
        else:  # the clause of the first evidence item decided it: that is the clause to amend, by heading and page
            deciding = result.clause(finding.evidence[0].clause_id)
            assert rl["against_clause"] == deciding.id
            heading = " ".join(deciding.heading.split("\n")[0].split())
            assert f"redline against “{md(heading)}” (page {deciding.page})" in said[0], said[0]
        checked.add(finding.status)
    assert checked & {"breaches_walk_away", "acceptable", "unclear"}, checked


def test_rows_the_detail_picker_and_the_problem_lists_come_problems_first(workspace):
    result = _result(workspace)
    order = result.review.problems_first()
    app = _app()
    rows = _table_rows(app)
    assert [" ".join(r[0]) for r in rows] == [" ".join(f.label.split()) for f in order]
    statuses = [f.status for f in order]
    problems = ("breaches_walk_away", "unclear", "not_addressed")
    settled = [i for i, s in enumerate(statuses) if s not in problems]
    assert all(s in problems for s in statuses[: settled[0] if settled else len(statuses)])
    assert all(s not in problems for s in statuses[settled[0]:]) if settled else True
    weights = [f.weight for f in order if f.status in problems]
    assert weights == sorted(weights, reverse=True)  # heaviest first
    assert app.selectbox(key="review_term").options == [f"{f.label} · {_STATUS[f.status]}" for f in order]
    assert app.selectbox(key="review_term").value == order[0].term  # the heaviest problem is open first
    listed = next((m.value for m in app.markdown if m.value.startswith("**Most important problems:**")), "")
    from desk.markup import md

    positions = [listed.find(md(f.label)) for f in result.problems()[:3]]
    assert all(p > 0 for p in positions) and positions == sorted(positions), listed


_STATUS = {"meets_preferred": "Meets preferred", "acceptable": "Acceptable", "breaches_walk_away": "Breaches walk-away",
           "not_addressed": "Not addressed", "unclear": "Unclear"}


def test_values_read_as_people_write_them(workspace):
    from desk.service import Desk

    desk = Desk.open(workspace)
    text = (REPO_MANDATE).read_text(encoding="utf-8")
    # a use the mandate names that has no label of its own: shown in words, never as its id
    text = text.replace('options = ["display_rag", "fine_tuning", "training", "synthetic_data_generation"]',
                        'options = ["display_rag", "fine_tuning", "training", "speech_recognition", "synthetic_data_generation"]')
    text = text.replace('walk_away = ["display_rag", "fine_tuning", "training"]',
                        'walk_away = ["display_rag", "fine_tuning", "training", "speech_recognition"]')
    assert "speech_recognition" in text
    desk.save_mandate(text, note="a use without a label")
    app = _app()
    rows = {" ".join(r[0]): [" ".join(c) for c in r] for r in _table_rows(app)}
    cap = rows["Licensee liability cap (multiple of annual fees)"]
    assert cap[3:6] == ["3× annual fees", "1× annual fees", "0.5× annual fees"]
    uses = rows["Permitted uses of the licensed content"]
    assert uses[5] == "retrieval and display (RAG), fine-tuning, model training and speech recognition"
    fee = rows["Annual licence fee"]
    assert fee[3:6] == ["USD 12,000,000 per year", "USD 8,000,000 per year", "USD 5,000,000 per year"]
    for finding in _result(workspace).review.findings:
        _select(app, finding.term)
        seen = _visible_text(app)
        assert not SNAKE_CASE.findall(seen), (finding.term, sorted(set(SNAKE_CASE.findall(seen))))
        for label in (e.label for e in app.expander if e.label.startswith("Clause:")):
            chars = re.search(r"characters ([\d,]+)–([\d,]+)$", label)
            assert chars and all(len(n) < 4 or "," in n for n in chars.groups()), label


def test_the_recorded_decision_shows_in_the_findings_panel(workspace):
    from desk.service import Desk

    desk = Desk.open(workspace)
    proposal = desk.latest_proposal()
    desk.decide(proposal.id, "exclusivity", "overridden", "priced into the fee", user="Ada Lovelace")
    app = _select(_app(), "exclusivity")
    panels = [h.value for h in app.html if 'id="recorded-decision"' in h.value]
    assert len(panels) == 1
    panel = html.unescape(re.sub(r"<[^>]+>", " ", panels[0]))
    assert "Legal adviser's decision: overridden" in panel
    assert "Reason: priced into the fee" in panel
    assert re.search(r"Recorded by Ada Lovelace · \d{4}-\d\d-\d\d \d\d:\d\d UTC", panel), panel
    assert any("Change the legal adviser's decision" in m.value for m in app.markdown)
    # the table says it too; another finding's panel does not
    row = next(r for r in _table_rows(app) if " ".join(r[0]).startswith("Exclusive licence"))
    assert " ".join(row[7]) == "overridden: priced into the fee"
    other = next(f.term for f in desk.review(proposal.id).review.findings if f.term != "exclusivity")
    _select(app, other)
    assert not [h for h in app.html if 'id="recorded-decision"' in h.value]
