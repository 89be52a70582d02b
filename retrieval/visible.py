"""Text as a person sees it: invisible characters removed for reading, offsets kept.

A counterparty can write ``exclu\u200bsive`` (a zero-width space inside the word)
or hide a right-to-left override in a number: a person reads "exclusive", a
pattern does not, and a breach becomes "not addressed". So every reading step
(segmentation, classification, value extraction, the review) works on the
*visible* text, and every offset it finds is mapped back to the stored text, so
quotes and highlights still point at the document as stored.

Invisible here: zero-width space, non-joiner and joiner, left-to-right and
right-to-left marks, the bidirectional embeddings, overrides and isolates, the
word joiner and invisible operators, the byte-order mark used as a zero-width
no-break space, and the soft hyphen. Struck-through Markdown (``~~deleted~~``)
is read past too: in a redlined counter-draft it is what the other side deleted,
not what it proposes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class VisibleText:
    """``text`` without invisible characters; ``offsets[i]`` is where its character ``i`` stands in the original."""

    text: str
    original_length: int
    offsets: tuple[int, ...] | None = None  # None: nothing was removed, positions are the same
    removed: int = 0

    def original(self, index: int) -> int:
        """The original position of visible position ``index`` (``len(text)`` maps to the original's end)."""
        if self.offsets is None:
            return index
        return self.offsets[index] if index < len(self.offsets) else self.original_length

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of visible ``[start, end)``: from its first character to just after its last."""
        if start >= end:
            return self.original(start), self.original(start)
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


STRUCK = re.compile(r"~~(?=\S)(?:(?!\n[ \t]*\n)[^~]|~(?!~)){1,4000}?(?<=\S)~~")  # may wrap lines, not paragraphs


def visible(text: str) -> VisibleText:
    """``text`` as read: invisible characters and struck-through deletions removed, with the way back to the original positions."""
    if not INVISIBLE.search(text) and "~~" not in text:
        return VisibleText(text, len(text))
    struck = [False] * len(text)
    for m in STRUCK.finditer(text):
        for i in range(m.start(), m.end()):
            struck[i] = True
    if not any(struck) and not INVISIBLE.search(text):
        return VisibleText(text, len(text))
    kept: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if struck[i] or INVISIBLE.match(ch):
            continue
        kept.append(ch)
        offsets.append(i)
    return VisibleText("".join(kept), len(text), tuple(offsets), len(text) - len(offsets))


def invisible_count(text: str) -> int:
    """How many characters of ``text`` a reader cannot see."""
    return len(INVISIBLE.findall(text))
