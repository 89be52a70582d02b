"""Find the values a clause states: money, percentages, durations, dates, counts.

Contracts state numbers the way lawyers write them: "Five Million Dollars
($5,000,000)", "thirty (30) days", "fifty (50)%", "the 15th day of March, 2024".
The mandate review compares those numbers with the collective's positions, so
each one is normalised (money in units of its ISO currency, percent as 15.0,
durations in the unit stated) and keeps the exact span it came from: a finding
quotes ``source[start:end]`` and that must be the words on the page.

A restated value ("five million dollars (US$5,000,000)") is one value spanning
both forms, not two: counting it twice would double a fee.

Only regular expressions and small tables: deterministic, fast, and every rule
is readable in this file.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, replace

from core.domain import Value

__all__ = ["extract_values", "to_years", "parse_number_words"]

# --------------------------------------------------------------------------- numbers

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_NUMBER_WORDS = sorted([*_SMALL, *_TENS, "hundred", *_SCALES, "half"], key=len, reverse=True)
_NW = r"(?:%s)" % "|".join(_NUMBER_WORDS)
# "one hundred and twenty-five", "forty-two", "two and one-half"
_WORDS = rf"\b{_NW}(?:(?:\s+and\s+|\s*-\s*|\s+){_NW})*\b"

# Thousands separators first, so "1,200,000" is one number; "120.000" is the
# European way of writing 120 thousand; a lone "2,5" is a European decimal.
_NUMERIC = (
    r"(?<![\w.,/])"
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![\d]|[.,]\d)"
)
_SCALE_WORD = r"(?:\s+(?:million|billion|thousand)\b)"

# One number expression: "three (3)", "30 (thirty)", "5,000,000", "5 million", "five million".
_NUMBER = re.compile(
    rf"(?P<wp>(?P<w1>{_WORDS})\s*\(\s*(?P<n1>{_NUMERIC}(?:{_SCALE_WORD})?)\s*\))"
    rf"|(?P<pw>(?P<n2>{_NUMERIC})\s*\(\s*(?P<w2>{_WORDS})\s*\))"
    rf"|(?P<num>{_NUMERIC}{_SCALE_WORD}?)"
    rf"|(?P<words>{_WORDS})",
    re.IGNORECASE,
)


def parse_number_words(phrase: str) -> float | None:
    """'one hundred and twenty-five thousand' -> 125000.0; None if not a number phrase."""
    tokens = re.findall(r"[a-z]+", phrase.lower())
    if not tokens:
        return None
    total = 0.0
    current = 0.0
    previous = ""
    for token in tokens:
        if token == "and":
            continue
        if token in _SMALL:
            current += _SMALL[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current = 0.0
        elif token == "half":
            # "one-half" / "a half" is 0.5, not 1.5
            current = current - 1 + 0.5 if previous == "one" else current + 0.5
        else:
            return None
        previous = token
    return total + current


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: float
    decimal_reading: float | None  # "3.125" read as a decimal, when it could also be 3,125
    has_parenthetical: bool  # "three (3)": the drafter's explicit form
    digits_only: bool
    looks_like_year: bool


def _parse_numeric(raw: str) -> tuple[float, float | None]:
    """A numeral with optional scale word -> (value, alternative decimal reading)."""
    match = re.match(r"([\d.,]+)\s*(million|billion|thousand)?", raw.strip(), re.IGNORECASE)
    assert match is not None
    digits, scale = match.group(1), (match.group(2) or "").lower()
    factor = _SCALES.get(scale, 1.0)
    alternative: float | None = None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        value = float(digits.replace(",", ""))
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits) and not digits.startswith("0."):  # "0.025" is a decimal
        value = float(digits.replace(".", "").replace(",", "."))
        if digits.count(".") == 1 and "," not in digits:
            alternative = float(digits) * factor
    else:
        value = float(digits.replace(",", "."))
    return value * factor, alternative


def _numbers(text: str) -> list[_Number]:
    found: list[_Number] = []
    for m in _NUMBER.finditer(text):
        if m.group("wp"):
            value, alternative = _parse_numeric(m.group("n1"))
            found.append(_Number(m.start(), m.end(), value, alternative, True, False, False))
        elif m.group("pw"):
            value, alternative = _parse_numeric(m.group("n2"))
            found.append(_Number(m.start(), m.end(), value, alternative, True, False, False))
        elif m.group("num"):
            raw = m.group("num")
            value, alternative = _parse_numeric(raw)
            year_like = bool(re.fullmatch(r"(?:19|20)\d\d", raw))
            found.append(_Number(m.start(), m.end(), value, alternative, False, True, year_like))
        else:
            value_w = parse_number_words(m.group("words"))
            if value_w is None:
                continue
            found.append(_Number(m.start(), m.end(), value_w, None, False, False, False))
    return found


# --------------------------------------------------------------------------- currencies

# Symbols and codes written before the amount; leftmost-longest wins ("US$" over "$").
_PREFIX_CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"U\.?S\.?\s?\$", "USD"), (r"HK\$", "HKD"), (r"NZ\$", "NZD"), (r"A\$|AU\$", "AUD"),
    (r"C\$|CA\$|CDN\$", "CAD"), (r"S\$", "SGD"), (r"R\$", "BRL"), (r"\$", "USD"),
    (r"€", "EUR"), (r"£", "GBP"), (r"¥", "JPY"), (r"₹", "INR"),
    (r"\bUSD", "USD"), (r"\bEUR", "EUR"), (r"\bGBP", "GBP"), (r"\bJPY", "JPY"), (r"\bCHF", "CHF"),
    (r"\bCAD", "CAD"), (r"\bAUD", "AUD"), (r"\bCNY", "CNY"), (r"\bRMB", "CNY"), (r"\bINR", "INR"),
    (r"\bHKD", "HKD"), (r"\bSGD", "SGD"), (r"\bNZD", "NZD"), (r"\bSEK", "SEK"), (r"\bNOK", "NOK"),
    (r"\bDKK", "DKK"), (r"\bRs\.?", "INR"),
)
_PREFIX = re.compile(
    r"(?:%s)\s?\Z" % "|".join(f"(?P<p{i}>{rx})" for i, (rx, _) in enumerate(_PREFIX_CURRENCIES))
)

# Currency words written after the amount. "pounds" alone is often weight, so
# sterling needs "sterling", "British" or "GBP".
_SUFFIX_CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"(?:U\.?S\.?|United\s+States|American)\s+dollars?", "USD"),
    (r"Canadian\s+dollars?", "CAD"), (r"Australian\s+dollars?", "AUD"),
    (r"Hong\s+Kong\s+dollars?", "HKD"), (r"Singapore\s+dollars?", "SGD"),
    (r"New\s+Zealand\s+dollars?", "NZD"), (r"dollars?", "USD"),
    (r"euros?", "EUR"), (r"(?:British\s+)?pounds?\s+sterling|British\s+pounds?|sterling", "GBP"),
    (r"(?:Japanese\s+)?yen", "JPY"), (r"Swiss\s+francs?", "CHF"),
    (r"(?:Chinese\s+)?(?:yuan|renminbi)", "CNY"), (r"(?:Indian\s+)?rupees?", "INR"),
    (r"USD", "USD"), (r"EUR", "EUR"), (r"GBP", "GBP"), (r"JPY", "JPY"), (r"CHF", "CHF"),
    (r"CAD", "CAD"), (r"AUD", "AUD"), (r"CNY|RMB", "CNY"), (r"INR", "INR"), (r"HKD", "HKD"),
    (r"SGD", "SGD"),
)
_SUFFIX = re.compile(
    r"\s*(?:%s)\b" % "|".join(f"(?P<s{i}>{rx})" for i, (rx, _) in enumerate(_SUFFIX_CURRENCIES)),
    re.IGNORECASE,
)
# "EUR 2.5m", "$1.2bn", "$500k": short scales only count right after a currency amount.
_SHORT_SCALE = re.compile(r"(?:(?P<tight>m|k|b)|\s?(?P<loose>mn|mln|mio\.?|bn|mm))(?![A-Za-z])")
_SHORT_SCALES = {"m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "mio.": 1e6, "mm": 1e6, "k": 1e3, "b": 1e9, "bn": 1e9}

_PERCENT = re.compile(r"\s?(?:%|percent\b|per\s+cent\b|per-cent\b|pct\.?)", re.IGNORECASE)

_DURATION_UNITS = {
    "hour": "hours", "day": "days", "week": "weeks", "month": "months", "quarter": "quarters",
    "year": "years",
}
_DURATION = re.compile(
    r"(?:\s*-\s*|\s+)"
    r"(?P<mods>(?:(?:additional|consecutive|successive|full|further|calendar|business|working|"
    r"banking|renewal|extended|subsequent)\s+){0,2})"
    r"(?P<unit>hour|day|week|month|quarter|year)s?\b(?!\s+of\s+age)",
    re.IGNORECASE,
)
_PERPETUAL = re.compile(r"(?<![\w-])(?:in\s+perpetuity|perpetuity|perpetual(?:ly)?)\b", re.IGNORECASE)

_INSTALMENTS = re.compile(
    r"\s+(?:(?:equal|consecutive|successive|monthly|quarterly|annual|semi-annual|yearly|weekly|"
    r"periodic|regular)\s+){0,3}(?:instal(?:l)?ments?|payments)\b",
    re.IGNORECASE,
)
# One line break at most: a number at the end of a table row is not a count of
# whatever heads the next block. Up to two modifiers ("two (2) separate
# agreements") sit between the number and the noun counted.
_COUNT_NOUN = re.compile(
    r"(?:[ \t]+|[ \t]*\n[ \t]*)"
    r"(?:(?:separate|additional|consecutive|successive|equal|other|more|different|independent|"
    r"full|new|total|distinct|individual|original|identical|unique|qualified|such)\s+){0,2}"
    r"(?P<noun>[A-Za-z][A-Za-z-]*[A-Za-z])\b"
)
_COMPOUND_TAIL = re.compile(r" (?P<noun>[a-z][a-z-]*[a-z](?<![su]s)(?<!is)s)\b")
_COUNT_STOPWORDS = frozenset(
    """of or and to the a an in on at by for from with as is are be was were that this these those
    which who such per plus times than then hereof hereto hereunder thereof each any all other et
    percent pct cent dollars dollar euros euro pounds sterling yen million billion thousand hundred
    hours hour days day weeks week months month quarters quarter years year minutes seconds
    business calendar working shall will may must not no below above after before within during
    until through following prior above thereafter hereafter pm am p.m a.m st nd rd th""".split()
)
_REFERENCE_BEFORE = re.compile(
    r"(?:section|sections|article|articles|exhibit|schedule|annex|appendix|clause|clauses|paragraph|"
    r"paragraphs|item|part|rule|form|page|pages|no\.|nos\.|§|title|chapter|step|phase|tier|level|"
    r"year|years|version|release|room|suite|floor|unit|route|highway|box)\s*\Z",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- dates

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>%s)\.?" % "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
_DAY_WORD = (
    r"(?P<dayword>(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|%s)" % "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_PATTERNS = (
    # January 1, 2025 / Jan. 1st, 2025 / July 11 , 2006
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}\b", re.IGNORECASE),
    # 1 January 2025 / 15th day of March, 2024 / 1st of June 2024
    re.compile(rf"\b{_DAY}\s+(?:day\s+of\s+|of\s+)?{_MONTH}\s*,?\s*{_YEAR}\b", re.IGNORECASE),
    # the first day of January, 2025
    re.compile(rf"\b{_DAY_WORD}\s+(?:day\s+of\s+)?{_MONTH}\s*,?\s*{_YEAR}\b", re.IGNORECASE),
    # 2025-01-01
    re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?![\d-])"),
    # 01/15/2024 (US order unless the first number cannot be a month)
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?![\d/])"),
)

# --------------------------------------------------------------------------- extraction

_RANK = {"date": 0, "money": 1, "percent": 2, "duration": 3, "count": 4}


@dataclass(frozen=True)
class _Candidate:
    kind: str
    amount: float | None
    unit: str
    start: int
    end: int
    iso: str = ""
    explicit_currency: bool = False


def extract_values(text: str, offset: int = 0) -> list[Value]:
    """Every value stated in ``text``, in order; spans are ``offset``-shifted.

    ``offset`` is where ``text`` starts in the caller's document, so a clause
    can be scanned on its own and still report document offsets:
    ``document.text[v.start:v.end] == v.text`` for every value.
    """
    candidates = _dates(text)
    numbers = _numbers(text)
    candidates += _merge_restatements(_money(text, numbers), text)
    candidates += _merge_restatements(_percents(text, numbers), text)
    candidates += _durations(text, numbers)
    candidates += _counts(text, numbers)
    chosen = _resolve_overlaps(candidates)
    return [
        Value(
            kind=c.kind,
            amount=c.amount,
            unit=c.unit,
            text=text[c.start:c.end],
            start=c.start + offset,
            end=c.end + offset,
            iso=c.iso,
        )
        for c in chosen
    ]


def to_years(value: Value) -> float:
    """A duration in years (``inf`` for perpetual); ``ValueError`` for anything else.

    Months are twelfths and days 1/365 of a year; business days count five a week.
    """
    per_year = {
        "years": 1.0, "quarters": 4.0, "months": 12.0, "weeks": 52.0, "days": 365.0,
        "business days": 260.0, "hours": 8760.0,
    }
    if value.kind != "duration" or value.amount is None or value.unit not in per_year:
        raise ValueError(f"not a duration with a known unit: {value.kind} {value.unit!r}")
    if math.isinf(value.amount):
        return math.inf
    return value.amount / per_year[value.unit]


def _dates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            year = int(groups["year"])
            if groups.get("a"):
                first, second = int(groups["a"]), int(groups["b"])
                month, day = (first, second) if first <= 12 else (second, first)
            else:
                month = _MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["mnum"])
                if groups.get("dayword"):
                    day = _ordinal_word(groups["dayword"])
                else:
                    day = int(groups["day"])
            try:
                iso = _dt.date(year, month, day).isoformat()
            except ValueError:
                continue  # "February 30" is not a date, whatever the pattern says
            out.append(_Candidate("date", None, "date", m.start(), m.end(), iso=iso))
    return out


def _ordinal_word(phrase: str) -> int:
    parts = re.split(r"[\s-]+", phrase.lower())
    if len(parts) == 2:
        return (20 if parts[0] == "twenty" else 30) + _ORDINAL_WORDS[parts[1]]
    return _ORDINAL_WORDS[parts[0]]


def _money(text: str, numbers: list[_Number]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for n in numbers:
        prefix = _PREFIX.search(text, max(0, n.start - 8), n.start)
        if prefix is not None:
            index = next(i for i in range(len(_PREFIX_CURRENCIES)) if prefix.group(f"p{i}"))
            code = _PREFIX_CURRENCIES[index][0]
            currency = _PREFIX_CURRENCIES[index][1]
            amount, end = n.value, n.end
            if code == r"\$" and n.decimal_reading is not None:
                amount = n.decimal_reading  # "$31.636": a bare "$" follows US usage, "." is the decimal point
            if n.digits_only and not re.search(r"(?:million|billion|thousand)\Z", text[n.start:n.end], re.I):
                scale = _SHORT_SCALE.match(text, n.end)
                if scale is not None:
                    word = (scale.group("tight") or scale.group("loose")).lower()
                    amount, end = n.value * _SHORT_SCALES[word], scale.end()
            suffix = _SUFFIX.match(text, end)
            if suffix is not None and _suffix_code(suffix) == currency:
                end = suffix.end()  # "$5,000,000 USD": one span
            out.append(_Candidate("money", amount, currency, prefix.start(), end,
                                  explicit_currency=code != r"\$"))
            continue
        suffix = _SUFFIX.match(text, n.end)
        if suffix is not None and not n.looks_like_year:
            matched = suffix.group(0).strip().lower()
            out.append(_Candidate("money", n.value, _suffix_code(suffix), n.start, suffix.end(),
                                  explicit_currency=not re.fullmatch(r"dollars?", matched)))
    return out


def _suffix_code(match: re.Match[str]) -> str:
    index = next(i for i in range(len(_SUFFIX_CURRENCIES)) if match.group(f"s{i}"))
    return _SUFFIX_CURRENCIES[index][1]


def _percents(text: str, numbers: list[_Number]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for n in numbers:
        m = _PERCENT.match(text, n.end)
        if m is None:
            continue
        amount = n.value
        if n.decimal_reading is not None and amount > 100:
            amount = n.decimal_reading  # "3.125%" is three and an eighth percent
        out.append(_Candidate("percent", amount, "percent", n.start, m.end()))
    return out


def _durations(text: str, numbers: list[_Number]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for n in numbers:
        m = _DURATION.match(text, n.end)
        if m is None or n.looks_like_year:
            continue
        unit = _DURATION_UNITS[m.group("unit").lower()]
        if unit == "days" and re.search(r"\b(?:business|working|banking)\b", m.group("mods"), re.I):
            unit = "business days"
        out.append(_Candidate("duration", n.value, unit, n.start, m.end()))
    for m in _PERPETUAL.finditer(text):
        out.append(_Candidate("duration", math.inf, "years", m.start(), m.end()))
    return out


def _counts(text: str, numbers: list[_Number]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for n in numbers:
        if n.looks_like_year or _REFERENCE_BEFORE.search(text, max(0, n.start - 12), n.start):
            continue
        instalments = _INSTALMENTS.match(text, n.end)
        if instalments is not None:
            out.append(_Candidate("count", n.value, "instalments", n.start, instalments.end()))
            continue
        m = _COUNT_NOUN.match(text, n.end)
        if m is None:
            continue
        noun = m.group("noun")
        lowered = noun.lower()
        if lowered in _COUNT_STOPWORDS:
            continue
        plural = lowered.endswith("s") and not lowered.endswith(("ss", "us", "is"))
        if not (n.has_parenthetical or plural):
            continue
        if n.digits_only and n.value >= 100 and "," not in text[n.start:n.end] and noun[0].isupper():
            continue  # "419 Westroads", "530 Waters Edge": street addresses, not counts
        if n.value != int(n.value) or n.value < 0:
            continue
        end = m.end()
        compound = _COMPOUND_TAIL.match(text, end)  # "42 news publishers": count the publishers
        if compound is not None and compound.group("noun") not in _COUNT_STOPWORDS:
            lowered, end = f"{lowered} {compound.group('noun')}", compound.end()
        out.append(_Candidate("count", n.value, lowered, n.start, end))
    return out


def _merge_restatements(values: list[_Candidate], text: str) -> list[_Candidate]:
    """"five million dollars (US$5,000,000)" and "15% (fifteen percent)" -> one value.

    Two values of the same kind where the second sits alone in parentheses right
    after the first and states the same amount are one statement.
    """
    values = sorted(values, key=lambda c: (c.start, -c.end))
    merged: list[_Candidate] = []
    i = 0
    while i < len(values):
        current = values[i]
        if i + 1 < len(values):
            following = values[i + 1]
            opening = re.fullmatch(r"\s*\(\s*", text[current.end:following.start])
            closing = re.match(r"\s*\)", text[following.end:])
            if opening and closing and _same_amount(current, following):
                unit = following.unit if following.explicit_currency or not current.explicit_currency else current.unit
                merged.append(replace(
                    current, unit=unit, end=following.end + closing.end(),
                    explicit_currency=current.explicit_currency or following.explicit_currency,
                ))
                i += 2
                continue
        merged.append(current)
        i += 1
    return merged


def _same_amount(a: _Candidate, b: _Candidate) -> bool:
    if a.amount is None or b.amount is None:
        return False
    return math.isclose(a.amount, b.amount, rel_tol=1e-9, abs_tol=1e-9)


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the strongest reading of each stretch of text.

    Dates beat money beats percent beats duration beats count ("January 1, 2025"
    is not a count of 1), and among equals the longer span wins, so a merged
    restatement beats its parts.
    """
    ordered = sorted(candidates, key=lambda c: (_RANK[c.kind], -(c.end - c.start), c.start))
    taken: list[_Candidate] = []
    for candidate in ordered:
        if any(candidate.start < t.end and t.start < candidate.end for t in taken):
            continue
        taken.append(candidate)
    return sorted(taken, key=lambda c: (c.start, c.end))
