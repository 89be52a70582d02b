"""Text a PDF draws where no one can see it is left out of the reading, and the document says so."""

from __future__ import annotations

import pytest

from retrieval.readers import read_bytes
from tests.hostile.generate import pdf_with_stream

SHOWN = b"BT /F1 12 Tf 72 700 Td (1. EXCLUSIVITY. The licence granted is exclusive.) Tj ET "
AFTER = b"BT 0 g /F1 12 Tf 72 620 Td (2. FEES. Licensee pays USD 5 per year.) Tj ET"


@pytest.mark.parametrize(
    ("hiding", "reason"),
    [
        (b"q BT 3 Tr /F1 12 Tf 72 680 Td (The licence is non-exclusive.) Tj ET Q ", "drawn invisibly or in white"),
        (b"q BT 1 1 1 rg /F1 12 Tf 72 680 Td (The licence is non-exclusive.) Tj ET Q ", "drawn invisibly or in white"),
        (b"q BT 0 0 0 0 k /F1 12 Tf 72 680 Td (The licence is non-exclusive.) Tj ET Q ", "drawn invisibly or in white"),
        (b"BT /F1 12 Tf 2000 2000 Td (The licence is non-exclusive.) Tj ET ", "placed outside the page"),
        (b"BT /F1 0.01 Tf 72 680 Td (The licence is non-exclusive.) Tj ET ", "set too small to read"),
    ],
)
def test_hidden_pdf_text_is_left_out_and_reported(hiding, reason):
    document = read_bytes(pdf_with_stream(SHOWN + hiding + AFTER), "draft.pdf")
    assert "non-exclusive" not in document.text
    assert "The licence granted is exclusive." in document.text and "2. FEES." in document.text
    warning = next(w for w in document.warnings if "cannot see" in w)
    assert reason in warning and "“The licence is non-exclusive.”" in warning


def test_state_restored_by_Q_shows_the_following_text():
    """Render mode and colour are graphics state: after Q the next text is visible again."""
    hiding = b"q BT 3 Tr 1 g /F1 12 Tf 72 680 Td (hidden words) Tj ET Q "
    document = read_bytes(pdf_with_stream(SHOWN + hiding + AFTER), "draft.pdf")
    assert "hidden words" not in document.text and "2. FEES." in document.text


def test_an_ordinary_pdf_reads_exactly_as_before(tmp_path):
    from pypdf import PdfReader

    from tests.conftest import REPO

    data = (REPO / "data" / "demo" / "proposal.pdf").read_bytes()
    document = read_bytes(data, "proposal.pdf")
    assert not [w for w in document.warnings if "cannot see" in w]
    import io

    plain = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert all(" ".join(page.split())[:200] in " ".join(document.text.split()) for page in plain if page.strip())
