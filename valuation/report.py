"""One valuation of a collective's data: every method, side by side, then combined.

Why side by side: comparables say what the market has paid, counterfactuals
say what the data does for a model; they disagree, and a negotiator needs to
see both with their evidence, not a single blended number. The combined range
is an explicit, weighted mixture of the methods' distributions, and every
random step is seeded so the same inputs give the same report.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Mapping

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from core.domain import Collective, Serializable, ValueEstimate
from core.errors import DeskError

from .comparables import Comparables, DealProfile, market_position, unit_anchor_estimate
from .datasets import Sample, split_sample
from .deals import Deal
from .fast_utility import NaiveBayesUtility
from .learning_curve import LearningCurve
from .money import MoneyBridge, power_law_uplift_fn
from .payout import MemberPayout, split_proceeds
from .shapley import LeaveOneOut, ModelUtility, group_shapley, knn_shapley

Progress = Callable[[float, str], None]
_Z90 = 1.2815515655446004  # standard normal 90% quantile


@dataclass(frozen=True)
class Assumptions:
    """Every editable assumption of a valuation, with the default's reasoning.

    ``value_per_point_usd`` None means: the comparables' P50 yearly value per
    ``reference_uplift_points`` of score, i.e. we assume a typical comparable
    licence buys about one point of benchmark quality. It is a judgement; edit it.
    ``buyer_scale_n`` and ``collective_n`` are in the sample's row units.
    """

    value_per_point_usd: float | None = None
    reference_uplift_points: float = 1.0
    value_per_point_sigma: float = 0.5
    consent_share: tuple[float, float] = (0.7, 0.95)
    fx_overrides: Mapping[str, float] = field(default_factory=dict)
    buyer_scale_n: float = 100_000
    collective_n: float | None = None
    mc_draws: int = 1000
    seed: int = 0
    data_type: str = ""
    use_training: bool = True
    use_display: bool = False
    year: int = 2025
    words_per_token: float = 0.75
    record_unit: str = "article"
    licence_term_years: float = 3.0
    comparables_k: int = 6
    max_exact_players: int = 12
    curve_sizes: int = 7
    curve_repeats: int = 3
    curve_bootstrap: int = 200
    opted_out: tuple[str, ...] = ()
    method_weights: Mapping[str, float] = field(
        default_factory=lambda: {"comparables": 0.5, "data_counterfactual": 0.35, "per_unit_anchors": 0.15})


@dataclass(frozen=True)
class ValuationReport(Serializable):
    collective: str
    unit: str
    p10: float
    p50: float
    p90: float
    combined: ValueEstimate
    estimates: tuple[ValueEstimate, ...]
    member_values: tuple[dict[str, Any], ...]
    learning_curve: dict[str, Any]
    market_position: dict[str, Any]
    assumptions: dict[str, Any]
    timings_s: dict[str, float]
    notes: tuple[str, ...] = ()

    def split(self, proceeds: float | str) -> list[MemberPayout]:
        """Deal proceeds split by member Shapley value beside pro rata (opted-out members at 0)."""
        values = {m["member"]: m["shapley"] for m in self.member_values if not m["opted_out"]}
        rows = {m["member"]: m["rows"] for m in self.member_values}
        opted = tuple(m["member"] for m in self.member_values if m["opted_out"])
        return split_proceeds(proceeds, values, rows, opted)


def _lognormal_draws(est: ValueEstimate, n: int, rng: np.random.Generator) -> np.ndarray:
    lo, mid, hi = (max(x, 1e-9) for x in (est.p10, est.p50, est.p90))
    sigma = max(np.log(hi) - np.log(lo), 0.0) / (2 * _Z90)
    return mid * np.exp(sigma * rng.standard_normal(n))


def value_collective(collective: Collective, deals: Iterable[Deal], sample: Sample | None,
                     assumptions: Assumptions = Assumptions(), progress: Progress | None = None) -> ValuationReport:
    """Comparables, per-unit anchors and data counterfactuals, then a combined P10/P50/P90 per year."""
    say = progress or (lambda f, m: None)
    a = assumptions
    deals = tuple(deals)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    estimates: list[ValueEstimate] = []
    notes: list[str] = []

    say(0.0, "comparables")
    profile = DealProfile(collective.sector, a.data_type or collective.description, a.use_training, a.use_display, a.year)
    comp = Comparables(k=a.comparables_k).fit(deals, profile)
    estimates.append(comp.to_estimate(profile))
    volumes = {"word": (collective.tokens or 0) * a.words_per_token}
    if collective.records:
        unit = {"book": "book", "title": "book", "image": "image", "photo": "image"}.get(a.record_unit)
        if unit:
            volumes[unit] = collective.records
    anchors = unit_anchor_estimate(deals, volumes, a.licence_term_years)
    if anchors:
        estimates.append(anchors)
    timings["comparables"] = time.perf_counter() - t0

    member_values: tuple[dict[str, Any], ...] = ()
    curve: dict[str, Any] = {}
    if sample is not None:
        est, member_values, curve = _counterfactual(collective, sample, a, comp.p50_, say, timings, notes)
        estimates.append(est)
    else:
        notes.append("no data sample: data-counterfactual method not run")

    say(0.97, "combining")
    rng = np.random.default_rng(a.seed)
    pools, weights = [], []
    for est in estimates:
        w = float(a.method_weights.get(est.method, 0.0))
        if w <= 0:
            continue
        k = max(int(round(a.mc_draws * w)), 1)
        if est.method == "data_counterfactual":
            pools.append(rng.choice(np.asarray(curve["_money_draws"]), k))
        else:
            pools.append(_lognormal_draws(est, k, rng))
        weights.append(w)
    mix = np.concatenate(pools)
    p10, p50, p90 = (float(x) for x in np.quantile(mix, [0.1, 0.5, 0.9]))
    used = [e.method for e in estimates if a.method_weights.get(e.method, 0) > 0]
    combined = ValueEstimate(
        method="combined", p10=p10, p50=p50, p90=p90, unit="USD/year",
        inputs={"methods": used, "weights": {m: a.method_weights[m] for m in used}},
        assumptions={"mixture": "weighted mixture of method distributions; comparables and anchors as lognormals "
                                "through their P10/P50/P90, counterfactual as its Monte Carlo draws",
                     "draws": len(mix), "seed": a.seed},
        evidence=tuple(dict.fromkeys(x for e in estimates for x in e.evidence)),
        notes=tuple(n for e in estimates for n in e.notes if n.startswith("small sample")), sample_size=len(mix))
    curve.pop("_money_draws", None)
    timings["total"] = time.perf_counter() - t0
    say(1.0, "done")
    assumptions_out = asdict(a)
    assumptions_out["fx_overrides"] = dict(a.fx_overrides)
    assumptions_out["method_weights"] = dict(a.method_weights)
    return ValuationReport(
        collective=collective.name, unit="USD/year", p10=p10, p50=p50, p90=p90, combined=combined,
        estimates=tuple(estimates), member_values=member_values, learning_curve=curve,
        market_position=market_position(deals, p50), assumptions=assumptions_out,
        timings_s={k: round(v, 3) for k, v in timings.items()}, notes=tuple(notes))


def _counterfactual(collective: Collective, sample: Sample, a: Assumptions, comparables_p50: float,
                    say: Progress, timings: dict[str, float], notes: list[str]):
    t = time.perf_counter()
    all_members = sorted(set(sample.members))
    unknown = [m for m in a.opted_out if m not in all_members]
    if unknown:
        raise DeskError(f"opted_out {unknown[0]}", "not a member in the sample")
    kept_mask = ~np.isin(sample.members, list(a.opted_out))
    if kept_mask.sum() < 20:
        raise DeskError("sample", "fewer than 20 rows remain after removing opted-out members")
    kept = Sample(sample.frame[kept_mask].reset_index(drop=True), sample.label, sample.member, sample.text,
                  sample.features, sample.source)
    split = split_sample(kept, random_state=a.seed)

    lc = LearningCurve(n_sizes=a.curve_sizes, n_repeats=a.curve_repeats, n_bootstrap=a.curve_bootstrap,
                       random_state=a.seed).fit(
        kept, split, progress=lambda f, m: say(0.05 + 0.55 * f, m))
    timings["learning_curve"] = time.perf_counter() - t
    coll_n = a.collective_n or collective.records or float(len(split.collective))
    coll_n *= kept_mask.mean()  # opted-out members' share of the volume is not on offer
    vpp = a.value_per_point_usd if a.value_per_point_usd is not None else comparables_p50 / a.reference_uplift_points

    say(0.62, "money bridge")
    t = time.perf_counter()
    bridge = MoneyBridge(vpp, a.value_per_point_sigma, a.consent_share[0], a.consent_share[1],
                         a.mc_draws, a.seed).fit(power_law_uplift_fn(lc.power_law_, a.buyer_scale_n, coll_n))
    timings["money_bridge"] = time.perf_counter() - t

    say(0.7, "member values")
    t = time.perf_counter()
    members, values, stderr, loo_vals, knn_by_member, converged, method = _member_values(kept, split, a)
    timings["member_values"] = time.perf_counter() - t
    rows = {m: int(np.sum(sample.members == m)) for m in all_members}
    member_values = tuple(
        [{"member": m, "rows": rows[m], "opted_out": False, "shapley": float(values[i]), "stderr": float(stderr[i]),
          "loo": float(loo_vals[i]), "knn_shapley_sum": float(knn_by_member[i])} for i, m in enumerate(members)]
        + [{"member": m, "rows": rows[m], "opted_out": True, "shapley": None, "stderr": None, "loo": None,
            "knn_shapley_sum": None} for m in a.opted_out])

    pl = lc.power_law_
    grid = np.unique(np.geomspace(max(lc.sizes_.min(), 1), max(a.buyer_scale_n + coll_n, lc.sizes_.max()), 30))
    lo, hi = pl.band(grid)
    uplift = lc.extrapolated_uplift(a.buyer_scale_n, coll_n)
    curve = {"sizes": lc.sizes_.tolist(), "scores": lc.scores_.tolist(),
             "fit": {"a": pl.a_, "b": pl.b_, "c": pl.c_, "residual_sd": pl.residual_sd_,
                     "bootstrap_fits": len(pl.boot_params_), "failed_bootstrap_fits": pl.n_failed_bootstrap_},
             "band80": {"n": grid.tolist(), "fit": pl.predict(grid).tolist(), "low": lo.tolist(), "high": hi.tolist()},
             "score_without": lc.score_without_, "score_with": lc.score_with_,
             "measured_uplift_points": 100 * lc.measured_uplift_, "n_base": lc.n_base_,
             "n_collective": lc.n_collective_, "n_test": lc.n_test_,
             "extrapolated_uplift_points": {k: 100 * v for k, v in uplift.items()},
             "_money_draws": bridge.draws_.tolist()}
    est_notes = [f"buyer-side model: TF-IDF + logistic regression; score = accuracy on {lc.n_test_} held-out rows",
                 f"measured uplift at sample scale: {100 * lc.measured_uplift_:+.2f} points "
                 f"(base {lc.n_base_} rows -> base + collective {lc.n_base_ + lc.n_collective_} rows)",
                 f"extrapolated to the buyer's {a.buyer_scale_n:,.0f} rows + {coll_n:,.0f} collective rows: "
                 f"{100 * uplift['point']:.4f} points (80% band {100 * uplift['low']:.4f} to {100 * uplift['high']:.4f})"]
    if a.value_per_point_usd is None:
        est_notes.append(f"value per point defaulted to the comparables' P50 ({comparables_p50:,.0f} USD/year) per "
                         f"{a.reference_uplift_points:g} point: an assumption, edit it")
    if sample.source and "demo" in str(sample.source):
        est_notes.append("demo stand-in sample (CUAD clause texts), not the collective's own data")
    est = bridge.to_estimate(
        inputs={"sample": kept.facts(), "buyer_scale_n": a.buyer_scale_n, "collective_n": coll_n,
                "value_per_point_usd": vpp, "member_method": method},
        evidence=(f"sample:{sample.source}", f"rows:{len(kept)}", f"members:{len(members)}"),
        notes=tuple(est_notes), sample_size=len(kept), converged=converged)
    return est, member_values, curve


def _member_values(kept: Sample, split, a: Assumptions):
    """Group (member) Shapley and leave-one-out, plus per-member sums of row KNN-Shapley."""
    members = sorted(set(kept.members))
    code = {m: i for i, m in enumerate(members)}
    players = np.array([code[m] for m in kept.members])
    train = np.concatenate([split.base, split.collective])
    is_base = np.isin(train, split.base)
    pl = np.where(is_base, -1, players[train])
    y = kept.y
    if kept.text is not None:
        texts = kept.X
        vec = TfidfVectorizer(sublinear_tf=True, min_df=2).fit([texts[i] for i in train])
        Z = vec.transform(texts)
        game = NaiveBayesUtility(Z[train], y[train], Z[split.test], y[split.test], pl)
        method = "group Shapley over members, multinomial naive Bayes on TF-IDF (additive, exact per coalition)"
        dense = TruncatedSVD(n_components=min(64, Z.shape[1] - 1), random_state=a.seed).fit_transform(Z)
    else:
        X = kept.X
        game = ModelUtility(LogisticRegression(max_iter=1000), X[train], y[train], X[split.test], y[split.test], players=pl)
        method = "group Shapley over members, logistic regression"
        dense = X
    res = group_shapley(game, max_exact_players=a.max_exact_players, random_state=a.seed)
    loo = LeaveOneOut().fit(game)
    coll = split.collective
    knn = knn_shapley(dense[coll], y[coll], dense[split.test], y[split.test], n_neighbors=5)
    knn_by_member = np.bincount(players[coll], weights=knn, minlength=len(members))
    kind = "exact enumeration" if game.n_players <= a.max_exact_players else "permutation Monte Carlo"
    return members, res.values_, res.stderr_, loo.values_, knn_by_member, bool(res.converged_), f"{method}; {kind}"
