"""The market view: record types kept apart, ranges kept, counts said, small samples said small.

Normalisation itself is checked by hand-computed values in tests/test_valuation_deals.py
(``test_normalisation_by_hand_on_real_rows``); here we check that the view carries
those figures through unchanged and places the proposal honestly.
"""

from __future__ import annotations

import json
import statistics

import pytest

from core.errors import DeskError
from desk.market import _position, describe
from desk.service import Desk
from valuation.deals import LICENCE_TYPES, load_deals


@pytest.fixture()
def desk(tmp_path):
    return Desk.open(tmp_path / "workspace")


def test_every_public_deal_is_listed_with_its_source_confidence_and_normalised_range(desk):
    view = desk.market()
    deals = {d.deal_id: d for d in load_deals()}
    rows = {r["deal_id"]: r for r in view.deals}
    assert set(rows) == set(deals)
    for deal_id, d in deals.items():
        row = rows[deal_id]
        assert row["source_url"] == d.source_url and row["confidence_text"] == d.confidence and row["origin"] == "public"
        assert (row["yearly_low_usd"], row["yearly_high_usd"]) == (d.yearly_low_usd, d.yearly_high_usd)
    # D02 is an aggregate of several deals: listed, labelled, never in the licence statistics.
    assert rows["D02"]["record_type_label"].startswith("Aggregate") and rows["D02"]["in_statistics"] is False
    # D03 "more than $250 million over five years": a lower bound, kept as one.
    assert rows["D03"]["yearly_low_usd"] == pytest.approx(50e6) and rows["D03"]["yearly_high_usd"] is None
    assert "settlement_not_licence" in view.groups and view.groups["settlement_not_licence"]["in_statistics"] is False
    assert {g for g, v in view.groups.items() if v["in_statistics"]} <= set(LICENCE_TYPES)
    stats = view.statistics["yearly_value_usd"]
    expected = [d.yearly_mid_usd for d in deals.values() if d.record_type in LICENCE_TYPES and d.has_yearly]
    assert stats["n"] == len(expected) and stats["median"] == pytest.approx(statistics.median(expected))
    json.dumps(view.to_dict())


def test_filters_by_sector_year_data_type_and_use(desk):
    news = desk.market(sector="news")
    assert news.deals and all("news" in r["sector"] for r in news.deals)
    y2024 = desk.market(year=2024)
    assert y2024.deals and all(r["year"] == 2024 for r in y2024.deals)
    display = desk.market(use="display_rag")
    assert display.deals and all(r["use_display_rag"].lower().startswith("yes") for r in display.deals)
    images = desk.market(data_type="image")
    assert images.deals and all("image" in r["data_type"].lower() for r in images.deals)
    with pytest.raises(DeskError, match="^use: "):
        desk.market(use="weather")


def test_small_samples_are_said_to_be_small_with_no_spurious_percentile(desk):
    news = desk.market(sector="news publishing")
    stats = news.statistics["yearly_value_usd"]
    assert stats["n"] < 5 and "p25" not in stats and stats["note"].startswith("small sample")
    forever = _position([2, 3, 5], float("inf"), "licence terms")
    assert forever["above"] == 0 and forever["percentile"] is None and "small sample" in forever["note"]
    tiny = _position([10e6, 20e6], 15e6, "licences")
    assert tiny["percentile"] is None and tiny["small_sample"] and tiny["n"] == 2 and tiny["below"] == 1
    enough = _position([1, 2, 3, 4, 5, 6], 3.5, "licences")
    assert enough["percentile"] == pytest.approx(50.0) and enough["n"] == 6
    assert describe([], "licences", "USD")["n"] == 0


def test_hand_entered_deal_joins_the_view_marked_and_enters_the_statistics(desk):
    before = desk.market(sector="news publishing").statistics["yearly_value_usd"]["n"]
    desk.add_deal({
        "licensor": "Nordic Press Cooperative", "licensee": "Example AI Ltd", "announced": "2025-06", "value_low": 9e6,
        "currency": "USD", "basis": "per_year", "term": "2", "uses": "training", "source_url": "https://example.org/pr",
        "confidence": "high (signed term sheet seen)", "sector": "news publishing",
    })
    view = desk.market(sector="news publishing")
    assert view.statistics["yearly_value_usd"]["n"] == before + 1
    hand = [r for r in view.deals if r["hand_entered"]]
    assert len(hand) == 1 and hand[0]["yearly_low_usd"] == 9e6 and view.statistics["counts"]["hand_entered"] == 1
    points = view.chart_data()["points"]
    assert any(p["origin"] == "hand" for p in points) and all(p["yearly_mid_usd"] for p in points)
    assert desk.market(origin="hand").deals[0]["deal_id"] == hand[0]["deal_id"]


def test_demo_proposal_is_placed_against_reported_licences(demo_workspace):
    desk = Desk.open(demo_workspace)
    proposal = desk.documents(kind="proposal")[0]
    view = desk.market(proposal=proposal.id)
    # Exhibit A: USD 3,000,000 for each Contract Year. The agreement runs three years (3.1) but the licence
    # to exploit trained models is perpetual (2.1(b), 12.4): the review reads the licence term as perpetual.
    assert view.proposal.yearly_value_usd == pytest.approx(3_000_000)
    assert view.proposal.term_years == float("inf") and view.proposal.value_texts["licence_term_years"] == "perpetual"
    assert view.term_position["note"].startswith("perpetual: longer than all")
    assert set(view.proposal.uses) == {"display_rag", "fine_tuning", "training"}
    pos = view.position
    assert pos["n"] == view.statistics["yearly_value_usd"]["n"] >= 5 and pos["percentile"] is not None
    assert pos["below"] == sum(1 for r in view.deals if r["in_statistics"] and r["yearly_mid_usd"] < 3_000_000)
    assert view.term_position["n"] == view.statistics["term_years"]["n"]
    assert view.uses_position["n"] > 0
    chart = view.chart_data()
    assert chart["proposal"]["yearly_value_usd"] == pytest.approx(3_000_000)
    small = desk.market(proposal=proposal.id, sector="news publishing")
    assert small.position["percentile"] is None and small.position["note"].startswith("small sample")
    json.dumps(view.to_dict())
