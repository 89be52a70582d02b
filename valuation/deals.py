"""The public AI data-deals table: load, validate, normalise to a yearly value.

Why a strict loader: the table is hand-compiled from press reports, so a typo
(a "$" in a number, an unknown basis) would silently move a valuation. Every
problem raises :class:`core.errors.DealsTableError` naming the deal and column,
and nothing is returned until the whole file validates.

Normalisation keeps what the source says and no more:

* ``per_year``: the yearly value as reported (a range stays a range).
* ``total_over_term``: divided by ``term_years``; without a term it is kept as
  a total and *not* annualised.
* ``first_year``: the first year's value, used as a yearly value with a note.
* ``total_deal``: a total without a stated term, kept as a total (not yearly).
* per-unit bases (per title, photo, image, work): kept as per-unit anchors.
* ``undisclosed`` / ``unquantified``: no value.

Rate cards, offers, revenue-share programmes, aggregate disclosures and
settlements are parsed like licences but labelled by ``record_type`` so that
callers keep them apart from signed licences.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from core.errors import DealsTableError
from core.paths import DEALS_CSV, FX_RATES

DEFAULT_DEALS_PATH = DEALS_CSV
DEFAULT_FX_PATH = FX_RATES

REQUIRED_COLUMNS: tuple[str, ...] = (
    "deal_id", "record_type", "licensor", "licensee", "announced", "sector", "data_type",
    "value_currency", "value_low", "value_high", "value_basis", "value_as_reported",
    "term_years", "term_as_reported", "use_training", "use_display_rag", "attribution_links",
    "exclusivity", "notable_terms", "confidence", "source_url", "supporting_quote",
)

RECORD_TYPES: tuple[str, ...] = (
    "licence", "licence_group", "aggregate_disclosure", "rate_card", "rate_card_in_negotiation",
    "reported_offer_range", "revenue_share_program", "settlement_not_licence",
)
#: Record types that are signed licences: the only ones used as yearly comparables.
LICENCE_TYPES: tuple[str, ...] = ("licence", "licence_group")

#: Basis kinds (the first token of ``value_basis``) and what they mean.
BASIS_KINDS: tuple[str, ...] = (
    "per_year", "total_over_term", "first_year", "total_deal", "per_title", "per_photo",
    "per_image", "per_work", "per_word", "initial_pool", "undisclosed", "unquantified",
)
PER_UNIT_BASES = {"per_title": "book", "per_work": "book", "per_photo": "image",
                  "per_image": "image", "per_word": "word"}
UNIT_SYNONYMS = {"title": "book", "book": "book", "work": "book", "photo": "image",
                 "image": "image", "word": "word", "video": "video", "minute": "video_minute"}

#: Weight of a row by source confidence: company filings count fully, press
#: estimates from unnamed sources are weighted down.
CONFIDENCE_WEIGHTS = {"high": 1.0, "medium-high": 0.75, "medium": 0.5, "low": 0.25}

_ANCHOR_RE = re.compile(
    r"\$\s?([0-9][0-9,]*(?:\.[0-9]+)?)(?:\s*(?:-|to)\s*\$?\s?([0-9][0-9,]*(?:\.[0-9]+)?))?"
    r"\s*(?:/|per|for each|each)\s*(?:[a-z]+\s+)?(word|image|photo|title|book|work|video|minute)s?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FxRates:
    """Fixed exchange rates (USD per unit of currency) with their date and source."""

    usd_per_unit: dict[str, float]
    date: str
    source: str

    def to_usd(self, amount: float, currency: str) -> float:
        return amount * self.usd_per_unit[currency]


@dataclass(frozen=True)
class UnitAnchor:
    """A price per unit (book, image, word, ...) stated by a source."""

    unit: str
    low_usd: float
    high_usd: float
    term_years: float | None
    text: str


@dataclass(frozen=True)
class Deal:
    """One validated, normalised row of the deals table (money in USD)."""

    deal_id: str
    record_type: str
    licensor: str
    licensee: str
    announced: str
    year: int
    sector: str
    data_type: str
    currency: str
    value_low: float | None
    value_high: float | None
    value_basis: str
    basis: str
    term_years: float | None
    use_training: str
    use_display_rag: str
    confidence: str
    confidence_level: str
    weight: float
    press_estimate: bool
    yearly_low_usd: float | None
    yearly_high_usd: float | None
    total_low_usd: float | None
    total_high_usd: float | None
    anchors: tuple[UnitAnchor, ...]
    notes: tuple[str, ...]
    source_url: str
    value_as_reported: str
    raw: dict[str, str] = field(repr=False, compare=False, default_factory=dict)

    @property
    def is_licence(self) -> bool:
        return self.record_type in LICENCE_TYPES

    @property
    def has_yearly(self) -> bool:
        return self.yearly_low_usd is not None

    @property
    def yearly_mid_usd(self) -> float | None:
        """Geometric midpoint of the yearly range (values span orders of magnitude)."""
        if self.yearly_low_usd is None:
            return None
        return math.sqrt(self.yearly_low_usd * (self.yearly_high_usd or self.yearly_low_usd))


def load_fx(path: str | Path = DEFAULT_FX_PATH, overrides: dict[str, float] | None = None) -> FxRates:
    """Fixed FX rates from ``fx_rates.json``; ``overrides`` (USD per unit) win."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        rates = {str(k).upper(): float(v) for k, v in data["usd_per_unit"].items()}
        date, source = str(data["date"]), str(data["source"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DealsTableError(path, f"cannot read exchange rates ({exc})") from exc
    for cur, rate in (overrides or {}).items():
        if not rate or rate <= 0:
            raise DealsTableError(f"fx override {cur}", "rate must be a positive number")
        rates[cur.upper()] = float(rate)
    return FxRates(rates, date, source + (f"; overridden: {sorted(overrides)}" if overrides else ""))


def load_deals(source: str | Path | bytes | None = None, fx: FxRates | None = None) -> tuple[Deal, ...]:
    """Validate and normalise the whole table; raise on the first bad field."""
    source = DEFAULT_DEALS_PATH if source is None else source
    fx = fx or load_fx()
    if isinstance(source, bytes):
        text, name = source.decode("utf-8-sig"), "deals table"
    else:
        try:
            text, name = Path(source).read_text(encoding="utf-8-sig"), str(source)
        except OSError as exc:
            raise DealsTableError(source, f"cannot read ({exc.strerror or exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for col in REQUIRED_COLUMNS:
        if col not in header:
            raise DealsTableError(f"{name}, column {col}", "missing column")
    deals, seen = [], set()
    for line_no, row in enumerate(reader, start=2):
        deal_id = (row.get("deal_id") or "").strip() or f"line {line_no}"
        if deal_id in seen:
            raise DealsTableError(f"deal {deal_id}, column deal_id", "duplicate deal id")
        seen.add(deal_id)
        deals.append(_parse_row(deal_id, {k: (v or "").strip() for k, v in row.items() if k}, fx))
    if not deals:
        raise DealsTableError(name, "no rows")
    return tuple(deals)


def _fail(deal_id: str, column: str, reason: str) -> DealsTableError:
    return DealsTableError(f"deal {deal_id}, column {column}", reason)


def _number(deal_id: str, row: dict[str, str], column: str) -> float | None:
    text = row[column]
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise _fail(deal_id, column, f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise _fail(deal_id, column, f"must be a non-negative finite number, got {text!r}")
    return value


def _parse_row(deal_id: str, row: dict[str, str], fx: FxRates) -> Deal:
    record_type = row["record_type"]
    if record_type not in RECORD_TYPES:
        raise _fail(deal_id, "record_type", f"unknown record type {record_type!r}")
    m = re.fullmatch(r"(\d{4})-(\d{2})", row["announced"])
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise _fail(deal_id, "announced", f"expected YYYY-MM, got {row['announced']!r}")
    low, high = _number(deal_id, row, "value_low"), _number(deal_id, row, "value_high")
    term = _number(deal_id, row, "term_years")
    if term == 0:
        raise _fail(deal_id, "term_years", "a term of 0 years cannot be annualised")
    if low is not None and high is not None and high < low:
        raise _fail(deal_id, "value_high", f"{high} is below value_low {low}")
    currency = row["value_currency"].upper()
    if currency and currency not in fx.usd_per_unit:
        raise _fail(deal_id, "value_currency", f"unknown currency {currency!r} (not in fx_rates.json)")
    if (low is not None or high is not None) and not currency:
        raise _fail(deal_id, "value_currency", "a value is given without a currency")
    basis = re.split(r"[\s(]", row["value_basis"], maxsplit=1)[0].strip()
    if basis not in BASIS_KINDS:
        raise _fail(deal_id, "value_basis", f"unknown basis {row['value_basis']!r}")
    conf_text = row["confidence"]
    level = next((lv for lv in sorted(CONFIDENCE_WEIGHTS, key=len, reverse=True)
                  if conf_text.lower().startswith(lv)), None)
    if level is None:
        raise _fail(deal_id, "confidence", f"must start with one of {sorted(CONFIDENCE_WEIGHTS)}, got {conf_text!r}")
    press = level != "high" or "estimate" in conf_text.lower()

    to_usd = (lambda v: None if v is None else fx.to_usd(v, currency))
    low_usd = to_usd(low)
    high_usd = to_usd(high) if high is not None else None
    notes: list[str] = []
    if high is None and low is not None:
        notes.append("lower bound only (source says 'at least' / 'more than' or gives one figure)")
    if currency and currency != "USD" and low is not None:
        notes.append(f"converted from {currency} at {fx.usd_per_unit[currency]} USD ({fx.date})")
    yearly_low = yearly_high = total_low = total_high = None
    if basis == "per_year":
        yearly_low, yearly_high = low_usd, high_usd
    elif basis == "first_year":
        yearly_low, yearly_high = low_usd, high_usd
        if low is not None:
            notes.append("first-year value used as the yearly value")
    elif basis == "total_over_term":
        total_low, total_high = low_usd, high_usd
        if term and low_usd is not None:
            yearly_low = low_usd / term
            yearly_high = high_usd / term if high_usd is not None else None
            notes.append(f"total over term / {term:g} years")
        elif low_usd is not None:
            notes.append("total over an unstated term: not annualised")
    elif basis in ("total_deal", "initial_pool"):
        total_low, total_high = low_usd, high_usd
        if low_usd is not None:
            notes.append("total without a stated term: kept as a total, not annualised")
    elif basis in ("undisclosed", "unquantified"):
        if low is not None:
            raise _fail(deal_id, "value_basis", f"basis {basis!r} but a value is given")
    if low is None and basis not in ("undisclosed", "unquantified"):
        notes.append("no figure in the value columns")
    anchors = _anchors(deal_id, row, basis, low_usd, high_usd, term, fx, currency or "USD")
    return Deal(
        deal_id=deal_id, record_type=record_type, licensor=row["licensor"], licensee=row["licensee"],
        announced=row["announced"], year=int(m.group(1)), sector=row["sector"], data_type=row["data_type"],
        currency=currency, value_low=low, value_high=high, value_basis=row["value_basis"], basis=basis,
        term_years=term, use_training=row["use_training"], use_display_rag=row["use_display_rag"],
        confidence=conf_text, confidence_level=level, weight=CONFIDENCE_WEIGHTS[level], press_estimate=press,
        yearly_low_usd=yearly_low, yearly_high_usd=yearly_high, total_low_usd=total_low,
        total_high_usd=total_high, anchors=anchors, notes=tuple(notes), source_url=row["source_url"],
        value_as_reported=row["value_as_reported"], raw=row,
    )


def _anchors(deal_id: str, row: dict[str, str], basis: str, low: float | None, high: float | None,
             term: float | None, fx: FxRates, currency: str) -> tuple[UnitAnchor, ...]:
    """Per-unit prices: the row's own basis first, then any '$x per unit' in the text."""
    found: dict[str, UnitAnchor] = {}
    if basis in PER_UNIT_BASES and low is not None:
        unit = PER_UNIT_BASES[basis]
        found[unit] = UnitAnchor(unit, low, high if high is not None else low, term, row["value_basis"])
    for column in ("value_basis", "value_as_reported", "notable_terms"):
        for m in _ANCHOR_RE.finditer(row[column]):
            unit = UNIT_SYNONYMS[m.group(3).lower()]
            if unit in found:
                continue
            a = float(m.group(1).replace(",", ""))
            b = float(m.group(2).replace(",", "")) if m.group(2) else a
            found[unit] = UnitAnchor(unit, fx.to_usd(a, currency), fx.to_usd(b, currency), term, m.group(0))
    return tuple(found.values())


def group_by_record_type(deals: Iterable[Deal]) -> dict[str, list[Deal]]:
    """Deals keyed by record type, so licences never mix with price lists or settlements."""
    out: dict[str, list[Deal]] = {}
    for d in deals:
        out.setdefault(d.record_type, []).append(d)
    return out


def deal_summary(d: Deal) -> dict[str, Any]:
    """A flat, JSON-friendly view of a deal for tables and reports."""
    return {
        "deal_id": d.deal_id, "record_type": d.record_type, "licensor": d.licensor,
        "licensee": d.licensee, "announced": d.announced, "sector": d.sector, "basis": d.basis,
        "yearly_low_usd": d.yearly_low_usd, "yearly_high_usd": d.yearly_high_usd,
        "total_low_usd": d.total_low_usd, "total_high_usd": d.total_high_usd,
        "confidence": d.confidence_level, "press_estimate": d.press_estimate, "weight": d.weight,
        "notes": list(d.notes), "source_url": d.source_url,
    }
