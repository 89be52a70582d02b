"""Benchmark: review a 30-page contract against the demo mandate, offline.

The 30-page contract is the demo proposal's Markdown repeated three times and
rendered to PDF by the demo's own builder. We time reading (pypdf), clause
analysis (segment, classify, extract values) and the review engine, and compare
with the simplest baseline: bare pypdf text extraction of the same file.

    python bench/review.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desk.mandate import load_mandate  # noqa: E402
from desk.review import review  # noqa: E402
from retrieval.clauses import analyse_document, default_classifier  # noqa: E402
from retrieval.readers import read_bytes  # noqa: E402


def thirty_page_pdf() -> bytes:
    spec = importlib.util.spec_from_file_location("build_proposal", REPO / "data" / "demo" / "build_proposal.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    md = (REPO / "data" / "demo" / "proposal.md").read_text()
    return builder.render("\n\n<!-- pagebreak -->\n\n".join([md] * 3))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import pypdf

    data = thirty_page_pdf()
    mandate = load_mandate(REPO / "data" / "demo" / "mandate.toml")
    default_classifier()  # loaded once per process, as in the app
    # a mandate of another sector, most of whose terms are read from their own words (no library cue)
    other = load_mandate(REPO / "docs" / "mandates" / "voice_recordings.toml")
    nda = load_mandate(REPO / "data" / "evaluation" / "contractnli" / "nda_mandate.toml")
    rows: dict[str, list[float]] = {"bare pypdf extraction": [], "read (desk reader)": [], "analyse (segment+classify+values)": [], "review engine": [],
                                    "review engine, voice mandate": [], "review engine, 17-term NDA mandate": [], "read+analyse+review": []}
    pages = clauses_n = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        reader = pypdf.PdfReader(BytesIO(data))
        "".join(p.extract_text() or "" for p in reader.pages)
        rows["bare pypdf extraction"].append(time.perf_counter() - t0)
        t1 = time.perf_counter()
        doc = read_bytes(data, "thirty-pages.pdf")
        t2 = time.perf_counter()
        clauses = analyse_document(doc)
        t3 = time.perf_counter()
        result = review(doc, clauses, mandate)
        t4 = time.perf_counter()
        review(doc, clauses, other)
        t5 = time.perf_counter()
        review(doc, clauses, nda)
        rows["review engine, voice mandate"].append(t5 - t4)
        rows["review engine, 17-term NDA mandate"].append(time.perf_counter() - t5)
        rows["read (desk reader)"].append(t2 - t1)
        rows["analyse (segment+classify+values)"].append(t3 - t2)
        rows["review engine"].append(t4 - t3)
        rows["read+analyse+review"].append(t4 - t1)
        pages, clauses_n = doc.page_count, len(clauses)
        assert len(result.findings) == len(mandate.terms)
    base = statistics.median(rows["bare pypdf extraction"])
    print(f"review benchmark: {pages} pages, {clauses_n} clauses, {len(mandate.terms)} mandate terms, median of {args.repeat} runs")
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, cores={__import__('os').cpu_count()}")
    print(f"{'step':<36} {'median s':>9} {'x bare pypdf':>13}")
    for name, times in rows.items():
        med = statistics.median(times)
        print(f"{name:<36} {med:>9.3f} {med / base:>13.2f}")
    total = statistics.median(rows["read+analyse+review"])
    print(f"goal: review of a 30-page contract under 3 s -> {'met' if total < 3 else 'NOT met'} ({total:.2f} s)")


if __name__ == "__main__":
    main()
