"""The workspace deal catalogue: the public deals table plus deals entered by hand.

Why hand-entered deals go through the public table's own loader: an analyst's
figure must be normalised exactly like a reported one (currency, basis, term),
or the market view would compare yearly values with totals. So a form is
validated field by field here (the error names the form field), turned into a
one-row table in the public table's columns and parsed by
``valuation.deals.load_deals``. Every record keeps its origin (``public`` or
``hand``) so the UI and the briefing pack can say which figures an analyst
typed in.

Ingested comparable contracts are linked to a catalogue deal by deal name
(``Document.deal`` == the deal's ``deal`` field).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from core.domain import Serializable
from core.errors import DealsTableError, DeskError
from desk.audit import AuditEvent
from desk.workspace import Workspace
from valuation.deals import (
    BASIS_KINDS,
    CONFIDENCE_WEIGHTS,
    DEFAULT_DEALS_PATH,
    RECORD_TYPES,
    REQUIRED_COLUMNS,
    Deal,
    deal_summary,
    load_deals,
    load_fx,
)

ORIGIN_PUBLIC = "public"
ORIGIN_HAND = "hand"

#: Form fields an analyst must fill in, in the order the form shows them.
REQUIRED_FIELDS: tuple[str, ...] = (
    "licensor", "licensee", "announced", "value", "currency", "basis", "term", "uses", "source_url", "confidence",
)
#: Uses a deal can grant, as the form offers them.
USES: tuple[str, ...] = ("training", "display_rag")
_USE_SYNONYMS = {
    "training": "training", "train": "training", "fine_tuning": "training", "fine-tuning": "training",
    "display_rag": "display_rag", "display": "display_rag", "rag": "display_rag", "display/rag": "display_rag",
}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class DealRecord(Serializable):
    """One catalogue deal: the normalised figures, where they came from, linked contracts."""

    deal_id: str
    origin: str  # "public" | "hand"
    deal: Deal
    name: str = ""  # the deal name ingested contracts are filed under
    documents: tuple[str, ...] = ()  # ids of ingested contracts of this deal
    fields: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def hand_entered(self) -> bool:
        return self.origin == ORIGIN_HAND

    def to_dict(self) -> dict[str, Any]:
        d = self.deal
        return {
            **deal_summary(d),
            "name": self.name,
            "origin": self.origin,
            "hand_entered": self.hand_entered,
            "data_type": d.data_type,
            "year": d.year,
            "currency": d.currency,
            "value_low": d.value_low,
            "value_high": d.value_high,
            "value_basis": d.value_basis,
            "value_as_reported": d.value_as_reported,
            "term_years": d.term_years,
            "use_training": d.use_training,
            "use_display_rag": d.use_display_rag,
            "confidence_text": d.confidence,
            "documents": list(self.documents),
            "anchors": [{"unit": a.unit, "low_usd": a.low_usd, "high_usd": a.high_usd, "term_years": a.term_years, "text": a.text}
                        for a in d.anchors],
        }


def _text(fields: Mapping[str, Any], key: str, required: bool = True) -> str:
    value = fields.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DeskError(key, "required")
    return text


def _amount(fields: Mapping[str, Any], key: str) -> float | None:
    raw = fields.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).replace(",", "").replace("_", "")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise DeskError(key, f"not a number: {raw!r}") from None
    if not math.isfinite(value) or value < 0:
        raise DeskError(key, f"must be a non-negative number, got {raw!r}")
    return value


def _uses(fields: Mapping[str, Any]) -> set[str]:
    raw = fields.get("uses")
    if raw is None or raw == "" or raw == [] or raw == ():
        raise DeskError("uses", f"required: one or more of {', '.join(USES)}")
    items = re.split(r"[,;\s]+", raw) if isinstance(raw, str) else list(raw)
    uses = set()
    for item in items:
        key = str(item).strip().lower()
        if not key:
            continue
        if key not in _USE_SYNONYMS:
            raise DeskError("uses", f"unknown use {item!r}; expected {', '.join(USES)}")
        uses.add(_USE_SYNONYMS[key])
    if not uses:
        raise DeskError("uses", f"required: one or more of {', '.join(USES)}")
    return uses


def validate_fields(fields: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields as one row of the public table; refuses with the field named.

    ``value`` is satisfied by ``value_low`` (optionally ``value_high``) or by
    ``undisclosed = True``; ``basis`` and ``currency`` are needed only for a
    disclosed value. ``term`` is years (a number) or words ("multi-year").
    """
    licensor, licensee = _text(fields, "licensor"), _text(fields, "licensee")
    announced = _text(fields, "announced")
    m = re.fullmatch(r"(\d{4})-(\d{2})", announced)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise DeskError("announced", f"expected YYYY-MM, got {announced!r}")
    undisclosed = str(fields.get("undisclosed", "")).strip().lower() in ("1", "true", "yes", "on")
    low, high = _amount(fields, "value_low"), _amount(fields, "value_high")
    if low is None and high is not None:
        raise DeskError("value_low", "a high value needs a low value (use the same figure for a point value)")
    if undisclosed and low is not None:
        raise DeskError("undisclosed", "a value is given but the deal is marked undisclosed")
    if not undisclosed and low is None:
        raise DeskError("value_low", "required: give the reported value or mark the value undisclosed")
    if low is not None and high is not None and high < low:
        raise DeskError("value_high", f"{high:g} is below value_low {low:g}")
    currency = _text(fields, "currency", required=not undisclosed).upper()
    if currency and currency not in load_fx().usd_per_unit:
        raise DeskError("currency", f"unknown currency {currency!r}; known: {', '.join(sorted(load_fx().usd_per_unit))}")
    basis = _text(fields, "basis", required=not undisclosed) or "undisclosed"
    if basis not in BASIS_KINDS:
        raise DeskError("basis", f"unknown basis {basis!r}; expected one of {', '.join(BASIS_KINDS)}")
    if basis in ("undisclosed", "unquantified") and low is not None:
        raise DeskError("basis", f"basis {basis!r} but a value is given")
    if low is None and basis not in ("undisclosed", "unquantified"):
        raise DeskError("basis", f"basis {basis!r} needs a value")
    term_text = _text(fields, "term")
    term_years = ""
    try:
        years = float(term_text)
    except ValueError:
        years = None
    if years is not None:
        if not math.isfinite(years) or years <= 0:
            raise DeskError("term", f"a term in years must be a positive number, got {term_text!r}")
        term_years = f"{years:g}"
    uses = _uses(fields)
    source_url = _text(fields, "source_url")
    if not _URL.match(source_url):
        raise DeskError("source_url", f"not an http(s) link: {source_url!r}")
    confidence = _text(fields, "confidence")
    if not any(confidence.lower().startswith(level) for level in CONFIDENCE_WEIGHTS):
        raise DeskError("confidence", f"must start with one of {', '.join(CONFIDENCE_WEIGHTS)}, got {confidence!r}")
    record_type = _text(fields, "record_type", required=False) or "licence"
    if record_type not in RECORD_TYPES:
        raise DeskError("record_type", f"unknown record type {record_type!r}; expected one of {', '.join(RECORD_TYPES)}")
    as_reported = _text(fields, "value_as_reported", required=False) or (
        "undisclosed" if low is None else f"{currency} {low:,.0f}" + (f" to {high:,.0f}" if high not in (None, low) else "") + f" ({basis}, entered by hand)"
    )
    return {
        "record_type": record_type, "licensor": licensor, "licensee": licensee, "announced": announced,
        "sector": _text(fields, "sector", required=False), "data_type": _text(fields, "data_type", required=False),
        "value_currency": currency if low is not None else "", "value_low": "" if low is None else f"{low:.10g}",
        "value_high": "" if high is None else f"{high:.10g}", "value_basis": basis, "value_as_reported": as_reported,
        "term_years": term_years, "term_as_reported": term_text,
        "use_training": "yes" if "training" in uses else "no", "use_display_rag": "yes" if "display_rag" in uses else "no",
        "attribution_links": _text(fields, "attribution", required=False) or "unclear",
        "exclusivity": _text(fields, "exclusivity", required=False) or "unknown",
        "notable_terms": _text(fields, "notes", required=False), "confidence": confidence,
        "source_url": source_url, "supporting_quote": _text(fields, "supporting_quote", required=False),
    }


def manual_deal_id(row: Mapping[str, str]) -> str:
    """Stable id: the same parties, month and source give the same id (re-entry replaces)."""
    key = "|".join(row[k].lower() for k in ("licensor", "licensee", "announced", "source_url"))
    return "H-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def _normalise(deal_id: str, row: Mapping[str, str]) -> Deal:
    """One row through the public loader, so hand figures are normalised identically."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(REQUIRED_COLUMNS))
    writer.writeheader()
    writer.writerow({col: row.get(col, "") for col in REQUIRED_COLUMNS} | {"deal_id": deal_id})
    try:
        return load_deals(buffer.getvalue().encode("utf-8"))[0]
    except DealsTableError as exc:  # "deal X, column c": name the form field instead
        column = exc.subject.rsplit("column ", 1)[-1]
        raise DeskError(column, exc.reason) from None


def _documents_by_deal(ws: Workspace) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for rec in ws.documents(kind="comparable"):
        if rec.deal:
            out.setdefault(rec.deal, []).append(rec.id)
    return {k: tuple(v) for k, v in out.items()}


def add_manual_deal(ws: Workspace, fields: Mapping[str, Any]) -> DealRecord:
    """Validate a hand-entered deal and store it in the workspace catalogue (origin "hand")."""
    row = validate_fields(fields)
    deal_id = manual_deal_id(row)
    deal = _normalise(deal_id, row)
    name = _text(fields, "deal", required=False) or f"{row['licensor']} - {row['licensee']} ({row['announced'][:4]})"
    if not ws.exists():
        ws.init()
    with ws.writing():
        event = AuditEvent("deal.add", {"deal": deal_id, "name": name, "origin": ORIGIN_HAND})
        ws.add_deal(deal_id, {"row": row, "name": name}, ORIGIN_HAND, event)
    return DealRecord(deal_id, ORIGIN_HAND, deal, name, _documents_by_deal(ws).get(name, ()), dict(row))


def public_deals(path: str | Path | None = None) -> list[DealRecord]:
    return [
        DealRecord(d.deal_id, ORIGIN_PUBLIC, d, f"{d.licensor} - {d.licensee} ({d.year})", (), dict(d.raw))
        for d in load_deals(path or DEFAULT_DEALS_PATH)
    ]


def hand_deals(ws: Workspace) -> list[DealRecord]:
    linked = _documents_by_deal(ws)
    out = []
    for stored in ws.deals():
        if stored.get("origin") != ORIGIN_HAND or "row" not in stored:
            continue
        row, name = stored["row"], stored.get("name", "")
        out.append(DealRecord(stored["deal_id"], ORIGIN_HAND, _normalise(stored["deal_id"], row), name, linked.get(name, ()), dict(row)))
    return out


def all_deals(ws: Workspace, deals_path: str | Path | None = None) -> list[DealRecord]:
    """The public table, then the workspace's hand-entered deals, normalised alike."""
    return public_deals(deals_path) + hand_deals(ws)


def unpriced_contract_deals(ws: Workspace, known: Iterable[DealRecord] = ()) -> list[dict[str, Any]]:
    """Comparable contracts ingested under a deal name that has no catalogue figures.

    They count for clause comparison but not for the market view; listing them
    tells the analyst which deals still need their figures entered by hand.
    """
    names = {r.name for r in known}
    return [{"deal": deal, "documents": list(ids)} for deal, ids in sorted(_documents_by_deal(ws).items()) if deal not in names]
