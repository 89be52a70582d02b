"""The playbook review: every mandate term judged against a proposal, with evidence.

For each term the engine (1) takes its type (``desk.term_types``: named in the
mandate or inferred) and builds the term's cue: the type's contract phrasing
(``desk.term_cues``) over the mandate's own options, unit and words; (2) finds the
sentences that speak to the term (the cue's anchors, a heading or list lead-in
that names it, or the term's own words weighted by rarity, with what Defined
Terms mean); (3) reads each: values normalised to the term's unit, options by
meaning, yes/no by polarity (``desk.statements``), whose obligation it is
(``desk.parties``); (4) resolves several readings (a dominant statement, a set of
granted options, the part an order-of-precedence clause ranks higher
(``desk.precedence``), or *unclear* with both cited); (5) judges the value against
the mandate's preferred / walk-away positions. The result is deterministic and
needs no LLM: statuses come only from here, so nothing written inside a
contract ("ignore previous instructions...") can change them.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from core.domain import PROBLEMS, Clause, Document, Evidence, Finding, Mandate, MandateTerm, Value
from desk.mandate import OPTION_LABELS, fill_fallback, format_value
from desk.places import canonical, display, most_specific, places_in
from desk.parties import ROLE_WORDS, parties, role_of, side
from desk.precedence import NONE as NO_PRECEDENCE
from desk.precedence import Precedence, precedence
from desk.statements import answer, stance, term_modality
from desk.term_cues import CUES, Cue
from desk.term_types import type_of
from desk.term_words import WordMatcher, content_words, stem, variants
from desk.units import DATA_UNITS, DAYS, Unit, parse_unit
from retrieval.visible import VisibleText, visible

NON_OPERATIVE_HEADING = re.compile(r"recital|whereas|background|definition|interpretation", re.I)
DEFINITION = re.compile(r"^\W*(\d+(\.\d+)*\.?)?\s*[\"“][^\"”]{1,80}[\"”]\s+(means|shall mean|has the meaning)", re.I)
# Sentences end at a full stop or semicolon before a capital, a blank line, a new list item, or a
# new table row (a row's cells stay together: the label cell names the term, the next states it).
SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[\"“(A-Z0-9])|\n\s*\n|\n(?=[ \t]*(?:[-*•]\s|\|))")
FREQUENCY_MONTHS = [
    (re.compile(r"\bhalf[- ]year(ly)?\b|\bsemi-?annual(ly)?\b|\bbi-?annual(ly)?\b|\bevery six \(?6?\)?\s*months\b|\btwice (a|per|each) year\b|\b(each|every) (calendar )?half\b", re.I), 6.0, "every six months"),
    (re.compile(r"\b(each|every|per|calendar)\s+(calendar\s+)?quarter|\bquarterly\b", re.I), 3.0, "quarterly"),
    (re.compile(r"\bmonthly\b|\b(each|every|per)\s+(calendar\s+)?month\b", re.I), 1.0, "monthly"),
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
    match: float = 0.0  # for readings found by the term's own words: how much of the term the sentence carries

    @property
    def quote(self) -> str:
        return self.sentence.clause.text[self.quote_start - self.sentence.clause.start : self.quote_end - self.sentence.clause.start]




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


@lru_cache(maxsize=8192)
def _seen(clause: Clause) -> str:
    """The clause's text as read (every term reads every clause: made visible once)."""
    return visible(clause.text).text


@lru_cache(maxsize=8192)
def operative(clause: Clause) -> bool:
    """Definitions, recitals and signature blocks describe; they grant and oblige nothing."""
    return not (
        clause.kind in NON_OPERATIVE_KINDS
        or NON_OPERATIVE_HEADING.search(clause.heading or "")
        or DEFINITION.match(_seen(clause))
    )


def sentences(clause: Clause) -> list[Sentence]:
    """The clause's sentences as read: split and matched on the visible text, placed in the stored one."""
    return list(_sentences(clause))


@lru_cache(maxsize=8192)
def _sentences(clause: Clause) -> tuple[Sentence, ...]:  # every term reads every clause: split each once
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
    return tuple(out)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _any(patterns: Iterable[str], text: str) -> re.Match[str] | None:
    for p in patterns:
        m = re.search(p, text, re.I | re.S)
        if m:
            return m
    return None


# -- the effective cue of a term: its type's knowledge, over the mandate's own options and unit ----------


def cue_for(term: MandateTerm) -> Cue:
    """How to read ``term``: its type's cue (desk.term_cues), with options, measure and anchors made
    from the mandate's own options, unit and words. Cached per term (terms are frozen)."""
    return _cue_for(term)


@lru_cache(maxsize=512)
def _cue_for(term: MandateTerm) -> Cue:
    choice = type_of(term)
    name = choice.type.name
    cue: Cue = dict(CUES.get(name, {}))  # type: ignore[assignment]
    unit = parse_unit(term.unit, term.kind)
    if name in WORD_TYPES or not cue.get("anchors"):
        cue["anchors"] = []
        cue["words"] = True
    if name == "notice_period" and re.search(r"\baudit|\binspect", term.label, re.I):
        cue["dominant"] = [(r"\b(has|have|shall have|will have) no right to (audit|inspect|examine)", math.inf, "no right to audit")]
    if name == "notice_period":
        subject = re.sub(r"\b(notice|period|days?|prior|written|advance|required|months?|weeks?)\b", " ", f"{term.label}", flags=re.I)
        words = [w for w in content_words(subject)]
        stems = [v for w in words for v in variants(w)]
        cue["anchors"] = [r"\b(" + "|".join(re.escape(v) for v in stems) + r")"] if stems else [r"."]
        cue["require"] = [r"\bnotice\b"]
        cue["near"] = r"\bnotice\b"
        cue["measure"] = "duration"
    if term.kind == "number" and unit.per_data and unit.per not in DATA_UNITS:  # "USD per episode": the mandate's own unit of data
        stem_ = re.escape(unit.per[:-1] if unit.per.endswith("y") else unit.per)
        cue["anchors"] = list(cue.get("anchors", [])) + [rf"\b(per|for each|each|every|a)\b[^.;]{{0,40}}?\b{stem_}"]
        cue.pop("words", None)
    if term.kind == "number":
        cue["measure"] = _measure(name, cue, unit)
        if cue["measure"] != "duration" and name in ("audit", "security"):
            cue.pop("near", None)  # "near notice" picks the notice period, not how often or how much
    if term.kind == "choice" and not cue.get("places"):
        cue["options"] = _options(term, cue)
        cue.setdefault("resolve", "set")
        if cue.get("option_anchors"):  # a sentence that states one of the options speaks to the term
            cue["anchors"] = list(cue.get("anchors", [])) + [p for patterns in cue["options"].values() for p in patterns]
    if term.kind == "boolean" and not (cue.get("true") or cue.get("false") or cue.get("concept")) and not cue.get("words"):
        cue["concept"] = list(cue.get("anchors", []))
    return cue


#: types read from the term's own words rather than from library anchors
WORD_TYPES = frozenset({"generic_number", "generic_choice", "generic_boolean", "prohibition", "obligation", "text"})


def _measure(name: str, cue: Cue, unit: Unit) -> str:
    if unit.measure == "money":
        if unit.per_period or (not unit.per and name == "fee_per_period"):
            return "money_per_period"  # "Guaranteed minimum payment per year" in plain "EUR": a yearly fee
        if unit.per_data:
            return "price_per_unit"
        return "money"
    if unit.measure == "multiple":
        return "fee_multiple"
    if unit.measure == "percent":
        return "percent"
    if unit.measure in ("duration", "frequency"):
        return cue.get("measure") if cue.get("measure") in ("duration", "frequency") else "duration"
    if unit.measure == "count" and unit.per:
        return "times_per_year"
    return "count"


def option_words(option: str) -> str:
    """An option id as words, with its built-in label ("england_and_wales the law of England and Wales")."""
    return f"{option.replace('_', ' ')} {OPTION_LABELS.get(option, '')}"


def names_concept(option: str, names: str) -> bool:
    """Whether an option's words name a concept (``names`` is the concept's pattern over option words)."""
    return re.search(r"\b(?:" + names + ")", option_words(option), re.I) is not None


def _options(term: MandateTerm, cue: Cue) -> dict[str, list[str]]:
    """Patterns for each of the mandate's options: its type's concept when the option's words name
    one ("english_law" is the place England and Wales; "voice_cloning" is voice synthesis), else its own words."""
    concepts = cue.get("concepts", {})
    out: dict[str, list[str]] = {}
    taken: set[str] = set()
    for option in term.options:
        concept = next((c for c, (names, _) in concepts.items() if c not in taken and names_concept(option, names)), None)
        if concept is not None:
            taken.add(concept)
            out[option] = list(concepts[concept][1])
            cue.setdefault("concept_of", {})[concept] = option
        else:
            out[option] = [_own_words(option)]
    training = concepts.get("training")
    if training and "training" not in taken:
        # A grant to train models covers every kind of model the mandate lists ("discriminative models").
        for option in term.options:
            if option not in _mapped(term, concepts) and re.search(r"model|train", option):
                out[option] = out[option] + list(training[1])
    return out


def _mapped(term: MandateTerm, concepts: dict[str, Any]) -> set[str]:
    return {o for o in term.options if any(names_concept(o, names) for names, _ in concepts.values())}


def _own_words(option: str) -> str:
    """A pattern for an option's own words, in order, a few words apart, in any word form."""
    words = [w for w in content_words(option.replace("_", " ")) if w.lower() not in ("use", "uses", "only")] or option.split("_")
    parts = [re.escape(stem(w)) + r"[\w-]*" for w in words]
    return r"\b" + r"\W+(?:[\w-]+\W+){0,3}?".join(parts)


# -- reading values ----------------------------------------------------------------


def _values_in(sentence: Sentence, kind: str) -> list[Value]:
    return [v for v in sentence.clause.values if v.kind == kind and sentence.start <= v.start and v.end <= sentence.end]


def _window(sentence: Sentence, value: Value, before: int, after: int) -> tuple[str, str]:
    c = sentence.clause
    lo = max(sentence.start, value.start - before) - c.start
    hi = min(sentence.end, value.end + after) - c.start
    return visible(c.text[lo : value.start - c.start]).text, visible(c.text[value.end - c.start : hi]).text


def _money_per_year(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    """Yearly amounts a sentence states (instalments added up; one-off sums are not yearly fees)."""
    out = []
    currency = parse_unit(term.unit).currency or term.unit.split("/")[0].strip().upper() or "USD"
    for v in _values_in(sentence, "money"):
        if v.amount is None or (v.unit and v.unit.upper() != currency):
            continue
        pre, post = _window(sentence, v, 60, 40)
        pre_l, post_l = pre.lower(), post.lower()
        near_pre = pre_l[-30:]
        if re.match(r"\W{0,3}(per|for each|each|a|every)\s+(contract\s+|calendar\s+)?(year|annum)", post_l) or re.search(r"\b(per annum|annually|p\.a\.)", post_l[:25]):
            out.append(Reading(v.amount, f"{currency} {v.amount:,.0f} per year", sentence, v.start, v.end))
        elif re.match(r"\W{0,3}(per|for each|each|a|every)\s+(calendar\s+)?quarter|\W{0,3}quarterly", post_l):
            out.append(Reading(v.amount * 4, f"{currency} {v.amount:,.0f} per quarter ({currency} {v.amount * 4:,.0f} per year)", sentence, v.start, v.end))
        elif re.match(r"\W{0,3}(per|for each|each|a|every)\s+(calendar\s+)?month|\W{0,3}monthly|\W{0,3}/\s*month", post_l):
            out.append(Reading(v.amount * 12, f"{currency} {v.amount:,.0f} per month ({currency} {v.amount * 12:,.0f} per year)", sentence, v.start, v.end))
        elif re.search(r"quarterly instal\w*\s+of\s*$|instal\w* of\s*$", near_pre) and re.search(r"quarter", pre_l):
            out.append(Reading(v.amount * 4, f"{currency} {v.amount * 4:,.0f} per year (four quarterly instalments of {currency} {v.amount:,.0f})", sentence, v.start, v.end))
        elif re.search(r"monthly (instal\w*|fee|payments?|charge)\s+of\s*$|\bmonthly\s+(fee|charge|payment)\b[^.]{0,20}$", near_pre):
            out.append(Reading(v.amount * 12, f"{currency} {v.amount * 12:,.0f} per year (twelve monthly payments of {currency} {v.amount:,.0f})", sentence, v.start, v.end))
        elif re.search(r"\bquarterly\s+(fee|charge|payment)s?\b[^.]{0,20}$", near_pre):
            out.append(Reading(v.amount * 4, f"{currency} {v.amount * 4:,.0f} per year (four quarterly payments of {currency} {v.amount:,.0f})", sentence, v.start, v.end))
        elif re.search(r"one[- ]?time|upfront|up-front|on signing|upon signing|signing fee", pre_l + " " + post_l[:20]):
            continue
        elif re.match(r"\W{0,3}(per|for each|each|a)\s+\S", post_l) and not re.match(r"\W{0,3}(per|each|a)\s+(contract\s+)?(year|annum)", post_l):
            continue  # a price per something else (per hour of audio, per record): not a fee per period
        elif re.search(r"\b(annual|yearly)\b", near_pre) or re.search(r"\b(annual|per annum|each contract year|per contract year)\b", sentence.text.lower()):
            out.append(Reading(v.amount, f"{currency} {v.amount:,.0f} per year", sentence, v.start, v.end))
    return out


def _money_per_period(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    """Fees per period, converted from yearly to the term's own period (a monthly fee term reads a monthly fee)."""
    unit = parse_unit(term.unit)
    per = unit.per or "year"
    found = _money_per_year(sentence, term)
    if per == "year":
        return found
    factor = DAYS[per] / DAYS["year"]
    return [Reading(round(r.value * factor, 2), f"{r.words}, {format_value(term, round(r.value * factor, 2))}", r.sentence, r.quote_start, r.quote_end, r.dominant) for r in found]


def _defined_unit(post: str, terms: dict[str, str]) -> str:
    """ "per Text Unit" where "Text Unit" means 1,000 words of Accepted Text: per 1,000 words."""
    m = re.match(r"^(\s*(?:per|for each|for every|each|a|/)\s+)(?P<term>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})", post)
    if not m or m.group("term") not in terms:
        return post
    body = terms[m.group("term")]
    # only a definition that *is* a quantity of something ("1,000 words of Accepted Text") scales the price
    unit = re.match(r"^(?:an?\s+|one\s+)?(?:block|batch|set|unit|bundle)?\s*(?:of\s+)?(?P<q>(?:\d[\d,]*|ten|one hundred|one thousand|a thousand|thousand|one million|a million)(?:\s+\([\d,]+\))?\s+[a-z-]+)", body, re.I)
    return m.group(1) + unit.group("q") + post[m.end():] if unit else post


_DATA_CONVERT = {("minute", "hour"): 60.0, ("hour", "minute"): 1 / 60, ("gigabyte", "terabyte"): 1000.0, ("terabyte", "gigabyte"): 1 / 1000}
_PER_DATA = re.compile(
    r"^\s*(?:\(?[^)]{0,20}\)\s*)?(?:per|for each|for every|each|a|an|every|/)\s*"
    r"(?P<scale>(?:one thousand|a thousand|one hundred|a hundred|one million|a million|thousand|hundred|million|ten|one|a|1k|1m|[\d,]+)(?:\s+\(\s*[\d,]+\s*\))?)?\s*"
    r"(?P<what>[^.;,]{0,60})",
    re.I,
)
_SCALE_WORDS = {"one": 1, "a": 1, "ten": 10, "one hundred": 100, "a hundred": 100, "hundred": 100, "one thousand": 1000, "a thousand": 1000,
                "thousand": 1000, "one million": 1e6, "a million": 1e6, "million": 1e6, "1k": 1000, "1m": 1e6}


def _price_per_unit(sentence: Sentence, term: MandateTerm, terms: dict[str, str] | None = None) -> list[Reading]:
    """Prices per unit of data (per hour of audio, per 1,000 tokens), converted to the term's unit of data."""
    unit = parse_unit(term.unit)
    out = []
    for v in _values_in(sentence, "money"):
        if v.amount is None or (v.unit and unit.currency and v.unit.upper() != unit.currency):
            continue
        _, post = _window(sentence, v, 0, 80)
        post = re.sub(r"^(\s*(?:for|per)\s+(?:each|every)\s+)(?:block|batch|tranche|lot|set|bundle)\s+of\s+", r"\1", post, flags=re.I)  # "for each block of 1,000 Studies"
        post = _defined_unit(post, terms or {})
        m = _PER_DATA.match(post)
        if not m:
            continue
        what = m.group("what").lower()
        # the unit of data, perhaps after a word or two ("per Pseudonymised Record", "per Licensed Image")
        units = DATA_UNITS if unit.per in DATA_UNITS else {unit.per: re.escape(unit.per[:-1] if unit.per.endswith("y") else unit.per) + r"\w*\b", **DATA_UNITS}
        per = next((u for u, pattern in units.items() if re.match(r"\s*(?:[a-z-]+\s+){0,2}?(?:" + pattern + ")", what, re.I)), None)
        if per is None:
            continue
        scale_text = " ".join((m.group("scale") or "1").lower().split())
        digits = re.search(r"\(\s*([\d,]+)\s*\)", scale_text)
        if digits:
            scale = float(digits.group(1).replace(",", ""))
        else:
            scale = _SCALE_WORDS.get(scale_text) or float(scale_text.replace(",", "") or 1)
        if per == unit.per:
            factor = 1.0
        elif (per, unit.per) in _DATA_CONVERT:
            factor = _DATA_CONVERT[(per, unit.per)]
        else:
            continue  # a price per record is no answer to a price per hour
        amount = round(v.amount / scale * unit.scale * factor, 6)
        said = f"{v.text} per {'' if scale == 1 else f'{scale:,.0f} '}{per}{'s' if scale != 1 else ''}"
        out.append(Reading(amount, f"{format_value(term, amount)} ({said})" if factor != 1 or scale != unit.scale else format_value(term, amount), sentence, v.start, v.end))
    return out


def _money(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    currency = parse_unit(term.unit).currency
    return [
        Reading(v.amount, format_value(term, v.amount), sentence, v.start, v.end)
        for v in _values_in(sentence, "money")
        if v.amount is not None and (not currency or not v.unit or v.unit.upper() == currency)
    ]


def _percents(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    return [Reading(v.amount, f"{v.amount:g}%", sentence, v.start, v.end) for v in _values_in(sentence, "percent") if v.amount is not None]


def _in_unit(days: float, unit: str) -> float:
    parsed = parse_unit(unit)
    return days / DAYS.get(parsed.time or "day", 1.0)


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20}
_ANNIVERSARY = re.compile(r"\b(?P<n>" + "|".join(_ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\s+anniversary\b", re.I)


def _durations(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    out = []
    for v in _values_in(sentence, "duration"):
        if v.amount is None:
            continue
        if math.isinf(v.amount):
            out.append(Reading(math.inf, "perpetual", sentence, v.start, v.end))
            continue
        time = parse_unit(v.unit).time
        if not time:
            continue
        amount = round(_in_unit(v.amount * DAYS[time], term.unit), 2)
        out.append(Reading(amount, format_value(term, amount), sentence, v.start, v.end))
    for m in (_ANNIVERSARY.finditer(sentence.text) if type_of(term).type.name == "licence_term" else ()):  # a licence's end, not a deadline's
        raw = m.group("n").lower()
        years = _ORDINALS.get(raw) or int(re.sub(r"\D", "", raw))
        amount = round(_in_unit(years * DAYS["year"], term.unit), 2)
        out.append(Reading(amount, f"{format_value(term, amount)} (to the {raw} anniversary)", sentence, sentence.at(m.start()), sentence.at(m.end())))
    for m in re.finditer(r"\bnet\s+(\d{1,3})\b(?!\s*%)", sentence.text, re.I):  # "net 30": payment within 30 days
        amount = round(_in_unit(float(m.group(1)), term.unit), 2)
        out.append(Reading(amount, f"{format_value(term, amount)} (net {m.group(1)})", sentence, sentence.at(m.start()), sentence.at(m.end())))
    return out


_EVERY_N = re.compile(r"\b(?:every|each|per)\s+(?:(?P<words>[a-z-]+)\s+)?(?:\((?P<paren>\d+)\)\s*|(?P<digits>\d+)\s+)?(?P<unit>months?|weeks?)\b", re.I)


def _frequency(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    from retrieval.values import parse_number_words

    for m in _EVERY_N.finditer(sentence.text):  # "every four (4) months"
        n = m.group("paren") or m.group("digits")
        n = float(n) if n else (parse_number_words(m.group("words")) if m.group("words") else 1.0)
        if not n:
            continue
        days = n * DAYS["week" if m.group("unit").lower().startswith("week") else "month"]
        value = round(_in_unit(days, term.unit), 2)
        return [Reading(value, f"every {_flat(m.group())[6:] if m.group().lower().startswith('every') else _flat(m.group())}", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    for pattern, months, words in FREQUENCY_MONTHS:
        m = pattern.search(sentence.text)
        if m:
            value = _in_unit(months * DAYS["month"], term.unit) if term.unit.lower() != "months" else months
            return [Reading(value, words, sentence, sentence.at(m.start()), sentence.at(m.end()))]
    return []


def _fee_multiple(sentence: Sentence, term: MandateTerm, context: dict[str, Any]) -> list[Reading]:
    text = sentence.text
    m = re.search(r"(?:fees?|amounts?|sums?|payments?|charges?|royalt(?:y|ies)|remuneration|consideration)\b[^.]{0,120}?\b(?:in|during|for) the\s+(?:[a-z-]+\s+)?(?:\(?(\d+)\)?|(one|two|three|four|five|six|nine|twelve|eighteen|twenty-four|thirty-six))\s+(?:\(\d+\)\s+)?(?:calendar\s+)?months?", text, re.I)
    if m:
        from retrieval.values import parse_number_words

        months = float(m.group(1)) if m.group(1) else float(parse_number_words(m.group(2)) or 12)
        return [Reading(round(months / 12, 2), f"fees of {months:g} months ({months / 12:g}x annual fees)", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    m = re.search(r"\b(\w+)\s+(?:\((\d+)\)\s+)?times\s+the\s+(?:annual\s+)?fees", text, re.I)
    if m:
        from retrieval.values import parse_number_words

        n = float(m.group(2)) if m.group(2) else parse_number_words(m.group(1))
        if n:
            return [Reading(n, f"{n:g}x the fees", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    for v in _values_in(sentence, "percent"):
        after = text[max(0, v.end - sentence.start) :][:80] if sentence.view is None else ""
        if v.amount and re.match(r"\W{0,3}(of|of the) (the )?(total |aggregate )?(annual )?(fees|amounts|sums|charges)", after, re.I):
            multiple = round(v.amount / 100, 2)
            return [Reading(multiple, f"{v.text} of the fees ({multiple:g}x)", sentence, v.start, v.end)]
    fee = context.get("annual_fee")
    for v in _values_in(sentence, "money"):
        if v.amount and fee:
            multiple = round(v.amount / fee, 2)
            return [Reading(multiple, f"{v.text} ({multiple:g}x the annual fee)", sentence, v.start, v.end)]
    m = re.search(r"(?:fees?|amounts?|sums?|payments?|charges?|royalt(?:y|ies)|remuneration|consideration) (?:paid|payable)\b[^.]{0,60}?\b(?:in|during|for|per) (?:that|the|any|each|a) (?:contract |calendar |licen[cs]e |program )?year\b", text, re.I)
    if m:  # "limited per Contract Year to the fees paid in that Contract Year": one year's fees
        return [Reading(1.0, "the fees of one year (1x annual fees)", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    m = re.search(r"fees? paid (?:or payable )?(?:by \w+ )?under this agreement", text, re.I)
    if m:
        return [Reading(None, "the total fees paid under the agreement (no fixed multiple)", sentence, sentence.at(m.start()), sentence.at(m.end()))]
    return []


_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_TIMES_PER = re.compile(
    r"\b(?P<n>once|twice|thrice|(?:\w+\s+)?\(?\d+\)?\s+times|\w+\s+times)\s+(?:in\s+any|in\s+each|per|each|every|a|in\s+a)\s+"
    r"(?:(?P<months>twelve\s+\(12\)|12|twelve|six\s+\(6\)|6|six|twenty-four\s+\(24\)|24)[- ]month\s+period|(?:[a-z]+\s+)?(?P<year>year)|(?:calendar\s+)?(?P<quarter>quarter))",
    re.I,
)


def _times_per_year(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    """How often something may happen, per year: "not more than once in any twelve (12) month period"."""
    from retrieval.values import parse_number_words

    out = []
    for m in _TIMES_PER.finditer(sentence.text):
        raw = m.group("n").lower()
        n = _TIMES.get(raw)
        if n is None:
            digits = re.search(r"\d+", raw)
            n = float(digits.group()) if digits else parse_number_words(raw.replace("times", "").strip())
        if not n:
            continue
        if m.group("months"):
            months = float(re.search(r"\d+", m.group("months")).group()) if re.search(r"\d+", m.group("months")) else parse_number_words(m.group("months")) or 12
            per_year = n * 12 / months
        elif m.group("quarter"):
            per_year = n * 4
        else:
            per_year = n
        per = parse_unit(term.unit).per or "year"
        value = round(per_year * DAYS[per] / DAYS["year"], 2)
        out.append(Reading(value, f"{value:g} per {per} ({_flat(m.group())})", sentence, sentence.at(m.start()), sentence.at(m.end())))
    return out


def _counts(sentence: Sentence, term: MandateTerm) -> list[Reading]:
    return [Reading(v.amount, v.text, sentence, v.start, v.end) for v in _values_in(sentence, "count") if v.amount is not None]


# -- the engine ---------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _words_of(clause: Clause) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", _seen(clause).lower()))


def _relevance(term: MandateTerm, clause: Clause) -> float:
    """How strongly a clause speaks to a term: best category score plus wording overlap."""
    cat = max((clause.score(c) for c in term.categories), default=0.0)
    words = {w for w in re.findall(r"[a-z]+", f"{term.label} {term.query}".lower()) if w not in STOPWORDS and len(w) > 3}
    overlap = len(words & _words_of(clause)) / max(1, len(words))
    return cat + 0.5 * overlap


def read_term(term: MandateTerm, clauses: list[Clause], context: dict[str, Any]) -> tuple[list[Reading], list[Clause]]:
    """Every reading of the term in the document, and the clauses that speak to it."""
    cue = cue_for(term)
    readings: list[Reading] = []
    speaking: list[Clause] = []
    matcher = _matcher(term, clauses) if cue.get("words") else None
    glossary = context.get("glossary", {}) if matcher is not None else {}
    hits: dict[tuple[str, int], Any] = {}
    if matcher is not None:  # every operative sentence scored once: for the floor, then for reading
        hits = {(c.id, i): _defined_match(matcher, s.text, glossary) for c in clauses if operative(c) for i, s in enumerate(sentences(c))}
    floor = _floor(h.score for h in hits.values()) if matcher is not None else 0.0
    key_word = _key_word(matcher) if matcher is not None else None
    for clause in clauses:
        if not (operative(clause) or (cue.get("definitions") and clause.kind != "signature") or _defines(cue, clause)):
            continue
        spoke = False
        scoped = not operative(clause) and not cue.get("definitions")  # read only the defining sentences
        for i, s in enumerate(sentences(clause)):
            if scoped and not _definition_of(cue.get("defined_terms", "(?!)"), s.text):
                continue
            flat = _flat(s.text)
            hit = None
            if matcher is not None:
                hit = hits.get((clause.id, i)) or _defined_match(matcher, s.text, glossary)
                if not _speaks(hit, matcher, floor):
                    continue
                if key_word in hit.matched:  # the sentence names what is most distinctive of the term ("approval")
                    hit = dataclasses.replace(hit, score=hit.score + 0.3)
            elif not (_any(cue.get("anchors", [r"."]), flat) or _topic(cue, clause, s) or _lead_in_speaks(cue, s)):
                continue
            if cue.get("skip") and _any(cue["skip"], flat):
                continue
            if cue.get("require") and not _any(cue["require"], flat):
                continue
            if _liability_term(term) and _only_other_party(term, flat, context.get("parties")):
                continue  # only another party's liability
            spoke = True
            if cue.get("skip_measure") and _any(cue["skip_measure"], flat):
                continue
            found = _read_sentence(term, cue, s, context, hit)
            if found and _liability_term(term):  # "(a) Licensee's liability ... $3m; and (b) Licensor's ... $0.5m"
                found = [r for r in found if not _other_party(term, s.text[: max(0, r.quote_start - s.start)], context.get("parties"), fallback=flat)]
            readings.extend(found)
        if spoke:
            speaking.append(clause)
    return readings, speaking


def _defines(cue: Cue, clause: Clause) -> bool:
    """A definition that decides the term's scope ("Permitted Purpose" means ...) is read like a grant."""
    pattern = cue.get("defined_terms")
    if not pattern:
        return False
    return any(_definition_of(pattern, s.text) for s in sentences(clause))


def _definition_of(pattern: str, text: str) -> bool:
    m = re.search(r"[\"“]([^\"”]{1,60})[\"”]\**\s+(?:means|shall mean|has the meaning|includes)", text[:300], re.I)
    return bool(m and re.fullmatch(r"(?:the\s+)?(?:" + pattern + r")", m.group(1).strip(" *"), re.I))


def _matcher(term: MandateTerm, clauses: list[Clause]) -> WordMatcher:
    words = f"{term.label} {term.query if term.query != term.label else ''}"
    extra = " ".join(o.replace("_", " ") for o in term.options)
    return WordMatcher(words, extra).fit([_seen(c) for c in clauses])


def _speaks(hit: Any, matcher: WordMatcher, floor: float = 0.45) -> bool:
    """A sentence speaks to a term when it carries enough of the term's (rarity-weighted) words:
    at least ``floor``, which is set near the document's best match (:func:`_floor`)."""
    need = 1 if len(matcher.keys) <= 1 else (2 if hit.score >= 0.35 else 3)  # a weak match needs more words
    return hit.score >= floor and len(hit.matched) >= min(need, len(matcher.keys))


def _key_word(matcher: WordMatcher) -> str | None:
    """The term's most distinctive word that the document uses at all: rare in the document, but present."""
    present = [k for k in matcher.keys if matcher.df_.get(k, 0) > 0]
    return max(present, key=matcher.weight) if present else None


def _floor(scores: Iterable[float]) -> float:
    """The score a sentence needs: close to the best in the document, and never below 0.3."""
    return max(0.3, min(0.6, 0.8 * max(scores, default=0.0)))


_DEFINES = re.compile(r"(?:[\"“]\**|\*\*)(?P<term>[A-Z][\w'’ -]{1,50}?)(?:\**[\"”]\**|\*\*)\s+(?:means|shall mean|refers to|is defined as)\s+(?P<body>[^;]{5,400})")


def glossary(clauses: list[Clause]) -> dict[str, str]:
    """Defined terms and what they mean ("Voice Replica" -> "a model that imitates an identifiable person's voice")."""
    out: dict[str, str] = {}
    for c in clauses:
        for m in _DEFINES.finditer(visible(c.text).text):
            out.setdefault(m.group("term").strip(), " ".join(m.group("body").split())[:400])
    return out


def _defined_match(matcher: WordMatcher, text: str, terms: dict[str, str]) -> Any:
    """How well a sentence matches a term, counting what its Defined Terms mean: "must not create a
    Voice Replica" speaks to "may imitate an identifiable host's voice" when the definition says so.
    Positions still point into the sentence (at the defined term)."""
    direct = matcher.match(text)
    used = [(t, text.find(t)) for t in terms if len(t) > 3 and t in text]
    if not used:
        return direct
    expanded = matcher.match(text + " \\n " + " ".join(terms[t] for t, _ in used))
    if expanded.score <= direct.score:
        return direct
    if expanded.start >= len(text):  # the deciding word is in a definition: point at the defined term
        term, at = max(used, key=lambda u: len(terms[u[0]]))
        return dataclasses.replace(expanded, start=at, end=at + len(term))
    return expanded


def _topic(cue: Cue, clause: Clause, s: Sentence) -> bool:
    """A sentence under a heading that names the term ("5.1 Display Credit. When ... shall display the name").
    Only for choices and yes/no terms: a number under a broad heading is as often about something else."""
    if cue.get("measure"):
        return False
    heading = (clause.heading or "").split("\n")[0]
    return bool(heading) and heading.lower() not in s.text.lower()[: len(heading) + 8] and _any(cue.get("anchors", []), heading) is not None




_WHOSE_LIABILITY = re.compile(
    r"\b(?P<a>(?:[A-Z][A-Za-z&-]*\s+){0,2}[A-Z][A-Za-z&-]*)(?:'s|’s)?\s+(?i:total\s+|aggregate\s+|entire\s+|maximum\s+|cumulative\s+|overall\s+)*(?i:liabilit)"
    r"|(?i:\bliabilit\w*\s+of\s+(?:the\s+)?)(?P<b>(?:[A-Z][A-Za-z&'’-]*\s+){0,2}[A-Z][A-Za-z&'’-]*)\b",
)


def _owners(term: MandateTerm, text: str, roles: dict[str, str] | None) -> list[bool | None] | None:
    """Whose liability each mention in ``text`` is, in order: the term's own party's (True), another's
    (False) or unknown (None). None when the term names no party or the text binds both ("each party")."""
    named = re.search(rf"\b({ROLE_WORDS})\b", term.label, re.I)
    if not named or re.search(r"\b(either|each|neither|both) part", text, re.I):
        return None
    own = side(named.group(1))
    flags: list[bool | None] = []
    for m in _WHOSE_LIABILITY.finditer(text):
        said = re.sub(r"^(the|its|The|Its)\s+", "", (m.group("a") or m.group("b") or "").strip())
        role = role_of(said, roles or {}) or role_of(said.split()[-1], roles or {})
        flags.append(None if role is None else role == own)
    return flags


def _only_other_party(term: MandateTerm, text: str, roles: dict[str, str] | None) -> bool:
    """Every liability the sentence names with a known owner is another party's."""
    known = {f for f in (_owners(term, text, roles) or []) if f is not None}
    return known == {False}


def _liability_term(term: MandateTerm) -> bool:
    return term.kind == "number" and re.search(r"liabilit", term.label, re.I) is not None


def _other_party(term: MandateTerm, text: str, roles: dict[str, str] | None = None, fallback: str = "") -> bool:
    """A value in another party's liability than the one the term names ("Licensee liability cap"
    against "Licensor's aggregate liability shall not exceed..."; "Aurore" is the Licensee when the
    preamble says so): the owner named nearest before the value decides, else the sentence's first."""
    if not _liability_term(term):
        return False
    flags = _owners(term, text, roles)
    if flags is None:
        return False
    if not flags and fallback:
        flags = _owners(term, fallback, roles) or []
    elif fallback:
        flags = flags[::-1]
    return next((not f for f in flags if f is not None), False)


def _near(reading: Reading, pattern: str, reach: int = 50) -> bool:
    c = reading.sentence.clause
    lo = max(reading.sentence.start, reading.quote_start - reach) - c.start
    hi = min(reading.sentence.end, reading.quote_end + reach) - c.start
    return re.search(pattern, visible(c.text[lo:hi]).text, re.I) is not None


def _read_sentence(term: MandateTerm, cue: Cue, s: Sentence, context: dict[str, Any], hit: Any = None) -> list[Reading]:
    for pattern, value, words in cue.get("dominant", []):
        m = _find([pattern], s.text)
        if m:
            if term.kind == "boolean":  # a dominant "never" (no deletion, perpetual) answers an obligation "no"
                said = answer(term_modality(term.label), "not_required") if math.isinf(value) else None
                if said is None:
                    continue
                return [Reading(said, f"{_yes_no(said)} ({words})", s, s.at(m.start()), s.at(m.end()), dominant=True)]
            return [Reading(value, words, s, s.at(m.start()), s.at(m.end()), dominant=True)]
    pending = _PENDING.search(s.text)
    if pending and not (cue.get("words") and hit is None):
        # "Attribution: to be agreed": the proposal raises the term and leaves it open
        return [Reading(None, f"left open (“{_flat(pending.group())}”)", s, s.at(pending.start()), s.at(pending.end()))]
    if term.kind == "number":
        found = _read_number(term, cue, s, context)
        for pattern, value, words in cue.get("fixed", []):
            m = _find([pattern], s.text)
            if m and value == 0 and cue.get("measure") in ("money_per_period", "price_per_unit", "money") and not _ABOUT_THE_DATA.search(s.text):
                continue  # "services free of charge to members" says nothing of what the licence costs
            if m and not found:
                found = [Reading(value, words, s, s.at(m.start()), s.at(m.end()))]
        if cue.get("near"):
            found = [r for r in found if r.dominant or _near(r, cue["near"], cue.get("near_reach", 50))]
        if cue.get("not_near"):
            found = [r for r in found if r.dominant or not _near(r, cue["not_near"], reach=25)]
        if not found and cue.get("require") and cue.get("measure") in ("duration", "fee_multiple"):
            # The sentence is squarely about the term ("reasonable prior notice") but fixes no number.
            found = [Reading(None, f"no fixed {term.unit or 'value'} (“{_flat(s.text)[:120]}”)", s, s.start, s.end)]
        return found
    return _read_other(term, cue, s, hit, context)


_ABOUT_THE_DATA = re.compile(r"\blicen[cs]|\bgrant|\bdata\b|\bcontent\b|\bcorpus\b|\bmaterials?\b|\brecordings?\b|\bworks?\b|\bimages?\b|\brecords?\b|\bfees?\b|\bpayments?\b|\bminimum\b|\|", re.I)
_PENDING = re.compile(r"\b(to be (agreed|determined|negotiated|confirmed|discussed|set)( later| separately| in the [\w ]{1,30})?|TBD|TBC|subject to (further )?(agreement|negotiation))\b", re.I)


MEASURES = {
    "money_per_year": lambda s, term, context: _money_per_year(s, term),
    "money_per_period": lambda s, term, context: _money_per_period(s, term),
    "price_per_unit": lambda s, term, context: _price_per_unit(s, term, context.get("glossary")),
    "money": lambda s, term, context: _money(s, term),
    "percent": lambda s, term, context: _percents(s, term),
    "duration": lambda s, term, context: _durations(s, term),
    "frequency": lambda s, term, context: _frequency(s, term),
    "fee_multiple": _fee_multiple,
    "count": lambda s, term, context: _counts(s, term),
    "times_per_year": lambda s, term, context: _times_per_year(s, term),
}


def _read_number(term: MandateTerm, cue: Cue, s: Sentence, context: dict[str, Any]) -> list[Reading]:
    return MEASURES[cue.get("measure", "count")](s, term, context)


def _read_other(term: MandateTerm, cue: Cue, s: Sentence, hit: Any = None, context: dict[str, Any] | None = None) -> list[Reading]:
    if cue.get("within") and not _find(cue["within"], f"{s.clause.heading}\n{_seen(s.clause)}"):
        return []  # the sentence is read only as part of a clause that is about the term (an item of a definition)
    if term.kind == "choice":
        if cue.get("places"):
            return _read_places(term, cue, s)
        out = []
        unilateral = cue.get("concept_of", {}).get("automatic") if cue.get("extensions") else None
        m = _EXTEND.search(s.text) if unilateral else None
        if m and role_of(m.group("who"), (context or {}).get("parties", {})) == "licensee" and not re.search(r"\bmutual|\bboth parties|\bif the parties agree", s.text, re.I):
            # "Aurore may renew this Agreement ... by written notice": renewal at the licensee's option
            return [Reading([unilateral], format_value(term, [unilateral]), s, s.at(m.start()), s.at(m.end()))]
        listed = _list_stance(s) if cue.get("negated_before") else None
        for option, patterns in cue.get("options", {}).items():
            m = _find(patterns, s.text)
            if m and cue.get("negated_before") and (listed == "prohibited" or stance(s.text, m.start(), m.end()) in ("prohibited", "denied")):
                if _USE_BANNED.search(s.text[: m.start()]) or listed == "prohibited":
                    # kept as a prohibition: against a grant of the same use elsewhere it is a conflict
                    out.append(Reading([PROHIBITED + option], f"{format_value(term, [option])} prohibited", s, s.at(m.start()), s.at(m.end())))
                continue
            if m:
                out.append(Reading([option], format_value(term, [option]), s, s.at(m.start()), s.at(m.end())))
        umbrella = cue.get("concept_of", {}).get("training")
        banned = [r for r in out if r.value[0].startswith(PROHIBITED)]
        if umbrella and len(banned) > 1:  # "shall not ... train any text-to-speech model": the ban is on the specific use
            out = [r for r in out if r.value[0] != PROHIBITED + umbrella]
        return out
    if term.kind == "boolean":
        flip = bool(cue.get("negated_by")) and re.search(cue["negated_by"], term.label, re.I) is not None
        # "non-exclusive" must win over "exclusive"; a cue whose true patterns are exceptions ("shall not
        # copy except as necessary") reads them first (``true_first``)
        for value in ((True, False) if cue.get("true_first") else (False, True)):
            m = _find(cue.get("true" if value else "false", []), s.text)
            if m:
                said = value != flip
                return [Reading(said, _yes_no(said), s, s.at(m.start()), s.at(m.end()))]
        if cue.get("true") or cue.get("false"):
            return []
        return _read_statement(term, cue, s, hit)
    if term.kind == "text":
        return [Reading(None, f"stated in the proposal (“{_flat(s.text)[:160]}”); for a person to judge", s, s.start, s.end)]
    return []


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _read_statement(term: MandateTerm, cue: Cue, s: Sentence, hit: Any = None) -> list[Reading]:
    """A boolean term read by polarity: what the sentence does with the term's subject, the right way round."""
    if cue.get("concept"):
        m = _find(cue["concept"], s.text)
        if not m:
            return []
        if s.text.lstrip().startswith("|"):  # a table row: the value cell decides, not the label cell
            last = [x for p in cue["concept"] for x in re.finditer(p.replace(" ", r"\\s+"), s.text, re.I | re.S)]
            m = max(last, key=lambda x: x.start())
        start, end = m.start(), m.end()
    elif hit is not None:
        start, end = hit.start, hit.end
        predicate = _predicate_at(term, s.text)
        if predicate is not None:  # "Repositories ... are excluded": what the sentence does with *excluded* decides
            start, end = predicate
    else:
        return []
    modality = term_modality(term.label)
    if modality == "statement" and term.query and term.query != term.label:
        modality = term_modality(term.query)
    found = stance(s.text, start, end)
    if found == "stated" and _list_stance(s) == "prohibited":
        found = "prohibited"  # "(b) re-identify any individual" under "The Data Recipient shall not:"
    if found == "denied" and _negated_in_term(term, s.text[start:end]):
        found = "stated"  # "without a licence" in the term and "no licence file" in the contract say the same
    value = answer(modality, found)
    if value is None:
        return []
    lo, hi = _clause_span(s.text, start, end)
    return [Reading(value, _yes_no(value), s, s.at(lo), s.at(hi), match=hit.score if hit is not None and not cue.get("concept") else 0.0)]


_PREDICATE = re.compile(r"\b(?:is|are|be|must|shall|may|will|should|can)\s+(?:not\s+)?(?:be\s+)?(?:(?:promptly|always|only|fully)\s+)?([A-Za-z][\w-]{3,})", re.I)


def _predicate_at(term: MandateTerm, text: str) -> tuple[int, int] | None:
    """Where the sentence states the term's predicate ("are *excluded*", "must *block*"), if it does."""
    from desk.term_words import WORD, token_key

    m = _PREDICATE.search(term.label)
    if not m or re.match(r"(used|able|made|given|have|take|prohibit|requir|permit|oblig|entitl|allow|forbid|bound|barr|bann|preclud|restrict)", m.group(1), re.I):
        return None
    key = token_key(m.group(1))
    for w in WORD.finditer(text):
        if token_key(w.group()) == key:
            return w.start(), w.end()
    return None


def _negated_in_term(term: MandateTerm, word: str) -> bool:
    from desk.term_words import token_key

    key = token_key(word)
    for m in re.finditer(r"\b(?:without|no|not|non-?)\s+((?:[\w-]+\s*){1,3})", term.label, re.I):
        if key in {token_key(w) for w in re.findall(r"[A-Za-z]+", m.group(1))}:
            return True
    return False


def _clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The deciding words around a mention: from the clause boundary before it to the one after."""
    lo = max((m.end() for m in re.finditer(r"[;:]\s|\.\s|,\s(?=(?:and|or|but|provided)\b)", text[:start])), default=0)
    m = re.search(r"[;:]\s|\.(\s|$)", text[end:])
    hi = end + m.start() if m else len(text)
    return lo, max(hi, end)


_LAW_BEFORE = re.compile(r"\blaws?\s+(?:in force\s+)?(?:of|in)\s+(?:the\s+)?(?:state\s+of\s+|province\s+of\s+|commonwealth\s+of\s+|republic\s+of\s+)?$|\bgoverned\s+by\s+(?:the\s+)?$|\bgoverning\s+law\s*(?:is|shall be|:)?\s*(?:the\s+)?(?:laws?\s+of\s+)?(?:the\s+)?$", re.I)
_COURTS_BEFORE = re.compile(r"\b(?:courts?|tribunals?)\s+(?:of|in|at|located in|sitting in|situated in)\s+(?:the\s+)?(?:state\s+of\s+|county\s+of\s+|city\s+of\s+|borough\s+of\s+)?(?:[\w,]+\s+){0,3}?$|\b(?:seat|venue|place)\s+of\s+(?:the\s+)?(?:arbitration|proceedings)\s+(?:shall\s+be|is|will\s+be)\s+(?:in\s+)?$|\barbitration\s+in\s+$|\bjurisdiction\s+of\s+(?:the\s+)?(?:state\s+and\s+federal\s+)?$", re.I)


def _read_places(term: MandateTerm, cue: Cue, s: Sentence) -> list[Reading]:
    """Options that are places: the governing law after "laws of", the courts after "courts of",
    or any place a territory sentence names; a place no option names is read as outside the mandate."""
    mode = cue.get("places")
    text = s.text
    by_place = {}
    for option in term.options:
        place = canonical(option_words(option))
        if place:
            by_place.setdefault(place, option)
    out = []
    named = places_in(text)
    keep = set(most_specific([p for p, _, _ in named]))
    for place, start, end in named:
        if place not in keep:
            continue  # "... and the federal laws of Canada applicable therein": Ontario decides
        lo = max(0, start - 80)
        before = text[lo:start]
        if re.search(r"\b(established|incorporated|organi[sz]ed|existing|registered|formed|constituted|chartered)\b[^.;]{0,40}$", before, re.I):
            continue  # where a party is incorporated, not the law of the contract
        after = text[end : end + 12]
        if mode == "law":
            lead = _LAW_BEFORE.search(before)
            if not (lead or re.match(r"\s+law\b", after, re.I)):
                continue
        elif mode == "courts":
            lead = _COURTS_BEFORE.search(before)
            if not (lead or re.match(r"\s+courts?\b", after, re.I)):
                continue
        elif re.search(r"\blaws?\s+of\s+(the\s+)?(state\s+of\s+)?$|\bcourts?\s+(of|in)\s+(the\s+)?$", before, re.I):
            continue  # a territory sentence's "laws of England" is not a territory
        else:
            lead = None
        if lead is not None:  # quote "the laws of the State of New York", not only "New York"
            start = lo + lead.start()
        else:
            tail = re.match(r"\s+(law|courts?)\b", after, re.I)
            end = end + tail.end() if tail else end
        option = by_place.get(place)
        if option is not None:
            if any(r.value == [option] for r in out):
                continue
            out.append(Reading([option], format_value(term, [option]), s, s.at(start), s.at(end)))
        else:
            key = "other:" + re.sub(r"\W+", "_", place).strip("_")
            if any(r.value == [key] for r in out):
                continue
            out.append(Reading([key], f"{display(place)} (not an option of the mandate)", s, s.at(start), s.at(end)))
    return out


def _find(patterns: Iterable[str], text: str) -> re.Match[str] | None:
    """Search the text with whitespace runs (PDF line breaks) treated as single spaces."""
    for p in patterns:
        m = re.search(p.replace(" ", r"\s+"), text, re.I | re.S)
        if m:
            return m
    return None


def _resolve(term: MandateTerm, cue: Cue, readings: list[Reading], order: Precedence = NO_PRECEDENCE) -> tuple[Any, list[Reading], list[Reading]]:
    """The proposal's value, the readings that decide it, and conflicting readings (if any); where the
    contract ranks its parts (an order-of-precedence clause), the higher part's statement decides."""
    value, deciding, conflicts = _resolve_plain(term, cue, readings)
    if conflicts and order.winner:
        best = order.winner_of([r.sentence.clause.id for r in conflicts])
        if best is not None:
            return conflicts[best].value, [conflicts[best]], []
    return value, deciding, conflicts


# A use is banned (not merely mentioned near a negation) when the sentence forbids *using* the data for it.
_USE_BANNED = re.compile(r"\b(?:shall|may|must|will)\s+not\b[^.;]{0,80}\b(?:use|exploit|process|employ|utili[sz]e)\b[^.;]{0,160}$|\bnot\s+(?:be\s+)?(?:used|exploited|processed)\b[^.;]{0,120}$", re.I)
_LIST_ITEM = re.compile(r"^\W*\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s")
_LEAD_IN = re.compile(r"(?:shall|may|must|will)\s+not\b[^:;.]{0,160}:\s*$|\b(?:does not (?:extend to|include|cover)|excludes?|excluding|prohibited)\b[^:;.]{0,100}:\s*$", re.I)


def _lead_in(s: Sentence) -> str:
    """The words that introduce a list item ("Licensor grants Licensee a licence to use the Data for:")."""
    if not _LIST_ITEM.match(s.text):
        return ""
    text = _seen(s.clause)
    idx = text.find(s.text[:40])
    head = text[:idx] if idx > 0 else ""
    colon = head.rfind(":")
    return head[max(0, colon - 240) : colon + 1] if colon >= 0 else ""


def _lead_in_speaks(cue: Cue, s: Sentence) -> bool:
    lead = _lead_in(s)
    return bool(lead) and _any(cue.get("anchors", []), _flat(lead)) is not None


def _list_stance(s: Sentence) -> str | None:
    """A list item takes the stance of its lead-in: "(b) the sale of synthetic data" under "The User shall not:"."""
    if not _LIST_ITEM.match(s.text):
        return None
    before = _seen(s.clause)
    idx = before.find(s.text[:40])
    head = before[:idx] if idx > 0 else ""
    colon = head.rfind(":")
    if colon < 0:
        return None
    return "prohibited" if _LEAD_IN.search(head[: colon + 1][-220:]) else None


_CARVE_OUT = re.compile(r"\bnothing in (this|the foregoing|clause|section|paragraph)\b[^.]{0,60}\b(prevents?|restricts?|prohibits?|limits?|precludes?)\b|\bfor the avoidance of doubt\b", re.I)
PROHIBITED = "not:"  # an option value a sentence prohibits rather than grants
EXCEPTED = r"\b(except|unless|other than|save (as|for)|subject to|notwithstanding|without (the )?prior|provided that)\b"


def _resolve_plain(term: MandateTerm, cue: Cue, readings: list[Reading]) -> tuple[Any, list[Reading], list[Reading]]:
    dominant = [r for r in readings if r.dominant]
    if dominant:
        return dominant[0].value, dominant, []
    usable = [r for r in readings if r.value is not None]
    if not usable:
        return None, readings, []
    if term.kind == "choice":
        mode = cue.get("resolve", "set")
        banned = [r for r in usable if r.value[0].startswith(PROHIBITED)]
        usable = [r for r in usable if not r.value[0].startswith(PROHIBITED)]
        if not usable:
            return None, [], []
        if mode == "set":
            options = [o for o in term.options if any(o in r.value for r in usable)] or sorted({o for r in usable for o in r.value})
            for r in banned:  # "solely to evaluate; shall not train" against an attachment that trains: ask which governs
                option = r.value[0][len(PROHIBITED):]
                grant = next((g for g in usable if option in g.value and g.sentence.clause.id != r.sentence.clause.id), None)
                if grant is not None and not re.search(EXCEPTED, r.sentence.text, re.I) and not re.search(EXCEPTED, grant.sentence.text[: grant.quote_start - grant.sentence.start], re.I):
                    return None, [], [grant, r]
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
    if term.kind == "boolean" and cue.get("resolve") == "permissive":
        permitted = bool(cue.get("negated_by")) and re.search(cue["negated_by"], term.label, re.I) is not None
        if any(r.value is permitted for r in usable):  # one permission is enough: the restriction is not complete
            return permitted, _one_per_clause([r for r in usable if r.value is permitted]), []
    if term.kind == "boolean" and cue.get("resolve") == "any_false" and any(r.value is False for r in usable):
        return False, _one_per_clause([r for r in usable if r.value is False]), []
    distinct_values = {_key(r.value) for r in usable}
    if len(distinct_values) > 1 and term.kind == "boolean" and all(r.match for r in usable):
        # read by the term's own words: a sentence that carries clearly more of the term decides
        # ("must not create a Voice Replica" over "nothing prevents generic synthetic voices")
        rules = [r for r in usable if not _CARVE_OUT.search(r.sentence.text)]
        if rules and len({r.value for r in rules}) == 1:
            # "shall not create a Voice Clone. For the avoidance of doubt, nothing in this clause prevents
            # generic singing models": the carve-out is about something else; the rule decides the term
            return rules[0].value, _one_per_clause(rules), []
        best = max(usable, key=lambda r: r.match)
        rival = max((r.match for r in usable if r.value != best.value), default=0.0)
        if best.match >= 1.25 * rival:
            return best.value, [best], []
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
    """The finding for one term, naming the type and reader that decided it and how sure it is."""
    finding = _review_term(term, clauses, context)
    chosen = type_of(term)
    generic = chosen.how == "generic" or chosen.type.name in WORD_TYPES
    reader = f"{chosen.type.name}: {'the term’s own words' if generic else chosen.type.title.lower()} ({chosen.why})"
    confidence = {"meets_preferred": 0.85, "acceptable": 0.85, "breaches_walk_away": 0.85, "unclear": 0.5, "not_addressed": 0.7}[finding.status]
    if generic:
        confidence -= 0.2
    return dataclasses.replace(finding, reader=reader, confidence=round(confidence, 2))


def _review_term(term: MandateTerm, clauses: list[Clause], context: dict[str, Any]) -> Finding:
    cue = cue_for(term)
    readings, speaking = read_term(term, clauses, context)
    if not any(r.value is not None for r in readings) and cue.get("date_span"):
        readings = readings + _date_span(term, clauses)
    value, deciding, conflicts = _resolve(term, cue, readings, context.get("precedence", NO_PRECEDENCE))
    if value is not None and cue.get("extensions") and isinstance(value, (int, float)) and math.isfinite(value):
        extra = _licensee_extensions(term, clauses, context.get("parties", {}))
        if extra is not None:
            added, r = extra
            value = round(value + added, 2)
            deciding = list(deciding) + [r]
    if term.kind in ("number", "boolean") and len(deciding) > 1:
        # The clause that states the term in prose decides; a schedule's table row repeats it.
        deciding = sorted(deciding, key=lambda r: _table_row(r.sentence))  # stable: otherwise document order
    ranked = sorted(speaking, key=lambda c: -(_relevance(term, c) + _heading_overlap(term, c)))
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


_EXTEND = re.compile(
    r"\b(?P<who>[A-Z][\w&-]*)\s+(?:shall have the (?:right|option)\b[^.]{0,240}?\bto\s+|may(?:,[^,]{0,160},)?\s+(?:elect to\s+|by [^.]{0,100}?\s+)?)(?:extend|renew)\w*\b(?P<rest>[^.]{0,220})"
)
_EXTENSION_COUNT = re.compile(r"\b(?:up to\s+)?(?P<count>(?:one|two|three|four|five|a|an|\d+)(?:\s+\(\d+\))?)\s+(?:successive\s+|additional\s+|further\s+|renewal\s+|consecutive\s+)*(?:periods?|terms?|renewal terms?)\b", re.I)


def _licensee_extensions(term: MandateTerm, clauses: list[Clause], roles: dict[str, str]) -> tuple[float, Reading] | None:
    """A term the licensee alone can extend lasts as long as it chooses: "Licensee may extend the Term
    for up to two (2) successive periods of one (1) year" adds two years (a mutual renewal adds nothing)."""
    from retrieval.values import extract_values, parse_number_words

    for c in clauses:
        if not operative(c):
            continue
        for s in sentences(c):
            m = _EXTEND.search(s.text)
            if not m or role_of(m.group("who"), roles) != "licensee" or re.search(r"\bmutual|\bboth parties|\bif the parties agree|\bwith the (prior )?(written )?consent", s.text, re.I):
                continue
            rest = m.group("rest")
            n = _EXTENSION_COUNT.search(rest)
            tail = rest[n.end():] if n else rest  # "for two (2) periods of one (1) year each by notice sixty (60) days before"
            durations = [v for v in extract_values(tail) if v.kind == "duration" and v.amount and math.isfinite(v.amount) and parse_unit(v.unit).time]
            if not durations:
                continue
            each = durations[0]
            count = 1.0
            if n:
                raw = n.group("count").lower()
                digits = re.search(r"\d+", raw)
                count = float(digits.group()) if digits else float(parse_number_words(raw) or 1)
            added = _in_unit(count * each.amount * DAYS[parse_unit(each.unit).time], term.unit)
            words = f"extendable at the licensee's option by {count:g} × {each.text} ({format_value(term, round(added, 2))})"
            return added, Reading(added, words, s, s.at(m.start()), s.at(m.end()))
    return None


def _heading_overlap(term: MandateTerm, clause: Clause) -> float:
    """Share of the term's label words in the clause heading ("6.1 Annual Licence Fee" for "Annual licence fee")."""
    words = {stem(w) for w in content_words(term.label)}
    heading = {stem(w) for w in content_words((clause.heading or "").split("\\n")[0])}
    return len(words & heading) / max(1, len(words))


def _table_row(s: Sentence) -> bool:
    """A row of a schedule's table (cells, no verb), which repeats what a clause states."""
    if "|" in s.text or s.clause.kind == "table":
        return True
    return s.text.count("\n") >= 2 and not re.search(r"\b(is|are|shall|will|may|must|agrees?|pays?)\b", s.text, re.I)


def _where(c: Clause | Evidence) -> str:
    heading = c.heading.split("\n")[0][:60] if c.heading else "clause"
    return f"{heading}, p. {c.page}"


def _annual_fee(term: MandateTerm) -> bool:
    """A fee per period: its reading is what a liability cap stated in money is a multiple of."""
    return type_of(term).type.name == "fee_per_period"


def review(document: Document, clauses: list[Clause], mandate: Mandate, decisions: dict[str, dict[str, Any]] | None = None) -> Review:
    order = sorted(mandate.terms, key=lambda t: not _annual_fee(t))  # fees first: caps are multiples of them
    context: dict[str, Any] = {"precedence": precedence(clauses), "parties": parties(clauses), "glossary": glossary(clauses)}
    by_key: dict[str, Finding] = {}
    for term in order:
        finding = review_term(term, clauses, context)
        by_key[term.key] = finding
        if _annual_fee(term) and isinstance(finding.value, (int, float)) and "annual_fee" not in context:
            per = parse_unit(term.unit).per or "year"
            context["annual_fee"] = finding.value * DAYS["year"] / DAYS.get(per, DAYS["year"])
    return Review(
        document_id=document.id,
        document_title=document.title,
        mandate_name=mandate.collective.name,
        mandate_version=mandate.version,
        findings=tuple(by_key[t.key] for t in mandate.terms),
        decisions=decisions or {},
    )
