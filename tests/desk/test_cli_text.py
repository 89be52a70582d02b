"""The CLI's text output is built from the same typed results as --json."""

from desk import cli_text


def test_review_text_marks_each_status_and_lists_the_problems():
    payload = {
        "document": {"title": "Draft"}, "mandate": {"name": "Trust", "version": "abcdef1234567890"},
        "findings": [
            {"label": "Governing law", "status": "meets_preferred", "value_text": "England and Wales", "evidence": [], "weight": 0.5},
            {"label": "Exclusivity", "status": "not_addressed", "value_text": "not addressed", "evidence": [], "weight": 0.2},
            {"label": "Annual fee", "status": "breaches_walk_away", "value_text": "USD 1,000,000 per year",
             "evidence": [{"page": 3, "heading": "6.1 Annual Licence Fee"}], "weight": 0.3},
        ],
        "summary": {"counts": {"breaches_walk_away": 1, "meets_preferred": 1, "not_addressed": 1},
                    "top_problems": [{"label": "Annual fee", "status": "breaches_walk_away", "weight": 0.3}]},
    }
    lines = cli_text.review_text(payload).splitlines()
    assert lines[0] == "Draft against Trust (mandate abcdef123456)"
    # problems first, heaviest first, as on the Review page; statuses in words
    assert lines[1].startswith("XX  Annual fee") and "breaches walk-away" in lines[1] and "p3 6.1 Annual Licence Fee" in lines[1]
    assert lines[2].startswith("--  Exclusivity") and "not addressed" in lines[2]
    assert lines[3].startswith("OK  Governing law") and "meets preferred" in lines[3]
    assert lines[4] == "breaches walk-away: 1 · meets preferred: 1 · not addressed: 1"
    assert lines[-1] == "problem: Annual fee (breaches walk-away, weight 0.30)"
    assert "_" not in cli_text.review_text(payload)


def test_search_text_says_when_nothing_matched():
    assert cli_text.search_text({"hits": []}) == "no matching clauses"
