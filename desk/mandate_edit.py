"""Editing a mandate as a table, and saving each edit as a new version.

The Mandate page shows the terms in a grid where every position is text (a
number, ``inf`` for perpetual, a comma-separated list of options, yes/no). This
module turns the grid back into a validated mandate, so the page holds no
parsing logic and the CLI and tests reach the same rules.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from desk.audit import AuditEvent
from core.domain import Mandate, MandateTerm
from core.errors import MandateError
from desk.mandate import POSITIONS, mandate_to_toml, parse_mandate
from desk.workspace import Workspace

EDITABLE = ("label", *POSITIONS, "weight", "fallback", "rationale")


def show_position(term: MandateTerm, value: Any) -> str:
    if term.kind == "choice":
        return ", ".join(value) if isinstance(value, (list, tuple)) else str(value)
    if term.kind == "boolean":
        return "yes" if value else "no"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_position(term: MandateTerm, text: Any, position: str) -> Any:
    subject = f"term '{term.key}'"
    raw = str(text).strip()
    if term.kind == "choice":
        return [o.strip() for o in raw.split(",") if o.strip()]
    if term.kind == "boolean":
        low = raw.lower()
        if low in ("yes", "true", "1"):
            return True
        if low in ("no", "false", "0"):
            return False
        raise MandateError(subject, f"{position} must be yes or no, not '{raw}'")
    if term.kind == "number":
        low = raw.lower().replace(",", "").replace("_", "")
        if low in ("inf", "perpetual", "unlimited", "never"):
            return math.inf
        try:
            number = float(low)
        except ValueError:
            raise MandateError(subject, f"{position} must be a number (or inf), not '{raw}'") from None
        return int(number) if number.is_integer() else number
    return raw


def terms_table(mandate: Mandate) -> list[dict[str, Any]]:
    """One editable row per term; ``key``, ``kind``, ``unit`` and ``direction`` are read-only context."""
    rows = []
    for t in mandate.terms:
        rows.append(
            {
                "key": t.key,
                "label": t.label,
                "kind": t.kind,
                "unit": t.unit,
                "direction": t.direction if t.kind == "number" else "",
                **{p: show_position(t, getattr(t, p)) for p in POSITIONS},
                "weight": float(t.weight),
                "fallback": t.fallback,
                "rationale": t.rationale,
                "options": ", ".join(t.options),
            }
        )
    return rows


def apply_table(mandate: Mandate, rows: list[dict[str, Any]], normalise: bool = False) -> Mandate:
    """A new mandate with the grid's edits, validated by the same loader as files."""
    by_key = {t.key: t for t in mandate.terms}
    terms = []
    for row in rows:
        term = by_key.get(row.get("key", ""))
        if term is None:
            raise MandateError(f"term '{row.get('key')}'", "unknown term; add new terms in the TOML file")
        changes: dict[str, Any] = {p: parse_position(term, row[p], p) for p in POSITIONS}
        try:
            changes["weight"] = float(row["weight"])
        except (TypeError, ValueError):
            raise MandateError(f"term '{term.key}'", f"weight must be a number, not '{row['weight']}'") from None
        for field in ("label", "fallback", "rationale"):
            changes[field] = str(row.get(field) or "")
        terms.append(dataclasses.replace(term, **changes))
    edited = dataclasses.replace(mandate, terms=tuple(terms))
    text = mandate_to_toml(edited)
    return parse_mandate(text, source=mandate.source or "mandate.toml", normalise=normalise)


def save_mandate(ws: Workspace, mandate_or_text: Mandate | str, note: str = "") -> str:
    """Validate and store a new mandate version; returns the version id."""
    text = mandate_or_text if isinstance(mandate_or_text, str) else mandate_to_toml(mandate_or_text)
    mandate = parse_mandate(text)  # refuses anything invalid before it is stored
    if not ws.exists():
        ws.init()
    with ws.writing():
        event = AuditEvent("mandate.save", {"note": note, "terms": len(mandate.terms)})
        return ws.save_mandate_text(text, mandate.collective.name, note=note, event=event)
