"""Segmentation on real CUAD contract texts: offsets, coverage, headings, size."""

from __future__ import annotations

import json
import statistics
import time
from functools import lru_cache
from pathlib import Path

import pytest

from retrieval.segment import MAX_CLAUSE_CHARS, Segment, segment

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CUAD = SHARED_DATA / "cuad" / "cuad_train.jsonl"


@lru_cache(maxsize=1)
def cuad_docs() -> list[dict]:
    assert CUAD.exists(), f"shared data missing: {CUAD}"
    with open(CUAD, encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(60), fh)]


def doc_by_title(fragment: str) -> dict:
    return next(d for d in cuad_docs() if fragment in d["title"])


def test_clause_text_is_its_slice_ordered_trimmed_and_covering():
    for d in cuad_docs():
        text = d["text"]
        segs = segment(text)
        assert segs
        covered = bytearray(len(text))
        prev_end = 0
        for s in segs:
            assert isinstance(s, Segment)
            assert prev_end <= s.start < s.end
            clause = text[s.start:s.end]
            assert clause == clause.strip()
            covered[s.start:s.end] = b"\x01" * (s.end - s.start)
            prev_end = s.end
        missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
        assert not missing, (d["title"], text[missing[0]:missing[0] + 40])


def test_headings_found_on_known_contract():
    d = doc_by_title("RESELLER AGREEMENT")
    segs = segment(d["text"])
    headings = {s.heading for s in segs}
    assert "1.1 LICENSE" in headings
    assert "6.7 GOVERNING LAW" in headings
    gov = next(s for s in segs if "governed by and construed" in d["text"][s.start:s.end])
    assert gov.heading == "6.7 GOVERNING LAW"
    assert gov.kind == "section"


def test_recitals_definitions_and_title_kinds():
    d = doc_by_title("PROMOTION AGREEMENT")
    segs = segment(d["text"])
    kinds = [s.kind for s in segs]
    assert kinds[0] == "title"
    assert "recital" in kinds and "definition" in kinds
    assert any(s.kind == "signature" for s in segs) or "IN WITNESS" not in d["text"]


def test_long_sections_are_split_and_clauses_stay_small():
    lengths = []
    for d in cuad_docs():
        segs = segment(d["text"])
        lengths += [s.end - s.start for s in segs]
        # a block never runs far past the cap unless it has no sentence or line break
        assert max(s.end - s.start for s in segs) <= 2 * MAX_CLAUSE_CHARS + 5
    assert statistics.median(lengths) < 1200


def test_numbered_subsections_in_pdf_style_wrapped_text():
    text = (
        "LICENSE AGREEMENT\n"
        "1. DEFINITIONS\n"
        "1.1 \"Content\" means the articles supplied by Licensor under this\n"
        "Agreement from time to time.\n"
        "1.2 \"Term\" has the meaning given in Section 7.\n"
        "7. Term and Termination. This Agreement begins on the Effective Date and\n"
        "continues for three (3) years.\n"
        "(a) Either party may terminate for convenience on 90 days notice.\n"
        "(b) Licensor may terminate on breach.\n"
    )
    segs = segment(text)
    clauses = [text[s.start:s.end] for s in segs]
    # bare heading lines fold into the clause they head; wrapped lines stay in their clause
    assert any("1. DEFINITIONS\n1.1" in c and c.endswith("from time to time.") for c in clauses)
    assert "1.2 \"Term\" has the meaning given in Section 7." in clauses
    term = next(s for s in segs if "three (3) years" in text[s.start:s.end])
    assert term.heading.startswith("7. Term and Termination")
    item = next(s for s in segs if "convenience" in text[s.start:s.end])
    assert item.heading.startswith("7. Term and Termination")


def test_fast_on_a_long_contract():
    d = max(cuad_docs(), key=lambda d: len(d["text"]))
    t0 = time.perf_counter()
    segment(d["text"])
    per_60k = (time.perf_counter() - t0) * 60000 / len(d["text"])
    assert per_60k < 0.1, per_60k


def test_markdown_contract_splits_like_its_pdf():
    """Markdown marks headings with ``##`` and numbers with ``**1.1 Title.**``; the
    demo proposal in Markdown must split into the same sections as its PDF."""
    from retrieval.readers import read_document

    repo = Path(__file__).resolve().parents[2]
    markdown = read_document(repo / "data" / "demo" / "proposal.md", kind="proposal", title="md")
    pdf = read_document(repo / "data" / "demo" / "proposal.pdf", kind="proposal", title="pdf")

    def numbered(text: str) -> list[str]:
        return [s.heading.split(" ")[0] for s in segment(text) if s.heading[:1].isdigit() and "." in s.heading.split(" ")[0][1:]]

    md_segments = segment(markdown.text)
    assert all(markdown.text[s.start : s.end].strip() for s in md_segments)
    assert numbered(markdown.text) == numbered(pdf.text)
    display = next(s for s in md_segments if s.heading.startswith("2.2"))
    assert markdown.text[display.start : display.end].startswith("**2.2 Display Licence.**")
    assert "2.3 Fine-Tuning" not in markdown.text[display.start : display.end]
    definitions = [s for s in md_segments if s.heading.startswith("1. DEFINITIONS")]
    assert len(definitions) >= 19 and sum(s.kind == "definition" for s in definitions) >= 18
