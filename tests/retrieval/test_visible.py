"""Invisible characters are read past, and every offset still points into the stored text."""

from __future__ import annotations

import pytest

from core.domain import Document, Page
from retrieval.clauses import analyse_document
from retrieval.visible import invisible_count, visible

ZW = "\u200b"
RLO = "\u202e"


def test_the_view_drops_invisible_characters_and_maps_positions_back():
    text = f"an exclu{ZW}sive{RLO} licence"
    view = visible(text)
    assert view.text == "an exclusive licence" and view.removed == 2
    start = view.text.index("exclusive")
    assert view.original_span(start, start + len("exclusive")) == (3, 13)
    assert text[3:13] == f"exclu{ZW}sive" and view.original(len(view.text)) == len(text)
    assert invisible_count(text) == 2 and visible("plain").offsets is None


@pytest.mark.parametrize("hidden", [ZW, "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", RLO, "\u2066", "\u200f"])
def test_clauses_and_values_of_a_text_with_hidden_characters_match_the_clean_text(hidden):
    clean = "1. FEES. Licensee shall pay Licensor USD 3,000,000 per year.\n\n2. TERM. This Agreement runs for three (3) years.\n"
    dirty = clean.replace("Licensee", f"Lic{hidden}ensee").replace("3,000,000", f"3,{hidden}000,000").replace("years", f"ye{hidden}ars")

    def analysed(text):
        return analyse_document(Document(id="d" * 64, title="t", kind="proposal", text=text, pages=(Page(1, 0, len(text)),)))

    a, b = analysed(clean), analysed(dirty)
    assert [c.category_names for c in a] == [c.category_names for c in b]
    assert [[(v.kind, v.amount, v.unit) for v in c.values] for c in a] == [[(v.kind, v.amount, v.unit) for v in c.values] for c in b]
    for clause in b:  # offsets index the stored (dirty) text
        assert dirty[clause.start : clause.end] == clause.text
        for v in clause.values:
            assert dirty[v.start : v.end] == v.text


def test_struck_through_markdown_is_read_past_with_offsets_kept():
    text = "Licensee shall pay ~~USD 3,000,000~~ **USD 5,000,000** per year."
    view = visible(text)
    assert "3,000,000" not in view.text and "USD 5,000,000" in view.text
    start = view.text.index("USD 5,000,000")
    lo, hi = view.original_span(start, start + len("USD 5,000,000"))
    assert text[lo:hi] == "USD 5,000,000"
    assert visible("a ~ tilde and ~~ alone").text == "a ~ tilde and ~~ alone"  # not a strike-through
