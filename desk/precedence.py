"""Order of precedence: which part of a contract wins when two parts state a term differently.

Master agreements with order forms, licences with exhibits, public licences with supplements:
each says somewhere "if there is any conflict between these General Terms and an Order Form,
the Order Form shall prevail", or "the body of this Agreement shall control". Two statements of
a term in parts the contract itself ranks are not ambiguous: the higher-ranked part decides.
Without such a clause, two incompatible statements stay a conflict (*unclear*).

A contract has a *body* (its numbered terms) and *attachments* (exhibits, schedules, annexes,
order forms, supplements), each starting at a heading that names it; every clause belongs to
the body or to the last attachment opened before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.domain import Clause
from retrieval.visible import visible

_ATTACHMENT = r"exhibit|schedule|annex|appendix|attachment|order form|supplement|addendum|rider|statement of work|special conditions|particulars|data processing agreement"
_ATTACH_TITLE = re.compile(r"^\W*(?:#+\s*)?\**\s*(?:part\s+\w+\s*[:.\-–]\s*)?(?P<title>(?:" + _ATTACHMENT + r")\b[^\n]{0,60})", re.I)
_BODY = re.compile(r"\b(agreement|general terms|terms and conditions|terms|conditions|master|body|licen[cs]e|contract)\b", re.I)
_CONFLICT = re.compile(r"\b(conflict|inconsisten\w*|discrepanc\w*|precedence)\b", re.I)
_WINS = re.compile(r"(?P<part>(?:[\w-]+\s+){0,4}?[\w-]+)\s+(?:shall|will|does|do|is to)?\s*(?:prevail|take[s]?\s+precedence|govern|control)s?\b", re.I)
_FILLER = re.compile(r"^(?:.*\b(?:the|these|this|that|any|each|an|a|such|relevant|applicable)\s+)", re.I)


@dataclass(frozen=True)
class Precedence:
    """The part that wins, the rank of each clause (0 wins over 1; absent: the contract does not say)."""

    winner: str = ""
    rank: dict[str, int] = field(default_factory=dict)
    source: str = ""  # the precedence clause

    def winner_of(self, clause_ids: list[str]) -> int | None:
        """Index of the single best-ranked clause among ``clause_ids``, or None when the contract does not rank them."""
        ranks = [self.rank.get(c) for c in clause_ids]
        if any(r is None for r in ranks) or len(set(ranks)) < 2:
            return None
        best = min(r for r in ranks if r is not None)
        return ranks.index(best) if ranks.count(best) == 1 else None


NONE = Precedence()


def _phrase(text: str) -> str:
    return " ".join(_FILLER.sub("", text.strip()).lower().split())


def attachment_of(clauses: list[Clause]) -> dict[str, str]:
    """Each clause's attachment title ("order form no. ksp-001", "exhibit b"), or "" for the body."""
    out: dict[str, str] = {}
    current = ""
    for c in clauses:
        first = (c.heading or "").split("\n")[0] + "\n" + visible(c.text).text.lstrip()[:80]
        for line in first.split("\n")[:2]:
            m = _ATTACH_TITLE.match(line)
            if m and not _CONFLICT.search(visible(c.text).text[:300]):
                current = " ".join(m.group("title").lower().replace("*", "").split())
                break
        out[c.id] = current
    return out


def precedence(clauses: list[Clause]) -> Precedence:
    """The contract's own order of precedence, and the rank of every clause under it."""
    for c in clauses:
        text = " ".join(visible(c.text).text.replace("*", "").split())
        if not _CONFLICT.search(text):
            continue
        for sentence in re.split(r"(?<=[.;])\s+", text):
            if not _CONFLICT.search(sentence):
                continue
            head = re.split(r"\bexcept\b", sentence, maxsplit=1)[0]  # "..., except that Clause 12 shall prevail": the rule, not its exception
            wins = _WINS.search(head)
            if not wins:
                continue
            winner = _phrase(wins.group("part"))
            if not winner or winner in ("which", "it", "that"):
                continue
            return Precedence(winner, _ranks(clauses, winner), c.id)
    return NONE


def _ranks(clauses: list[Clause], winner: str) -> dict[str, int]:
    parts = attachment_of(clauses)
    attachment_wins = re.search(_ATTACHMENT, winner, re.I) is not None
    key = re.search(_ATTACHMENT, winner, re.I).group(0).lower() if attachment_wins else ""
    rank: dict[str, int] = {}
    for cid, part in parts.items():
        if attachment_wins:
            if part and key in part:
                rank[cid] = 0
            elif not part:
                rank[cid] = 1
        elif _BODY.search(winner):
            rank[cid] = 1 if part else 0
    return rank
