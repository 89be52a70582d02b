"""A mandate term's unit, understood: what a contract value must be converted to before it is judged.

Mandates are written by people: "USD/year", "EUR per record", "GBP/hour" (of audio),
"USD per 1,000 tokens", "days", "hrs", "business days", "percent", "times annual fees".
:func:`parse_unit` turns each into a :class:`Unit` the readers can convert to, and says
plainly when it cannot (``measure == "unknown"``), so ``desk mandate check`` can warn
before any contract arrives instead of the review quietly reading nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Measure = Literal["money", "percent", "duration", "frequency", "multiple", "count", "none", "unknown"]

#: days in one of each time unit (a month is a twelfth of a Julian year)
DAYS: dict[str, float] = {
    "hour": 1 / 24, "day": 1.0, "business day": 7 / 5, "week": 7.0, "month": 365.25 / 12,
    "quarter": 365.25 / 4, "half-year": 365.25 / 2, "year": 365.25,
}
TIME_ALIASES: dict[str, str] = {
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day", "calendar days": "day", "calendar day": "day",
    "business days": "business day", "business day": "business day", "working days": "business day", "working day": "business day",
    "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "mos": "month", "month": "month", "months": "month",
    "quarter": "quarter", "quarters": "quarter",
    "yr": "year", "yrs": "year", "year": "year", "years": "year", "annum": "year", "annual": "year", "annually": "year",
}
#: periods money can be paid per (a fee per period), as opposed to a unit of data (a price per unit)
PERIODS = ("month", "quarter", "half-year", "year")
#: units of data a price can be quoted per; each with the words contracts use for it
DATA_UNITS: dict[str, str] = {
    "hour": r"hours?\s+of\s+(?:recorded\s+|licensed\s+|source\s+)?(?:audio|recordings?|speech|video|footage|content|material)|(?:audio|recording|content)\s+hours?|hours?\b",
    "minute": r"minutes?\s+of\s+(?:audio|recordings?|speech|video)|minutes?\b",
    "record": r"(?:patient\s+|de-?identified\s+|clinical\s+|data\s+)?records?\b",
    "token": r"tokens?\b",
    "gigabyte": r"gigabytes?\b|\bGB\b",
    "terabyte": r"terabytes?\b|\bTB\b",
    "work": r"works?\b|titles?\b|articles?\b|books?\b",
    "image": r"images?\b|photo(?:graph)?s?\b|pictures?\b",
    "item": r"items?\b|files?\b|documents?\b",
    "track": r"tracks?\b|songs?\b|recordings?\b",
    "repository": r"repositor(?:y|ies)\b",
    "line": r"lines?\s+of\s+code\b",
    "character": r"characters?\b",
    "word": r"words?\b",
    "study": r"(?:imaging\s+)?stud(?:y|ies)\b|scans?\b|examinations?\b",
    "page": r"pages?\b",
}
DATA_ALIASES: dict[str, str] = {
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "audio hour": "hour", "hour of audio": "hour",
    "minute": "minute", "minutes": "minute", "min": "minute",
    "record": "record", "records": "record", "patient record": "record",
    "token": "token", "tokens": "token",
    "gb": "gigabyte", "gigabyte": "gigabyte", "gigabytes": "gigabyte", "tb": "terabyte", "terabyte": "terabyte",
    "work": "work", "works": "work", "title": "work", "article": "work", "book": "work",
    "image": "image", "images": "image", "photo": "image", "photograph": "image", "picture": "image",
    "item": "item", "items": "item", "file": "item", "document": "item",
    "track": "track", "tracks": "track", "song": "track", "recording": "track",
    "repository": "repository", "repo": "repository", "line of code": "line", "line": "line",
    "word": "word", "words": "word", "study": "study", "studies": "study", "scan": "study", "scans": "study", "exam": "study", "examination": "study",
    "character": "character", "characters": "character", "char": "character", "chars": "character", "page": "page", "pages": "page",
    "article": "work", "articles": "work", "titles": "work", "books": "work", "photos": "image", "photographs": "image",
}
_MONEY = re.compile(
    r"^(?P<currency>[A-Z]{3})\s*(?:(?:/|\bper\b|\ba\b|\beach\b)\s*(?P<scale>[\d,]+(?:\s*[km]\b)?|thousand\b|million\b|[km]\b)?\s*(?P<per>[A-Za-z][A-Za-z -]*?))?$",
    re.I,
)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6}


#: words that look like a unit of data but are periods the desk does not convert (a fee per fortnight)
_NOT_DATA = frozenset({"fortnight", "fortnights", "week", "weeks", "day", "days", "decade", "decades", "semester", "season", "term"})


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class Unit:
    """What a term's number measures. ``per`` is a period (fee per year) or a unit of data
    (price per hour of audio); ``scale`` is how many of them the price is for (per 1,000 tokens);
    ``time`` is the time unit of a duration or of a reporting interval."""

    measure: Measure
    text: str = ""
    currency: str = ""
    per: str = ""
    scale: float = 1.0
    time: str = ""
    problem: str = ""  # why nothing can read it (measure "unknown")

    @property
    def per_period(self) -> bool:
        return self.measure == "money" and self.per in PERIODS

    @property
    def per_data(self) -> bool:
        """A price per unit of data: a known one (hour, record, token...) or any thing the mandate names ("episode")."""
        return self.measure == "money" and bool(self.per) and self.per not in PERIODS

    def days(self) -> float:
        return DAYS.get(self.time, 1.0)

    def describe(self) -> str:
        if self.measure == "money":
            if not self.per:
                return f"a sum in {self.currency}"
            each = f"{self.scale:,.0f} {self.per}s" if self.scale != 1 else self.per
            kind = "a fee per" if self.per_period else "a price per"
            return f"{kind} {each}, in {self.currency}"
        return {
            "percent": "a percentage",
            "duration": f"a duration in {self.time}s",
            "frequency": f"an interval in {self.time}s",
            "multiple": "a multiple of the fees",
            "count": f"a count of {self.text}" if self.text else "a count",
            "none": "no unit",
        }.get(self.measure, f"unreadable unit {self.text!r}")


@lru_cache(maxsize=1024)
def parse_unit(text: str, kind: str = "number") -> Unit:
    """The unit a mandate wrote, understood; ``measure="unknown"`` with ``problem`` when it is not."""
    raw = " ".join(text.split())
    low = raw.lower().strip()
    if kind != "number":
        return Unit("none", raw)
    if not low:
        return Unit("count", raw)
    if low in ("percent", "%", "per cent", "pct", "percentage", "percent of revenue", "% of revenue"):
        return Unit("percent", raw)
    if re.fullmatch(r"(x|×|times|multiple(s)? of)\s*(the\s+)?(annual\s+|yearly\s+|total\s+)?(licen[cs]e\s+)?fees?( paid| payable)?|x|×|times", low) or re.search(r"\b(times|multiple of)\b.*\bfees?\b|^x\s+\w+ fees?$", low):
        return Unit("multiple", raw)
    time = TIME_ALIASES.get(low)
    if time:
        return Unit("duration", raw, time=time)
    m = re.fullmatch(r"(?:months?|days?|weeks?|years?) between [a-z ]+|(?P<t>[a-z]+) per (?:report|statement)", low)
    if m:
        return Unit("frequency", raw, time=TIME_ALIASES.get((m.group("t") or low.split()[0]), "month"))
    m = _MONEY.match(raw)
    if m:
        currency = m.group("currency").upper()
        per = (m.group("per") or "").strip().lower()
        scale_text = (m.group("scale") or "").lower().replace(",", "")
        tail = re.fullmatch(r"([\d.]+)\s*([km])", scale_text)
        if tail:
            scale = float(tail.group(1)) * _SCALES[tail.group(2)]
        else:
            scale = _SCALES.get(scale_text) or (float(scale_text) if scale_text else 1.0)
        if not per:
            return Unit("money", raw, currency=currency)
        per = re.sub(r"^(an?|one|each)\s+", "", per)
        period = TIME_ALIASES.get(per)
        if per in ("hour", "hours", "hr", "hrs", "minute", "minutes"):  # per hour of audio: a unit of data
            return Unit("money", raw, currency=currency, per=DATA_ALIASES[per], scale=scale)
        if period in PERIODS:
            return Unit("money", raw, currency=currency, per=period, scale=scale)
        if per in ("half-year", "half year", "six months"):
            return Unit("money", raw, currency=currency, per="half-year", scale=scale)
        data = DATA_ALIASES.get(per) or DATA_ALIASES.get(per.rstrip("s"))
        if not data:
            head = per.split(" of ")[0].strip()
            data = DATA_ALIASES.get(head) or DATA_ALIASES.get(head.rstrip("s"))
        if data:
            return Unit("money", raw, currency=currency, per=data, scale=scale)
        noun = re.fullmatch(r"[a-z]{3,20}", per)
        if noun and per not in _NOT_DATA:  # "USD per episode", "EUR per book": a thing the data comes in
            return Unit("money", raw, currency=currency, per=_singular(per), scale=scale)
        known = ", ".join(list(PERIODS) + list(DATA_UNITS))
        return Unit("unknown", raw, problem=f"{currency} per {per!r} is neither a period nor a unit of data the desk reads ({known})")
    m = re.fullmatch(r"(?P<what>[a-z][a-z -]*?)\s+(?:per|a|each|every|/)\s+(?P<per>year|annum|calendar year|contract year|month|quarter|week)", low)
    if m:  # a rate: "audits per year", "reports a quarter"
        per = TIME_ALIASES.get(m.group("per").split()[-1], "year")
        return Unit("count", raw, per=per)
    if re.fullmatch(r"[a-z]{3}", low) and raw.isupper():
        return Unit("money", raw, currency=raw)
    if re.fullmatch(r"[a-z]+( of [a-z]+)?|[a-z]+ [a-z]+", low) and not re.search(r"\d", low):
        return Unit("count", raw)
    return Unit("unknown", raw, problem=f"unit {raw!r} is not one the desk reads: write money as 'USD/year' or 'GBP/hour', time as 'days' or 'months', shares as 'percent'")
