"""Benchmark our data-value methods against pyDVL, side by side, on the same data.

Run: ``.venv/bin/python bench/valuation.py`` (from the repo root). The first run
creates ``bench/.pydvl-venv`` (gitignored; pyDVL pins numpy<2 so it gets its own
environment; PyPI only) and installs ``pydvl==0.10.0 'numpy<2' scikit-learn``.
Each case is written to an .npz that both sides read; pyDVL runs in a
subprocess with that venv's python and times itself (imports excluded).

Goals: identical KNN-Shapley (max abs diff < 1e-9) and >= 10x faster at
10,000 training points; permutation Shapley reaching pyDVL's standard error
in no more wall time.
"""

from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # single-threaded on both sides, as pyDVL's subprocess is

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.naive_bayes import GaussianNB

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from valuation.shapley import ModelUtility, PermutationShapley, knn_shapley  # noqa: E402

VENV = ROOT / "bench" / ".pydvl-venv"
VENV_PY = VENV / "bin" / "python"
RUNNER = ROOT / "bench" / "_pydvl_runner.py"
PYDVL_PIN = "pydvl==0.10.0"


def ensure_pydvl_venv() -> None:
    if VENV_PY.exists() and subprocess.run([str(VENV_PY), "-c", "import pydvl"], capture_output=True).returncode == 0:
        return
    print(f"creating {VENV} and installing {PYDVL_PIN} (PyPI only)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV_PY), "-m", "pip", "install", "-q", PYDVL_PIN, "numpy<2", "scikit-learn"], check=True)
    (ROOT / "bench" / ".gitignore").write_text(".pydvl-venv/\n") if not (ROOT / "bench" / ".gitignore").exists() else None


def run_pydvl(kind: str, data: dict, tmp: Path) -> dict:
    src, dst = tmp / f"{kind}_in.npz", tmp / f"{kind}_out.npz"
    np.savez(src, **data)
    subprocess.run([str(VENV_PY), str(RUNNER), kind, str(src), str(dst)], check=True,
                   env={"PYTHONWARNINGS": "ignore", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    out = np.load(dst)
    return {k: out[k] for k in out.files}


def blobs(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = rng.normal(0, 1.5, (3, d))
    return centres[y] + rng.normal(0, 1.0, (n, d)), y


def bench_knn(n: int, n_test: int, k: int, tmp: Path) -> dict:
    x, y = blobs(n + n_test, 10, seed=n)
    data = {"x_train": x[:n], "y_train": y[:n], "x_test": x[n:], "y_test": y[n:], "k": k, "repeats": 3}
    theirs = run_pydvl("knn", data, tmp)
    times = []
    for _ in range(3):  # best of 3 on both sides: the machine is shared with other jobs
        t = time.perf_counter()
        ours = knn_shapley(data["x_train"], data["y_train"], data["x_test"], data["y_test"], n_neighbors=k)
        times.append(time.perf_counter() - t)
    ours_s = min(times)
    return {"method": f"KNN-Shapley (K={k}, {n_test} test)", "n": n, "ours_s": ours_s,
            "pydvl_s": float(theirs["seconds"]), "max_abs_diff": float(np.max(np.abs(ours - theirs["values"])))}


def bench_permutation(n: int, n_test: int, n_perm: int, tmp: Path) -> list[dict]:
    x, y = blobs(n + n_test, 4, seed=7)
    data = {"x_train": x[:n], "y_train": y[:n], "x_test": x[n:], "y_test": y[n:], "n_permutations": n_perm, "seed": 0}
    theirs = run_pydvl("perm", data, tmp)
    their_se = float(np.max(theirs["stderr"]))
    rows = []

    def ours(max_perm: int, tol: float) -> tuple[PermutationShapley, float]:
        game = ModelUtility(GaussianNB(), data["x_train"], data["y_train"], data["x_test"], data["y_test"])
        t = time.perf_counter()
        est = PermutationShapley(max_permutations=max_perm, tolerance=tol, min_permutations=10, check_every=1,
                                 random_state=0).fit(game)
        return est, time.perf_counter() - t

    same_budget, s1 = ours(n_perm, 0.0)
    rows.append({"method": f"permutation Shapley, {n_perm} permutations (GaussianNB)", "n": n, "ours_s": s1,
                 "pydvl_s": float(theirs["seconds"]), "max_abs_diff": float(np.max(np.abs(same_budget.values_ - theirs["values"]))),
                 "note": f"max SE ours {same_budget.stderr_.max():.4f} vs pyDVL {their_se:.4f}; "
                         f"|diff| <= 4 combined SE for {np.mean(np.abs(same_budget.values_ - theirs['values']) <= 4 * np.hypot(same_budget.stderr_, theirs['stderr'])):.0%} of points"})
    to_se, s2 = ours(20 * n_perm, their_se)
    rows.append({"method": f"permutation Shapley to pyDVL's max SE {their_se:.4f}", "n": n, "ours_s": s2,
                 "pydvl_s": float(theirs["seconds"]), "max_abs_diff": float(np.max(np.abs(to_se.values_ - theirs["values"]))),
                 "note": f"ours stopped after {to_se.n_permutations_} permutations, max SE {to_se.stderr_.max():.4f}, converged={to_se.converged_}"})
    return rows


def time_demo_report() -> None:
    """The Valuation page's own call on the shipped demo sample, with 1,000 draws."""
    from core.domain import Collective
    from valuation.datasets import load_sample
    from valuation.deals import load_deals
    from valuation.report import Assumptions, value_collective

    collective = Collective(name="demo", sector="news publishing", members=12, records=2_000_000, tokens=1.5e9,
                            description="news articles and archive")
    t = time.perf_counter()
    r = value_collective(collective, load_deals(), load_sample(ROOT / "data" / "demo" / "sample.csv"),
                         Assumptions(mc_draws=1000, seed=0))
    total = time.perf_counter() - t
    print(f"demo value_collective (1,000 draws, 1,500 rows, 12 members): {total:.2f} s; stages {r.timings_s}")
    print(f"    combined USD/year P10 {r.p10:,.0f}  P50 {r.p50:,.0f}  P90 {r.p90:,.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--knn-sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--knn-test", type=int, default=100)
    ap.add_argument("--perm-n", type=int, default=20)
    ap.add_argument("--perm-permutations", type=int, default=100)
    ap.add_argument("--skip-report", action="store_true", help="do not time the demo valuation report")
    args = ap.parse_args()
    ensure_pydvl_venv()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for n in args.knn_sizes:
            rows.append(bench_knn(n, args.knn_test, 5, tmp))
        rows.extend(bench_permutation(args.perm_n, 100, args.perm_permutations, tmp))
    print(f"{'method':<52} {'n':>6} {'ours s':>9} {'pyDVL s':>9} {'ratio':>8} {'max abs diff':>13}")
    for r in rows:
        ratio = r["pydvl_s"] / r["ours_s"] if r["ours_s"] > 0 else float("inf")
        print(f"{r['method']:<52} {r['n']:>6} {r['ours_s']:>9.3f} {r['pydvl_s']:>9.3f} {ratio:>7.1f}x {r['max_abs_diff']:>13.3g}")
        if r.get("note"):
            print(f"    {r['note']}")
    knn10k = [r for r in rows if r["method"].startswith("KNN") and r["n"] >= 10000]
    ok = all(r["max_abs_diff"] < 1e-9 and r["pydvl_s"] / r["ours_s"] >= 10 for r in knn10k)
    print(f"KNN goal (diff < 1e-9 and >= 10x at 10,000): {'met' if ok else 'NOT met'}")
    if not args.skip_report:
        time_demo_report()


if __name__ == "__main__":
    main()
