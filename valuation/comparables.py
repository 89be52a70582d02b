"""What comparable public deals say this collective's data is worth per year.

Why nearest comparables and not a regression: with a dozen priced licences, a
fitted model would hide how few points it stands on. Here every number can be
traced to the deals that drive it: a similarity that is a weighted sum of four
plain components (sector, data type, uses, year), a range from weighted
quantiles of those deals' yearly values, and the sample size said out loud.
Press estimates and low-confidence rows count less (``Deal.weight``) and are
flagged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from core.domain import ValueEstimate
from core.errors import DeskError

from .deals import LICENCE_TYPES, Deal

SMALL_SAMPLE = 5
_STOP = {"and", "or", "the", "of", "a", "incl", "etc", "for", "via", "with", "content", "data", "s"}


@dataclass(frozen=True)
class DealProfile:
    """What the proposed deal is, in the table's own vocabulary."""

    sector: str
    data_type: str = ""
    use_training: bool = True
    use_display: bool = False
    year: int = 2025


def _tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-z]+", text.lower()) if t not in _STOP and len(t) > 1}


def _jaccard(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def _use(text: str) -> float | None:
    t = text.strip().lower()
    if t.startswith("yes"):
        return 1.0
    if t.startswith("no"):
        return 0.0
    return None  # unclear / undisclosed / n/a


def similarity(deal: Deal, profile: DealProfile, weights: dict[str, float], year_scale: float) -> dict[str, float]:
    """Each component in [0, 1]; an unclear use counts as half a match."""
    parts = {"sector": _jaccard(deal.sector, profile.sector), "data_type": _jaccard(deal.data_type, profile.data_type)}
    uses = []
    for have, want in ((_use(deal.use_training), profile.use_training), (_use(deal.use_display_rag), profile.use_display)):
        uses.append(0.5 if have is None else float(have == float(want)))
    parts["uses"] = float(np.mean(uses))
    parts["year"] = math.exp(-abs(deal.year - profile.year) / year_scale)
    parts["total"] = sum(weights[k] * parts[k] for k in weights) / sum(weights.values())
    return parts


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles of a weighted sample (midpoint rule on the cumulative weights)."""
    order = np.argsort(values)
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(qs, cum, v)


class Comparables:
    """Nearest comparable licences and the yearly range they give.

    ``fit(deals, profile)`` sets ``scored_`` (every licence with its similarity
    components), ``comparables_`` (the ``k`` most similar with a yearly value),
    ``p10_``/``p50_``/``p90_`` (USD per year) and ``notes_``.
    """

    def __init__(self, k: int = 6, weights: dict[str, float] | None = None, year_scale: float = 2.0,
                 min_similarity: float = 0.0):
        self.k = k
        self.weights = weights
        self.year_scale = year_scale
        self.min_similarity = min_similarity

    def fit(self, deals: Iterable[Deal], profile: DealProfile) -> "Comparables":
        weights = self.weights or {"sector": 0.4, "data_type": 0.25, "uses": 0.2, "year": 0.15}
        licences = [d for d in deals if d.record_type in LICENCE_TYPES]
        scored = [(d, similarity(d, profile, weights, self.year_scale)) for d in licences]
        scored.sort(key=lambda ds: (-ds[1]["total"], ds[0].deal_id))
        self.scored_ = scored
        priced = [(d, s) for d, s in scored if d.has_yearly and s["total"] >= self.min_similarity]
        self.comparables_ = priced[: self.k]
        self.n_ = len(self.comparables_)
        if self.n_ == 0:
            raise DeskError("comparables", "no licence in the deals table has a yearly value to compare with")
        vals, wts = [], []
        for d, s in self.comparables_:
            ends = [d.yearly_low_usd] + ([d.yearly_high_usd] if d.yearly_high_usd not in (None, d.yearly_low_usd) else [])
            for v in ends:  # a range counts as its two ends, half weight each
                vals.append(v)
                wts.append(s["total"] * d.weight / len(ends))
        # quantiles on the log scale: deal values span orders of magnitude
        logq = weighted_quantiles(np.log(vals), np.array(wts) + 1e-12, [0.1, 0.5, 0.9])
        self.p10_, self.p50_, self.p90_ = (float(x) for x in np.exp(logq))
        notes = []
        if self.n_ < SMALL_SAMPLE:
            notes.append(f"small sample: only {self.n_} comparable licences with a yearly value")
        press = [d.deal_id for d, _ in self.comparables_ if d.press_estimate]
        if press:
            notes.append(f"press estimates / lower-confidence figures, weighted down: {', '.join(press)}")
        lower = [d.deal_id for d, _ in self.comparables_ if d.yearly_high_usd is None]
        if lower:
            notes.append(f"lower bounds only ('at least' / 'more than'): {', '.join(lower)}")
        unpriced = sum(1 for d in licences if not d.has_yearly)
        notes.append(f"{unpriced} of {len(licences)} licences have no yearly figure (undisclosed, or a total "
                     "without a term) and do not enter the range")
        self.notes_ = tuple(notes)
        return self

    def table(self) -> list[dict[str, Any]]:
        """The deals that drive the range, with similarity components and weight."""
        return [{"deal_id": d.deal_id, "licensor": d.licensor, "licensee": d.licensee, "announced": d.announced,
                 "yearly_low_usd": d.yearly_low_usd, "yearly_high_usd": d.yearly_high_usd,
                 "similarity": round(s["total"], 3), "components": {k: round(v, 3) for k, v in s.items() if k != "total"},
                 "confidence": d.confidence_level, "press_estimate": d.press_estimate,
                 "weight": round(s["total"] * d.weight, 3), "notes": list(d.notes)}
                for d, s in self.comparables_]

    def to_estimate(self, profile: DealProfile) -> ValueEstimate:
        return ValueEstimate(
            method="comparables", p10=self.p10_, p50=self.p50_, p90=self.p90_, unit="USD/year",
            inputs={"profile": vars(profile), "k": self.k, "deals": self.table()},
            assumptions={"similarity_weights": self.weights or {"sector": 0.4, "data_type": 0.25, "uses": 0.2, "year": 0.15},
                         "year_scale": self.year_scale,
                         "range": "weighted 10/50/90% quantiles of log yearly values; weight = similarity x confidence"},
            evidence=tuple(d.deal_id for d, _ in self.comparables_), notes=self.notes_,
            sample_size=self.n_, converged=None)


def unit_anchor_estimate(deals: Iterable[Deal], volumes: dict[str, float], term_years: float) -> ValueEstimate | None:
    """Per-unit prices (per book, image, word...) times the collective's volume in that unit.

    A per-unit price buys a one-off licence; it is spread over ``term_years``
    (the source's own term when it states one) to compare with yearly values.
    """
    rows = []
    for d in deals:
        for a in d.anchors:
            if volumes.get(a.unit):
                term = a.term_years or term_years
                lo, hi = a.low_usd * volumes[a.unit] / term, a.high_usd * volumes[a.unit] / term
                rows.append({"deal_id": d.deal_id, "record_type": d.record_type, "unit": a.unit,
                             "price_low_usd": a.low_usd, "price_high_usd": a.high_usd, "volume": volumes[a.unit],
                             "term_years": term, "yearly_low_usd": lo, "yearly_high_usd": hi, "text": a.text,
                             "confidence": d.confidence_level})
    if not rows:
        return None
    lows = np.array([r["yearly_low_usd"] for r in rows])
    highs = np.array([r["yearly_high_usd"] for r in rows])
    mids = np.sqrt(lows * highs)
    notes = [f"{len(rows)} per-unit anchors; record types: {sorted({r['record_type'] for r in rows})} "
             "(price lists and settlements are anchors, not licences)"]
    if len(rows) < SMALL_SAMPLE:
        notes.append(f"small sample: {len(rows)} anchors")
    return ValueEstimate(
        method="per_unit_anchors", p10=float(lows.min()), p50=float(np.median(mids)), p90=float(highs.max()),
        unit="USD/year", inputs={"volumes": volumes, "anchors": rows},
        assumptions={"term_years_when_source_has_none": term_years},
        evidence=tuple(dict.fromkeys(r["deal_id"] for r in rows)), notes=tuple(notes), sample_size=len(rows))


def market_position(deals: Iterable[Deal], yearly_value: float) -> dict[str, Any]:
    """Where a proposal's yearly value sits among reported yearly licence values."""
    vals = sorted((d.deal_id, d.yearly_mid_usd) for d in deals if d.record_type in LICENCE_TYPES and d.has_yearly)
    n = len(vals)
    below = sum(1 for _, v in vals if v < yearly_value)
    equal = sum(1 for _, v in vals if v == yearly_value)
    out: dict[str, Any] = {"yearly_value_usd": yearly_value, "n": n, "below": below, "equal": equal,
                           "above": n - below - equal, "deals": [{"deal_id": i, "yearly_mid_usd": v} for i, v in vals]}
    if n >= SMALL_SAMPLE:
        out["percentile"] = 100.0 * (below + 0.5 * equal) / n
        out["note"] = f"{out['percentile']:.0f}th percentile of {n} reported yearly licence values"
    else:
        out["percentile"] = None
        out["note"] = f"small sample: only {n} reported yearly licence values, no percentile given"
    return out
