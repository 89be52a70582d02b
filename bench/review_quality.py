"""Benchmark: how well the review engine reads contracts it was not written on.

Two sets, offline, in a few minutes on two cores:

(a) the review development set (``data/evaluation/review/``): proposals, mandates and a lawyer's
    reading of every (proposal, mandate) pair (``truth/<proposal>__<mandate>.toml``), split into
    ``tune`` and ``holdout`` pairs by ``split.toml``. Per pair and per split:

    * exact status: the desk's status equals the truth's, over all terms;
    * exact on decided: the same, over the terms the document itself decides;
    * breaches found: of the truth's walk-away breaches, how many the desk reports as breaches;
    * dangerous errors per 100 terms: the desk says meets_preferred/acceptable where the truth
      is breaches_walk_away or not_addressed (a negotiator would sign what they should not);
    * evidence decides: of the decided terms with a quote, how often the desk's first evidence
      quote overlaps the truth's quote in the document.

(b) ContractNLI (Koreeda & Manning 2021, CC BY 4.0; ``bench/contractnli.py``): 17 NDA hypotheses
    as a boolean mandate (``data/evaluation/contractnli/nda_mandate.toml``): accuracy, macro-F1,
    per-class recall and precision, evidence overlap, for ``dev`` (developed on) and ``test_rest``
    (held out: report, never tune) separately; per-hypothesis accuracy for dev only. The same
    mandate labelled with ContractNLI's short descriptions (``nda_mandate_short.toml``) is scored
    beside it: the reading must not depend on how the terms are worded.

    python bench/review_quality.py [--split tune|holdout|all] [--contractnli dev|test_rest|all|none] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import contractnli  # noqa: E402
from core.paths import EVALUATION_DIR  # noqa: E402
from desk.mandate import load_mandate  # noqa: E402
from desk.review import review  # noqa: E402
from retrieval.clauses import analyse_document  # noqa: E402
from retrieval.readers import read_document  # noqa: E402

REVIEW_SET = EVALUATION_DIR / "review"
SAFE = ("meets_preferred", "acceptable")
DANGEROUS_TRUTH = ("breaches_walk_away", "not_addressed")


# -- (a) the review development set ------------------------------------------------------


def _span_of(quote: str, text: str, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text[lo:hi]``, whitespace and markup (``**``, ``_``) treated loosely."""
    words = re.findall(r"\w+|[^\w\s]", quote)
    words = [w for w in words if w not in ("*", "_", "`")]
    if not words:
        return None
    gap = r"[\s*_`>|#]*"
    pattern = gap.join(re.escape(w) for w in words)
    m = re.compile(pattern, re.I).search(text, lo, len(text) if hi is None else hi)
    return (m.start(), m.end()) if m else None


def _pairs(split: str) -> list[tuple[str, str]]:
    path = REVIEW_SET / "split.toml"
    if not path.is_file():
        return []
    pairs = tomllib.loads(path.read_text(encoding="utf-8")).get("pairs", {})
    return sorted((name, which) for name, which in pairs.items() if split == "all" or which == split)


def review_set(split: str) -> dict[str, Any]:
    """Per-pair and per-split scores of the review development set (empty when it is absent)."""
    pairs = _pairs(split)
    if not pairs:
        return {"available": False, "pairs": [], "splits": {}}
    analysed: dict[Path, tuple[Any, list[Any]]] = {}  # in memory only
    rows = []
    for name, which in pairs:
        truth_path = REVIEW_SET / "truth" / f"{name}.toml"
        if not truth_path.is_file():
            continue
        truth = tomllib.loads(truth_path.read_text(encoding="utf-8"))
        doc_path = (REVIEW_SET / truth["document"]).resolve()
        mandate = load_mandate((REVIEW_SET / truth["mandate"]).resolve())
        if doc_path not in analysed:
            doc = read_document(doc_path)
            analysed[doc_path] = (doc, analyse_document(doc))
        doc, clauses = analysed[doc_path]
        findings = {f.term: f for f in review(doc, clauses, mandate).findings}
        row = {"pair": name, "split": which, "terms": 0, "exact": 0, "decided": 0, "exact_decided": 0,
               "breaches": 0, "breaches_found": 0, "dangerous": 0, "evidence_judged": 0, "evidence_decides": 0}
        for key, t in truth.get("terms", {}).items():
            f = findings.get(key)
            if f is None:
                continue
            row["terms"] += 1
            same = f.status == t["status"]
            row["exact"] += same
            if t.get("decided"):
                row["decided"] += 1
                row["exact_decided"] += same
            if t["status"] == "breaches_walk_away":
                row["breaches"] += 1
                row["breaches_found"] += f.status == "breaches_walk_away"
            if f.status in SAFE and t["status"] in DANGEROUS_TRUTH:
                row["dangerous"] += 1
            if t.get("decided") and t.get("quote"):
                gold = _span_of(t["quote"], doc.text)
                if gold is not None:
                    row["evidence_judged"] += 1
                    if f.evidence:
                        e = f.evidence[0]
                        mine = _span_of(e.quote, doc.text, e.start, e.end) or (e.start, e.end)
                        row["evidence_decides"] += mine[0] < gold[1] and gold[0] < mine[1]
        rows.append(row)
    splits = {}
    for which in ("tune", "holdout", "all"):
        mine = [r for r in rows if which == "all" or r["split"] == which]
        if mine:
            splits[which] = _totals(mine)
    return {"available": True, "pairs": [{**r, **_rates(r)} for r in rows], "splits": splits}


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("terms", "exact", "decided", "exact_decided", "breaches", "breaches_found", "dangerous", "evidence_judged", "evidence_decides")
    total = {k: sum(r[k] for r in rows) for k in keys}
    return {"pairs": len(rows), **total, **_rates(total)}


def _rates(r: dict[str, Any]) -> dict[str, float]:
    def share(a: str, b: str) -> float:
        return round(r[a] / r[b], 4) if r[b] else 0.0

    return {
        "exact_rate": share("exact", "terms"),
        "exact_decided_rate": share("exact_decided", "decided"),
        "breaches_found_rate": share("breaches_found", "breaches"),
        "dangerous_per_100": round(100 * r["dangerous"] / r["terms"], 2) if r["terms"] else 0.0,
        "evidence_rate": share("evidence_decides", "evidence_judged"),
    }


# -- (b) ContractNLI -------------------------------------------------------------------------


def contractnli_scores(which: str) -> dict[str, Any]:
    if which == "none" or not contractnli.available():
        return {"available": which != "none" and contractnli.available(), "splits": {}}
    splits = ["dev", "test_rest"] if which == "all" else [which]
    mandates = {style: load_mandate(path) for style, path in contractnli.MANDATES.items()}
    out: dict[str, Any] = {"available": True, "splits": {}}
    for split in splits:
        docs = contractnli.load(split)
        outcomes = contractnli.evaluate(docs, mandates["hypothesis"])
        result = {"documents": len(docs), **contractnli.scores(outcomes)}
        short = contractnli.scores(contractnli.evaluate(docs, mandates["short"]))
        result["short_labels"] = {k: short[k] for k in ("accuracy", "macro_f1", "contradiction_recall", "evidence_overlap")}
        if split == "dev":
            result["per_hypothesis"] = contractnli.per_hypothesis(outcomes)
        out["splits"][split] = result
    return out


# -- printing ------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def print_review_set(result: dict[str, Any]) -> None:
    print("\n(a) review development set (data/evaluation/review)")
    if not result["available"]:
        print("    not available yet (no split.toml or truth files): skipped")
        return
    head = f"{'pair':<52} {'split':<8} {'terms':>5} {'exact':>7} {'exact dec.':>10} {'breaches':>9} {'danger/100':>10} {'evidence':>9}"
    print(head)
    print("-" * len(head))
    for r in result["pairs"]:
        print(_review_row(f"{r['pair']:<52} {r['split']:<8}", r))
    print("-" * len(head))
    for which, r in result["splits"].items():
        print(_review_row(f"{'TOTAL ' + which:<52} {r['pairs']:>3} pr", r))


def _review_row(lead: str, r: dict[str, Any]) -> str:
    return (f"{lead} {r['terms']:>5} {_pct(r['exact_rate']):>7} {_pct(r['exact_decided_rate']):>10} "
            f"{r['breaches_found']:>4}/{r['breaches']:<4} {r['dangerous_per_100']:>10.1f} {_pct(r['evidence_rate']):>9}")


def print_contractnli(result: dict[str, Any]) -> None:
    print("\n(b) ContractNLI (Koreeda & Manning 2021, CC BY 4.0): 17 NDA hypotheses as boolean mandate terms")
    if not result["available"]:
        print("    not run (data absent or --contractnli none)")
        return
    head = f"{'split':<10} {'docs':>4} {'pairs':>5} {'accuracy':>8} {'macro-F1':>8} {'CONTRA recall':>13} {'contra prec':>11} {'ent rec/prec':>13} {'nm rec/prec':>13} {'evidence':>8} {'unclear':>7} {'NM-always':>9}"
    print(head)
    print("-" * len(head))
    for split, r in result["splits"].items():
        pc = r["per_class"]
        held = " (held out)" if split == "test_rest" else " (developed on)"
        print(f"{split:<10} {r['documents']:>4} {r['pairs']:>5} {_pct(r['accuracy']):>8} {r['macro_f1']:>8.3f} {_pct(r['contradiction_recall']):>13} "
              f"{_pct(pc['Contradiction']['precision']):>11} {_pct(pc['Entailment']['recall']) + '/' + _pct(pc['Entailment']['precision']).strip():>13} "
              f"{_pct(pc['NotMentioned']['recall']) + '/' + _pct(pc['NotMentioned']['precision']).strip():>13} {_pct(r['evidence_overlap']):>8} {r['unclear']:>7} {_pct(r['baseline_not_mentioned']):>9}{held}")
    for split, r in result["splits"].items():
        s = r["short_labels"]
        print(f"{split:<10} same terms labelled with the short descriptions: accuracy {_pct(s['accuracy']).strip()}, macro-F1 {s['macro_f1']:.3f}, "
              f"contradiction recall {_pct(s['contradiction_recall']).strip()}, evidence {_pct(s['evidence_overlap']).strip()}")
    dev = result["splits"].get("dev")
    if dev and dev.get("per_hypothesis"):
        hyps = contractnli.hypotheses()
        print("\nper hypothesis, dev only (gold E/C/N -> desk E/C/N)")
        print(f"{'id':<7} {'hypothesis':<48} {'accuracy':>8}  {'gold E/C/N':>11}  {'desk E/C/N':>11}")
        for hid, h in dev["per_hypothesis"].items():
            g, p = h["gold"], h["predicted"]
            print(f"{hid:<7} {hyps[hid]['short_description'][:48]:<48} {_pct(h['accuracy']):>8}  "
                  f"{g['Entailment']:>3}/{g['Contradiction']:>3}/{g['NotMentioned']:>3}  {p['Entailment']:>3}/{p['Contradiction']:>3}/{p['NotMentioned']:>3}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="all", help="pairs of the review development set")
    parser.add_argument("--contractnli", choices=("dev", "test_rest", "all", "none"), default="dev", help="ContractNLI split(s); test_rest is held out")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    machine = {"platform": platform.platform(), "machine": platform.machine(), "python": platform.python_version(), "cores": os.cpu_count()}
    command = "python " + " ".join(shlex.quote(a) for a in ["bench/review_quality.py", *(argv if argv is not None else sys.argv[1:])])
    review_result = review_set(args.split)
    nli_result = contractnli_scores(args.contractnli)
    seconds = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps({"command": command, "machine": machine, "seconds": seconds, "review_set": review_result, "contractnli": nli_result}, indent=1))
        return
    print(f"review quality benchmark: {command}")
    print(f"machine: {machine['platform']}, {machine['machine']}, Python {machine['python']}, cores={machine['cores']}")
    print_review_set(review_result)
    print_contractnli(nli_result)
    print(f"\n{seconds} s")


if __name__ == "__main__":
    main()
