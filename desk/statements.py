"""What a sentence does with a thing it names: permits it, requires it, prohibits it, or denies it.

Contracts say the same thing many ways ("Licensee shall not sublicense", "no
sublicensing", "sublicensing is prohibited", "may not ... except to its
Affiliates"), and a word's presence says nothing about which way it goes: the
word *exclusive* appears in "a non-exclusive licence" and in "fees are exclusive
of VAT". A term's reader finds where a sentence names the thing the term is about
(its *concept*), then asks :func:`stance` what the sentence does with it, looking
only at the words that govern that mention: the modal verb before it, a negation
whose scope reaches it, an exception (*except*, *other than*, *unless*) that
carves it out of a prohibition.

The mandate's own words get the same analysis (:func:`term_modality`): a term
labelled "Licensee may not train voice models" is true when the contract
prohibits it; "Members may opt out" is true when the contract permits it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Stance = Literal["permitted", "required", "prohibited", "not_required", "denied", "stated"]
Modality = Literal["permission", "obligation", "prohibition", "statement"]

# Clause-internal boundaries: a modal before one of these does not govern what follows it.
_BOUNDARY = re.compile(r"[;:]|\.\s|\(\w\)\s|\b(?:provided(?:,)? (?:however,? )?that|but|whereas|and (?:the )?(?:licensor|licensee|recipient|receiving party|disclosing party|company|provider|customer)\b)", re.I)
_EXCEPTION = re.compile(
    r"\b(?:except(?:\s+(?:as|to|for|that|where|with))?|other than|save(?:\s+as|\s+for|\s+that)?|unless|excluding|apart from|"
    r"but (?:may|shall be entitled|is permitted)|provided(?:,)? (?:however,? )?that|otherwise than)\b",
    re.I,
)
_PROHIBIT_BEFORE = re.compile(
    r"\b(?:shall|will|may|must|can|does|do|did|should|is|are)\s+not\b|\b(?:shan't|won't|cannot|can't|mustn't)\b|"
    r"\bnot\s+(?:be\s+)?(?:permitted|allowed|entitled|authori[sz]ed)\s+to\b|\bprohibited\s+from\b|\brefrain\s+from\b|"
    r"\b(?:no|without any)\s+right\s+to\b|\bnor\b|\bneither\b|\bin no (?:event|case|circumstances)\b|\bnever\b|"
    r"\bagrees?\s+not\s+to\b|\bundertakes?\s+not\s+to\b|\bcovenants?\s+not\s+to\b|\bshall\s+have\s+no\s+right\b|"
    r"\bis\s+not\s+(?:licen[cs]ed|granted)\b|\bno\s+(?:licen[cs]e|right)\b[^.;]{0,40}\bto\b|\bexclud(?:es|ed)\b|\bdoes\s+not\s+(?:include|extend\s+to|cover)\b|\bwaives?\b[^.;]{0,80}\b(?:rights?|entitlements?)\b[^.;]{0,20}\bto\b",
    re.I,
)
_NOT_REQUIRED_BEFORE = re.compile(
    r"\b(?:not|no(?:t)? be)\s+(?:required|obliged|obligated|bound)\s+to\b|\bno\s+(?:obligation|duty|requirement)\s+(?:to|on)\b|"
    r"\bneed\s+not\b|\bis\s+under\s+no\s+obligation\b|\bnothing\b[^.;]{0,60}\b(?:requires?|obliges?)\b",
    re.I,
)
_REQUIRE_BEFORE = re.compile(
    r"\b(?:shall|must|will|agrees?\s+to|undertakes?\s+to|covenants?\s+to|is\s+required\s+to|are\s+required\s+to|"
    r"is\s+obliged\s+to|is\s+obligated\s+to|shall\s+be\s+required\s+to|commits?\s+to|is\s+responsible\s+for|"
    r"(?:shall|will)\s+procure\s+that|undertakes?\s+that|ensures?\s+that|shall\s+ensure)\b",
    re.I,
)
_PERMIT_BEFORE = re.compile(
    r"\b(?:may|can|is\s+(?:permitted|allowed|entitled|free)\s+to|are\s+(?:permitted|allowed|entitled|free)\s+to|"
    r"(?:has|have|shall\s+have|retains?)\s+the\s+right\s+to|right\s+to|"
    r"grants?\b[^.;]{0,160}\b(?:licen[cs]e|right)s?\b|licen[cs]ed?\s+to|permission\s+to|authori[sz]ed\s+to|"
    r"nothing\b[^.;]{0,80}\b(?:prevents?|prohibits?|restricts?|limits?|precludes?)|shall\s+not\s+(?:prevent|prohibit|restrict|preclude|limit))",
    re.I,
)
# A negation that puts the modal after it ("In no event shall X", "Neither party shall X", "nor will it X"):
# the modal is the prohibition's, not an obligation of its own.
_INVERTED = re.compile(
    r"\b(?:in\s+no\s+(?:event|case|circumstances)|under\s+no\s+circumstances|at\s+no\s+time|neither|nor)\b"
    r"(?:\s*,)?(?:\s+[\w'’]+){0,3}?\s+(?:shall|will|may|must|can|should|does|do)\b",
    re.I,
)
_NEGATED_NOUN = re.compile(r"(?:\bnon-?|\bno\s+|\bwithout\s+(?:any\s+)?|\bnot\s+an?\s+|\bneither\s+an?\s+)$", re.I)
_NOTHING_PREVENTS = re.compile(r"\bnothing\b[^.;]{0,80}\b(?:prevents?|prohibits?|restricts?|precludes?|limits?|restricting|preventing)\b[^.;]{0,80}$|\bshall\s+not\s+(?:prevent|prohibit|restrict|preclude|limit)\b[^.;]{0,80}$", re.I)
_PROHIBIT_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:(?:is|are|shall be|will be)\s+(?:strictly\s+)?(?:prohibited|forbidden|not permitted|not allowed|excluded|disapplied|deleted)\b|(?:shall|will|does|do)\s+not\s+apply\b|(?:is|are)\s+not\s+(?:thereby\s+|hereby\s+)?(?:created|granted|conferred|given)\b)", re.I)
_PERMIT_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:is|are|shall be|will be)\s+(?:expressly\s+)?(?:permitted|allowed|authori[sz]ed)\b", re.I)
_REQUIRE_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:is|are|shall be|will be)\s+(?:required|mandatory)\b", re.I)


@dataclass(frozen=True)
class Reach:
    """The words that govern a mention: from the last boundary before it up to the mention."""

    before: str
    after: str
    excepted: bool  # the mention follows an exception word inside the same clause


def _reach(text: str, start: int, end: int) -> Reach:
    lo = max(0, start - 220)
    before = text[lo:start]
    cut = 0
    for m in _BOUNDARY.finditer(before):
        cut = m.end()
    governed = before[cut:]
    exc = None
    for m in _EXCEPTION.finditer(governed):
        exc = m
    excepted = False
    if exc is not None:
        head = governed[: exc.start()]
        # "shall not disclose ... except to its employees": the mention is what the exception lets through
        excepted = bool(_PROHIBIT_BEFORE.search(head) or re.search(r"\bno\b|\bnot\b", head, re.I))
        governed = governed if excepted else governed[exc.end():]
    return Reach(governed, text[end : end + 120], excepted)


def stance(text: str, start: int, end: int) -> Stance:
    """What the sentence ``text`` does with the thing it names at ``text[start:end]``."""
    reach = _reach(text, start, end)
    before, after = reach.before, reach.after
    if _NEGATED_NOUN.search(text[max(0, start - 12) : start]):
        return "denied"
    near = before[-140:]
    prohibit = _last(_PROHIBIT_BEFORE, near)
    not_required = _last(_NOT_REQUIRED_BEFORE, near)
    require = _last(_REQUIRE_BEFORE, near)
    permit = _last(_PERMIT_BEFORE, near)
    if reach.excepted or _NOTHING_PREVENTS.search(near):
        return "permitted"
    if _PROHIBIT_AFTER.match(after):
        return "prohibited"
    found = [(pos, kind) for pos, kind in ((not_required, "not_required"), (prohibit, "prohibited"), (require, "required"), (permit, "permitted")) if pos >= 0]
    if not found:
        if _PERMIT_AFTER.match(after):
            return "permitted"
        if _REQUIRE_AFTER.match(after):
            return "required"
        return "stated"
    # The governing phrase that ends nearest the mention decides ("shall not ... and may X": X is
    # permitted; "may not X": prohibited; "nothing shall require X": not required).
    pos, kind = max(found, key=lambda f: (f[0], {"not_required": 3, "prohibited": 2, "required": 1, "permitted": 0}[f[1]]))
    if kind in ("required", "permitted") and any(m.start() < pos <= m.end() for m in _INVERTED.finditer(near)):
        return "prohibited"
    return kind  # type: ignore[return-value]


def _last(pattern: re.Pattern[str], text: str) -> int:
    """Where the last match of ``pattern`` in ``text`` ends (-1: none)."""
    pos = -1
    for m in pattern.finditer(text):
        pos = m.end()
    return pos


_TERM_PROHIBITION = re.compile(
    r"^\s*(?:no|never|ban on|bar on|prohibition (?:on|of)|limits? on|restrictions? on|restricted)\b|\b(?:barred|banned|precluded|forbidden|debarred)\b|\bnever\b|\b(?:shall|will|may|must|can|does)\s+not\b|\bcannot\b|\bprohibit|\bnot (?:be )?(?:permitted|allowed)\b|\bforbid|\bwithout\b[^()]{0,40}\bconsent\b",
    re.I,
)
_TERM_PERMISSION = re.compile(r"\b(?:may|can|is permitted to|are permitted to|is allowed to|right to|rights? of|permitted|allowed|entitled to)\b", re.I)
_TERM_OBLIGATION = re.compile(r"\b(?:shall|must|will|required to|obliged to|obligation to|has to|have to|agrees? to|undertakes? to|required|mandatory)\b", re.I)


def term_modality(words: str) -> Modality:
    """How the mandate's own words state a boolean term, so its answer can be read the right way round."""
    if _TERM_PROHIBITION.search(words):
        return "prohibition"
    if _TERM_OBLIGATION.search(words):
        return "obligation"
    if _TERM_PERMISSION.search(words):
        return "permission"
    return "statement"


def answer(modality: Modality, found: Stance) -> bool | None:
    """The boolean answer to a term stated with ``modality`` when the contract takes ``found`` towards its concept."""
    if modality == "prohibition":
        return {"prohibited": True, "denied": True, "permitted": False, "required": False, "stated": False, "not_required": None}[found]
    if modality == "obligation":
        return {"required": True, "stated": True, "not_required": False, "denied": False, "prohibited": False, "permitted": None}[found]
    if modality == "permission":
        return {"permitted": True, "required": True, "stated": True, "prohibited": False, "denied": False, "not_required": True}[found]
    return {"permitted": True, "required": True, "stated": True, "prohibited": False, "denied": False, "not_required": False}[found]
