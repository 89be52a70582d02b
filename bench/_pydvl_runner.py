"""Runs pyDVL on the benchmark's .npz files; executed by bench/valuation.py with the
pyDVL virtualenv's python (pyDVL pins numpy<2, so it cannot share our environment).

Usage: python _pydvl_runner.py knn|perm IN.npz OUT.npz
"""

import sys
import time

import numpy as np
from joblib import parallel_config
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

from pydvl.valuation import (Dataset, KNNShapleyValuation, MaxUpdates, ModelUtility, PermutationSampler,
                             ShapleyValuation, SupervisedScorer)


def main(kind: str, src: str, dst: str) -> None:
    d = np.load(src)
    train, test = Dataset(d["x_train"], d["y_train"]), Dataset(d["x_test"], d["y_test"])
    with parallel_config(n_jobs=1):
        if kind == "knn":  # best of `repeats` runs, as for ours: the machine is shared
            times = []
            for _ in range(int(d["repeats"])):
                t = time.perf_counter()
                v = KNNShapleyValuation(KNeighborsClassifier(n_neighbors=int(d["k"])), test_data=test, progress=False)
                v.fit(train)
                times.append(time.perf_counter() - t)
            elapsed = min(times)
        else:
            t = time.perf_counter()
            scorer = SupervisedScorer("accuracy", test_data=test, default=0.0, range=(0, 1))
            utility = ModelUtility(GaussianNB(), scorer, show_warnings=False)
            sampler = PermutationSampler(seed=int(d["seed"]))
            v = ShapleyValuation(utility, sampler, MaxUpdates(int(d["n_permutations"])), progress=False,
                                 show_warnings=False)
            v.fit(train)
            elapsed = time.perf_counter() - t
    res = v.result
    order = np.argsort(res.indices)  # back to training-row order, whatever the result's sorting
    np.savez(dst, values=res.values[order], stderr=res.stderr[order], counts=res.counts[order], seconds=elapsed)


if __name__ == "__main__":
    main(*sys.argv[1:4])
