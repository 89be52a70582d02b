"""Word-level redlines a lawyer reads easily: deletions struck, insertions marked.

Used by the review (the mandate's fallback against the proposal's clause) and
by the comparison (a proposal clause against its precedent). Tokens keep their
trailing whitespace, so joining the ``equal`` and ``delete`` pieces gives back
the old text (up to whitespace) and ``equal`` plus ``insert`` gives the new text.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\S+\s*|\s+")
NUMBER = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class Edit:
    op: str  # "equal" | "delete" | "insert"
    text: str


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _norm(token: str) -> str:
    return token.strip().lower().strip(".,;:()\"'“”")


def redline(old: str, new: str) -> list[Edit]:
    """The shortest word-level edit from ``old`` to ``new`` (case and punctuation-insensitive matching)."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [_norm(t) for t in a], [_norm(t) for t in b], autojunk=False)
    edits: list[Edit] = []

    def emit(op: str, text: str) -> None:
        if edits and edits[-1].op == op:
            edits[-1] = Edit(op, edits[-1].text + text)
        elif text:
            edits.append(Edit(op, text))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":  # matched loosely; a token whose punctuation changed is still an edit
            for t, u in zip(a[i1:i2], b[j1:j2]):
                if t.strip() == u.strip():
                    emit("equal", u)
                else:
                    emit("delete", t)
                    emit("insert", u)
        else:
            emit("delete", "".join(a[i1:i2]))
            emit("insert", "".join(b[j1:j2]))
    return edits


SECTION_NUMBER = re.compile(r"^\d+(\.\d+){2,}\.?$|^\d+(\.\d+)+\.$")  # 6.1.3 or "6.1." (not 2.5)


def changed_numbers(old: str, new: str) -> list[tuple[str, str]]:
    """Numbers that differ between two clauses, in order ("30" vs "10"), called out beside the redline.

    Section numbers ("6.1.3") are numbering, not terms, and are left out.
    """
    edits = redline(old, new)
    deleted = [e for e in edits if e.op == "delete"]
    inserted = [e for e in edits if e.op == "insert"]
    pairs = []
    for e_old, e_new in zip(deleted, inserted):
        n_old = [n for n in NUMBER.findall(e_old.text) if not SECTION_NUMBER.match(n)]
        n_new = [n for n in NUMBER.findall(e_new.text) if not SECTION_NUMBER.match(n)]
        if n_old and n_new and n_old != n_new:
            pairs.append((" ".join(n_old), " ".join(n_new)))
    return pairs


def similarity(old: str, new: str) -> float:
    a, b = [_norm(t) for t in _tokens(old)], [_norm(t) for t in _tokens(new)]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def to_html(edits: list[Edit]) -> str:
    out = []
    for e in edits:
        text = html.escape(e.text)
        if e.op == "delete":
            out.append(f'<del style="color:#b3261e;background:#fde7e9">{text}</del>')
        elif e.op == "insert":
            out.append(f'<ins style="color:#0b6b3a;background:#e6f4ea;text-decoration:none;border-bottom:2px solid #0b6b3a">{text}</ins>')
        else:
            out.append(text)
    return "".join(out)


def to_markdown(edits: list[Edit]) -> str:
    """Redline for Markdown and terminals: ~~deleted~~ and **inserted**."""
    out = []
    for e in edits:
        core = e.text.strip()
        if not core:
            out.append(e.text)
        elif e.op == "delete":
            out.append(f"~~{core}~~ ")
        elif e.op == "insert":
            out.append(f"**{core}** ")
        else:
            out.append(e.text)
    return "".join(out)
