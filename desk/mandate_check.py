"""What the desk will do with each term of a mandate, before any contract arrives.

A legal adviser writing a mandate for a new sector needs to know which terms the desk
can read and how, and which it cannot: a unit nothing converts to, a free-text term
that will only ever be quoted, an option whose words no contract would use. The loader
(:mod:`desk.mandate`) refuses what is *invalid*; this check says what is *valid but
unreadable or weak*, term by term, so it can be fixed while the mandate is being written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.domain import Mandate, MandateTerm, Serializable
from desk.places import canonical
from desk.term_types import TYPES, type_of
from desk.term_words import content_words
from desk.units import parse_unit


@dataclass(frozen=True)
class TermCheck(Serializable):
    """How one term will be read: its type (and how it was chosen), its unit as understood, and warnings."""

    key: str
    label: str
    kind: str
    type: str
    chosen: str  # "mandate" (the mandate's type = ...), "inferred" or "generic"
    why: str
    reader: str  # what the reader looks for, in words
    unit: str  # the unit as understood ("a price per hour, in GBP")
    warnings: tuple[str, ...] = ()

    @property
    def readable(self) -> bool:
        return not any(w.startswith("unreadable") for w in self.warnings)


@dataclass(frozen=True)
class MandateCheck(Serializable):
    mandate: str
    version: str
    terms: tuple[TermCheck, ...]

    @property
    def warnings(self) -> int:
        return sum(len(t.warnings) for t in self.terms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mandate": self.mandate,
            "version": self.version,
            "terms": [t.to_dict() for t in self.terms],
            "warnings": self.warnings,
            "unreadable": [t.key for t in self.terms if not t.readable],
        }


def check_mandate(mandate: Mandate) -> MandateCheck:
    """Each term's type, reader and unit, with a warning for everything nothing can read well."""
    return MandateCheck(mandate.collective.name, mandate.version, tuple(_check_term(t) for t in mandate.terms))


def _check_term(term: MandateTerm) -> TermCheck:
    chosen = type_of(term)
    unit = parse_unit(term.unit, term.kind)
    warnings: list[str] = []
    if term.kind == "text":
        warnings.append("unreadable as a value: a text term is found and quoted, never judged (its status is always 'unclear'); "
                        "make it a boolean (does the contract say it?) or a choice between named options")
    if term.kind == "number":
        if unit.measure == "unknown":
            warnings.append(f"unreadable unit: {unit.problem}")
        elif chosen.type.measures and unit.measure not in chosen.type.measures and unit.measure != "count":
            warnings.append(f"unit {term.unit!r} is {unit.describe()}, which the {chosen.type.name} reader does not read "
                            f"(it reads {', '.join(chosen.type.measures)})")
        elif unit.measure == "count" and not unit.per and chosen.how == "generic":
            warnings.append(f"weak: unit {term.unit or '(none)'!r} is a bare count and no term type fits, so any number near the "
                            "term's words is read; give a unit (days, percent, GBP/hour...) or a type")
    if term.kind == "choice":
        warnings.extend(_option_warnings(term, chosen.type.name))
    if chosen.how == "generic" and term.kind in ("boolean", "choice", "number"):
        words = content_words(f"{term.label} {term.query if term.query != term.label else ''}")
        if len(words) < 2:
            warnings.append(f"weak: the label {term.label!r} has too few words for the desk to find the clause that decides it; "
                            "write the label or query as the contract would put it")
    return TermCheck(
        key=term.key,
        label=term.label,
        kind=term.kind,
        type=chosen.type.name,
        chosen=chosen.how,
        why=chosen.why,
        reader=chosen.type.summary,
        unit=unit.describe() if term.kind == "number" else "",
        warnings=tuple(warnings),
    )


def _option_warnings(term: MandateTerm, type_name: str) -> list[str]:
    from desk.review import cue_for, names_concept, option_words  # the review engine's own option matching

    out = []
    cue = cue_for(term)
    if cue.get("places"):
        for option in term.options:
            if canonical(option_words(option)) is None:
                out.append(f"option {option!r} names no place the desk knows; a contract naming it will read as "
                           "'not an option of the mandate' (use a country, state or region: 'england_and_wales', 'new_york')")
        return out
    concepts = cue.get("concepts", {})
    for option in term.options:
        words = [w for w in re.split(r"[_\W]+", option) if w]
        mapped = any(names_concept(option, names) for names, _ in concepts.values())
        if not mapped and all(len(w) <= 2 or w.isdigit() for w in words):
            out.append(f"unreadable option {option!r}: its id has no words a contract would use; name options as the contract "
                       "would ('speech_recognition', 'internal_research')")
        elif not mapped and type_name not in ("generic_choice",) and concepts:
            out.append(f"option {option!r} is read from its own words only (the {type_name} reader knows "
                       f"{', '.join(sorted(concepts))})")
    return out


def type_names() -> list[dict[str, str]]:
    """The term type library, for ``desk mandate types`` and the docs."""
    return [{"type": t.name, "title": t.title, "kinds": ", ".join(t.kinds), "reads": t.summary} for t in TYPES.values()]
