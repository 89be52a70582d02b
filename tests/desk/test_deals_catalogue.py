"""Hand-entered deals: validated field by field, normalised like the public table, marked as hand-entered."""

from __future__ import annotations

import pytest

from desk.deals_catalogue import ORIGIN_HAND, ORIGIN_PUBLIC, add_manual_deal, all_deals, hand_deals
from core.errors import DeskError
from desk.workspace import Workspace
from valuation.deals import load_deals, load_fx

GOOD = {
    "licensor": "Nordic Press Cooperative", "licensee": "Example AI Ltd", "announced": "2025-06",
    "value_low": 12_000_000, "value_high": 18_000_000, "currency": "EUR", "basis": "total_over_term", "term": "3",
    "uses": ["training", "display_rag"], "source_url": "https://example.org/press-release", "confidence": "medium (press estimate)",
    "sector": "news publishing", "data_type": "news articles", "deal": "Nordic Press - Example AI (2025)",
}


@pytest.fixture()
def ws(tmp_path):
    return Workspace(tmp_path / "workspace")


def test_hand_entered_deal_is_normalised_like_the_public_table_and_marked(ws):
    record = add_manual_deal(ws, GOOD)
    eur = load_fx().usd_per_unit["EUR"]
    # EUR 12-18 million over 3 years -> 4-6 million EUR a year, in USD at the table's fixed rate.
    assert record.deal.yearly_low_usd == pytest.approx(4_000_000 * eur)
    assert record.deal.yearly_high_usd == pytest.approx(6_000_000 * eur)
    assert record.hand_entered and record.origin == ORIGIN_HAND
    row = record.to_dict()
    assert row["hand_entered"] is True and row["source_url"] == GOOD["source_url"] and row["press_estimate"] is True
    assert row["use_training"] == "yes" and row["use_display_rag"] == "yes"
    deals = all_deals(ws)
    assert [d.origin for d in deals].count(ORIGIN_HAND) == 1
    assert sum(d.origin == ORIGIN_PUBLIC for d in deals) == len(load_deals())
    # Stored in the workspace: a fresh read gives the same figures.
    again = hand_deals(ws)[0]
    assert again.deal.yearly_low_usd == record.deal.yearly_low_usd and again.name == GOOD["deal"]


def test_undisclosed_value_needs_no_currency_or_basis(ws):
    fields = {k: v for k, v in GOOD.items() if k not in ("value_low", "value_high", "currency", "basis")}
    record = add_manual_deal(ws, {**fields, "undisclosed": True, "term": "multi-year"})
    assert record.deal.yearly_low_usd is None and record.deal.basis == "undisclosed" and record.deal.term_years is None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"licensor": ""}, "licensor"),
        ({"licensee": None}, "licensee"),
        ({"announced": "June 2025"}, "announced"),
        ({"announced": "2025-13"}, "announced"),
        ({"value_low": None, "value_high": None}, "value_low"),
        ({"value_low": "twelve million"}, "value_low"),
        ({"value_high": 1_000_000}, "value_high"),
        ({"currency": ""}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"basis": "per_decade"}, "basis"),
        ({"term": ""}, "term"),
        ({"term": "-2"}, "term"),
        ({"uses": []}, "uses"),
        ({"uses": ["weather forecasting"]}, "uses"),
        ({"source_url": "a friend told me"}, "source_url"),
        ({"confidence": "certain"}, "confidence"),
        ({"record_type": "handshake"}, "record_type"),
    ],
)
def test_missing_or_bad_fields_are_refused_with_the_field_named(ws, change, field):
    fields = {**GOOD, **change}
    with pytest.raises(DeskError) as err:
        add_manual_deal(ws, fields)
    assert err.value.subject == field, str(err.value)
    assert hand_deals(ws) == []  # nothing stored


def test_missing_key_is_named_too(ws):
    fields = dict(GOOD)
    del fields["source_url"]
    with pytest.raises(DeskError, match=r"^source_url: required"):
        add_manual_deal(ws, fields)
