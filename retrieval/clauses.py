"""From a document to its clauses: segment, classify, extract values.

This is the one place the three steps meet, so the CLI, the ingest pipeline
and the UI all get the same clauses for the same bytes. Clause ids are derived
from the document id and the offsets, which keeps re-ingesting idempotent.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache

from core.domain import Clause, Document, Value
from retrieval.classify import DEFAULT_MODEL_PATH, ClauseClassifier
from retrieval.segment import segment
from retrieval.values import extract_values
from retrieval.visible import VisibleText, visible

# Bump when segmentation or value extraction changes what a stored analysis would say.
# 2026-12-01: invisible characters are read past (retrieval.visible).
ANALYSIS_RULES_VERSION = "2026-12-01c"  # Markdown headings in sentence case head their clause; ~~struck~~ text is read past


@lru_cache(maxsize=1)
def default_classifier() -> ClauseClassifier:
    return ClauseClassifier.load()


@lru_cache(maxsize=1)
def analyser_id() -> str:
    """Which analyser produced an analysis: the shipped clause model's sha256 and the rules' version.

    Stored with every analysis, so a workspace analysed by an older model can be
    found and analysed again (``desk reanalyse``) instead of silently keeping
    yesterday's categories: re-ingesting the same bytes is a no-op by design."""
    digest = hashlib.sha256(DEFAULT_MODEL_PATH.read_bytes()).hexdigest()[:16]
    return f"clause-model-{digest}/rules-{ANALYSIS_RULES_VERSION}"


def clause_id(document_id: str, start: int, end: int) -> str:
    return f"{document_id[:16]}:{start}-{end}"


def analyse_document(document: Document, classifier: ClauseClassifier | None = None) -> list[Clause]:
    """Segment, classify and read values from the document's *visible* text (:mod:`retrieval.visible`);
    every offset points into ``document.text`` as stored."""
    classifier = classifier or default_classifier()
    view = visible(document.text)
    text = view.text
    segments = segment(text)
    categories = classifier.classify_segments(text, segments) if segments else []
    clauses = []
    for seg, cats in zip(segments, categories):
        start, end = view.original_span(seg.start, seg.end)
        values = extract_values(text[seg.start : seg.end], offset=seg.start)
        if view.offsets is not None:
            values = [_moved(v, view, document.text) for v in values]
        clauses.append(
            Clause(
                id=clause_id(document.id, start, end),
                document_id=document.id,
                heading=seg.heading,
                text=document.text[start:end],
                page=document.page_at(start),
                start=start,
                end=end,
                categories=tuple(cats),
                values=tuple(values),
                kind=seg.kind,
            )
        )
    return clauses


def _moved(value: Value, view: VisibleText, original: str) -> Value:
    """A value found in the visible text, pointing at its span in the original."""
    start, end = view.original_span(value.start, value.end)
    return dataclasses.replace(value, start=start, end=end, text=original[start:end])
