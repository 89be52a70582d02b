"""Typed, frozen domain objects shared by every part of the desk.

They are the boundary between ``retrieval/``, ``valuation/`` and ``desk/``:
small, immutable and JSON-friendly (``to_dict``), so a finding can travel from
the engine to the CLI, the UI and the briefing pack without being re-shaped.
Provenance (document id, page, character offsets) lives on the objects
themselves because the desk never shows a claim without its evidence.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal

DocumentKind = Literal["proposal", "comparable", "reference"]
DOCUMENT_KINDS: tuple[str, ...] = ("proposal", "comparable", "reference")

ValueKind = Literal["money", "percent", "duration", "date", "count", "boolean"]
TermKind = Literal["number", "choice", "boolean", "text"]
Direction = Literal["higher", "lower"]
Status = Literal["meets_preferred", "acceptable", "breaches_walk_away", "not_addressed", "unclear"]
STATUSES: tuple[str, ...] = ("meets_preferred", "acceptable", "breaches_walk_away", "not_addressed", "unclear")


def to_jsonable(obj: Any) -> Any:
    """Dataclasses, tuples and nested containers to plain JSON types."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        # Strict JSON has no infinity; "inf" is how mandates write "perpetual" / "never".
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


class _Jsonable:
    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True)
class Page(_Jsonable):
    """One page of a document: ``start``/``end`` index the document text."""

    number: int  # 1-based
    start: int
    end: int


@dataclass(frozen=True)
class Document(_Jsonable):
    """A contract or deal document, identified by the sha256 of its bytes."""

    id: str
    title: str
    kind: str
    text: str
    pages: tuple[Page, ...]
    source: str = ""
    deal: str = ""
    format: str = ""  # pdf, docx, txt, md, html
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        return cls(**{**d, "pages": tuple(Page(**p) for p in d["pages"]), "warnings": tuple(d.get("warnings", ()))})

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_at(self, offset: int) -> int:
        """The 1-based page holding character ``offset`` (1 for page-less formats)."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return self.pages[-1].number if self.pages and offset >= self.pages[-1].end else 1


@dataclass(frozen=True)
class Value(_Jsonable):
    """A value a clause states, normalised, with the exact span it came from."""

    kind: str  # ValueKind
    amount: float | None
    unit: str  # "USD", "years", "percent", "date" (amount None; iso in text form), ...
    text: str  # the exact source span
    start: int  # offsets into the document text
    end: int
    iso: str = ""  # for dates: YYYY-MM-DD

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Value":
        """Inverse of ``to_dict``: JSON's "inf" (perpetual) becomes a float again."""
        amount = d.get("amount")
        if isinstance(amount, str):
            amount = float(amount)
        return cls(**{**d, "amount": amount})


@dataclass(frozen=True)
class CategoryScore(_Jsonable):
    """A category a clause speaks to; ``score`` is the calibrated probability that it does."""

    name: str
    score: float

    @property
    def confidence(self) -> str:
        """How a reader should take the label: categories are listed from a
        recall-oriented threshold (rather a false flag than a missed clause), so
        many are only possible; from 0.5 on they are likely."""
        return "likely" if self.score >= 0.5 else "possible"


@dataclass(frozen=True)
class Clause(_Jsonable):
    """A clause: ``text == document.text[start:end]``, always."""

    id: str
    document_id: str
    heading: str
    text: str
    page: int
    start: int
    end: int
    categories: tuple[CategoryScore, ...] = ()
    values: tuple[Value, ...] = ()
    kind: str = ""  # section | definition | recital | signature | exhibit | paragraph | title

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Clause":
        return cls(
            **{
                **d,
                "categories": tuple(CategoryScore(**c) for c in d.get("categories", ())),
                "values": tuple(Value.from_dict(v) for v in d.get("values", ())),
            }
        )

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    def score(self, category: str) -> float:
        return next((c.score for c in self.categories if c.name == category), 0.0)


@dataclass(frozen=True)
class Collective(_Jsonable):
    name: str
    sector: str
    members: int
    records: float | None = None
    tokens: float | None = None
    years: float | None = None
    currency: str = "USD"
    description: str = ""


@dataclass(frozen=True)
class MandateTerm(_Jsonable):
    """One term of the collective's playbook.

    For ``number`` terms the positions are numbers ordered by ``direction``;
    for ``choice`` terms they are lists of allowed options (the walk-away list
    is the widest set we can live with); for ``boolean`` terms they are booleans.
    """

    key: str
    label: str
    categories: tuple[str, ...]
    kind: str  # TermKind
    direction: str = "higher"  # Direction
    unit: str = ""
    preferred: Any = None
    acceptable: Any = None
    walk_away: Any = None
    weight: float = 0.0
    fallback: str = ""
    rationale: str = ""
    query: str = ""  # the term's own wording, for search
    negotiable: bool = True
    options: tuple[str, ...] = ()  # for choice terms: every option in order of preference


@dataclass(frozen=True)
class Mandate(_Jsonable):
    collective: Collective
    terms: tuple[MandateTerm, ...]
    version: str = ""  # sha256 of the TOML text
    source: str = ""

    def term(self, key: str) -> MandateTerm:
        for t in self.terms:
            if t.key == key:
                return t
        raise KeyError(key)


@dataclass(frozen=True)
class Evidence(_Jsonable):
    """A clause that supports a finding, with enough to find it again."""

    clause_id: str
    document_id: str
    heading: str
    page: int
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Finding(_Jsonable):
    term: str
    label: str
    status: str  # Status
    value: Any
    value_text: str
    evidence: tuple[Evidence, ...]
    explanation: str
    fallback: str = ""
    weight: float = 0.0


@dataclass(frozen=True)
class ValueEstimate(_Jsonable):
    """A value range with the method and inputs behind it."""

    method: str
    p10: float
    p50: float
    p90: float
    unit: str
    inputs: dict[str, Any] = field(default_factory=dict)
    assumptions: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sample_size: int | None = None
    converged: bool | None = None


@dataclass(frozen=True)
class Offer(_Jsonable):
    """A package of terms and what it is worth to each side."""

    name: str
    terms: dict[str, Any]
    utility_us: float
    utility_buyer: float
    pareto: bool = False
    clauses: dict[str, str] = field(default_factory=dict)
