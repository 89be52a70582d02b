"""Valuation as users reach it: the mandate's collective, the deals, a data sample, assumptions.

Results are cached in the workspace under a key made of every input (mandate
version, deals, sample bytes, assumptions), so the page is instant until an
input changes and a changed input is never served a stale number. A cached
result is read back into the same typed :class:`ValuationResult` a fresh one is.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.domain import Mandate, Serializable, ValueEstimate, to_jsonable
from core.errors import BadInputError, DeskError
from core.paths import DEALS_CSV, DEMO_DIR
from desk.workspace import Workspace, atomic_write
from valuation.datasets import load_sample
from valuation.deals import load_deals
from valuation.payout import MemberPayout
from valuation.report import Assumptions, ValuationReport, value_collective

DEMO_SAMPLE = DEMO_DIR / "sample.csv"
CACHE_VERSION = "valuation-v1"
STAND_IN_NOTE = (
    "The data sample is a STAND-IN (CUAD contract clauses, not the collective's own data): its counterfactual "
    "value is shown for method, but it is not blended into the combined range. Upload a labelled sample of the "
    "collective's data to value it."
)


@dataclass(frozen=True)
class ValuationInputs:
    """The assumptions a user may change, each ``None`` for "the default".

    The CLI's options and the Valuation page's fields both build this one
    object, so a setting has one name and one meaning everywhere.
    """

    value_per_point_usd: float | None = None
    consent_share: tuple[float, float] | None = None
    buyer_scale_n: float | None = None
    mc_draws: int | None = None
    seed: int | None = None
    opted_out: tuple[str, ...] | None = None
    fx_overrides: Mapping[str, float] | None = None

    def assumptions(self, stand_in: bool) -> Assumptions:
        """The full assumptions: the defaults, these inputs, and no counterfactual weight on a stand-in sample."""
        chosen = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None}
        if "fx_overrides" in chosen:
            chosen["fx_overrides"] = dict(chosen["fx_overrides"])
        if stand_in:
            weights = dict(Assumptions().method_weights)
            weights["data_counterfactual"] = 0.0
            chosen["method_weights"] = weights
        return Assumptions(**chosen)


@dataclass(frozen=True)
class SampleInfo(Serializable):
    """The data sample behind the counterfactual methods."""

    path: str
    stand_in: bool
    rows: int
    what: str = ""


@dataclass(frozen=True)
class Payout(Serializable):
    """Proceeds split among members by value beside pro rata, to the cent."""

    proceeds: float
    members: tuple[MemberPayout, ...]


@dataclass(frozen=True, kw_only=True)
class ValuationResult(ValuationReport):
    """The valuation report (by method and combined), with the sample, mandate and cache entry behind it."""

    sample: SampleInfo
    mandate: dict[str, str]  # name, version
    cache_key: str
    cached: bool = False
    payout: Payout | None = None

    def to_dict(self) -> dict[str, Any]:
        payload = super().to_dict()
        if self.payout is None:
            del payload["payout"]
        return payload

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], cached: bool) -> "ValuationResult":
        return cls(
            collective=d["collective"], unit=d["unit"], p10=d["p10"], p50=d["p50"], p90=d["p90"],
            combined=estimate_from_dict(d["combined"]),
            estimates=tuple(estimate_from_dict(e) for e in d["estimates"]),
            member_values=tuple(d.get("member_values") or ()), learning_curve=d.get("learning_curve") or {},
            market_position=d.get("market_position") or {}, assumptions=d.get("assumptions") or {},
            timings_s=d.get("timings_s") or {}, notes=tuple(d.get("notes") or ()), sample=SampleInfo(**d["sample"]),
            mandate=dict(d["mandate"]), cache_key=d["cache_key"], cached=cached,
        )

    def share_out(self, proceeds: float) -> Payout:
        """The proceeds split by members' Shapley values beside pro rata, to the cent."""
        if not self.member_values:
            raise DeskError("payout", "no member values: the valuation ran without a data sample")
        return Payout(proceeds, tuple(self.split(proceeds)))


def estimate_from_dict(d: Mapping[str, Any]) -> ValueEstimate:
    """A :class:`ValueEstimate` read back from its JSON form (the workspace cache)."""
    return ValueEstimate(**{**d, "evidence": tuple(d.get("evidence") or ()), "notes": tuple(d.get("notes") or ())})


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


def store_sample(ws: Workspace, data: bytes, filename: str) -> Path:
    """Validate an uploaded sample and keep it in the workspace (nothing is stored if it is invalid)."""
    try:
        load_sample(data)
    except DeskError as exc:
        raise BadInputError(f"{filename}: {exc.subject}" if exc.subject != "sample" else filename, exc.reason) from None
    suffix = ".jsonl" if filename.lower().endswith((".jsonl", ".json")) else ".csv"
    path = ws.root / "valuation" / f"sample{suffix}"
    if not ws.exists():
        ws.init()
    with ws.writing():
        atomic_write(path, data)
        for other in path.parent.glob("sample.*"):
            if other != path and other.suffix in (".csv", ".jsonl"):
                other.unlink()
    return path


def run_valuation(
    ws: Workspace,
    mandate: Mandate,
    sample_path: Path | None = None,
    inputs: ValuationInputs = ValuationInputs(),
    progress: Callable[[float, str], None] | None = None,
    use_cache: bool = True,
) -> ValuationResult:
    """The valuation of ``mandate``'s collective (``cached`` says whether it was reused)."""
    path = Path(sample_path or (workspace_sample(ws) if ws.exists() else None) or DEMO_SAMPLE)
    if path.is_dir():
        raise BadInputError(path, "is a folder: give the sample's CSV or JSONL file")
    if not path.is_file():
        raise BadInputError(path, "no such sample file")
    meta = sample_metadata(path)
    stand_in = bool(meta.get("stand_in"))
    assumptions = inputs.assumptions(stand_in)
    deals_bytes = DEALS_CSV.read_bytes()
    sample_bytes = path.read_bytes()
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
        return ValuationResult.from_dict(json.loads(cache.read_text(encoding="utf-8")), cached=True)
    sample = load_sample(path)
    report = value_collective(mandate.collective, load_deals(DEALS_CSV), sample, assumptions, progress=progress)
    payload = report.to_dict()
    payload["sample"] = {"path": str(path), "stand_in": stand_in, "rows": len(sample.frame), "what": meta.get("what", "")}
    if stand_in:
        payload["notes"] = [*payload.get("notes", []), STAND_IN_NOTE]
    payload["mandate"] = {"name": mandate.collective.name, "version": mandate.version}
    payload["cache_key"] = key
    if ws.exists():
        atomic_write(cache, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return ValuationResult.from_dict(payload, cached=False)
