"""Sample loader, power-law fit, money bridge, payout split and the full report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.domain import Collective
from core.errors import DeskError
from valuation.datasets import load_sample, split_sample
from valuation.deals import load_deals
from valuation.fast_utility import NaiveBayesUtility
from valuation.learning_curve import PowerLawFit, power_law
from valuation.money import MoneyBridge
from valuation.payout import largest_remainder_cents, split_proceeds
from valuation.report import Assumptions, value_collective
from valuation.shapley import ModelUtility

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
DEMO = REPO / "data" / "demo" / "sample.csv"


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def _numeric_rows(n: int, labels=("a", "b")) -> list[str]:
    return ["x1,x2,label,member"] + [f"{i},{i % 3},{labels[i % len(labels)]},m{i % 4}" for i in range(n)]


def test_loader_accepts_numeric_csv_and_jsonl():
    s = load_sample(_csv(_numeric_rows(30)))
    assert s.text is None and s.features == ("x1", "x2") and s.X.shape == (30, 2)
    jsonl = "\n".join(json.dumps({"text": f"clause {i}", "label": i % 2, "member": f"m{i % 3}"}) for i in range(25))
    t = load_sample(jsonl.encode())
    assert t.text == "text" and len(t.X) == 25 and t.facts()["members"] == 3


@pytest.mark.parametrize("rows,match", [
    ([r.replace(",label", ",lab") for r in _numeric_rows(30)[:1]] + _numeric_rows(30)[1:], "column label: no label column"),
    (_numeric_rows(30, labels=("a",)), "single class"),
    ([r.rsplit(",", 1)[0] for r in _numeric_rows(30)], "column member: no member column"),
    (_numeric_rows(10), "only 10 labelled rows"),
    (["x1,kind,label,member"] + [f"{i},red,{i % 2},m{i % 3}" for i in range(30)], "column kind: non-numeric feature"),
])
def test_loader_errors(rows, match):
    with pytest.raises(DeskError, match=match):
        load_sample(_csv(rows))


def test_power_law_recovers_known_parameters():
    n = np.repeat(np.geomspace(50, 5000, 8), 3)
    rng = np.random.default_rng(0)
    score = power_law(n, 0.9, 2.0, 0.5) + rng.normal(0, 0.002, len(n))
    fit = PowerLawFit(n_bootstrap=100, random_state=0).fit(n, score)
    assert (fit.a_, fit.b_, fit.c_) == pytest.approx((0.9, 2.0, 0.5), rel=0.1)
    lo, hi = fit.band([1e5])
    assert lo[0] <= power_law(1e5, 0.9, 2.0, 0.5) <= hi[0] + 0.005
    exact = PowerLawFit(n_bootstrap=10).fit(n, power_law(n, 0.8, 1.0, 0.7))
    assert exact.uplift(1000, 500) == pytest.approx(power_law(1500, 0.8, 1.0, 0.7) - power_law(1000, 0.8, 1.0, 0.7), rel=1e-4)


def test_money_bridge_with_fixed_inputs():
    # no spread in value per point or consent: value = 2e6 USD/point * 0.5 points, every draw
    mb = MoneyBridge(2e6, value_per_point_sigma=0.0, consent_low=0.8, consent_high=0.8, n_draws=100).fit(
        lambda share, rng: share * 0.625)
    assert mb.p10_ == mb.p50_ == mb.p90_ == pytest.approx(1e6)
    spread = MoneyBridge(1e6, value_per_point_sigma=0.5, n_draws=4000, random_state=1).fit(lambda s, r: np.ones_like(s))
    assert spread.p50_ == pytest.approx(1e6, rel=0.05)
    assert spread.p90_ / spread.p50_ == pytest.approx(np.exp(0.5 * 1.2816), rel=0.05)
    with pytest.raises(DeskError):
        MoneyBridge(1.0, consent_low=0.9, consent_high=0.1).fit(lambda s, r: s)


def test_payout_sums_exactly_and_opted_out_get_nothing():
    rows = {"a": 333, "b": 333, "c": 334, "d": 50}
    out = split_proceeds("100000.01", {"a": 0.1, "b": 0.1, "c": -0.05}, rows, opted_out=("d",))
    by = {p.member: p for p in out}
    assert sum(p.shapley_cents for p in out) == sum(p.pro_rata_cents for p in out) == 10_000_001
    assert by["d"].shapley_cents == by["d"].pro_rata_cents == 0 and by["d"].opted_out
    assert by["c"].shapley_cents == 0 and "floored" in by["c"].explanation
    assert abs(by["a"].shapley_cents - by["b"].shapley_cents) <= 1
    assert largest_remainder_cents(100, {"x": 1, "y": 1, "z": 1}) == {"x": 34, "y": 33, "z": 33}
    with pytest.raises(DeskError, match="every member opted out"):
        split_proceeds(10, {}, {"a": 1}, opted_out=("a",))


def test_naive_bayes_utility_equals_refitting_sklearn():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB
    s = load_sample(DEMO)
    sp = split_sample(s, random_state=0)
    train = np.concatenate([sp.base, sp.collective])
    Z = TfidfVectorizer(min_df=2).fit_transform(s.X)
    codes = {m: i for i, m in enumerate(sorted(set(s.members)))}
    pl = np.array([codes[m] for m in s.members])[train]
    pl[: len(sp.base)] = -1
    fast = NaiveBayesUtility(Z[train], s.y[train], Z[sp.test], s.y[sp.test], pl)
    slow = ModelUtility(MultinomialNB(), Z[train], s.y[train], Z[sp.test], s.y[sp.test], players=pl)
    rng = np.random.default_rng(0)
    for _ in range(8):
        mask = rng.random(fast.n_players) < 0.4
        assert fast(mask) == pytest.approx(slow(mask), abs=1e-12)


def test_demo_sample_is_a_small_labelled_stand_in():
    meta = json.loads((DEMO.parent / "sample.meta.json").read_text())
    assert meta["stand_in"] is True and DEMO.stat().st_size < 1_000_000
    s = load_sample(DEMO)
    assert 1000 <= len(s) <= 2000 and 12 <= s.facts()["members"] <= 20 and s.facts()["classes"] == 5


@pytest.fixture(scope="module")
def demo_report():
    collective = Collective(name="Demo", sector="news publishing", members=12, records=200_000, tokens=1e9,
                            description="news articles")
    small = load_sample(DEMO)
    small = type(small)(small.frame.iloc[::4].reset_index(drop=True), small.label, small.member, small.text,
                        small.features, small.source)
    a = Assumptions(mc_draws=300, seed=1, opted_out=("member_03", "member_05", "member_07", "member_09"), buyer_scale_n=20_000, curve_sizes=5,
                    curve_repeats=2, curve_bootstrap=50)
    seen: list[float] = []
    report = value_collective(collective, load_deals(SHARED / "ai_data_deals.csv"), small, a,
                              progress=lambda f, m: seen.append(f))
    return report, seen, (collective, small, a)


def test_report_combines_methods_deterministically(demo_report):
    report, seen, (collective, small, a) = demo_report
    assert {e.method for e in report.estimates} >= {"comparables", "data_counterfactual", "per_unit_anchors"}
    assert report.p10 <= report.p50 <= report.p90
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    opted = [m for m in report.member_values if m["member"] == "member_03"][0]
    assert opted["opted_out"] and opted["shapley"] is None
    active = [m for m in report.member_values if not m["opted_out"]]
    assert len(active) == 8  # exact enumeration over the 8 members still in
    cf = next(e for e in report.estimates if e.method == "data_counterfactual")
    assert cf.converged is True and cf.inputs["sample"]["members"] == 8
    split = report.split(250_000)
    assert sum(p.shapley_cents for p in split) == 25_000_000
    assert [p.shapley_cents for p in split if p.member == "member_03"] == [0]
    again = value_collective(collective, load_deals(SHARED / "ai_data_deals.csv"), small, a)
    assert (again.p10, again.p50, again.p90) == (report.p10, report.p50, report.p90)
    json.dumps(report.to_dict())
