"""PDF text that no one can see: drawn invisibly, in white, too small, or off the page.

A PDF can carry words a reader never sees but an extractor reads: text in
render mode 3 or 7 (no fill, no stroke), filled white, set at a size under a
point, or placed outside the page. Such text could make a clause read
"non-exclusive" to the desk and "exclusive" to the lawyer. This module finds
it so the reader keeps it out of the text and says how much was left out.

Cost: the operator-by-operator pass (pypdf's visitor callbacks) runs only on
pages whose content stream contains one of the tell-tale operators
(:data:`SUSPECT`); every other page is extracted as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: content-stream fragments that can hide text: invisible render modes, white fills, sub-point
#: font sizes, and text positioned far outside any page
SUSPECT = re.compile(
    rb"(?<![\d.])[37]\s+Tr\b"
    rb"|(?<![\d.])1(?:\.0*)?\s+(?:g|sc|scn)\b"
    rb"|(?<![\d.])1(?:\.0*)?\s+1(?:\.0*)?\s+1(?:\.0*)?\s+(?:rg|sc|scn)\b"
    rb"|(?<![\d.])0(?:\.0*)?\s+0(?:\.0*)?\s+0(?:\.0*)?\s+0(?:\.0*)?\s+k\b"
    rb"|\s0?\.\d+\s+Tf\b|\s0\s+Tf\b"
    rb"|-?\d{4,}(?:\.\d+)?\s+T[dDm]\b|-\d{3,}(?:\.\d+)?\s+T[dDm]\b"
)
SHOW = {b"Tj", b"TJ", b"'", b'"'}
WHITE = 0.97  # a fill at least this light (on a white page) is invisible


@dataclass
class _State:
    render_mode: int = 0
    fill: tuple[float, ...] = (0.0,)
    fill_space: str = "gray"

    def copy(self) -> "_State":
        return _State(self.render_mode, self.fill, self.fill_space)

    def white(self) -> bool:
        if self.fill_space == "cmyk":
            return all(c <= 1 - WHITE for c in self.fill)
        return bool(self.fill) and all(c >= WHITE for c in self.fill)


@dataclass
class HiddenText:
    """What one page drew invisibly, and why (for the document's warning)."""

    pieces: list[str] = field(default_factory=list)
    reasons: set[str] = field(default_factory=set)

    @property
    def chars(self) -> int:
        return sum(len(p.strip()) for p in self.pieces)


def suspect(page: Any) -> bool:
    """Whether the page's content could hide text (cheap: a regex over the decoded stream)."""
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except Exception:  # an unreadable stream: the extraction itself will say so
        return False
    return bool(SUSPECT.search(data))


def visible_page_text(page: Any) -> tuple[str, HiddenText]:
    """The page's text without the pieces it draws invisibly, and those pieces (the text is
    exactly pypdf's plain extraction when nothing is hidden).

    pypdf hands each flushed piece of text to ``visitor_text``; the graphics
    state (render mode, fill colour, kept across ``q``/``Q``) at the moment of
    the show operators that produced it says whether anyone could see it.
    """
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
    state, stack = _State(), []
    shows: list[bool] = []  # for each show operator since the last piece: was it invisible?
    pieces: list[tuple[str, bool, str]] = []
    hidden = HiddenText()

    def before(operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        nonlocal state
        if operator == b"q":
            stack.append(state.copy())
        elif operator == b"Q" and stack:
            state = stack.pop()
        elif operator == b"Tr" and operands:
            state.render_mode = int(operands[0])
        elif operator in (b"g", b"rg", b"k", b"sc", b"scn") and operands:
            numbers = tuple(float(o) for o in operands if isinstance(o, (int, float)))
            state.fill = numbers
            state.fill_space = {b"g": "gray", b"rg": "rgb", b"k": "cmyk"}.get(operator, "gray" if len(numbers) == 1 else "rgb" if len(numbers) == 3 else "cmyk")
        elif operator in SHOW:
            shows.append(state.render_mode in (3, 7) or state.white())

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        invisible_shows = bool(shows) and all(shows)
        shows.clear()
        if not text:
            return
        reason = ""
        if invisible_shows:
            reason = "drawn invisibly or in white"
        else:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[0] * cm[0]) or abs(tm[3] * cm[3]) or 1.0
            if text.strip() and (x < left - 1 or x > left + width or y < bottom - 1 or y > bottom + height):
                reason = "placed outside the page"
            elif text.strip() and size * scale < 1.0:
                reason = "set too small to read"
        pieces.append((text, bool(reason), reason))

    full = page.extract_text(visitor_operand_before=before, visitor_text=visit) or ""
    if not any(invisible and text.strip() for text, invisible, _ in pieces):
        return full, hidden  # nothing hidden: exactly what plain extraction gives
    kept = []
    for text, invisible, reason in pieces:
        if invisible and text.strip():
            hidden.pieces.append(text)
            hidden.reasons.add(reason)
        elif not invisible:
            kept.append(text)
    joined = re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip("\n")
    return joined, hidden
