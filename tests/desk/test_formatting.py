"""Values read as people write them: option ids in words, thousands separators, multiples as "1× annual fees".

The ids and numbers stay as they are in ``--json``; only what people read changes.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from desk.mandate import OPTION_LABELS, fill_fallback, format_value, load_mandate, option_label, placeholder_values
from tests.conftest import REPO

DEMO_MANDATE = REPO / "data" / "demo" / "mandate.toml"
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def mandate():
    return load_mandate(DEMO_MANDATE)


@pytest.mark.parametrize("value, shown", [(1, "1× annual fees"), (2.5, "2.5× annual fees"), (0.5, "0.5× annual fees"), (3.0, "3× annual fees")])
def test_a_liability_cap_multiple_reads_as_a_multiple_of_the_fees(mandate, value, shown):
    term = mandate.term("liability_cap_multiple")
    assert term.unit == "times annual fees"  # the demo's unit, as the mandate writes it
    assert format_value(term, value) == shown


@pytest.mark.parametrize("unit, shown", [
    ("x annual fees", "2.5× annual fees"), ("× annual fees", "2.5× annual fees"), ("X the fees paid", "2.5× the fees paid"),
    ("multiple of annual fees", "2.5× annual fees"), ("times", "2.5×"), ("x", "2.5×"),
])
def test_every_way_of_writing_a_multiple_reads_the_same(mandate, unit, shown):
    term = dataclasses.replace(mandate.term("liability_cap_multiple"), unit=unit)
    assert format_value(term, 2.5) == shown


def test_a_multiple_keeps_the_bare_amount_and_words_for_fallback_language(mandate):
    term = mandate.term("liability_cap_multiple")
    fields = placeholder_values(term, 3)
    assert fields["amount"] == "3" and fields["value_words"] == "three" and fields["unit"] == "times annual fees"
    assert "shall not exceed 3 times the fees paid or payable" in fill_fallback(term)  # the demo's {amount} is untouched


def test_a_unit_that_only_starts_with_x_is_not_a_multiple(mandate):
    term = dataclasses.replace(mandate.term("liability_cap_multiple"), unit="xylophones")
    assert format_value(term, 1200) == "1,200 xylophones"


def test_money_and_counts_carry_thousands_separators(mandate):
    assert format_value(mandate.term("annual_fee"), 12_000_000) == "USD 12,000,000 per year"
    assert format_value(mandate.term("annual_fee"), 1_234_567.5) == "USD 1,234,567.5 per year"
    count = dataclasses.replace(mandate.term("annual_fee"), unit="articles")
    assert format_value(count, 1_200_000) == "1,200,000 articles"
    assert format_value(dataclasses.replace(count, unit=""), 1_400_000_000) == "1,400,000,000"
    assert format_value(mandate.term("audit_notice_days"), 1500) == "1,500 days"


def test_an_option_id_outside_the_labels_reads_as_words(mandate):
    assert "speech_recognition" not in OPTION_LABELS
    assert option_label("speech_recognition") == "speech recognition"
    assert option_label("display_rag") == OPTION_LABELS["display_rag"]
    assert option_label("other:speech_recognition") == "speech recognition (not an option of the mandate)"
    term = dataclasses.replace(
        mandate.term("permitted_uses"),
        options=("display_rag", "speech_recognition", "voice__cloning"),
    )
    shown = format_value(term, ["display_rag", "speech_recognition", "voice__cloning"])
    assert shown == "retrieval and display (RAG), speech recognition and voice cloning"
    assert not SNAKE_CASE.search(shown)
    assert format_value(term, "speech_recognition") == "speech recognition"


def test_every_demo_position_reads_without_ids(mandate):
    for term in mandate.terms:
        for position in (term.preferred, term.acceptable, term.walk_away):
            shown = format_value(term, position)
            assert not SNAKE_CASE.search(shown), (term.key, shown)


def test_review_text_output_has_no_ids_and_json_keeps_them(cli, demo_workspace):
    args = ("review", str(REPO / "data" / "demo" / "proposal.pdf"), "--mandate", str(DEMO_MANDATE))
    text = cli(*args, workspace=demo_workspace)
    assert text.code == 0, text.err
    assert not SNAKE_CASE.findall(text.out), SNAKE_CASE.findall(text.out)
    body = [line for line in text.out.splitlines()[1:] if line[:4] in ("XX  ", "??  ", "--  ", "~   ", "OK  ")]
    statuses = [line[:4] for line in body]
    first_settled = next((i for i, s in enumerate(statuses) if s in ("~   ", "OK  ")), len(statuses))
    assert all(s in ("~   ", "OK  ") for s in statuses[first_settled:]), "problems first"
    payload = cli(*args, "--json", workspace=demo_workspace).json()
    assert {f["status"] for f in payload["findings"]} <= {"meets_preferred", "acceptable", "breaches_walk_away", "not_addressed", "unclear"}
    assert [f["term"] for f in payload["findings"]] == [t.key for t in load_mandate(DEMO_MANDATE).terms]  # JSON: mandate order
    uses = next(f for f in payload["findings"] if f["term"] == "permitted_uses")
    options = load_mandate(DEMO_MANDATE).term("permitted_uses").options
    assert all(o in options or o.startswith("other:") for o in uses["value"] or [])  # ids, not words
