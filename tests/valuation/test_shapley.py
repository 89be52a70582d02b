"""Known-answer tests for the data-value methods."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from valuation.shapley import (BanzhafMSR, ExactShapley, KNNShapley, LeaveOneOut, ModelUtility,
                               PermutationShapley, exact_banzhaf, exact_shapley, game_from_function,
                               group_shapley, knn_shapley)


def brute_force_shapley(n: int, v) -> np.ndarray:
    """Shapley by the permutation definition, written independently of the module."""
    phi = np.zeros(n)
    perms = list(itertools.permutations(range(n)))
    for perm in perms:
        seen: set[int] = set()
        for p in perm:
            before = v(frozenset(seen))
            seen.add(p)
            phi[p] += v(frozenset(seen)) - before
    return phi / len(perms)


def glove(s: frozenset[int]) -> float:
    return float(min(len(s & {0, 1}), len(s & {2})))


def test_glove_game_closed_form():
    phi = exact_shapley(game_from_function(3, glove))
    np.testing.assert_allclose(phi, [1 / 6, 1 / 6, 2 / 3], atol=1e-12)


def test_airport_game_closed_form():
    costs = np.array([1.0, 3.0, 4.0, 8.0, 10.0])
    game = game_from_function(5, lambda s: max((costs[i] for i in s), default=0.0))
    expected, prev = np.zeros(5), 0.0
    for j, c in enumerate(costs):  # each runway segment is shared by those who need it
        expected[j:] += (c - prev) / (5 - j)
        prev = c
    np.testing.assert_allclose(exact_shapley(game), expected, atol=1e-12)
    np.testing.assert_allclose(exact_shapley(game).sum(), costs.max())


def _random_game(n: int, seed: int):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0, 1, n)
    pair = rng.uniform(-0.3, 0.3, (n, n))
    return lambda s: float(math.sqrt(sum(w[i] for i in s)) + sum(pair[i, j] for i in s for j in s if i < j))


@pytest.mark.parametrize("n", [4, 7])
def test_exact_enumeration_matches_permutation_definition(n):
    v = _random_game(n, n)
    np.testing.assert_allclose(exact_shapley(game_from_function(n, v)), brute_force_shapley(n, v), atol=1e-10)


def test_permutation_shapley_within_reported_standard_error():
    n = 10
    game = game_from_function(n, _random_game(n, 1))
    exact = exact_shapley(game)
    est = PermutationShapley(max_permutations=400, tolerance=1e-9, random_state=3).fit(game)
    assert est.n_permutations_ == 400 and est.converged_ is False  # tolerance unreachable: budget stop
    assert np.all(np.abs(est.values_ - exact) <= 4 * est.stderr_ + 1e-12)
    loose = PermutationShapley(max_permutations=400, tolerance=0.1, random_state=3).fit(game)
    assert loose.converged_ and loose.n_permutations_ < 400 and loose.stderr_.max() < 0.1


def test_banzhaf_msr_within_reported_standard_error():
    n = 8
    game = game_from_function(n, _random_game(n, 2))
    exact = exact_banzhaf(game)
    est = BanzhafMSR(max_samples=3000, tolerance=1e-9, random_state=0).fit(game)
    assert np.all(np.abs(est.values_ - exact) <= 4 * est.stderr_)
    # glove game Banzhaf by hand: a left glove is pivotal only in {right} (1 of 4 coalitions
    # of the others); the right glove in {L1}, {L2}, {L1, L2} (3 of 4)
    np.testing.assert_allclose(exact_banzhaf(game_from_function(3, glove)), [0.25, 0.25, 0.75])


def test_leave_one_out_on_glove_game():
    loo = LeaveOneOut().fit(game_from_function(3, glove))
    np.testing.assert_allclose(loo.values_, [0.0, 0.0, 1.0])


def _knn_utility(x_train, y_train, x_test, y_test, k):
    """Jia et al.'s KNN utility, averaged over the test points, by direct sorting."""
    def v(s: frozenset[int]) -> float:
        idx = np.array(sorted(s), dtype=int)
        if len(idx) == 0:
            return 0.0
        total = 0.0
        for xt, yt in zip(x_test, y_test):
            d = np.linalg.norm(x_train[idx] - xt, axis=1)
            nearest = idx[np.argsort(d, kind="stable")[:k]]
            total += np.sum(y_train[nearest] == yt) / k
        return total / len(y_test)
    return v


@pytest.mark.parametrize("k", [1, 2, 3])
def test_knn_shapley_matches_brute_force_definition(k):
    rng = np.random.default_rng(k)
    x_train, y_train = rng.normal(size=(6, 2)), rng.integers(0, 2, 6)
    x_test, y_test = rng.normal(size=(3, 2)), rng.integers(0, 2, 3)
    brute = brute_force_shapley(6, _knn_utility(x_train, y_train, x_test, y_test, k))
    fast = knn_shapley(x_train, y_train, x_test, y_test, n_neighbors=k)
    np.testing.assert_allclose(fast, brute, atol=1e-12)
    est = KNNShapley(n_neighbors=k).fit(x_train, y_train, x_test, y_test)
    assert est.converged_ and np.allclose(est.values_, fast)


def test_model_utility_groups_and_group_shapley():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=120) > 0).astype(int)
    players = np.repeat(np.arange(4), 25)
    players = np.concatenate([np.full(20, -1), players])  # 20 base rows, always in
    X_test = rng.normal(size=(80, 3))
    y_test = (X_test[:, 0] > 0).astype(int)
    util = ModelUtility(LogisticRegression(), X, y, X_test, y_test, players=players)
    assert util.n_players == 4
    res = group_shapley(util, max_exact_players=12)
    assert isinstance(res, ExactShapley)
    full, empty = util(np.ones(4, bool)), util(np.zeros(4, bool))
    assert res.values_.sum() == pytest.approx(full - empty)  # efficiency
    fits = util.n_fits
    util(np.ones(4, bool))
    assert util.n_fits == fits  # cached
