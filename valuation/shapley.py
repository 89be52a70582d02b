"""Data values: exact KNN-Shapley, permutation Shapley, Banzhaf, leave-one-out.

Why several methods: KNN-Shapley is exact and fast but only for a KNN
surrogate; permutation (Monte Carlo) Shapley and Banzhaf work for any
scikit-learn model but are estimates, so they report a standard error per
value and whether the stopping rule was met (``converged_``). Players are
whatever the game says: rows, or members (groups of rows) - a collective is
paid per member, so :class:`ModelUtility` takes a player id per row.

A *game* is any callable ``game(mask: np.ndarray[bool]) -> float`` with an
``n_players`` attribute; :class:`ModelUtility` is the one backed by a model.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Protocol

import numpy as np
from sklearn.base import clone

from core.errors import DeskError


class Game(Protocol):
    n_players: int

    def __call__(self, mask: np.ndarray) -> float: ...


# --------------------------------------------------------------------------- KNN

def knn_shapley(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray,
                n_neighbors: int = 5, batch_size: int = 4) -> np.ndarray:
    """Exact KNN-Shapley values (Jia et al. 2019, Theorem 1), averaged over test points.

    Utility of a set S for one test point: the fraction of its K nearest
    neighbours in S that carry the test label. Neighbours are ordered by
    Euclidean distance (stable sort: ties go to the lower training index).
    Small test batches keep the distance and order matrices in cache, which
    matters more than vectorising over many test points at once.
    The recursion runs from the farthest point inward:
    ``s[N] = 1[y_N = y]/N``, ``s[i] = s[i+1] + (1[y_i=y] - 1[y_{i+1}=y]) / max(K, i)``.
    """
    x_train = np.asarray(x_train, dtype=float).reshape(len(y_train), -1)
    x_test = np.asarray(x_test, dtype=float).reshape(len(y_test), -1)
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    n = len(y_train)
    if n == 0 or len(y_test) == 0:
        raise DeskError("knn_shapley", "needs at least one training and one test point")
    ranks = np.arange(1, n + 1, dtype=float)
    denom = np.maximum(float(n_neighbors), ranks[:-1])  # for positions 1..N-1
    values = np.zeros(n)
    sq_train = np.einsum("ij,ij->i", x_train, x_train)
    for start in range(0, len(y_test), batch_size):
        xt, yt = x_test[start:start + batch_size], y_test[start:start + batch_size]
        # |a-b|^2 = |a|^2 + |b|^2 - 2ab is fast; exactness of the ordering only matters for ties.
        d2 = sq_train[None, :] - 2.0 * xt @ x_train.T + np.einsum("ij,ij->i", xt, xt)[:, None]
        order = np.argsort(d2, axis=1, kind="stable")
        match = (y_train[order] == yt[:, None]).astype(float)
        steps = (match[:, :-1] - match[:, 1:]) / denom
        s = np.empty_like(match)
        s[:, -1] = match[:, -1] / n
        s[:, :-1] = s[:, -1:] + np.cumsum(steps[:, ::-1], axis=1)[:, ::-1]
        values += np.bincount(order.ravel(), weights=s.ravel(), minlength=n)
    return values / len(y_test)


class KNNShapley:
    """Exact KNN-Shapley as an estimator: ``fit(X, y, X_test, y_test)`` sets ``values_``."""

    def __init__(self, n_neighbors: int = 5, batch_size: int = 4):
        self.n_neighbors = n_neighbors
        self.batch_size = batch_size

    def fit(self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray, y_test: np.ndarray) -> "KNNShapley":
        self.values_ = knn_shapley(X, y, X_test, y_test, self.n_neighbors, self.batch_size)
        self.stderr_ = np.zeros_like(self.values_)
        self.converged_ = True
        self.n_evaluations_ = 0
        return self


# --------------------------------------------------------------------------- games

class CachedCoalitions:
    """Scores each coalition (a boolean mask over players) once: Shapley methods ask again and again."""

    cache: dict[bytes, float]  # subclasses create it and define ``_score(mask) -> float``

    def __call__(self, mask: np.ndarray) -> float:
        mask = np.asarray(mask, dtype=bool)
        key = np.packbits(mask).tobytes()
        if key not in self.cache:
            self.cache[key] = self._score(mask)
        return self.cache[key]


class ModelUtility(CachedCoalitions):
    """Score of a model trained on the rows of a coalition of players (+ base rows).

    ``players`` gives a player id (0..P-1) per training row, or -1 for base rows
    that are always in the training set (the buyer's own data). The score is
    on a fixed test set; results are cached per coalition, so exact
    enumeration and repeated Monte Carlo coalitions cost one fit each.
    A coalition whose rows have a single class predicts that class; an empty
    training set scores ``empty_score``.
    """

    def __init__(self, model: Any, X: Any, y: np.ndarray, X_test: Any, y_test: np.ndarray,
                 players: np.ndarray | None = None, scorer: Callable[[Any, Any, np.ndarray], float] | None = None,
                 empty_score: float = 0.0):
        self.model, self.X, self.y = model, X, np.asarray(y)
        self.X_test, self.y_test = X_test, np.asarray(y_test)
        self.players = np.arange(len(self.y)) if players is None else np.asarray(players)
        self.n_players = int(self.players.max()) + 1 if (self.players >= 0).any() else 0
        self.scorer = scorer
        self.empty_score = float(empty_score)
        self.cache: dict[bytes, float] = {}
        self.n_fits = 0
        self._rows_of = [np.flatnonzero(self.players == p) for p in range(self.n_players)]
        self._base_rows = np.flatnonzero(self.players < 0)

    def rows(self, mask: np.ndarray) -> np.ndarray:
        parts = [self._base_rows] + [self._rows_of[p] for p in np.flatnonzero(mask)]
        return np.sort(np.concatenate(parts)) if parts else np.array([], dtype=int)

    def _score(self, mask: np.ndarray) -> float:
        idx = self.rows(mask)
        if len(idx) == 0:
            return self.empty_score
        y = self.y[idx]
        classes = np.unique(y)
        if len(classes) == 1:
            return float(np.mean(self.y_test == classes[0]))
        model = clone(self.model)
        model.fit(_take(self.X, idx), y)
        self.n_fits += 1
        if self.scorer is not None:
            return float(self.scorer(model, self.X_test, self.y_test))
        return float(model.score(self.X_test, self.y_test))


def _take(X: Any, idx: np.ndarray) -> Any:
    if hasattr(X, "iloc"):
        return X.iloc[idx]
    if isinstance(X, list):
        return [X[i] for i in idx]
    return X[idx]


def game_from_function(n_players: int, fn: Callable[[frozenset[int]], float]) -> Game:
    """A game from a set function (for closed-form games and tests)."""

    class _FnGame:
        def __init__(self) -> None:
            self.n_players = n_players

        def __call__(self, mask: np.ndarray) -> float:
            return float(fn(frozenset(np.flatnonzero(mask).tolist())))

    return _FnGame()


# --------------------------------------------------------------------------- exact

def _all_coalition_values(game: Game) -> np.ndarray:
    n = game.n_players
    if n > 20:
        raise DeskError("exact enumeration", f"{n} players is too many (2^{n} coalitions); use a Monte Carlo method")
    masks = np.arange(2 ** n)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    return np.array([game(b) for b in bits]), masks


def exact_shapley(game: Game) -> np.ndarray:
    """Shapley values by enumerating all 2^n coalitions (fine up to ~12-16 players)."""
    n = game.n_players
    v, masks = _all_coalition_values(game)
    size = np.array([bin(m).count("1") for m in masks])
    w = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) if s < n else 0.0
                  for s in range(n + 1)])
    phi = np.zeros(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        phi[i] = np.sum(w[size[without]] * (v[without | (1 << i)] - v[without]))
    return phi


def exact_banzhaf(game: Game) -> np.ndarray:
    """Banzhaf values: the mean marginal contribution over all coalitions of the others."""
    n = game.n_players
    v, masks = _all_coalition_values(game)
    out = np.zeros(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        out[i] = np.mean(v[without | (1 << i)] - v[without])
    return out


class ExactShapley:
    """Exact Shapley by enumeration, with the same fitted attributes as the estimators."""

    def fit(self, game: Game) -> "ExactShapley":
        self.values_ = exact_shapley(game)
        self.stderr_ = np.zeros_like(self.values_)
        self.converged_ = True
        self.n_evaluations_ = 2 ** game.n_players
        return self


# --------------------------------------------------------------------------- Monte Carlo

class _RunningMoments:
    """Per-player running mean and variance (Welford), for standard errors."""

    def __init__(self, n: int):
        self.count = np.zeros(n)
        self.mean = np.zeros(n)
        self.m2 = np.zeros(n)

    def add(self, x: np.ndarray, where: np.ndarray | None = None) -> None:
        where = np.ones(len(x), dtype=bool) if where is None else where
        self.count[where] += 1
        delta = x[where] - self.mean[where]
        self.mean[where] += delta / self.count[where]
        self.m2[where] += delta * (x[where] - self.mean[where])

    def stderr(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.where(self.count > 1, self.m2 / np.maximum(self.count - 1, 1), np.inf)
            return np.sqrt(var / np.maximum(self.count, 1))


class PermutationShapley:
    """Monte Carlo Shapley over random permutations, optionally truncated (TMC).

    Stopping rule: every ``check_every`` permutations (after ``min_permutations``)
    stop when the largest standard error is below ``tolerance``; otherwise stop
    at ``max_permutations`` with ``converged_ = False``. With
    ``truncation_tol`` set, a permutation stops once the prefix score is within
    ``truncation_tol * |v(N)|`` of the full score (Ghorbani & Zou 2019): faster,
    slightly biased, so it is off by default.
    """

    def __init__(self, max_permutations: int = 500, tolerance: float = 0.01, min_permutations: int = 20,
                 check_every: int = 10, truncation_tol: float | None = None, random_state: int = 0):
        self.max_permutations = max_permutations
        self.tolerance = tolerance
        self.min_permutations = min_permutations
        self.check_every = check_every
        self.truncation_tol = truncation_tol
        self.random_state = random_state

    def fit(self, game: Game) -> "PermutationShapley":
        n = game.n_players
        rng = np.random.default_rng(self.random_state)
        moments = _RunningMoments(n)
        full = np.ones(n, dtype=bool)
        v_full = game(full) if self.truncation_tol is not None else None
        v_empty = game(np.zeros(n, dtype=bool))
        self.converged_ = False
        evaluations = 0
        t = 0
        for t in range(1, self.max_permutations + 1):
            perm = rng.permutation(n)
            mask = np.zeros(n, dtype=bool)
            marg = np.zeros(n)
            prev = v_empty
            for j, p in enumerate(perm):
                if v_full is not None and abs(v_full - prev) <= self.truncation_tol * abs(v_full):
                    break  # the rest contribute (approximately) nothing
                mask[p] = True
                cur = game(mask)
                evaluations += 1
                marg[p] = cur - prev
                prev = cur
            moments.add(marg)
            if t >= self.min_permutations and t % self.check_every == 0:
                if np.max(moments.stderr()) < self.tolerance:
                    self.converged_ = True
                    break
        self.values_ = moments.mean.copy()
        self.stderr_ = moments.stderr()
        self.n_permutations_ = t
        self.n_evaluations_ = evaluations
        return self


class BanzhafMSR:
    """Banzhaf values by Maximum Sample Reuse (Wang & Jia 2023).

    Each sampled coalition (every player in with probability 1/2) is evaluated
    once and used for every player: ``v_i = mean(v | i in S) - mean(v | i not in S)``.
    Standard error from both means; same stopping rule as :class:`PermutationShapley`.
    """

    def __init__(self, max_samples: int = 2000, tolerance: float = 0.01, min_samples: int = 50,
                 check_every: int = 50, random_state: int = 0):
        self.max_samples = max_samples
        self.tolerance = tolerance
        self.min_samples = min_samples
        self.check_every = check_every
        self.random_state = random_state

    def fit(self, game: Game) -> "BanzhafMSR":
        n = game.n_players
        rng = np.random.default_rng(self.random_state)
        inside, outside = _RunningMoments(n), _RunningMoments(n)
        self.converged_ = False
        t = 0
        for t in range(1, self.max_samples + 1):
            mask = rng.random(n) < 0.5
            u = np.full(n, game(mask))
            inside.add(u, mask)
            outside.add(u, ~mask)
            if t >= self.min_samples and t % self.check_every == 0:
                if np.max(self._stderr(inside, outside)) < self.tolerance:
                    self.converged_ = True
                    break
        self.values_ = inside.mean - outside.mean
        self.stderr_ = self._stderr(inside, outside)
        self.n_evaluations_ = t
        return self

    @staticmethod
    def _stderr(inside: _RunningMoments, outside: _RunningMoments) -> np.ndarray:
        return np.sqrt(inside.stderr() ** 2 + outside.stderr() ** 2)


class LeaveOneOut:
    """``v(N) - v(N \\ {i})``: cheap, exact, but blind to redundancy between players."""

    def fit(self, game: Game) -> "LeaveOneOut":
        n = game.n_players
        full = np.ones(n, dtype=bool)
        v_full = game(full)
        vals = np.zeros(n)
        for i in range(n):
            m = full.copy()
            m[i] = False
            vals[i] = v_full - game(m)
        self.values_ = vals
        self.stderr_ = np.zeros(n)
        self.converged_ = True
        self.n_evaluations_ = n + 1
        return self


def group_shapley(game: Game, max_exact_players: int = 12, random_state: int = 0,
                  max_permutations: int = 200, tolerance: float = 0.005) -> ExactShapley | PermutationShapley:
    """Exact enumeration for small games, permutation Shapley beyond ``max_exact_players``."""
    if game.n_players <= max_exact_players:
        return ExactShapley().fit(game)
    return PermutationShapley(max_permutations=max_permutations, tolerance=tolerance,
                              random_state=random_state).fit(game)
