"""Typed, frozen domain objects shared by every part of the desk.

They are the boundary between ``retrieval/``, ``valuation/`` and ``desk/``:
small, immutable and JSON-friendly, so a finding can travel from the engine to
the CLI, the UI and the briefing pack without being re-shaped.

Two conventions hold for every type here:

* **Provenance is one value.** Anything that points into a document (a clause,
  a piece of evidence, a search hit, a precedent) carries one :class:`Location`
  (document id, page, character offsets, heading) rather than its own copy of
  those fields; :class:`Located` gives such objects ``.page``, ``.start`` and
  the rest, so readers need not care where the fields live.
* **One serialisation protocol.** :class:`Serializable` objects turn into plain
  JSON types with ``to_dict()``; a :class:`Location` is written flat into its
  owner (``{"clause_id": …, "document_id": …, "page": 3, "start": …}``), the
  shape the CLI's ``--json`` has always printed. Strict JSON has no infinity,
  so ``inf`` (how mandates write "perpetual") travels as the string ``"inf"``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

DocumentKind = Literal["proposal", "comparable", "reference"]
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)

ValueKind = Literal["money", "percent", "duration", "date", "count", "boolean"]
TermKind = Literal["number", "choice", "boolean", "text"]
Direction = Literal["higher", "lower"]
Status = Literal["meets_preferred", "acceptable", "breaches_walk_away", "not_addressed", "unclear"]
#: statuses a negotiator must act on, most serious first
PROBLEMS: tuple[Status, ...] = ("breaches_walk_away", "unclear", "not_addressed")
STATUSES: tuple[str, ...] = get_args(Status)
#: what a stretch of text is, as the segmenter found it ("" when unknown)
ClauseKind = Literal["", "section", "definition", "recital", "signature", "exhibit", "paragraph", "title"]

#: dataclass field metadata: write this field's own fields into the owner's dict
FLATTEN = {"flatten": True}


def to_jsonable(obj: Any) -> Any:
    """Dataclasses, tuples and nested containers to plain JSON types (the one serialiser)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = to_jsonable(getattr(obj, f.name))
            if f.metadata.get("flatten") and isinstance(value, dict):
                out.update(value)
            else:
                out[f.name] = value
        return out
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        # Strict JSON has no infinity; "inf" is how mandates write "perpetual" / "never".
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


class Serializable:
    """The public serialisation protocol: ``to_dict()`` gives plain JSON types."""

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


@dataclass(frozen=True)
class Location(Serializable):
    """Where something is in a document: ``start``/``end`` index the document text."""

    document_id: str
    page: int
    start: int
    end: int
    heading: str = ""


class Located:
    """For types that hold a ``location``: its fields read as the owner's own."""

    location: Location

    @property
    def document_id(self) -> str:
        return self.location.document_id

    @property
    def page(self) -> int:
        return self.location.page

    @property
    def start(self) -> int:
        return self.location.start

    @property
    def end(self) -> int:
        return self.location.end

    @property
    def heading(self) -> str:
        return self.location.heading


@dataclass(frozen=True)
class Page(Serializable):
    """One page of a document: ``start``/``end`` index the document text."""

    number: int  # 1-based
    start: int
    end: int


@dataclass(frozen=True)
class Document(Serializable):
    """A contract or deal document, identified by the sha256 of its bytes."""

    id: str
    title: str
    kind: DocumentKind
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
class Value(Serializable):
    """A value a clause states, normalised, with the exact span it came from."""

    kind: ValueKind
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
class CategoryScore(Serializable):
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
class Clause(Serializable):
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
    kind: ClauseKind = ""

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
    def location(self) -> Location:
        return Location(self.document_id, self.page, self.start, self.end, self.heading)

    def public_dict(self) -> dict[str, Any]:
        """The clause as design §6 prints it (``desk clauses --json``): no document id,
        scores to four places, a date's ``iso`` only on dates."""
        return {
            "id": self.id,
            "heading": self.heading,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "categories": [{"name": k.name, "score": round(k.score, 4)} for k in self.categories],
            "values": [
                {"kind": v.kind, "amount": v.amount, "unit": v.unit, "text": v.text, "start": v.start, "end": v.end}
                | ({"iso": v.iso} if v.iso else {})
                for v in self.values
            ],
        }

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    def score(self, category: str) -> float:
        return next((c.score for c in self.categories if c.name == category), 0.0)


@dataclass(frozen=True)
class Collective(Serializable):
    name: str
    sector: str
    members: int
    records: float | None = None
    tokens: float | None = None
    years: float | None = None
    currency: str = "USD"
    description: str = ""


@dataclass(frozen=True)
class MandateTerm(Serializable):
    """One term of the collective's playbook.

    For ``number`` terms the positions are numbers ordered by ``direction``;
    for ``choice`` terms they are lists of allowed options (the walk-away list
    is the widest set we can live with); for ``boolean`` terms they are booleans.
    """

    key: str
    label: str
    categories: tuple[str, ...]
    kind: TermKind
    direction: Direction = "higher"
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
    type: str = ""  # a term type of the desk's library (desk.term_types); "" = inferred when read


@dataclass(frozen=True)
class Mandate(Serializable):
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
class Evidence(Located, Serializable):
    """A clause that supports a finding, with enough to find it again: where it is and the quoted words."""

    clause_id: str
    location: Location = field(metadata=FLATTEN)
    quote: str = ""


@dataclass(frozen=True)
class Finding(Serializable):
    term: str
    label: str
    status: Status
    value: Any
    value_text: str
    evidence: tuple[Evidence, ...]
    explanation: str
    fallback: str = ""
    weight: float = 0.0
    reader: str = ""  # the term type and reader that decided it ("fee_per_period, inferred from its label")
    confidence: float = 0.0  # 0..1: how sure the reader is of the deciding words
    assisted: bool = False  # an LLM reading settled this finding (see desk.llm_reader)


@dataclass(frozen=True)
class ValueEstimate(Serializable):
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
class Offer(Serializable):
    """A package of terms and what it is worth to each side."""

    name: str
    terms: dict[str, Any]
    utility_us: float
    utility_buyer: float
    pareto: bool = False
    clauses: dict[str, str] = field(default_factory=dict)
