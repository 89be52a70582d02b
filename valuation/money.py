"""From score points to money: uplift x the buyer's value per point, with Monte Carlo.

Why Monte Carlo: each input is uncertain in a different way - the uplift
(bootstrap of the power-law fit), what a point of model quality is worth to the
buyer (a judgement: lognormal around an editable median) and how many members
consent (uniform between two shares). Multiplying medians would hide that;
sampling all three gives an honest P10/P50/P90.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from core.domain import ValueEstimate
from core.errors import DeskError


class MoneyBridge:
    """``value = value_per_point x uplift_points(consent_share)`` over ``n_draws`` draws.

    * value per point (USD per score point per year): lognormal, median
      ``value_per_point_usd``, log-sd ``value_per_point_sigma`` (0 = fixed);
    * consent share: uniform on [``consent_low``, ``consent_high``];
    * uplift: ``uplift_fn(consent_share, rng)`` returns one uplift draw (in
      score points) per consent share - e.g. one bootstrap power-law fit per draw.
    """

    def __init__(self, value_per_point_usd: float, value_per_point_sigma: float = 0.5,
                 consent_low: float = 1.0, consent_high: float = 1.0, n_draws: int = 1000, random_state: int = 0):
        self.value_per_point_usd = value_per_point_usd
        self.value_per_point_sigma = value_per_point_sigma
        self.consent_low = consent_low
        self.consent_high = consent_high
        self.n_draws = n_draws
        self.random_state = random_state

    def fit(self, uplift_fn: Callable[[np.ndarray, np.random.Generator], np.ndarray]) -> "MoneyBridge":
        if not 0 <= self.consent_low <= self.consent_high <= 1:
            raise DeskError("consent share", "need 0 <= low <= high <= 1")
        if self.value_per_point_usd < 0 or self.value_per_point_sigma < 0:
            raise DeskError("value per point", "must be non-negative")
        rng = np.random.default_rng(self.random_state)
        vpp = self.value_per_point_usd * np.exp(self.value_per_point_sigma * rng.standard_normal(self.n_draws))
        share = rng.uniform(self.consent_low, self.consent_high, self.n_draws)
        uplift = np.asarray(uplift_fn(share, rng), dtype=float)
        self.draws_ = vpp * uplift
        self.uplift_draws_ = uplift
        self.p10_, self.p50_, self.p90_ = (float(x) for x in np.quantile(self.draws_, [0.1, 0.5, 0.9]))
        return self

    def to_estimate(self, inputs: dict | None = None, evidence: tuple[str, ...] = (), notes: tuple[str, ...] = (),
                    sample_size: int | None = None, converged: bool | None = None) -> ValueEstimate:
        return ValueEstimate(
            method="data_counterfactual", p10=self.p10_, p50=self.p50_, p90=self.p90_, unit="USD/year",
            inputs={**(inputs or {}), "uplift_points_p10_p50_p90": [float(x) for x in np.quantile(self.uplift_draws_, [0.1, 0.5, 0.9])]},
            assumptions={"value_per_point_usd": f"lognormal(median={self.value_per_point_usd:.6g}, sigma={self.value_per_point_sigma})",
                         "consent_share": f"uniform({self.consent_low}, {self.consent_high})",
                         "uplift": "bootstrap distribution of the power-law fit", "draws": self.n_draws,
                         "seed": self.random_state},
            evidence=evidence, notes=notes, sample_size=sample_size, converged=converged)


def power_law_uplift_fn(power_law, buyer_scale_n: float, collective_n: float, points_per_unit: float = 100.0):
    """Uplift sampler for :class:`MoneyBridge`: a random bootstrap fit per draw,
    evaluated at the consenting share of the collective's volume."""
    params = power_law.boot_params_

    def fn(share: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        p = params[rng.integers(0, len(params), len(share))]
        f = lambda n: p[:, 0] - p[:, 1] * np.power(n, -p[:, 2])  # noqa: E731
        return points_per_unit * (f(buyer_scale_n + share * collective_n) - f(float(buyer_scale_n)))

    return fn
