"""Deals table: validation errors name row and column; normalisation checked by hand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from core.errors import DealsTableError
from valuation.comparables import Comparables, DealProfile, market_position, unit_anchor_estimate
from valuation.deals import DEFAULT_DEALS_PATH, load_deals, load_fx

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
REAL = SHARED / "ai_data_deals.csv"


def _real_rows() -> tuple[list[str], list[dict[str, str]]]:
    with REAL.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _to_bytes(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def test_shipped_copy_equals_shared_table():
    assert DEFAULT_DEALS_PATH.read_bytes() == REAL.read_bytes()


def test_normalisation_by_hand_on_real_rows():
    deals = {d.deal_id: d for d in load_deals(REAL)}
    assert len(deals) == 37
    # D02: $203M over the next three years -> 203/3 per year (aggregate disclosure, kept apart)
    assert deals["D02"].yearly_low_usd == pytest.approx(203_000_000 / 3)
    assert deals["D02"].record_type == "aggregate_disclosure" and not deals["D02"].is_licence
    # D03: more than $250M over five years -> 50M/yr, a lower bound (no high end)
    assert deals["D03"].yearly_low_usd == pytest.approx(50_000_000) and deals["D03"].yearly_high_usd is None
    # D11: $20-25M a year stays a range
    assert (deals["D11"].yearly_low_usd, deals["D11"].yearly_high_usd) == (20_000_000, 25_000_000)
    # D07: $10M in the first year used as the yearly value, with a note
    assert deals["D07"].yearly_low_usd == 10_000_000 and any("first-year" in n for n in deals["D07"].notes)
    # D08: $23M total without a term: kept as a total, not annualised
    assert deals["D08"].yearly_low_usd is None and deals["D08"].total_low_usd == 23_000_000
    # D12: low-confidence single secondary source is weighted down and flagged
    assert deals["D12"].weight == 0.25 and deals["D12"].press_estimate
    # D10: $5,000 per book over three years; D34: $0.001 per word parsed from value_basis
    book = deals["D10"].anchors[0]
    assert (book.unit, book.low_usd, book.term_years) == ("book", 5000.0, 3.0)
    word = next(a for a in deals["D34"].anchors if a.unit == "word")
    assert word.low_usd == pytest.approx(0.001)
    assert deals["D37"].record_type == "settlement_not_licence"
    assert deals["D06"].yearly_low_usd is None and deals["D06"].basis == "undisclosed"


def test_fx_conversion_uses_the_rates_file(tmp_path):
    header, rows = _real_rows()
    row = dict(next(r for r in rows if r["deal_id"] == "D11"), value_currency="EUR", deal_id="X1")
    fx = load_fx()
    (deal,) = load_deals(_to_bytes(header, [row]))
    assert deal.yearly_low_usd == pytest.approx(20_000_000 * fx.usd_per_unit["EUR"])
    assert fx.date == "2024-12-31" and "European Central Bank" in fx.source
    (again,) = load_deals(_to_bytes(header, [row]), fx=load_fx(overrides={"EUR": 2.0}))
    assert again.yearly_low_usd == pytest.approx(40_000_000)


@pytest.mark.parametrize("column,value,reason", [
    ("value_low", "16m", "not a number"),
    ("value_currency", "XYZ", "unknown currency"),
    ("value_basis", "per_decade", "unknown basis"),
    ("term_years", "five", "not a number"),
    ("record_type", "rumour", "unknown record type"),
])
def test_bad_field_names_row_and_column(column, value, reason):
    header, rows = _real_rows()
    rows[4] = dict(rows[4], **{column: value})  # D05
    with pytest.raises(DealsTableError) as err:
        load_deals(_to_bytes(header, rows))
    assert err.value.subject == f"deal D05, column {column}" and reason in err.value.reason


def test_missing_column_is_named():
    header, rows = _real_rows()
    header.remove("value_basis")
    with pytest.raises(DealsTableError, match="column value_basis: missing column"):
        load_deals(_to_bytes(header, rows))


def _tiny_table() -> bytes:
    header, rows = _real_rows()
    base = next(r for r in rows if r["deal_id"] == "D11")
    spec = [("T1", "news publishing", "10000000", "10000000", "high"),
            ("T2", "news publishing", "20000000", "20000000", "high"),
            ("T3", "stock media", "90000000", "90000000", "high"),
            ("T4", "news publishing", "40000000", "40000000", "low (single source)")]
    out = [dict(base, deal_id=i, sector=s, value_low=lo, value_high=hi, confidence=c, data_type="articles",
                announced="2024-05", use_training="yes", use_display_rag="yes") for i, s, lo, hi, c in spec]
    return _to_bytes(header, out)


def test_comparables_range_on_hand_made_table():
    deals = load_deals(_tiny_table())
    profile = DealProfile("news publishing", "articles", True, True, 2024)
    comp = Comparables(k=3).fit(deals, profile)
    assert [d.deal_id for d, _ in comp.comparables_] == ["T1", "T2", "T4"]  # stock media is least similar
    # all three similarities are 1, so weights are the confidence weights 1, 1, 0.25:
    # weighted log-quantile midpoints: cum = [0.5/2.25, 1.5/2.25, 2.125/2.25]
    import numpy as np
    cum = np.array([0.5, 1.5, 2.125]) / 2.25
    logs = np.log([10e6, 20e6, 40e6])
    assert comp.p50_ == pytest.approx(float(np.exp(np.interp(0.5, cum, logs))))
    assert comp.p10_ == pytest.approx(10e6) and comp.n_ == 3
    assert any("small sample" in n for n in comp.notes_)
    assert any("T4" in n and "weighted down" in n for n in comp.notes_)
    est = comp.to_estimate(profile)
    assert est.method == "comparables" and est.evidence == ("T1", "T2", "T4") and est.sample_size == 3


def test_market_position_small_and_real_samples():
    small = market_position(load_deals(_tiny_table()), 15e6)
    assert small["percentile"] is None and "small sample" in small["note"] and small["below"] == 1
    real = market_position(load_deals(REAL), 30e6)
    # licences with a yearly value: D01 60, D03 50, D05 16, D07 10, D11 sqrt(20*25)=22.4, D12 sqrt(50*60)=54.8
    assert real["n"] == 6 and real["below"] == 3 and real["percentile"] == pytest.approx(50.0)


def test_unit_anchors_apply_to_matching_volume():
    est = unit_anchor_estimate(load_deals(REAL), {"word": 3e9}, term_years=3.0)
    assert est is not None and est.evidence == ("D34",)
    assert est.p50 == pytest.approx(0.001 * 3e9 / 3)
    books = unit_anchor_estimate(load_deals(REAL), {"book": 100}, term_years=3.0)
    assert set(books.evidence) == {"D10", "D37"}
    assert books.p90 == pytest.approx(5000 * 100 / 3)  # D10's own 3-year term
