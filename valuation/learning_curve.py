"""Learning curves and the power law ``score(n) = a - b * n^(-c)``.

Why a power law: model quality grows with data with diminishing returns, and
the buyer trains at a scale far beyond any sample we can score on, so the
uplift must be extrapolated. The fit is uncertain, so we bootstrap the curve
points and carry the whole bootstrap distribution of the uplift into the money
bridge instead of a single number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import least_squares
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from core.errors import DeskError

from .datasets import Sample, SampleSplit, split_sample


def power_law(n: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    return a - b * np.power(np.asarray(n, dtype=float), -c)


def _power_law_jac(n: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    p = np.power(n, -c)
    return np.column_stack([np.ones_like(n), -p, b * p * np.log(n)])


def _fit_once(n: np.ndarray, s: np.ndarray, p0: tuple[float, float, float] | None = None,
              max_nfev: int = 200) -> np.ndarray:
    """Bounded least squares (b >= 0, 0 < c <= 3). A flat, noisy curve leaves b and
    c poorly identified; the iteration cap keeps such fits cheap, and the
    bootstrap spread then shows the uncertainty instead of hiding it."""
    n, s = np.asarray(n, float), np.asarray(s, float)
    if p0 is None:
        a0 = s.max() + 0.05 * max(abs(s.max()), 1e-3)
        c0 = 0.5
        b0 = max((a0 - s.min()) * n.min() ** c0, 1e-6)
        p0 = (a0, b0, c0)
    lo, hi = np.array([-np.inf, 0.0, 1e-3]), np.array([np.inf, np.inf, 3.0])
    x0 = np.clip(np.asarray(p0, float), lo + 1e-12, hi - 1e-12)
    res = least_squares(lambda p: power_law(n, *p) - s, x0, jac=lambda p: _power_law_jac(n, *p),
                        bounds=(lo, hi), x_scale="jac", max_nfev=max_nfev)
    if not np.all(np.isfinite(res.x)):
        raise ValueError("power-law fit diverged")
    return res.x


class PowerLawFit:
    """Least-squares power-law fit with a bootstrap over the curve points."""

    def __init__(self, n_bootstrap: int = 200, random_state: int = 0):
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    def fit(self, n: np.ndarray, score: np.ndarray) -> "PowerLawFit":
        n, score = np.asarray(n, float), np.asarray(score, float)
        if len(np.unique(n)) < 3:
            raise DeskError("learning curve", "need at least 3 distinct sizes to fit a power law")
        self.a_, self.b_, self.c_ = _fit_once(n, score)
        rng = np.random.default_rng(self.random_state)
        boots = []
        for _ in range(self.n_bootstrap):
            pick = rng.integers(0, len(n), len(n))
            if len(np.unique(n[pick])) < 3:
                continue
            try:
                boots.append(_fit_once(n[pick], score[pick], p0=(self.a_, self.b_, self.c_)))
            except (RuntimeError, ValueError):
                continue  # a resample the optimiser cannot fit is dropped, and counted
        self.boot_params_ = np.array(boots) if boots else np.array([[self.a_, self.b_, self.c_]])
        self.n_failed_bootstrap_ = self.n_bootstrap - len(boots)
        self.residual_sd_ = float(np.std(score - self.predict(n), ddof=min(3, len(n) - 1)))
        return self

    def predict(self, n: Any) -> np.ndarray:
        return power_law(np.asarray(n, float), self.a_, self.b_, self.c_)

    def band(self, n: Any, level: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
        """Pointwise bootstrap band of the fitted curve."""
        n = np.atleast_1d(np.asarray(n, float))
        curves = np.array([power_law(n, *p) for p in self.boot_params_])
        q = (1 - level) / 2
        return np.quantile(curves, q, axis=0), np.quantile(curves, 1 - q, axis=0)

    def uplift(self, n_base: float, n_added: float) -> float:
        return float(self.predict(n_base + n_added) - self.predict(n_base))

    def uplift_samples(self, n_base: float, n_added: np.ndarray | float) -> np.ndarray:
        """Bootstrap draws of the uplift; ``n_added`` may be one value per draw."""
        p = self.boot_params_
        n_added = np.broadcast_to(np.asarray(n_added, float), (len(p),))
        return power_law(n_base + n_added, p[:, 0], p[:, 1], p[:, 2]) - power_law(n_base, p[:, 0], p[:, 1], p[:, 2])


def default_text_model(random_state: int = 0) -> Any:
    """The buyer-side stand-in: TF-IDF + logistic regression."""
    return make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2),
                         LogisticRegression(max_iter=1000, random_state=random_state))


class LearningCurve:
    """Score vs training size, with and without the collective's rows.

    The curve is measured on random subsets of base + collective rows of
    growing size (``n_repeats`` per size) and fitted with :class:`PowerLawFit`.
    ``score_without_`` trains on the base rows only, ``score_with_`` on base +
    collective: the measured uplift at the sample's own scale.
    """

    def __init__(self, model: Any = None, n_sizes: int = 7, n_repeats: int = 3, min_size: int = 50,
                 n_bootstrap: int = 200, random_state: int = 0):
        self.model = model
        self.n_sizes = n_sizes
        self.n_repeats = n_repeats
        self.min_size = min_size
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    def fit(self, sample: Sample, split: SampleSplit | None = None, progress=None) -> "LearningCurve":
        split = split or split_sample(sample, random_state=self.random_state)
        model = self.model if self.model is not None else (
            default_text_model(self.random_state) if sample.text else LogisticRegression(max_iter=1000))
        X, y = sample.X, sample.y
        take = (lambda idx: [X[i] for i in idx]) if isinstance(X, list) else (lambda idx: X[idx])
        X_test, y_test = take(split.test), y[split.test]
        pool = np.concatenate([split.base, split.collective])
        rng = np.random.default_rng(self.random_state)
        top = len(pool)
        sizes = np.unique(np.geomspace(min(self.min_size, top // 4), top, self.n_sizes).astype(int))
        ns, scores = [], []
        total = len(sizes) * self.n_repeats + 2
        done = 0

        def score_on(idx: np.ndarray) -> float:
            if len(np.unique(y[idx])) < 2:
                return float(np.mean(y_test == y[idx][0]))
            m = clone(model).fit(take(idx), y[idx])
            return float(m.score(X_test, y_test))

        for size in sizes:
            for r in range(self.n_repeats if size < top else 1):
                idx = rng.choice(pool, size, replace=False)
                ns.append(size)
                scores.append(score_on(idx))
                done += 1
                if progress:
                    progress(done / total, f"learning curve: {size} rows")
        self.sizes_ = np.array(ns)
        self.scores_ = np.array(scores)
        self.score_without_ = score_on(split.base)
        self.score_with_ = score_on(pool)
        self.measured_uplift_ = self.score_with_ - self.score_without_
        self.n_base_ = len(split.base)
        self.n_collective_ = len(split.collective)
        self.n_test_ = len(split.test)
        self.power_law_ = PowerLawFit(self.n_bootstrap, self.random_state).fit(self.sizes_, self.scores_)
        return self

    def extrapolated_uplift(self, buyer_scale_n: float, collective_n: float, level: float = 0.8) -> dict[str, float]:
        """Score points gained by adding ``collective_n`` rows to ``buyer_scale_n`` rows."""
        draws = self.power_law_.uplift_samples(buyer_scale_n, collective_n)
        q = (1 - level) / 2
        return {"point": self.power_law_.uplift(buyer_scale_n, collective_n),
                "low": float(np.quantile(draws, q)), "high": float(np.quantile(draws, 1 - q))}
