"""Benchmark: ingest the 10 real CUAD PDFs plus the demo proposal, end to end.

End to end means what `desk ingest` does: read (pypdf), segment, classify,
extract values, embed (MiniLM int8 ONNX) and store (Chroma, in a fresh
workspace), then catalogue. The baseline is the simplest thing that could
work: bare pypdf text extraction of the same files. Goal: ingest costs at most
3x bare extraction.

    python bench/ingest.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED_PDFS = REPO.parent / "shared" / "data" / "pdfs"


def files() -> list[Path]:
    return sorted(SHARED_PDFS.glob("*.pdf")) + [REPO / "data" / "demo" / "proposal.pdf"]


def bare_extraction(paths: list[Path]) -> tuple[float, int]:
    import pypdf

    t = time.perf_counter()
    pages = 0
    for p in paths:
        reader = pypdf.PdfReader(BytesIO(p.read_bytes()))
        pages += len(reader.pages)
        "".join(page.extract_text() or "" for page in reader.pages)
    return time.perf_counter() - t, pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=None, help="truncate clauses for embedding (a different vector space)")
    args = parser.parse_args()
    from desk.ingest import analyse
    from desk.service import Desk
    from retrieval.clauses import default_classifier
    from retrieval.readers import read_document

    paths = files()
    began = time.perf_counter()
    default_classifier()
    if args.max_tokens:  # what a new workspace would get if truncation were the default
        from retrieval.embed import MiniLMEmbedder

        embedder = MiniLMEmbedder(max_tokens=args.max_tokens)
    else:  # the embedder a new workspace gets, loaded once per process
        from retrieval.embed import default_embedder

        embedder = default_embedder()
    embedder.embed(["warm up"])
    load_seconds = time.perf_counter() - began  # a per-process cost, reported apart
    bare, read_only, analysed, full = [], [], [], []
    pages = clauses = 0
    for _ in range(args.repeat):
        b, pages = bare_extraction(paths)
        bare.append(b)
        t = time.perf_counter()
        docs = [read_document(p) for p in paths]
        read_only.append(time.perf_counter() - t)
        t = time.perf_counter()
        clauses = sum(len(analyse(d)) for d in docs)
        analysed.append(time.perf_counter() - t + read_only[-1])
        with tempfile.TemporaryDirectory() as tmp:
            desk = Desk(Desk.open(Path(tmp) / "ws").settings, embedder=embedder)
            t = time.perf_counter()
            desk.ingest(paths, kind="comparable")
            full.append(time.perf_counter() - t)
    base = statistics.median(bare)
    print(f"ingest benchmark: {len(paths)} PDFs, {pages} pages, {clauses} clauses; median of {args.repeat} runs")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, cores={os.cpu_count()}, load={os.getloadavg()[0]:.1f}")
    print(f"embedder: {embedder.name}; loading it and the classifier (once per process, not counted): {load_seconds:.2f} s")
    print(f"{'step':<44} {'seconds':>8} {'pages/s':>8} {'x bare':>7}")
    for name, times in (
        ("bare pypdf extraction (baseline)", bare),
        ("desk reader (pypdf + offsets + checks)", read_only),
        ("+ segment, classify, extract values", analysed),
        ("+ embed, store in Chroma, catalogue (= ingest)", full),
    ):
        med = statistics.median(times)
        print(f"{name:<44} {med:>8.2f} {pages / med:>8.1f} {med / base:>7.2f}")
    ratio = statistics.median(full) / base
    print(f"goal: ingest at most 3x bare extraction -> {'met' if ratio <= 3 else 'NOT met'} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
