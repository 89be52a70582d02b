"""Split deal proceeds among members: by Shapley value, beside pro rata by volume.

Why both: pro rata by rows is what members expect; Shapley says whose data
actually moved the buyer's model. Showing them side by side, with the
difference explained per member, lets the collective choose openly.
Rules: negative Shapley values are floored at zero (a member is never billed
for adding data; its share is 0 instead), opted-out members get nothing and
their data must already be excluded from the values, and each split sums to
the proceeds to the cent by largest-remainder rounding in integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

import numpy as np

from core.errors import DeskError


@dataclass(frozen=True)
class MemberPayout:
    member: str
    rows: int
    shapley_value: float | None
    shapley_share: float
    shapley_cents: int
    pro_rata_share: float
    pro_rata_cents: int
    difference_cents: int
    opted_out: bool
    explanation: str


def largest_remainder_cents(total_cents: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Integer cents proportional to ``weights`` that sum to ``total_cents`` exactly.

    Floors first, then hands the leftover cents to the largest fractional
    parts (ties by member name, so the result is deterministic)."""
    names = sorted(weights)
    w = np.array([max(float(weights[n]), 0.0) for n in names])
    if w.sum() <= 0:
        raise DeskError("payout", "no member has a positive weight")
    dec = [Decimal(float(x)) for x in w]  # exact binary values, so the parts add up to the whole
    exact = [Decimal(total_cents) * d / sum(dec) for d in dec]
    floors = [int(e) for e in exact]
    left = total_cents - sum(floors)
    order = sorted(range(len(names)), key=lambda i: (-(exact[i] - floors[i]), names[i]))
    for i in order[:left]:
        floors[i] += 1
    return dict(zip(names, floors))


def split_proceeds(proceeds: float | str | Decimal, shapley_values: Mapping[str, float],
                   rows: Mapping[str, int], opted_out: tuple[str, ...] | frozenset[str] = ()) -> list[MemberPayout]:
    """Both splits for every member in ``rows`` (opted-out members included, at 0)."""
    total = int((Decimal(str(proceeds)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if total < 0:
        raise DeskError("payout", "proceeds must be non-negative")
    opted = set(opted_out)
    active = [m for m in rows if m not in opted]
    if not active:
        raise DeskError("payout", "every member opted out")
    missing = [m for m in active if m not in shapley_values]
    if missing:
        raise DeskError(f"payout: member {missing[0]}", "has no Shapley value")
    floored = {m: max(float(shapley_values[m]), 0.0) for m in active}
    volume = {m: float(rows[m]) for m in active}
    pro = largest_remainder_cents(total, volume)
    note = ""
    if sum(floored.values()) > 0:
        shap = largest_remainder_cents(total, floored)
    else:  # nobody adds value on this test set: Shapley cannot split, fall back openly
        shap, note = dict(pro), " (no member has a positive Shapley value: Shapley split falls back to pro rata)"
    s_tot, v_tot = sum(floored.values()), sum(volume.values())
    out = []
    for m in rows:
        if m in opted:
            out.append(MemberPayout(m, int(rows[m]), None, 0.0, 0, 0.0, 0, 0, True,
                                    "opted out: paid nothing, its data excluded from the valuation"))
            continue
        s_share = floored[m] / s_tot if s_tot > 0 else volume[m] / v_tot
        v_share = volume[m] / v_tot
        diff = shap[m] - pro[m]
        out.append(MemberPayout(m, int(rows[m]), float(shapley_values[m]), s_share, shap[m], v_share, pro[m], diff,
                                False, _explain(float(shapley_values[m]), s_share, v_share) + note))
    return out


def _explain(value: float, s_share: float, v_share: float) -> str:
    if value < 0:
        return (f"Shapley value {value:+.4g} is negative (its rows slightly lowered the test score): floored at 0, "
                f"so it gets nothing by value against {v_share:.1%} by volume")
    ratio = s_share / v_share if v_share else float("inf")
    if ratio > 1.1:
        why = "its data adds more to the model than its row count suggests"
    elif ratio < 0.9:
        why = "its data adds less than its row count suggests (redundant with others' or noisier)"
    else:
        why = "value and volume agree"
    return f"{s_share:.1%} by value vs {v_share:.1%} by volume ({ratio:.2f}x): {why}"
