"""Who is who: the names a contract gives its parties, mapped to the roles a mandate speaks of.

A mandate says "Licensee liability cap"; the contract says "Aurore's aggregate liability"
because its preamble defined Aurore Labs Inc. as the "Licensee" (or "Aurore"), or "We"
and "you" in a letter. Readers that must know whose obligation or cap a sentence states
ask :func:`role_of`.
"""

from __future__ import annotations

import bisect
import re

from core.domain import Clause
from retrieval.visible import visible

#: role words, by the side of the deal they are on
LICENSEE = ("licensee", "customer", "buyer", "purchaser", "recipient", "receiving party", "developer", "user", "subscriber", "client", "company", "provider of the ai")
LICENSOR = ("licensor", "collective", "trust", "cooperative", "co-operative", "consortium", "licensing body", "disclosing party", "supplier",
            "owner", "rights holder", "rightsholder", "publisher", "archive", "society", "association", "data provider", "provider")
ROLE_WORDS = r"licensee|licensor|customer|buyer|purchaser|recipient|receiving party|disclosing party|developer|user|subscriber|client|company|collective|trust|co-?operative|consortium|licensing body|supplier|owner|rights ?holder|publisher|archive|society|association|(?:data )?provider"
_LABELLED = re.compile(r"(?im)^\W*(?P<role>" + ROLE_WORDS + r")\W{0,3}[:|]\s*\|?\s*(?P<name>[A-Z][\w&.'’-]*)")


def side(word: str) -> str | None:
    w = " ".join(word.lower().split())
    if w in LICENSOR or re.fullmatch(r"co-?operative|rights ?holder|(data )?provider", w):
        return "licensor"
    if w in LICENSEE:
        return "licensee"
    return None


_COMPANY = re.compile(r"\b(inc|ltd|limited|llc|llp|plc|gmbh|b\.?v|s\.?a|s\.?r\.?l|ag|corp|corporation|company|co-?operative|cooperative|trust|university|foundation|association|society|partnership|pty|co)\b\.?", re.I)


_ALIAS = re.compile(r"\((?:hereinafter\s+)?(?:referred to as\s+)?(?:the\s+)?[“\"](?P<a>[^”\"]{2,40})[”\"](?:\s*(?:,|or|and)\s*(?:the\s+)?[“\"](?P<b>[^”\"]{2,40})[”\"])?\)")
_SEGMENT_START = re.compile(r"\b(?i:between)\b|\b(?i:and)\b(?=\s+[A-Z])|;|\n|^")
_NAME = re.compile(r"[A-Z][\w&.'’-]*(?:\s+[A-Z&][\w&.'’-]*){0,5}")


def parties(clauses: list[Clause]) -> dict[str, str]:
    """Every name the contract uses for a party, lower case, mapped to "licensee" or "licensor".

    A party is a company-like name followed by its defined alias ('Parabola Code Intelligence, Inc.
    ... ("Licensee")'). A party defined only by its own name ("Aurore") opposite one defined by role
    (the "Co-operative", a licensor) is the other side."""
    roles: dict[str, str] = {}
    unknown: list[str] = []
    for c in clauses[:40]:  # parties are defined up front (preamble, details page, term sheet table)
        text = re.sub(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", visible(c.text).text)  # Markdown emphasis
        starts = [x.end() for x in _SEGMENT_START.finditer(text)]  # once per clause: a file with many aliases stays linear
        for m in _ALIAS.finditer(text):
            at = bisect.bisect_right(starts, m.start()) - 1
            segment = text[(starts[at] if at >= 0 else 0) : m.start()]
            if not _COMPANY.search(segment):
                continue  # a defined term ("the Licensed Audio"), not a party
            aliases = [" ".join(a.lower().split()) for a in (m.group("a"), m.group("b")) if a]
            name = _NAME.search(segment)
            names = [" ".join(name.group().lower().split()), name.group().split()[0].lower()] if name else []
            role = next((side(a) for a in aliases if side(a)), None)
            if role is None:
                unknown.extend(a for a in aliases if len(a.split()) <= 3)
                unknown.extend(names)
                continue
            for key in aliases + names:
                if side(key) in (None, role):
                    roles.setdefault(key, role)
        for m in _LABELLED.finditer(text):
            role = side(m.group("role"))
            if role:
                roles.setdefault(m.group("name").lower(), role)
    known = set(roles.values())
    if len(known) == 1:
        other = "licensor" if known == {"licensee"} else "licensee"
        for name in dict.fromkeys(unknown):
            roles.setdefault(name, other)
    return roles


def role_of(name: str, roles: dict[str, str]) -> str | None:
    """The side a name (or role word) is on, if the contract says."""
    key = " ".join(name.lower().split())
    return side(key) or roles.get(key) or roles.get(key.split()[0] if key else "")
