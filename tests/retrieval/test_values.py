"""Value extraction: a table of real phrasings (many verbatim from CUAD) and span invariants."""

from __future__ import annotations

import json
import math
import random
from itertools import islice
from pathlib import Path

import pytest

from core.domain import Value
from retrieval.values import extract_values, parse_number_words, to_years

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
INF = math.inf

# (source, [(kind, amount, unit, exact span)]) - the complete list of values expected.
# Phrases marked CUAD are copied verbatim from clause texts in cuad_train.jsonl.
CASES: list[tuple[str, list[tuple[str, float | None, str, str]]]] = [
    # money
    ("The fee is USD 120.000 payable on signing.", [("money", 120_000, "USD", "USD 120.000")]),
    ("Licensee shall pay $5 million per year.", [("money", 5_000_000, "USD", "$5 million")]),
    ("pay five million dollars (US$5,000,000) on signing",
     [("money", 5_000_000, "USD", "five million dollars (US$5,000,000)")]),
    ("a fee of EUR 2.5m", [("money", 2_500_000, "EUR", "EUR 2.5m")]),
    ("a fee of £300,000", [("money", 300_000, "GBP", "£300,000")]),
    ("3,000,000 US Dollars", [("money", 3_000_000, "USD", "3,000,000 US Dollars")]),
    ("Five Million Dollars ($5,000,000)", [("money", 5_000_000, "USD", "Five Million Dollars ($5,000,000)")]),
    ("$2,000,000 (two million dollars)", [("money", 2_000_000, "USD", "$2,000,000 (two million dollars)")]),
    ("at €1.2bn and $500k", [("money", 1.2e9, "EUR", "€1.2bn"), ("money", 500_000, "USD", "$500k")]),
    ("one hundred and twenty-five thousand dollars",
     [("money", 125_000, "USD", "one hundred and twenty-five thousand dollars")]),
    ("up to the greater of $100,000 or the charges paid by Customer",  # CUAD
     [("money", 100_000, "USD", "$100,000")]),
    ("a minimum of $52,000,000 of Cards", [("money", 52_000_000, "USD", "$52,000,000")]),  # CUAD
    ("in an amount no less than $2,000,000", [("money", 2_000_000, "USD", "$2,000,000")]),  # CUAD
    ("shall not exceed U.S.$10,000,000.", [("money", 10_000_000, "USD", "U.S.$10,000,000")]),  # CUAD
    ("An amount of one million dollars ($1,000,000) within thirty (30) days after",  # CUAD
     [("money", 1_000_000, "USD", "one million dollars ($1,000,000)"),
      ("duration", 30, "days", "thirty (30) days")]),
    ("pay OntoChem 100,002 Euros in six (6) equal installments",  # CUAD
     [("money", 100_002, "EUR", "100,002 Euros"), ("count", 6, "instalments", "six (6) equal installments")]),
    ("Year 4 $[*****]", []),  # CUAD: redacted amounts are not values
    # percentages
    ("a royalty of 15% of Net Revenue", [("percent", 15, "percent", "15%")]),
    ("fifteen percent (15%) of Net Revenue", [("percent", 15, "percent", "fifteen percent (15%)")]),
    ("which shall be equal to fifty (50)% of Retail", [("percent", 50, "percent", "fifty (50)%")]),  # CUAD
    ("less than a 5% beneficial interest", [("percent", 5, "percent", "5%")]),  # CUAD
    ("a service fee equal to fifty percent (50%) of the product of",  # CUAD
     [("percent", 50, "percent", "fifty percent (50%)")]),
    ("the lesser of one and one-half percent (1- 1/2%) per month",  # CUAD
     [("percent", 1.5, "percent", "one and one-half percent")]),
    ("interest at 3.125% per annum", [("percent", 3.125, "percent", "3.125%")]),
    ("[*] percent ([*]%)", []),  # CUAD
    # durations
    ("for a term of three (3) years", [("duration", 3, "years", "three (3) years")]),
    ("within ninety (90) days", [("duration", 90, "days", "ninety (90) days")]),
    ("at least ninety (90) days prior to the end of the initial Services Term",  # CUAD
     [("duration", 90, "days", "ninety (90) days")]),
    ("For two (2) years following the Effective Time", [("duration", 2, "years", "two (2) years")]),  # CUAD
    ("within 180 days prior to any Renewal Term", [("duration", 180, "days", "180 days")]),  # CUAD
    ("at least forty-five (45) calendar days prior written",  # CUAD
     [("duration", 45, "days", "forty-five (45) calendar days")]),
    ("one hundred eighty (180) days' written notice to Aucta",  # CUAD
     [("duration", 180, "days", "one hundred eighty (180) days")]),
    ("through the one hundred and eighty (180) days following",  # CUAD
     [("duration", 180, "days", "one hundred and eighty (180) days")]),
    ("initial term of one (1) years (Initial Term)", [("duration", 1, "years", "one (1) years")]),  # CUAD
    ("will be twelve (12) months", [("duration", 12, "months", "twelve (12) months")]),  # CUAD
    ("upon seventy-two (72) hours written notice", [("duration", 72, "hours", "seventy-two (72) hours")]),  # CUAD
    ("within seven (7) business days upon written request",  # CUAD
     [("duration", 7, "business days", "seven (7) business days")]),
    ("shall be for 3 years", [("duration", 3, "years", "3 years")]),  # CUAD
    ("a 30-day cure period and a five-year term",
     [("duration", 30, "days", "30-day"), ("duration", 5, "years", "five-year")]),
    ("License Term Perpetual, unlimited runs", [("duration", INF, "years", "Perpetual")]),  # CUAD
    ("shall survive and become perpetual and irrevocable", [("duration", INF, "years", "perpetual")]),  # CUAD
    ("a perpetual, irrevocable limited license", [("duration", INF, "years", "perpetual")]),  # CUAD
    ("the licence continues in perpetuity", [("duration", INF, "years", "in perpetuity")]),
    ("a non-perpetual licence", []),
    # counts
    ("payable in 12 equal monthly instalments", [("count", 12, "instalments", "12 equal monthly instalments")]),
    ("forty-two (42) publishers", [("count", 42, "publishers", "forty-two (42) publishers")]),
    ("a corpus of 1,200,000 articles", [("count", 1_200_000, "articles", "1,200,000 articles")]),
    ("up to 2,445,223 shares (subject to", [("count", 2_445_223, "shares", "2,445,223 shares")]),  # CUAD
    ("the two (2) arbitrators so appointed",  # CUAD
     [("count", 2, "arbitrators", "two (2) arbitrators")]),
    ("as set out in Section 5 publishers list", []),
    ("a collective of forty-two (42) news publishers", [("count", 42, "news publishers", "forty-two (42) news publishers")]),
    ("two (2) copies within ten (10) days",
     [("count", 2, "copies", "two (2) copies"), ("duration", 10, "days", "ten (10) days")]),
]

DATE_CASES: list[tuple[str, str, str]] = [
    ("effective January 1, 2025.", "January 1, 2025", "2025-01-01"),
    ("effective 1 January 2025.", "1 January 2025", "2025-01-01"),
    ("effective 2025-01-01.", "2025-01-01", "2025-01-01"),
    ("made the 15th day of March, 2024 by", "15th day of March, 2024", "2024-03-15"),
    ("made as of July 11 , 2006 (the", "July 11 , 2006", "2006-07-11"),  # the Euromedia PDF's spacing
    ("Commencing: November 15, 2012", "November 15, 2012", "2012-11-15"),  # CUAD
    ("on the first day of June, 2023", "first day of June, 2023", "2023-06-01"),
    ("signed Sept. 30, 2019", "Sept. 30, 2019", "2019-09-30"),
    ("filed 3/21/2018 with", "3/21/2018", "2018-03-21"),
]


def _shape(values: list[Value]) -> list[tuple[str, float | None, str, str]]:
    return [(v.kind, v.amount, v.unit, v.text) for v in values]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_values_table(source: str, expected: list[tuple[str, float | None, str, str]]) -> None:
    values = extract_values(source)
    got = _shape(values)
    assert [(k, u, t) for k, _, u, t in got] == [(k, u, t) for k, _, u, t in expected]
    for (_, amount, _, _), (_, want, _, _) in zip(got, expected):
        assert amount == pytest.approx(want)
    for value in values:
        assert source[value.start:value.end] == value.text


@pytest.mark.parametrize(("source", "span", "iso"), DATE_CASES, ids=[c[1] for c in DATE_CASES])
def test_dates(source: str, span: str, iso: str) -> None:
    values = extract_values(source)
    assert [(v.kind, v.text, v.iso, v.unit, v.amount) for v in values] == [("date", span, iso, "date", None)]


def test_impossible_dates_are_not_dates() -> None:
    assert [v for v in extract_values("due February 30, 2024 or 13/13/2024") if v.kind == "date"] == []


def test_offset_shifts_spans_into_the_callers_text() -> None:
    document = "Preamble.\nThe Licensee shall pay five million dollars (US$5,000,000) within ninety (90) days."
    start = document.index("The Licensee")
    values = extract_values(document[start:], offset=start)
    assert [v.kind for v in values] == ["money", "duration"]
    for value in values:
        assert document[value.start:value.end] == value.text


def test_to_years() -> None:
    def duration(amount: float, unit: str) -> Value:
        return Value("duration", amount, unit, "", 0, 0)

    assert to_years(duration(3, "years")) == 3
    assert to_years(duration(18, "months")) == pytest.approx(1.5)
    assert to_years(duration(365, "days")) == pytest.approx(1.0)
    assert to_years(duration(26, "weeks")) == pytest.approx(0.5)
    assert to_years(duration(260, "business days")) == pytest.approx(1.0)
    assert to_years(extract_values("in perpetuity")[0]) == math.inf
    with pytest.raises(ValueError):
        to_years(extract_values("$5 million")[0])


@pytest.mark.parametrize(
    ("phrase", "number"),
    [("forty-two", 42), ("one hundred and twenty-five thousand", 125_000), ("two and one-half", 2.5),
     ("one million two hundred thousand", 1_200_000), ("ninety", 90), ("not a number", None)],
)
def test_parse_number_words(phrase: str, number: float | None) -> None:
    assert parse_number_words(phrase) == number


def test_every_span_is_the_source_slice_on_cuad_clauses() -> None:
    """Property: on real clause texts at their real offsets, spans slice the contract exactly."""
    path = DATA / "cuad" / "cuad_train.jsonl"
    checked = 0
    kinds: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for record in map(json.loads, islice(handle, 60)):
            text = record["text"]
            for clause in record["clauses"]:
                start = clause["answer_start"]
                end = start + len(clause["answer_text"])
                values = extract_values(text[start:end], offset=start)
                previous_end = start
                for value in values:
                    assert text[value.start:value.end] == value.text
                    assert previous_end <= value.start < value.end <= end  # ordered, disjoint, inside
                    previous_end = value.end
                    kinds.add(value.kind)
                    checked += 1
    assert checked > 300
    assert kinds == {"money", "percent", "duration", "date", "count"}


def test_every_span_is_the_source_slice_on_random_text() -> None:
    """Property: random mixtures of contract fragments never break the span invariant."""
    fragments = [
        "$5,000,000", "(", ")", "five million dollars", "US$", "EUR 2.5m", "15%", "fifteen percent",
        "three (3) years", "ninety", "(90)", "days", "January 1, 2025", "2025-01-01", "the 15th day of",
        "March, 2024", "perpetual", "12 equal monthly instalments", "forty-two (42) publishers",
        "1.200.000", "1,200", "articles", "Section 5", "£", "€", "—", "\r\n", "\n\n", "  ", "and", ";",
        "one-half", "per cent", "30-day", "[***]", "k", "m", "bn", "0", "9", ".", ",",
    ]
    rng = random.Random(20240601)
    for _ in range(400):
        source = " ".join(rng.choice(fragments) for _ in range(rng.randint(1, 25)))
        prefix = "x" * rng.randint(0, 5)
        values = extract_values(source, offset=len(prefix))
        whole = prefix + source
        for value in values:
            assert whole[value.start:value.end] == value.text
            assert value.kind in {"money", "percent", "duration", "date", "count"}
            assert value.amount is None or value.amount >= 0
