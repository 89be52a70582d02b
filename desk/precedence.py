"""Order of precedence: which part of a contract wins when two parts state a term differently.

Master agreements with order forms, public licences with supplements, agreements with
schedules: each says, somewhere, "in the event of any conflict, the Order Form shall
prevail" or lists an order of precedence. Two statements of a term in parts the contract
itself ranks are not ambiguous; the higher-ranked part decides, and the finding says so.
Without such a clause, two incompatible statements stay a conflict (*unclear*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.domain import Clause
from retrieval.visible import visible

_PART = r"(?:the\s+)?(?P<part>(?:[A-Z][\w-]*\s+){0,3}?(?:Order Form|Supplement|Schedule(?:\s+\w+)?|Exhibit(?:\s+\w+)?|Annex(?:\s+\w+)?|Appendix(?:\s+\w+)?|Attachment(?:\s+\w+)?|Addendum|Statement of Work|Special Conditions|Particulars|Term Sheet|Terms|Agreement|Licen[cs]e|Conditions|Data Processing Agreement))"
_PREVAILS = re.compile(_PART + r"[^.;]{0,60}?\b(?:shall|will)?\s*(?:prevail|take[s]? precedence|govern|control)\b", re.I)
_CONFLICT = re.compile(r"\b(conflict|inconsisten\w*|discrepanc\w*|precedence)\b", re.I)
_LISTED = re.compile(r"order of precedence[^:]{0,40}:\s*(?P<list>[^.]{5,400})", re.I)


@dataclass(frozen=True)
class Precedence:
    """Parts in order, highest first, and the rank of each clause (lower wins; None: no known part)."""

    parts: tuple[str, ...]
    rank: dict[str, int]
    source: str = ""  # the clause id of the precedence clause

    def winner(self, clause_ids: list[str]) -> int | None:
        """Index of the single best-ranked clause among ``clause_ids``, or None when the contract does not rank them."""
        ranks = [self.rank.get(c) for c in clause_ids]
        if any(r is None for r in ranks) or len(set(ranks)) < 2:
            return None
        best = min(r for r in ranks if r is not None)
        return ranks.index(best) if ranks.count(best) == 1 else None


NONE = Precedence((), {})


def precedence(clauses: list[Clause]) -> Precedence:
    """The contract's own order of precedence, and which part each clause belongs to."""
    parts: list[str] = []
    source = ""
    for c in clauses:
        text = " ".join(visible(c.text).text.split())
        if not _CONFLICT.search(text):
            continue
        listed = _LISTED.search(text)
        if listed:
            parts = [_name(p) for p in re.split(r";|\(\w\)|\b\d\.\s|,\s*(?:then\s+)?", listed.group("list")) if _name(p)]
        else:
            for sentence in re.split(r"(?<=[.;])\s+", text):
                if _CONFLICT.search(sentence):
                    m = _PREVAILS.search(sentence)
                    if m:
                        over = re.search(r"\bover\s+" + _PART, sentence[m.end():], re.I)
                        parts = [_name(m.group("part"))] + ([_name(over.group("part"))] if over else [])
                        break
        if parts:
            source = c.id
            break
    if not parts:
        return NONE
    return Precedence(tuple(parts), _ranks(clauses, parts), source)


def _name(text: str) -> str:
    text = re.sub(r"\b(the|these|this|any|each|applicable|relevant|then)\b", " ", text, flags=re.I)
    return " ".join(text.lower().split()).strip(" ,:;()")


def _ranks(clauses: list[Clause], parts: list[str]) -> dict[str, int]:
    """Each clause's part: the last part title seen at or before it (a heading naming the part)."""
    rank: dict[str, int] = {}
    current: int | None = None
    for c in clauses:
        title = " ".join(((c.heading or "") + " " + visible(c.text).text[:120]).lower().split())
        for i, part in enumerate(parts):
            if part and re.search(r"(^|\W)" + re.escape(part) + r"(\W|$)", title) and not _CONFLICT.search(title):
                current = i
                break
        if current is None and parts and parts[-1] in ("agreement", "terms", "licence", "license", "conditions"):
            rank[c.id] = len(parts) - 1  # before any named part: the main body
            continue
        if current is not None:
            rank[c.id] = current
    return rank
