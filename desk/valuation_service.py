"""Valuation as users reach it: the mandate's collective, the deals, a data sample, assumptions.

Results are cached in the workspace under a key made of every input (mandate
version, deals, sample bytes, assumptions), so the page is instant until an
input changes and a changed input is never served a stale number.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any, Callable

from desk.domain import to_jsonable
from desk.errors import DeskError
from desk.overview import resolve_mandate
from desk.settings import DEMO_DIR, Settings
from desk.workspace import Workspace, atomic_write
from valuation.datasets import load_sample
from valuation.deals import load_deals
from valuation.payout import split_proceeds
from valuation.report import Assumptions, value_collective

DEMO_SAMPLE = DEMO_DIR / "sample.csv"
DEALS_CSV = Path(__file__).resolve().parents[1] / "data" / "deals" / "ai_data_deals.csv"
CACHE_VERSION = "valuation-v1"
STAND_IN_NOTE = (
    "The data sample is a STAND-IN (CUAD contract clauses, not the collective's own data): its counterfactual "
    "value is shown for method, but it is not blended into the combined range. Upload a labelled sample of the "
    "collective's data to value it."
)


def sample_metadata(path: Path) -> dict[str, Any]:
    meta = path.with_suffix(".meta.json")
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}


def workspace_sample(ws: Workspace) -> Path | None:
    """The collective's own sample, if an analyst uploaded one to the workspace."""
    for name in ("sample.csv", "sample.jsonl"):
        path = ws.root / "valuation" / name
        if path.exists():
            return path
    return None


def store_sample(settings: Settings, data: bytes, filename: str) -> Path:
    """Validate an uploaded sample and keep it in the workspace (nothing is stored if it is invalid)."""
    try:
        load_sample(data)
    except DeskError as exc:
        raise DeskError(f"{filename}: {exc.subject}" if exc.subject != "sample" else filename, exc.reason) from None
    suffix = ".jsonl" if filename.lower().endswith((".jsonl", ".json")) else ".csv"
    ws = Workspace(settings.workspace)
    path = ws.root / "valuation" / f"sample{suffix}"
    atomic_write(path, data)
    for other in path.parent.glob("sample.*"):
        if other != path and other.suffix in (".csv", ".jsonl"):
            other.unlink()
    return path


def run_valuation(
    settings: Settings,
    mandate_ref: str | None = None,
    sample_path: Path | None = None,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[float, str], None] | None = None,
    use_cache: bool = True,
) -> dict[str, Any]:
    """The valuation report as a JSON-ready dict (with ``cached`` saying whether it was reused)."""
    mandate = resolve_mandate(settings, mandate_ref)
    ws = Workspace(settings.workspace)
    path = sample_path or (workspace_sample(ws) if ws.exists() else None) or DEMO_SAMPLE
    if not Path(path).exists():
        raise DeskError(path, "no such sample file")
    meta = sample_metadata(Path(path))
    stand_in = bool(meta.get("stand_in"))
    fields = {f.name for f in dataclasses.fields(Assumptions)}
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - fields)
    if unknown:
        raise DeskError("assumptions", f"unknown assumption(s): {', '.join(unknown)}")
    if stand_in and "method_weights" not in overrides:
        weights = dict(Assumptions().method_weights)
        weights["data_counterfactual"] = 0.0
        overrides["method_weights"] = weights
    assumptions = Assumptions(**overrides)
    deals_bytes = DEALS_CSV.read_bytes()
    sample_bytes = Path(path).read_bytes()
    key_material = json.dumps(
        {
            "v": CACHE_VERSION,
            "mandate": mandate.version,
            "deals": hashlib.sha256(deals_bytes).hexdigest(),
            "sample": hashlib.sha256(sample_bytes).hexdigest(),
            "assumptions": to_jsonable(dataclasses.asdict(assumptions)),
        },
        sort_keys=True,
        default=str,
    )
    key = hashlib.sha256(key_material.encode()).hexdigest()[:24]
    cache = ws.cache_dir / f"valuation-{key}.json"
    if use_cache and cache.exists():
        payload = json.loads(cache.read_text(encoding="utf-8"))
        payload["cached"] = True
        return payload
    sample = load_sample(Path(path))
    report = value_collective(mandate.collective, load_deals(DEALS_CSV), sample, assumptions, progress=progress)
    payload = report.to_dict()
    payload["sample"] = {"path": str(path), "stand_in": stand_in, "rows": len(sample.frame), "what": meta.get("what", "")}
    if stand_in:
        payload["notes"] = [*payload.get("notes", []), STAND_IN_NOTE]
    payload["mandate"] = {"name": mandate.collective.name, "version": mandate.version}
    payload["cache_key"] = key
    if ws.exists():
        atomic_write(cache, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    payload["cached"] = False
    return payload


def payout(report: dict[str, Any], proceeds: float) -> list[dict[str, Any]]:
    """The proceeds split by members' Shapley values beside pro rata, to the cent."""
    members = report.get("member_values") or []
    if not members:
        raise DeskError("payout", "no member values: the valuation ran without a data sample")
    values = {m["member"]: m["shapley"] for m in members if not m["opted_out"]}
    rows = {m["member"]: m["rows"] for m in members}
    opted = tuple(m["member"] for m in members if m["opted_out"])
    return [to_jsonable(p) for p in split_proceeds(proceeds, values, rows, opted)]
