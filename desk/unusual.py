"""The unusual-clause detector: what in a proposal has no precedent in the corpus.

Three tests, each explainable in one sentence with the numbers behind it:

* **no counterpart**: the best dense (cosine) similarity to any stored clause
  of another document is below ``no_counterpart_below``. Nothing in the
  workspace says anything like this clause.
* **rare category combination**: the clause's set of categories (two or more)
  co-occurs in at most ``rare_max_support`` stored clauses, although each of
  its categories on its own is common enough (``min_category_support``) for
  the absence to mean something; a single category never seen in the corpus
  is flagged too ("no stored clause is classified X").
* **outlier value**: a value (money, percent, duration, count) far from the
  corpus values of the same kind and unit, preferably from clauses that share
  a category with it. Robust z-score ``(x - median) / (1.4826 * MAD)`` on log10
  amounts (money, durations and counts span orders of magnitude; percentages
  are taken as they are). The scale has a floor (``log_scale_floor``,
  ``percent_scale_floor``) so that a corpus of identical values does not make
  every other value infinitely unusual. Contract amounts are so dispersed
  (a $1.50 unit price and a $300M guarantee in one corpus) that z alone can
  miss an absurd figure, so a value more than ``range_factor`` times beyond
  the largest (or below the smallest) corpus value is an outlier too.

The detector is fitted on the corpus once and then asked about each clause,
so the compare page can flag clauses at no extra cost.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from core.domain import Clause, Serializable, Value

_TESTED_KINDS = ("money", "percent", "duration", "count")
_LOG_KINDS = ("money", "duration", "count")


@dataclass(frozen=True)
class UnusualFlag(Serializable):
    """Why a clause is unusual (``kind``: no_counterpart | rare_categories | outlier_value)."""

    kind: str
    reason: str
    numbers: dict[str, Any]


def amount_of(value: Value) -> float | None:
    """A value's amount as a float; stored JSON spells infinity "inf" (perpetual terms)."""
    try:
        return None if value.amount is None else float(value.amount)
    except (TypeError, ValueError):
        return None


def _value_scale(value: Value) -> float | None:
    """The number the outlier test works on (None: not testable)."""
    amount = amount_of(value)
    if value.kind not in _TESTED_KINDS or amount is None or not math.isfinite(amount):
        return None
    if value.kind in _LOG_KINDS:
        return math.log10(amount) if amount > 0 else None
    return amount


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


class UnusualDetector:
    """Fit on the corpus clauses (never the document under test); then ``flags(clause, best)``.

    Fitted attributes: ``n_clauses_``, ``category_counts_`` (Counter of single
    categories), ``category_sets_`` (list of frozensets, one per clause) and
    ``values_`` (kind, unit) -> list of (scaled value, category set).
    """

    def __init__(
        self,
        no_counterpart_below: float = 0.45,
        rare_max_support: int = 0,
        min_category_support: int = 3,
        z_threshold: float = 3.5,
        min_values: int = 5,
        log_scale_floor: float = 0.15,
        percent_scale_floor: float = 2.0,
        range_factor: float = 10.0,
    ):
        self.no_counterpart_below = no_counterpart_below
        self.rare_max_support = rare_max_support
        self.min_category_support = min_category_support
        self.z_threshold = z_threshold
        self.min_values = min_values
        self.log_scale_floor = log_scale_floor
        self.percent_scale_floor = percent_scale_floor
        self.range_factor = range_factor

    def fit(self, corpus: Iterable[Clause]) -> "UnusualDetector":
        clauses = list(corpus)
        self.n_clauses_ = len(clauses)
        self.category_sets_ = [frozenset(c.category_names) for c in clauses]
        self.category_counts_ = Counter(name for s in self.category_sets_ for name in s)
        values: dict[tuple[str, str], list[tuple[float, frozenset[str]]]] = {}
        for clause, cats in zip(clauses, self.category_sets_):
            for v in clause.values:
                x = _value_scale(v)
                if x is not None:
                    values.setdefault((v.kind, v.unit), []).append((x, cats))
        self.values_ = values
        return self

    # -- the three tests --------------------------------------------------
    def no_counterpart(self, best_similarity: float | None, best_source: str = "") -> UnusualFlag | None:
        if best_similarity is None:
            return UnusualFlag("no_counterpart", "no stored clause to compare with", {"corpus_clauses": self.n_clauses_})
        if best_similarity >= self.no_counterpart_below:
            return None
        return UnusualFlag(
            "no_counterpart",
            f"no counterpart: the closest stored clause{f' ({best_source})' if best_source else ''} is only "
            f"{best_similarity:.2f} similar (threshold {self.no_counterpart_below:.2f})",
            {"best_similarity": round(best_similarity, 4), "threshold": self.no_counterpart_below, "corpus_clauses": self.n_clauses_},
        )

    def rare_categories(self, clause: Clause) -> UnusualFlag | None:
        names = frozenset(clause.category_names)
        if not names or self.n_clauses_ == 0:
            return None
        singles = {n: self.category_counts_.get(n, 0) for n in sorted(names)}
        unseen = [n for n, count in singles.items() if count == 0]
        if unseen:
            return UnusualFlag(
                "rare_categories",
                f"no stored clause (of {self.n_clauses_}) is classified {', '.join(unseen)}",
                {"categories": singles, "corpus_clauses": self.n_clauses_},
            )
        if len(names) < 2 or min(singles.values()) < self.min_category_support:
            return None
        support = sum(1 for s in self.category_sets_ if names <= s)
        if support > self.rare_max_support:
            return None
        expected = self.n_clauses_ * math.prod(c / self.n_clauses_ for c in singles.values())
        return UnusualFlag(
            "rare_categories",
            f"rare combination: {' + '.join(sorted(names))} appear together in {support} of {self.n_clauses_} stored clauses "
            f"(separately in {', '.join(str(c) for c in singles.values())}; about {expected:.1f} expected by chance)",
            {"combination_support": support, "categories": singles, "expected_by_chance": round(expected, 2), "corpus_clauses": self.n_clauses_},
        )

    def outlier_values(self, clause: Clause) -> list[UnusualFlag]:
        flags = []
        cats = frozenset(clause.category_names)
        for v in clause.values:
            x = _value_scale(v)
            pool = self.values_.get((v.kind, v.unit), []) if x is not None else []
            if not pool:
                continue
            related = [val for val, c in pool if c & cats]
            sample, scope = (related, "clauses of the same category") if len(related) >= self.min_values else ([val for val, _ in pool], "stored clauses")
            if len(sample) < self.min_values:
                continue
            arr = np.asarray(sample, dtype=float)
            median = float(np.median(arr))
            mad = float(np.median(np.abs(arr - median)))
            floor = self.log_scale_floor if v.kind in _LOG_KINDS else self.percent_scale_floor
            scale = max(1.4826 * mad, floor)
            z = (x - median) / scale
            lo, hi = float(np.min(arr)), float(np.max(arr))
            if v.kind in _LOG_KINDS:
                margin = math.log10(self.range_factor)
                beyond = x > hi + margin or x < lo - margin
                typical, lo, hi = 10**median, 10**lo, 10**hi
            else:
                beyond = False  # percentages are bounded; the z-score speaks for them
                typical = median
            if abs(z) <= self.z_threshold and not beyond:
                continue
            unit = "%" if v.kind == "percent" else f" {v.unit}"
            why = f"robust z = {z:+.1f}"
            if beyond:
                factor = (amount_of(v) or 0.0) / hi if z > 0 else lo / max(amount_of(v) or 1e-12, 1e-12)
                why += f"; {factor:,.0f} times {'the largest' if z > 0 else 'below the smallest'} value"
            flags.append(
                UnusualFlag(
                    "outlier_value",
                    f"outlier value: {v.text.strip()} is far {'above' if z > 0 else 'below'} the {len(sample)} {v.kind} values in {scope} "
                    f"(median {_fmt(typical)}{unit}, range {_fmt(lo)} to {_fmt(hi)}; {why})",
                    {"value": amount_of(v), "unit": v.unit, "kind": v.kind, "text": v.text, "robust_z": round(z, 2),
                     "median": typical, "min": lo, "max": hi, "n": len(sample), "scope": scope, "threshold": self.z_threshold,
                     "beyond_range": beyond, "range_factor": self.range_factor},
                )
            )
        return flags

    def flags(self, clause: Clause, best_similarity: float | None, best_source: str = "") -> tuple[UnusualFlag, ...]:
        """Every test that fires for ``clause``; ``best_similarity`` is its best corpus cosine."""
        found = [self.no_counterpart(best_similarity, best_source), self.rare_categories(clause)]
        return tuple(f for f in found if f is not None) + tuple(self.outlier_values(clause))
