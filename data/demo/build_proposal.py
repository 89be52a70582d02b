"""Render the demo proposal (proposal.md) to a text PDF (proposal.pdf), reproducibly.

The demo proposal is written in a small Markdown subset so that lawyers can edit
it as text; the PDF is what the desk ingests, like a draft arriving by email.
The output must be byte-identical from run to run (fixed creation date, core
font, no timestamps) so that the committed PDF, its document id (sha256) and the
expected review all stay in step. Core fonts and plain ASCII punctuation keep
pypdf's extracted text clean (no ligatures, no smart quotes).

Markdown subset:
  ``# Title``                 centred bold title
  ``## 1. HEADING``           bold article heading
  ``**1.1 Heading.** Text``   paragraph with a bold run
  ``(a) Text`` / ``(i) Text`` indented sub-paragraph
  ``| a | b |`` rows          table (first row is the header; ``|---|`` rows skipped)
  ``<!-- pagebreak -->``      new page
  ``<!-- needspace N -->``    new page unless N mm are left (keeps a block together)

Usage: python data/demo/build_proposal.py [--source proposal.md] [--out proposal.pdf]
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

HERE = Path(__file__).resolve().parent
CREATION_DATE = datetime(2026, 11, 16, 9, 0, 0, tzinfo=timezone.utc)
FOOTER_TEXT = "Content and Data Licence Agreement - Helix AI Labs draft of 16 November 2026 - Confidential"
BODY_SIZE = 10.5
LINE_HEIGHT = 5.2
_ROMAN_ITEM = re.compile(r"^\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\) ")
_LETTER_ITEM = re.compile(r"^\([a-z]\) ")


class ProposalPDF(FPDF):
    """Letter-size pages with a footer that numbers them."""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, FOOTER_TEXT, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def blocks(markdown: str) -> list[str]:
    """Blank-line separated blocks; a table's rows stay together in one block."""
    return [b.strip("\n") for b in re.split(r"\n\s*\n", markdown) if b.strip()]


def check_charset(text: str) -> None:
    """Refuse anything outside printable ASCII: core fonts and clean extraction depend on it."""
    for number, line in enumerate(text.splitlines(), start=1):
        bad = [c for c in line if not (32 <= ord(c) < 127)]
        if bad:
            raise SystemExit(f"proposal.md line {number}: non-ASCII character {bad[0]!r}; use plain punctuation")


def render(markdown: str) -> bytes:
    check_charset(markdown)
    pdf = ProposalPDF(format="Letter", unit="mm")
    pdf.set_margins(25, 22, 25)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_creation_date(CREATION_DATE)
    pdf.set_title("Content and Data Licence Agreement (proposed draft)")
    pdf.set_author("Helix AI Labs, Inc.")
    pdf.set_subject("Proposed licence of news content to Helix AI Labs by Northern News Publishers' Data Trust")
    pdf.set_creator("data/demo/build_proposal.py (Negotiation Desk demo)")
    pdf.set_lang("en")
    pdf.add_page()
    after_title = False
    for block in blocks(markdown):
        if block == "<!-- pagebreak -->":
            pdf.add_page()
        elif (needspace := re.fullmatch(r"<!-- needspace (\d+) -->", block)):
            if pdf.get_y() > pdf.page_break_trigger - int(needspace[1]):
                pdf.add_page()
        elif block.startswith("# "):
            pdf.set_font("Helvetica", "B", 15)
            pdf.multi_cell(0, 8, block[2:], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            after_title = True
            continue
        elif after_title:
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(0, 4.5, block, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif block.startswith("## "):
            if pdf.get_y() > pdf.page_break_trigger - 25:
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, block[3:], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif block.startswith("|"):
            _table(pdf, block)
        else:
            _paragraph(pdf, block)
        after_title = False
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, text: str) -> None:
    indent = 16 if _ROMAN_ITEM.match(text) else 8 if _LETTER_ITEM.match(text) else 0
    pdf.set_font("Helvetica", "", BODY_SIZE)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        pdf.epw - indent,
        LINE_HEIGHT,
        " ".join(text.split("\n")),
        align="J",
        markdown="**" in text,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)


def _table(pdf: FPDF, block: str) -> None:
    rows = []
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r"-{3,}", c) for c in cells):
            continue
        rows.append(cells)
    pdf.set_font("Helvetica", "", 9.5)
    with pdf.table(
        col_widths=(34, 38, 48),
        line_height=5,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD"),
        padding=1.5,
    ) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=HERE / "proposal.md")
    parser.add_argument("--out", type=Path, default=HERE / "proposal.pdf")
    args = parser.parse_args()
    data = render(args.source.read_text(encoding="utf-8"))
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
