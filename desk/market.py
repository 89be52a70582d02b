"""The market view: reported AI data-licensing deals, normalised, and where the proposal sits.

What an analyst must be able to trust here:

* every figure keeps its source link, its confidence and whether it is a
  press estimate or was typed in by hand (``origin``);
* ranges stay ranges (low and high), lower bounds stay lower bounds;
* only signed licences (``record_type`` licence / licence_group) enter the
  yearly-value statistics and the position; price lists, offers, revenue-share
  programmes, aggregate disclosures and the settlement are listed apart,
  each group labelled;
* every statistic carries the count behind it, and with fewer than
  ``SMALL_SAMPLE`` values no percentile is printed: the view says the sample
  is small instead.

The proposal's terms come from the review engine (the same reading of the
contract the Review page shows): ``annual_fee`` (USD/year), ``licence_term_years``
and ``permitted_uses``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from core.domain import Serializable
from desk.deals_catalogue import DealRecord
from desk.review_service import ReviewResult
from valuation.comparables import SMALL_SAMPLE, market_position
from valuation.deals import LICENCE_TYPES

RECORD_TYPE_LABELS = {
    "licence": "Signed licence",
    "licence_group": "Group of licences (one reported figure)",
    "aggregate_disclosure": "Aggregate disclosure (several deals in one figure)",
    "rate_card": "Price list (rate card)",
    "rate_card_in_negotiation": "Price list under negotiation",
    "reported_offer_range": "Reported offer (not signed)",
    "revenue_share_program": "Revenue-share programme",
    "settlement_not_licence": "Settlement (not a licence)",
}
USE_FILTERS = ("training", "display_rag")


def _yes(text: str) -> bool | None:
    t = (text or "").strip().lower()
    if t.startswith("yes"):
        return True
    if t.startswith("no"):
        return False
    return None


def matches(record: DealRecord, sector: str | None = None, year: int | str | None = None, data_type: str | None = None,
            use: str | None = None, record_type: str | None = None, origin: str | None = None) -> bool:
    """The Market page's filters: sector and data type by substring, year exact, use granted."""
    d = record.deal
    if sector and sector.lower() not in d.sector.lower():
        return False
    if year not in (None, "") and d.year != int(year):
        return False
    if data_type and data_type.lower() not in d.data_type.lower():
        return False
    if use:
        if use not in USE_FILTERS:
            from core.errors import DeskError

            raise DeskError("use", f"unknown use {use!r}; expected one of {', '.join(USE_FILTERS)}")
        flag = d.use_training if use == "training" else d.use_display_rag
        if _yes(flag) is not True:
            return False
    if record_type and d.record_type != record_type:
        return False
    if origin and record.origin != origin:
        return False
    return True


def describe(values: Sequence[float], what: str, unit: str) -> dict[str, Any]:
    """Count, min, median, max (and quartiles when the sample allows), with the count said."""
    vals = sorted(float(v) for v in values if v is not None and math.isfinite(v))
    n = len(vals)
    out: dict[str, Any] = {"what": what, "unit": unit, "n": n}
    if n == 0:
        out["note"] = f"no {what} in the selection"
        return out
    out.update(min=vals[0], median=float(np.median(vals)), max=vals[-1])
    if n >= SMALL_SAMPLE:
        out.update(p25=float(np.percentile(vals, 25)), p75=float(np.percentile(vals, 75)))
        out["note"] = f"{n} {what}"
    else:
        out["note"] = f"small sample: only {n} {what}; no quartiles given"
    return out


def _position(values: Sequence[float], value: float, what: str) -> dict[str, Any]:
    vals = [v for v in values if v is not None and math.isfinite(v)]
    n = len(vals)
    below = sum(v < value for v in vals)
    equal = sum(v == value for v in vals)
    out: dict[str, Any] = {"value": value, "n": n, "below": below, "equal": equal, "above": n - below - equal}
    if math.isinf(value):
        out["note"] = f"{'perpetual: longer' if value > 0 else 'shorter'} than all {n} {what}"
    if n >= SMALL_SAMPLE:
        out["percentile"] = 100.0 * (below + 0.5 * equal) / n
        out["note"] = (out.get("note", "") + "; " if "note" in out else "") + f"{out['percentile']:.0f}th percentile of {n} {what}"
        out["small_sample"] = False
    else:
        out["percentile"] = None
        out["note"] = (out.get("note", "") + "; " if "note" in out else "") + f"small sample: only {n} {what}, no percentile given"
        out["small_sample"] = True
    return out


@dataclass(frozen=True)
class ProposalTerms(Serializable):
    """The proposal's main terms as the review engine reads them."""

    document_id: str
    title: str
    yearly_value_usd: float | None
    term_years: float | None  # inf = perpetual (a licence that survives the agreement)
    uses: tuple[str, ...]
    value_texts: dict[str, str]  # term -> how the review words the proposal's value ("perpetual")
    evidence: dict[str, list[str]]  # term -> clause ids
    statuses: dict[str, str]


@dataclass(frozen=True)
class MarketView(Serializable):
    deals: tuple[dict[str, Any], ...]  # every selected deal, normalised, with origin and source
    groups: dict[str, dict[str, Any]]  # record type -> {label, deal_ids, counts_in_statistics}
    statistics: dict[str, Any]  # yearly values, terms, by sector: each with its n
    filters: dict[str, Any]
    proposal: ProposalTerms | None = None
    position: dict[str, Any] | None = None  # the yearly value among licences
    term_position: dict[str, Any] | None = None
    uses_position: dict[str, Any] | None = None
    unpriced_contract_deals: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()

    def chart_data(self) -> dict[str, Any]:
        """Points for a strip/box plot of yearly values by sector, with the proposal marked.

        Only licences with a yearly figure are plotted (other record types are
        not yearly licence prices); each point keeps its range so the chart
        can draw an error bar, and its confidence/origin for styling.
        """
        points = [
            {"sector": d["sector"] or "unspecified", "deal_id": d["deal_id"], "label": f"{d['licensor']} / {d['licensee']} ({d['year']})",
             "yearly_low_usd": d["yearly_low_usd"], "yearly_high_usd": d["yearly_high_usd"], "yearly_mid_usd": d["yearly_mid_usd"],
             "lower_bound_only": d["yearly_high_usd"] is None, "confidence": d["confidence"], "press_estimate": d["press_estimate"],
             "origin": d["origin"], "source_url": d["source_url"]}
            for d in self.deals
            if d["in_statistics"]
        ]
        marker = None
        if self.proposal is not None and self.proposal.yearly_value_usd is not None:
            marker = {"label": f"Proposal: {self.proposal.title}", "yearly_value_usd": self.proposal.yearly_value_usd}
        return {"x": "yearly_mid_usd", "y": "sector", "scale": "log", "points": points, "proposal": marker,
                "sectors": sorted({p["sector"] for p in points})}


def _row(record: DealRecord) -> dict[str, Any]:
    d = record.deal
    row = record.to_dict()
    row["yearly_mid_usd"] = d.yearly_mid_usd
    row["record_type_label"] = RECORD_TYPE_LABELS.get(d.record_type, d.record_type)
    row["in_statistics"] = d.record_type in LICENCE_TYPES and d.has_yearly
    return row


def proposal_terms(result: ReviewResult) -> ProposalTerms:
    """The proposal's yearly fee, term and uses, as its review read them."""
    findings = {f.term: f for f in result.review.findings}

    def number(key: str) -> float | None:
        f = findings.get(key)
        if f is None or f.value is None or isinstance(f.value, bool):
            return None
        try:
            value = float(f.value)
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) or key == "licence_term_years" else None

    uses_value = findings["permitted_uses"].value if "permitted_uses" in findings else None
    if isinstance(uses_value, str):
        uses = (uses_value,)
    elif isinstance(uses_value, Iterable):
        uses = tuple(str(u) for u in uses_value)
    else:
        uses = ()
    keys = ("annual_fee", "licence_term_years", "permitted_uses")
    return ProposalTerms(
        document_id=result.document.id, title=result.document.title, yearly_value_usd=number("annual_fee"),
        term_years=number("licence_term_years"), uses=uses,
        value_texts={k: findings[k].value_text for k in keys if k in findings},
        evidence={k: [e.clause_id for e in findings[k].evidence] for k in keys if k in findings},
        statuses={k: findings[k].status for k in keys if k in findings},
    )


def _uses_position(records: Sequence[DealRecord], uses: Sequence[str]) -> dict[str, Any]:
    """How many comparable licences grant the same uses (training, display/RAG) as the proposal."""
    wants_training = any(u in ("training", "fine_tuning", "synthetic_data_generation") for u in uses)
    wants_display = any(u in ("display_rag", "display", "rag") for u in uses)
    licences = [r.deal for r in records if r.deal.record_type in LICENCE_TYPES]
    same = [d.deal_id for d in licences if _yes(d.use_training) is wants_training and _yes(d.use_display_rag) is wants_display]
    unclear = [d.deal_id for d in licences if _yes(d.use_training) is None or _yes(d.use_display_rag) is None]
    return {
        "proposal": {"training": wants_training, "display_rag": wants_display, "uses": list(uses)},
        "n": len(licences), "same_uses": len(same), "same_uses_deals": same, "unclear": len(unclear),
        "training_granted": sum(_yes(d.use_training) is True for d in licences),
        "display_granted": sum(_yes(d.use_display_rag) is True for d in licences),
        "note": f"{len(same)} of {len(licences)} licences grant the same uses ({len(unclear)} do not say clearly)",
    }


def market(
    catalogue: Sequence[DealRecord],
    proposal: ProposalTerms | None = None,
    unpriced: Sequence[dict[str, Any]] = (),
    sector: str | None = None,
    year: int | str | None = None,
    data_type: str | None = None,
    use: str | None = None,
    record_type: str | None = None,
    origin: str | None = None,
) -> MarketView:
    """The deals of ``catalogue`` (public table + hand-entered), filtered, with statistics and
    the ``proposal``'s position; ``unpriced`` lists contract deals with no catalogue figures.
    """
    filters = {"sector": sector, "year": year, "data_type": data_type, "use": use, "record_type": record_type, "origin": origin}
    selected = [r for r in catalogue if matches(r, sector, year, data_type, use, record_type, origin)]
    rows = tuple(_row(r) for r in selected)
    groups: dict[str, dict[str, Any]] = {}
    for r in selected:
        g = groups.setdefault(r.deal.record_type, {"label": RECORD_TYPE_LABELS.get(r.deal.record_type, r.deal.record_type),
                                                   "deal_ids": [], "in_statistics": r.deal.record_type in LICENCE_TYPES})
        g["deal_ids"].append(r.deal_id)
    licences = [r for r in selected if r.deal.record_type in LICENCE_TYPES]
    yearly = [r.deal.yearly_mid_usd for r in licences if r.deal.has_yearly]
    terms = [r.deal.term_years for r in licences if r.deal.term_years is not None]
    by_sector: dict[str, list[float]] = {}
    for r in licences:
        if r.deal.has_yearly:
            by_sector.setdefault(r.deal.sector or "unspecified", []).append(r.deal.yearly_mid_usd)
    statistics = {
        "yearly_value_usd": describe(yearly, "licences with a yearly value", "USD/year"),
        "term_years": describe(terms, "licences with a stated term", "years"),
        "by_sector": {s: describe(v, "licences with a yearly value", "USD/year") for s, v in sorted(by_sector.items())},
        "counts": {"deals": len(selected), "licences": len(licences), "licences_with_yearly_value": len(yearly),
                   "hand_entered": sum(r.hand_entered for r in selected),
                   "press_estimates": sum(r.deal.press_estimate for r in selected)},
    }
    notes = ["yearly value of a range = its geometric midpoint for statistics; the low and high are kept in each row",
             "only signed licences enter the statistics; price lists, offers, aggregates and settlements are listed apart"]
    position = term_position = uses_position = None
    if proposal is not None:
        if proposal.yearly_value_usd is not None:
            position = market_position([r.deal for r in selected], proposal.yearly_value_usd)
            position["small_sample"] = position["percentile"] is None
        else:
            notes.append("the proposal states no yearly fee the review could read; no value position")
        if proposal.term_years is not None:
            term_position = _position(terms, proposal.term_years, "licence terms")
        uses_position = _uses_position(selected, proposal.uses)
    return MarketView(
        deals=rows, groups=groups, statistics=statistics, filters=filters, proposal=proposal, position=position,
        term_position=term_position, uses_position=uses_position,
        unpriced_contract_deals=tuple(unpriced), notes=tuple(notes),
    )
