"""The playbook review: every mandate term judged against a proposal, with evidence.

For each term the engine (1) finds the clauses that speak to it: by clause
category, by a lexical match of the term's own wording, and by the contract
phrasing in ``desk.term_cues``; (2) reads the proposal's position from the
deciding sentences and normalises it to the term's unit; (3) compares it with
the mandate's preferred / walk-away positions. The result is deterministic and
needs no LLM: statuses come only from here, so nothing written inside a
contract ("ignore previous instructions...") can change them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from core.domain import Clause, Document, Evidence, Finding, Mandate, MandateTerm, Value
from desk.mandate import fill_fallback, format_value
from desk.term_cues import CUES, Cue
from retrieval.visible import VisibleText, visible

NON_OPERATIVE_HEADING = re.compile(r"recital|whereas|background|definition|interpretation", re.I)
DEFINITION = re.compile(r"^\W*(\d+(\.\d+)*\.?)?\s*[\"“][^\"”]{1,80}[\"”]\s+(means|shall mean|has the meaning)", re.I)
SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[\"“(A-Z0-9])|\n\s*\n|\s\|\s")
TIME_IN_DAYS = {"hours": 1 / 24, "hour": 1 / 24, "days": 1, "day": 1, "business days": 7 / 5, "weeks": 7, "week": 7, "months": 365.25 / 12, "month": 365.25 / 12, "years": 365.25, "year": 365.25}
FREQUENCY_MONTHS = [
    (re.compile(r"\b(each|every|per|calendar)\s+(calendar\s+)?quarter|\bquarterly\b", re.I), 3.0, "quarterly"),
    (re.compile(r"\bmonthly\b|\b(each|every|per)\s+(calendar\s+)?month\b", re.I), 1.0, "monthly"),
    (re.compile(r"\bsemi-?annual(ly)?\b|\bevery six \(?6?\)?\s*months\b|\btwice (a|per) year\b", re.I), 6.0, "every six months"),
    (re.compile(r"\bannual(ly)?\b|\b(each|every|per)\s+(contract\s+|calendar\s+)?year\b|\bonce a year\b", re.I), 12.0, "annually"),
]
STOPWORDS = set("a an and the of to in on for or by with as at from our we us is are be any per within after before their its".split())


@dataclass(frozen=True)
class Sentence:
    """A sentence of a clause: ``text`` is what a person sees (invisible characters removed,
    :mod:`retrieval.visible`); ``start``/``end`` and :meth:`at` are offsets into the document as stored."""

    clause: Clause
    start: int  # document offsets
    end: int
    text: str
    view: VisibleText | None = None  # of the whole clause text; None: nothing invisible in it
    base: int = 0  # where ``text`` starts in the view

    def at(self, index: int) -> int:
        """The document offset of position ``index`` of ``text``."""
        if self.view is None:
            return self.start + index
        return self.clause.start + self.view.original(self.base + index)


@dataclass(frozen=True)
class Reading:
    """One statement of the proposal's position on a term."""

    value: Any
    words: str  # what the proposal says, in plain words
    sentence: Sentence
    quote_start: int
    quote_end: int
    dominant: bool = False

    @property
    def quote(self) -> str:
        return self.sentence.clause.text[self.quote_start - self.sentence.clause.start : self.quote_end - self.sentence.clause.start]


#: statuses a negotiator must act on, most serious first
PROBLEMS = ("breaches_walk_away", "unclear", "not_addressed")


@dataclass(frozen=True)
class Review:
    document_id: str
    document_title: str
    mandate_name: str
    mandate_version: str
    findings: tuple[Finding, ...]
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def problems_first(self) -> tuple[Finding, ...]:
        """Findings that need the negotiator (breaches, unclear, not addressed) first, heaviest first; then the rest."""
        return tuple(sorted(self.findings, key=lambda f: (f.status not in PROBLEMS, -f.weight)))

    def summary(self) -> dict[str, Any]:
        counts = {s: 0 for s in ("meets_preferred", "acceptable", "breaches_walk_away", "not_addressed", "unclear")}
        for f in self.findings:
            counts[f.status] += 1
        problems = sorted(
            (f for f in self.findings if f.status in PROBLEMS),
            key=lambda f: (-f.weight, PROBLEMS.index(f.status)),
        )
        return {
            "counts": counts,
            "top_problems": [{"term": f.term, "label": f.label, "status": f.status, "weight": f.weight} for f in problems[:3]],
            "missing": [f.label for f in self.findings if f.status == "not_addressed"],
            "weighted_score": round(sum(f.weight * STATUS_SCORE[f.status] for f in self.findings), 4),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": {"id": self.document_id, "title": self.document_title},
            "mandate": {"name": self.mandate_name, "version": self.mandate_version},
            "findings": [
                {**f.to_dict(), "decision": self.decisions.get(f.term)} for f in self.findings
            ],
            "summary": self.summary(),
        }


STATUS_SCORE = {"meets_preferred": 1.0, "acceptable": 0.5, "unclear": 0.0, "not_addressed": 0.0, "breaches_walk_away": -1.0}


# -- sentences ---------------------------------------------------------------------


NON_OPERATIVE_KINDS = ("definition", "recital", "signature")


def operative(clause: Clause) -> bool:
    """Definitions, recitals and signature blocks describe; they grant and oblige nothing."""
    return not (
        clause.kind in NON_OPERATIVE_KINDS
        or NON_OPERATIVE_HEADING.search(clause.heading or "")
        or DEFINITION.match(visible(clause.text).text)
    )


def sentences(clause: Clause) -> list[Sentence]:
    """The clause's sentences as read: split and matched on the visible text, placed in the stored one."""
    out, pos = [], 0
    view = visible(clause.text)
    text = view.text
    shown = None if view.offsets is None else view

    def sentence(lo: int, hi: int) -> Sentence:
        start, end = view.original_span(lo, hi)
        return Sentence(clause, clause.start + start, clause.start + end, text[lo:hi], shown, lo)

    for m in SENTENCE_END.finditer(text):
        if m.start() > pos:
            out.append(sentence(pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append(sentence(pos, len(text)))
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def _any(patterns: Iterable[str], text: str) -> re.Match[str] | None:
    for p in patterns:
        m = re.search(p, text, re.I | re.S)
        if m:
            return m
    return None


# -- cues for terms the library does not know -------------------------------------


def cue_for(term: MandateTerm) -> Cue:
    if term.key in CUES:
        return CUES[term.key]
    words = [w for w in re.findall(r"[a-z]+", f"{term.label} {term.query}".lower()) if w not in STOPWORDS and len(w) > 3]
    anchors = [r"\b(" + "|".join(sorted(set(words))) + r")"] if words else [r"."]
    unit = term.unit.lower()
    if term.kind == "number":
        if re.match(r"^[a-z]{3}\s*/\s*year", unit):
            measure = "money_per_year"
        elif unit in ("percent", "%"):
            measure = "percent"
        elif unit in TIME_IN_DAYS:
            measure = "duration"
        else:
            measure = "count"
        return {"anchors": anchors, "measure": measure}
    if term.kind == "choice":
        options = {o: [r"\b" + r"\W+".join(re.escape(w) for w in o.split("_")) + r"\b"] for o in term.options}
        return {"anchors": anchors, "options": options, "resolve": "set"}
    if term.kind == "boolean":
        return {"anchors": anchors, "by_category": True}
    return {"anchors": anchors}


# -- reading values ----------------------------------------------------------------


def _values_in(sentence: Sentence, kind: str) -> list[Value]:
    return [v for v in sentence.clause.values if v.kind == kind and sentence.start <= v.start and v.end <= sentence.end]


def _window(sentence: Sentence, value: Value, before: int, after: int) -> tuple[str, str]:
    c = sentence.clause
    lo = max(sentence.start, value.start - before) - c.start
    hi = min(sentence.end, value.end + after) - c.start
    return visible(c.text[lo : value.start - c.start]).text, visible(c.text[value.end - c.start : hi]).text


def _money_per_year(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    out = []
    currency = term.unit.split("/")[0].strip().upper() or "USD"
    for v in _values_in(sentence, "money"):
        if v.amount is None or (v.unit and v.unit.upper() != currency):
            continue
        pre, post = _window(sentence, v, 60, 40)
        pre_l, post_l = pre.lower(), post.lower()
        near_pre = pre_l[-30:]
        if re.match(r"\W{0,3}(per|for each|each|a)\s+(contract\s+|calendar\s+)?(year|annum)", post_l) or re.search(r"\b(per annum|annually)\b", post_l[:25]):
            out.append(Reading(v.amount, f"{currency} {v.amount:,.0f} per year", sentence, v.start, v.end))
        elif re.search(r"quarterly instal\w*\s+of\s*$|instal\w* of\s*$", near_pre) and re.search(r"quarter", pre_l):
            out.append(Reading(v.amount * 4, f"{currency} {v.amount * 4:,.0f} per year (four quarterly instalments of {currency} {v.amount:,.0f})", sentence, v.start, v.end))
        elif re.search(r"monthly instal\w*\s+of\s*$", near_pre):
            out.append(Reading(v.amount * 12, f"{currency} {v.amount * 12:,.0f} per year (twelve monthly instalments of {currency} {v.amount:,.0f})", sentence, v.start, v.end))
        elif re.search(r"one[- ]?time|upfront|up-front|on signing|upon signing|signing fee", pre_l + " " + post_l[:20]):
            continue
        elif re.search(r"\b(annual|yearly)\b", near_pre) or re.search(r"\b(annual|per annum|each contract year|per contract year)\b", sentence.text.lower()):
            out.append(Reading(v.amount, f"{currency} {v.amount:,.0f} per year", sentence, v.start, v.end))
    return out


def _percents(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    return [Reading(v.amount, f"{v.amount:g}%", sentence, v.start, v.end) for v in _values_in(sentence, "percent") if v.amount is not None]


def _in_unit(days: float, unit: str) -> float:
    return days / TIME_IN_DAYS.get(unit.lower(), 1.0)


def _durations(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    out = []
    for v in _values_in(sentence, "duration"):
        if v.amount is None:
            continue
        if math.isinf(v.amount):
            out.append(Reading(math.inf, "perpetual", sentence, v.start, v.end))
            continue
        factor = TIME_IN_DAYS.get(v.unit.lower())
        if factor is None:
            continue
        amount = _in_unit(v.amount * factor, term.unit)
        amount = round(amount, 2)
        out.append(Reading(amount, format_value(term, amount), sentence, v.start, v.end))
    return out


def _frequency(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    for pattern, months, words in FREQUENCY_MONTHS:
        m = pattern.search(sentence.text)
        if m:
            value = _in_unit(months * TIME_IN_DAYS["months"], term.unit) if term.unit.lower() != "months" else months
            return [Reading(value, words, sentence, sentence.at(m.start()), sentence.at(m.end()))]
    return []


def _fee_multiple(sentence: Sentence, term: MandateTerm, context: dict[str, Any]) -> list[Reading]:
    text = sentence.text
    m = re.search(r"(?:fees?|amounts?|sums?)\b[^.]{0,120}?\b(?:in|during) the\s+(?:[a-z-]+\s+)?\(?(\d+)\)?\s+months?", text, re.I)
    if m:
        months = float(m.group(1))
        return [Reading(round(months / 12, 2), f"fees of {months:g} months ({months / 12:g}x annual fees)", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    m = re.search(r"\b(\w+)\s+(?:\((\d+)\)\s+)?times\s+the\s+(?:annual\s+)?fees", text, re.I)
    if m:
        from retrieval.values import parse_number_words

        n = float(m.group(2)) if m.group(2) else parse_number_words(m.group(1))
        if n:
            return [Reading(n, f"{n:g}x the fees", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    fee = context.get("annual_fee")
    for v in _values_in(sentence, "money"):
        if v.amount and fee:
            multiple = round(v.amount / fee, 2)
            return [Reading(multiple, f"{v.text} ({multiple:g}x the annual fee)", sentence, v.start, v.end)]
    m = re.search(r"fees? paid (?:or payable )?(?:by \w+ )?under this agreement", text, re.I)
    if m:
        return [Reading(None, "the total fees paid under the agreement (no fixed multiple)", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    return []


def _counts(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    return [Reading(v.amount, v.text, sentence, v.start, v.end) for v in _values_in(sentence, "count") if v.amount is not None]


# -- the engine ---------------------------------------------------------------------


def _relevance(term: MandateTerm, clause: Clause) -> float:
    """How strongly a clause speaks to a term: best category score plus wording overlap."""
    cat = max((clause.score(c) for c in term.categories), default=0.0)
    words = {w for w in re.findall(r"[a-z]+", f"{term.label} {term.query}".lower()) if w not in STOPWORDS and len(w) > 3}
    body = set(re.findall(r"[a-z]+", visible(clause.text).text.lower()))
    overlap = len(words & body) / max(1, len(words))
    return cat + 0.5 * overlap


def read_term(term: MandateTerm, clauses: list[Clause], context: dict[str, Any]) -> tuple[list[Reading], list[Clause]]:
    """Every reading of the term in the document, and the clauses that speak to it."""
    cue = cue_for(term)
    readings: list[Reading] = []
    speaking: list[Clause] = []
    for clause in clauses:
        if not operative(clause):
            continue
        spoke = False
        for s in sentences(clause):
            flat = _flat(s.text)
            if not _any(cue.get("anchors", [r"."]), flat):
                continue
            if cue.get("skip") and _any(cue["skip"], flat):
                continue
            if cue.get("require") and not _any(cue["require"], flat):
                continue
            spoke = True
            found = _read_sentence(term, cue, s, context)
            readings.extend(found)
        if spoke:
            speaking.append(clause)
    if cue.get("by_category"):
        strong = [c for c in clauses if operative(c) and any(c.score(cat) >= 0.5 for cat in term.categories)]
        for c in strong:
            s = sentences(c)[0]
            readings.append(Reading(True, "yes", s, s.start, s.end))
        speaking = speaking + [c for c in strong if c not in speaking]
    return readings, speaking


def _near(reading: Reading, pattern: str, reach: int = 50) -> bool:
    c = reading.sentence.clause
    lo = max(reading.sentence.start, reading.quote_start - reach) - c.start
    hi = min(reading.sentence.end, reading.quote_end + reach) - c.start
    return re.search(pattern, visible(c.text[lo:hi]).text, re.I) is not None


def _read_sentence(term: MandateTerm, cue: Cue, s: Sentence, context: dict[str, Any]) -> list[Reading]:
    for pattern, value, words in cue.get("dominant", []):
        m = _find([pattern], s.text)
        if m:
            return [Reading(value, words, s, s.at(m.start()), s.at(m.end()), dominant=True)]
    if term.kind == "number":
        found = _read_number(term, cue, s, context)
        for pattern, value, words in cue.get("fixed", []):
            m = _find([pattern], s.text)
            if m and not found:
                found = [Reading(value, words, s, s.at(m.start()), s.at(m.end()))]
        if cue.get("near"):
            found = [r for r in found if r.dominant or _near(r, cue["near"])]
        if cue.get("not_near"):
            found = [r for r in found if r.dominant or not _near(r, cue["not_near"], reach=25)]
        if not found and cue.get("require") and cue.get("measure") in ("duration", "fee_multiple"):
            # The sentence is squarely about the term ("reasonable prior notice") but fixes no number.
            found = [Reading(None, f"no fixed {term.unit or 'value'} (“{_flat(s.text)[:120]}”)", s, s.start, s.end)]
        return found
    return _read_other(term, cue, s)


MEASURES = {
    "money_per_year": lambda s, term, context: _money_per_year(s, term),
    "percent": lambda s, term, context: _percents(s, term),
    "duration": lambda s, term, context: _durations(s, term),
    "frequency": lambda s, term, context: _frequency(s, term),
    "fee_multiple": _fee_multiple,
    "count": lambda s, term, context: _counts(s, term),
}


def _read_number(term: MandateTerm, cue: Cue, s: Sentence, context: dict[str, Any]) -> list[Reading]:
    return MEASURES[cue.get("measure", "count")](s, term, context)


def _read_other(term: MandateTerm, cue: Cue, s: Sentence) -> list[Reading]:
    if term.kind == "choice":
        out = []
        for option, patterns in cue.get("options", {}).items():
            m = _find(patterns, s.text)
            if m and cue.get("negated_before") and re.search(cue["negated_before"], s.text[max(0, m.start() - 80) : m.start()], re.I):
                continue
            if m:
                out.append(Reading([option], format_value(term, [option]), s, s.at(m.start()), s.at(m.end())))
        if not out and cue.get("other"):
            m = re.search(cue["other"].replace(" ", r"\s+"), s.text, re.S)
            if m:
                name = " ".join(m.group(1).split())
                name = cue.get("aliases", {}).get(name.lower(), name)
                option = "other:" + re.sub(r"\W+", "_", name.lower()).strip("_")
                out.append(Reading([option], f"{name} (not an option of the mandate)", s, s.at(m.start()), s.at(m.end())))
        return out
    if term.kind == "boolean":
        for answer in (False, True):  # "non-exclusive" must win over "exclusive"
            m = _find(cue.get("true" if answer else "false", []), s.text)
            if m:
                return [Reading(answer, "yes" if answer else "no", s, s.at(m.start()), s.at(m.end()))]
    return []


def _find(patterns: Iterable[str], text: str) -> re.Match[str] | None:
    """Search the text with whitespace runs (PDF line breaks) treated as single spaces."""
    for p in patterns:
        m = re.search(p.replace(" ", r"\s+"), text, re.I | re.S)
        if m:
            return m
    return None


def _resolve(term: MandateTerm, cue: Cue, readings: list[Reading]) -> tuple[Any, list[Reading], list[Reading]]:
    """The proposal's value, the readings that decide it, and conflicting readings (if any)."""
    dominant = [r for r in readings if r.dominant]
    if dominant:
        return dominant[0].value, dominant, []
    usable = [r for r in readings if r.value is not None]
    if not usable:
        return None, readings, []
    if term.kind == "choice":
        mode = cue.get("resolve", "set")
        if mode == "set":
            options = [o for o in term.options if any(o in r.value for r in usable)] or sorted({o for r in usable for o in r.value})
            deciding = []
            for o in options:
                deciding.append(next(r for r in usable if o in r.value))
            return options, deciding, []
        if mode == "best":
            order = list(term.options)
            best = min(usable, key=lambda r: order.index(r.value[0]) if r.value[0] in order else len(order))
            return best.value, [best], []
        distinct = {tuple(r.value) for r in usable}
        if len(distinct) > 1:
            return None, [], _one_per_value(usable)
        return usable[0].value, [usable[0]], []
    if term.kind == "boolean" and cue.get("resolve") == "any" and any(r.value is True for r in usable):
        return True, _one_per_clause([r for r in usable if r.value is True]), []
    distinct_values = {_key(r.value) for r in usable}
    if len(distinct_values) > 1:
        clauses = {r.sentence.clause.id for r in usable}
        if term.kind == "number" and len(clauses) == 1 and len(distinct_values) > 2:
            # Several rates in one clause are a schedule (tiers), not a conflict: judge the least favourable tier.
            worst = min if term.direction == "higher" else max
            chosen = worst(usable, key=lambda r: r.value)
            return chosen.value, [chosen], []
        return None, [], _one_per_value(usable)
    return usable[0].value, _one_per_clause(usable), []


def _key(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    return tuple(value) if isinstance(value, list) else value


def _one_per_value(readings: list[Reading]) -> list[Reading]:
    seen, out = set(), []
    for r in readings:
        k = _key(r.value)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _one_per_clause(readings: list[Reading]) -> list[Reading]:
    seen, out = set(), []
    for r in readings:
        if r.sentence.clause.id not in seen:
            seen.add(r.sentence.clause.id)
            out.append(r)
    return out


def judge(term: MandateTerm, value: Any) -> str:
    """The status of a proposal value against the term's positions."""
    if term.kind == "number":
        better = (lambda a, b: a >= b) if term.direction == "higher" else (lambda a, b: a <= b)
        if better(value, term.preferred):
            return "meets_preferred"
        if better(value, term.walk_away):
            return "acceptable"
        return "breaches_walk_away"
    if term.kind == "choice":
        granted = set(value)
        if granted <= set(term.preferred):
            return "meets_preferred"
        if granted <= set(term.walk_away):
            return "acceptable"
        return "breaches_walk_away"
    if term.kind == "boolean":
        if value == term.preferred:
            return "meets_preferred"
        if value in (term.acceptable, term.walk_away):
            return "acceptable"
        return "breaches_walk_away"
    return "unclear"


def _evidence(clause: Clause, quote_start: int | None = None, quote_end: int | None = None) -> Evidence:
    if quote_start is None:
        quote = _flat(clause.text)[:300]
    else:
        quote = clause.text[quote_start - clause.start : quote_end - clause.start]
    return Evidence(clause.id, clause.location, quote)


def _positions(term: MandateTerm) -> str:
    return f"preferred {format_value(term, term.preferred)}; walk-away {format_value(term, term.walk_away)}"


def _deciding_sentence(r: Reading) -> str:
    text = _flat(r.sentence.text)
    return text if len(text) <= 320 else text[:317] + "…"


EFFECTIVE = re.compile(r"effective date|dated as of|commenc|entered into as of", re.I)
EXPIRATION = re.compile(r"expiration date|expiry date|expires? on|terminat\w* on|until", re.I)


def _date_span(term: MandateTerm, clauses: list[Clause]) -> list[Reading]:
    """The term as the time between the stated effective and expiration dates (a cover-page term)."""
    from datetime import date

    def dated(pattern: re.Pattern[str]) -> list[tuple[Value, Clause]]:
        found = []
        for c in clauses:
            for v in c.values:
                if v.kind == "date" and v.iso:
                    before = visible(c.text[max(0, v.start - c.start - 60) : v.start - c.start]).text
                    after = visible(c.text[v.end - c.start : v.end - c.start + 30]).text
                    if pattern.search(before) or pattern.search(after):
                        found.append((v, c))
        return found

    starts, ends = dated(EFFECTIVE), dated(EXPIRATION)
    if not starts or not ends:
        return []
    (v0, c0), (v1, c1) = starts[0], ends[0]
    days = (date.fromisoformat(v1.iso) - date.fromisoformat(v0.iso)).days
    if days <= 0:
        return []
    amount = round(_in_unit(days, term.unit), 2)
    s = Sentence(c1, v1.start, v1.end, visible(v1.text).text)
    return [Reading(amount, f"{format_value(term, amount)} (from {v0.iso} to {v1.iso})", s, v1.start, v1.end)]


def review_term(term: MandateTerm, clauses: list[Clause], context: dict[str, Any]) -> Finding:
    cue = cue_for(term)
    readings, speaking = read_term(term, clauses, context)
    if not any(r.value is not None for r in readings) and cue.get("date_span"):
        readings = readings + _date_span(term, clauses)
    value, deciding, conflicts = _resolve(term, cue, readings)
    ranked = sorted(speaking, key=lambda c: -_relevance(term, c))
    if conflicts:
        ev = tuple(_evidence(r.sentence.clause, r.quote_start, r.quote_end) for r in conflicts)
        said = "; ".join(f"“{_flat(r.quote)}” ({_where(r.sentence.clause)}) → {r.words}" for r in conflicts)
        return Finding(term.key, term.label, "unclear", None, "conflicting terms", ev,
                       f"The proposal states {term.label.lower()} more than one way: {said}. Ask which governs. Mandate: {_positions(term)}.",
                       fill_fallback(term), term.weight)
    if value is None:
        if deciding:  # the proposal speaks to the term but states no value we can hold it to
            r = deciding[0]
            ev = (_evidence(r.sentence.clause, r.quote_start, r.quote_end),)
            return Finding(term.key, term.label, "unclear", None, r.words, ev,
                           f"“{_deciding_sentence(r)}” ({_where(r.sentence.clause)}) does not fix {term.label.lower()} as a {term.unit or term.kind}. Mandate: {_positions(term)}.",
                           fill_fallback(term), term.weight)
        near = tuple(_evidence(c) for c in ranked[:2] if _relevance(term, c) >= 0.6)
        why = f"No clause of the proposal states {term.label.lower()}."
        if near:
            why += " Closest clauses, which do not decide it: " + "; ".join(_where(e) for e in near) + "."
        return Finding(term.key, term.label, "not_addressed", None, "not addressed", near, why + f" Mandate: {_positions(term)}.",
                       fill_fallback(term), term.weight)
    status = judge(term, value)
    ev = [_evidence(r.sentence.clause, r.quote_start, r.quote_end) for r in deciding]
    cited = {e.clause_id for e in ev}
    for c in ranked:  # the clauses that frame the deciding words (the fee article beside its exhibit)
        if len(ev) >= 4:
            break
        if c.id not in cited and _relevance(term, c) >= 0.8:
            ev.append(_evidence(c))
            cited.add(c.id)
    value_text = format_value(term, value)
    if term.kind == "choice" and any(str(o).startswith("other:") for o in value):
        value_text = "; ".join(r.words for r in deciding)
    tiers = sorted({r.value for r in readings if isinstance(r.value, (int, float)) and r.sentence.clause.id == deciding[0].sentence.clause.id})
    if term.kind == "number" and len(tiers) > 2:
        value_text += f" (lowest of {len(tiers)} tiered rates, {format_value(term, tiers[0])} to {format_value(term, tiers[-1])})" if term.direction == "higher" else f" (highest of {len(tiers)} tiered values)"
    quotes = "; ".join(f"“{_deciding_sentence(r)}” ({_where(r.sentence.clause)})" for r in deciding[:3])
    verdict = {
        "meets_preferred": "meets the preferred position",
        "acceptable": "is within the mandate but short of the preferred position",
        "breaches_walk_away": "breaches the walk-away point",
    }[status]
    explanation = f"Proposal: {value_text}. {quotes}. Mandate: {_positions(term)}; the proposal {verdict}."
    fallback = fill_fallback(term) if status in ("breaches_walk_away", "acceptable") else ""
    return Finding(term.key, term.label, status, value, value_text, tuple(ev), explanation, fallback, term.weight)


def _where(c: Clause | Evidence) -> str:
    heading = c.heading.split("\n")[0][:60] if c.heading else "clause"
    return f"{heading}, p. {c.page}"


# Terms whose reading others need (a liability cap stated in money is read as a multiple of the fee).
READ_FIRST = ("annual_fee",)


def review(document: Document, clauses: list[Clause], mandate: Mandate, decisions: dict[str, dict[str, Any]] | None = None) -> Review:
    order = sorted(mandate.terms, key=lambda t: (t.key not in READ_FIRST,))
    context: dict[str, Any] = {}
    by_key: dict[str, Finding] = {}
    for term in order:
        finding = review_term(term, clauses, context)
        by_key[term.key] = finding
        if isinstance(finding.value, (int, float)) and not isinstance(finding.value, bool):
            context[term.key] = finding.value
    return Review(
        document_id=document.id,
        document_title=document.title,
        mandate_name=mandate.collective.name,
        mandate_version=mandate.version,
        findings=tuple(by_key[t.key] for t in mandate.terms),
        decisions=decisions or {},
    )
