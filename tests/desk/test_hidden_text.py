"""Hidden text never changes a review unnoticed: it is read past, and the review says it was there."""

from __future__ import annotations

import json

from tests.conftest import REPO
from tests.hostile.generate import pdf_with_stream

DEMO = REPO / "data" / "demo"


def _statuses(payload):
    return {f["term"]: (f["status"], f["value_text"]) for f in payload["findings"]}


def test_zero_width_and_direction_controls_inside_key_words_change_no_finding(tmp_path, cli):
    text = (DEMO / "proposal.md").read_text(encoding="utf-8")
    dirty = text
    for word in ("exclusive", "perpetual", "irrevocable", "years", "annual", "delete", "train", "Licensee"):
        dirty = dirty.replace(word, word[:3] + "\u200b" + word[3:])
    dirty = dirty.replace("3,000,000", "3,\u202e000,000")
    (tmp_path / "clean.md").write_text(text, encoding="utf-8")
    (tmp_path / "dirty.md").write_text(dirty, encoding="utf-8")
    mandate = str(DEMO / "mandate.toml")
    clean = cli("review", str(tmp_path / "clean.md"), "--mandate", mandate, "--json", workspace=tmp_path / "ws")
    hidden = cli("review", str(tmp_path / "dirty.md"), "--mandate", mandate, "--json", workspace=tmp_path / "ws")
    assert clean.code == 0 and hidden.code == 0, hidden.err
    assert _statuses(hidden.json()) == _statuses(clean.json())
    warnings = hidden.json()["document"]["warnings"]
    assert any("characters you cannot see" in w for w in warnings)
    text_out = cli("review", str(tmp_path / "dirty.md"), "--mandate", mandate, workspace=tmp_path / "ws").out
    assert "warning: this file contains" in text_out.splitlines()[1]


def test_text_drawn_invisibly_in_a_pdf_cannot_earn_meets_preferred(tmp_path, cli):
    stream = (
        b"BT /F1 12 Tf 72 700 Td (7. EXCLUSIVITY. Licensor grants Licensee an exclusive licence to the Archive.) Tj ET "
        b"q BT 3 Tr /F1 12 Tf 72 680 Td (The licence granted under this Agreement is non-exclusive.) Tj ET Q "
    )
    path = tmp_path / "draft.pdf"
    path.write_bytes(pdf_with_stream(stream))
    result = cli("review", str(path), "--mandate", str(DEMO / "mandate.toml"), "--json", workspace=tmp_path / "ws")
    assert result.code == 0, result.err
    payload = result.json()
    exclusivity = next(f for f in payload["findings"] if f["term"] == "exclusivity")
    assert exclusivity["status"] == "breaches_walk_away", json.dumps(exclusivity)[:400]
    assert any("left out of the reading" in w for w in payload["document"]["warnings"])
