"""Load, validate, render and save a collective's mandate (its negotiating playbook).

A mandate is a TOML file (see ``data/demo/mandate.toml`` for the annotated demo
and DESIGN.md section 5). It is written by people, so the loader is strict and
every refusal names the file and the term at fault: a negotiator must be able to
fix the file from the one-line message alone.

Rules the loader enforces:

* ``[collective]`` has ``name``, ``sector`` and ``members``; ``records``,
  ``tokens``, ``years``, ``currency`` and ``description`` are optional.
* Each ``[[terms]]`` has a unique snake_case ``key``, a ``label``, known
  ``categories`` (from ``data/taxonomy/categories.json``), a known ``kind``
  and ``direction``, a positive ``weight`` and the three positions.
* ``number`` positions are ordered by direction (``higher``: preferred >=
  acceptable >= walk_away; ``lower``: the reverse); ``inf`` is allowed and
  stands for "perpetual" / "never".
* ``choice`` terms list ``options`` (in order of preference); each position is
  a list drawn from them, nested preferred within acceptable within walk_away.
* ``boolean`` positions are booleans; a concession cannot be undone further
  down (preferred == walk_away requires acceptable to equal them too).
* Weights must sum to 1 (within 1e-6). A mandate whose weights do not is
  refused rather than silently rescaled, because a typo in one weight would
  otherwise shift every other term without anyone noticing; pass
  ``normalise=True`` to rescale on purpose (the UI does so after the user
  confirms).
* ``fallback`` may use only the placeholders in ``PLACEHOLDERS``:
  ``{value}`` (human form: "USD 8,000,000 per year", "30 days"), ``{amount}``
  (bare number: "8,000,000"), ``{value_words}`` (in words: "eight million")
  and ``{unit}``. Literal braces are written ``{{`` and ``}}``.

``version`` is the sha256 of the TOML text, so a finding can say which version
of the playbook it was judged against.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import math
import re
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

from core.domain import Collective, Mandate, MandateTerm
from core.errors import MandateError
from core.taxonomy import load_taxonomy

TERM_KINDS: tuple[str, ...] = ("number", "choice", "boolean", "text")
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
PLACEHOLDERS: frozenset[str] = frozenset({"value", "amount", "value_words", "unit"})
POSITIONS: tuple[str, ...] = ("preferred", "acceptable", "walk_away")
WEIGHT_TOLERANCE = 1e-6

_TOP_LEVEL_FIELDS = frozenset({"collective", "terms"})
_COLLECTIVE_REQUIRED = ("name", "sector", "members")
_COLLECTIVE_FIELDS = frozenset({"name", "sector", "members", "records", "tokens", "years", "currency", "description"})
_TERM_REQUIRED = ("key", "label", "categories", "kind", "weight", *POSITIONS)
_TERM_FIELDS = frozenset(
    {
        "key", "label", "categories", "kind", "direction", "unit", "preferred", "acceptable", "walk_away",
        "weight", "fallback", "rationale", "query", "negotiable", "options", "type",
    }
)
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_MONEY_UNIT = re.compile(r"^(?P<currency>[A-Z]{3})(?:\s*/\s*(?P<per>[A-Za-z]+))?$")
_TIME_UNITS = {
    "day": "days", "days": "days", "month": "months", "months": "months", "year": "years", "years": "years",
    "yr": "years", "yrs": "years", "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours", "week": "weeks", "weeks": "weeks",
    "business day": "business days", "business days": "business days", "mos": "months",
}

# Human names for option ids the demo and common mandates use; other ids are
# shown with underscores turned into spaces.
OPTION_LABELS: dict[str, str] = {
    "display_rag": "retrieval and display (RAG)",
    "fine_tuning": "fine-tuning",
    "training": "model training",
    "synthetic_data_generation": "synthetic data generation",
    "mutual_written_agreement": "renewal by mutual written agreement",
    "auto_renew_with_opt_out": "automatic renewal with a right to opt out",
    "automatic_or_unilateral": "automatic or unilateral renewal",
    "attribution_with_links": "attribution with links",
    "attribution_only": "attribution without links",
    "no_attribution": "no attribution",
    "new_york": "New York law",
    "england_and_wales": "the law of England and Wales",
    "delaware": "Delaware law",
    "california": "California law",
}


# --------------------------------------------------------------------- loading


def load_mandate(path: Path | str, *, normalise: bool = False, taxonomy: Mapping[str, str] | None = None) -> Mandate:
    """Read and validate a mandate file; errors name the file and the term."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")  # tolerate a BOM from Windows editors
    except FileNotFoundError as exc:
        raise MandateError(path.name, "mandate file not found") from exc
    except IsADirectoryError as exc:
        raise MandateError(path.name, "is a directory, not a mandate file") from exc
    except UnicodeDecodeError as exc:
        raise MandateError(path.name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return parse_mandate(text, source=str(path), normalise=normalise, taxonomy=taxonomy)


def parse_mandate(
    text: str, source: str = "", *, normalise: bool = False, taxonomy: Mapping[str, str] | None = None
) -> Mandate:
    """Validate mandate TOML text; ``source`` is only used to name the file in errors."""
    name = Path(source).name if source else "mandate"
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MandateError(name, f"invalid TOML: {exc}") from exc
    except RecursionError:
        raise MandateError(name, "invalid TOML: arrays or tables nested too deeply") from None
    _check_integer_range(raw, name)
    unknown = sorted(set(raw) - _TOP_LEVEL_FIELDS)
    if unknown:
        fields = ", ".join(unknown)
        raise MandateError(name, f"unknown top-level field(s) {fields}; expected [collective] and [[terms]]")
    collective = _parse_collective(raw.get("collective"), f"{name}: [collective]")
    raw_terms = raw.get("terms")
    if not isinstance(raw_terms, list) or not raw_terms:
        raise MandateError(name, "no [[terms]]: a mandate needs at least one term")
    known_categories = load_taxonomy() if taxonomy is None else taxonomy
    terms: list[MandateTerm] = []
    first_seen: dict[str, int] = {}
    for index, raw_term in enumerate(raw_terms, start=1):
        term = _parse_term(raw_term, index, name, known_categories)
        if term.key in first_seen:
            raise MandateError(
                f"{name}: term '{term.key}'", f"duplicate key: term #{index} repeats term #{first_seen[term.key]}"
            )
        first_seen[term.key] = index
        terms.append(term)
    terms = _checked_weights(terms, name, normalise)
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Mandate(collective=collective, terms=tuple(terms), version=version, source=source)


def _check_integer_range(raw: Any, name: str) -> None:
    """TOML integers are 64-bit; Python's parser takes any size, and 10**400 later broke float arithmetic."""
    stack: list[tuple[str, Any]] = [("", raw)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise MandateError(name, f"{where}: integer out of range (TOML integers are 64-bit)")


def _parse_collective(raw: Any, subject: str) -> Collective:
    if not isinstance(raw, dict):
        raise MandateError(subject, "missing [collective] table")
    for field in _COLLECTIVE_REQUIRED:
        if field not in raw:
            raise MandateError(subject, f"missing required field '{field}'")
    unknown = sorted(set(raw) - _COLLECTIVE_FIELDS)
    if unknown:
        raise MandateError(subject, f"unknown field(s) {', '.join(unknown)}")
    for field in ("name", "sector"):
        if not isinstance(raw[field], str) or not raw[field].strip():
            raise MandateError(subject, f"'{field}' must be a non-empty string")
    members = raw["members"]
    if not isinstance(members, int) or isinstance(members, bool) or members < 1:
        raise MandateError(subject, f"'members' must be a positive whole number, got {members!r}")
    for field in ("records", "tokens", "years"):
        value = raw.get(field)
        if value is not None and (not _is_number(value) or not math.isfinite(value) or value < 0):
            raise MandateError(subject, f"'{field}' must be a non-negative number, got {value!r}")
    currency = raw.get("currency", "USD")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise MandateError(subject, f"'currency' must be a three-letter ISO code such as 'USD', got {currency!r}")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise MandateError(subject, "'description' must be a string")
    return Collective(
        name=raw["name"],
        sector=raw["sector"],
        members=members,
        records=raw.get("records"),
        tokens=raw.get("tokens"),
        years=raw.get("years"),
        currency=currency,
        description=description,
    )


def _parse_term(raw: Any, index: int, name: str, taxonomy: Mapping[str, str]) -> MandateTerm:
    if not isinstance(raw, dict):
        raise MandateError(f"{name}: term #{index}", "each [[terms]] entry must be a table")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY_PATTERN.match(key):
        raise MandateError(f"{name}: term #{index}", f"'key' must be a snake_case identifier, got {key!r}")
    subject = f"{name}: term '{key}'"
    for field in _TERM_REQUIRED:
        if field not in raw:
            raise MandateError(subject, f"missing required field '{field}'")
    unknown = sorted(set(raw) - _TERM_FIELDS)
    if unknown:
        raise MandateError(subject, f"unknown field(s) {', '.join(unknown)}")
    for field in ("label", "unit", "fallback", "rationale", "query"):
        if field in raw and not isinstance(raw[field], str):
            raise MandateError(subject, f"'{field}' must be a string")
    if not raw["label"].strip():
        raise MandateError(subject, "'label' must not be empty")

    kind = raw["kind"]
    if kind not in TERM_KINDS:
        raise MandateError(subject, f"unknown kind {kind!r}; expected one of {', '.join(TERM_KINDS)}")
    if kind == "number" and "direction" not in raw:
        raise MandateError(subject, "missing required field 'direction' (number terms need 'higher' or 'lower')")
    direction = raw.get("direction", "higher")
    if direction not in DIRECTIONS:
        raise MandateError(subject, f"unknown direction {direction!r}; expected 'higher' or 'lower'")

    categories = _checked_categories(raw["categories"], subject, taxonomy)
    weight = raw["weight"]
    if not _is_number(weight) or not math.isfinite(weight) or weight <= 0:
        raise MandateError(subject, f"weight must be a positive number, got {weight!r}")
    negotiable = raw.get("negotiable", True)
    if not isinstance(negotiable, bool):
        raise MandateError(subject, "'negotiable' must be true or false")

    options: tuple[str, ...] = ()
    preferred, acceptable, walk_away = (raw[p] for p in POSITIONS)
    if kind == "number":
        _check_numbers(raw, direction, subject)
    elif kind == "choice":
        options = _checked_options(raw.get("options"), subject)
        preferred, acceptable, walk_away = _checked_choices(raw, options, subject)
    elif kind == "boolean":
        _check_booleans(raw, subject)
    else:
        for position in POSITIONS:
            if not isinstance(raw[position], str):
                raise MandateError(subject, f"{position} must be a string for a text term")
    if kind != "choice" and "options" in raw:
        raise MandateError(subject, f"'options' only applies to choice terms, not {kind} terms")

    fallback = raw.get("fallback", "")
    _check_placeholders(fallback, subject)
    term_type = _checked_type(raw.get("type", ""), kind, subject)
    return MandateTerm(
        key=key,
        label=raw["label"],
        categories=categories,
        kind=kind,
        direction=direction,
        unit=raw.get("unit", ""),
        preferred=preferred,
        acceptable=acceptable,
        walk_away=walk_away,
        weight=weight,
        fallback=fallback,
        rationale=raw.get("rationale", ""),
        query=raw.get("query", "") or raw["label"],
        negotiable=negotiable,
        options=options,
        type=term_type,
    )


def _checked_type(raw: Any, kind: str, subject: str) -> str:
    """An optional term type from the desk's library; it must exist and read terms of this kind."""
    from desk.term_types import TYPES, nearest_types

    if raw == "":
        return ""
    if not isinstance(raw, str):
        raise MandateError(subject, f"'type' must be a string naming a term type, got {raw!r}")
    if raw not in TYPES:
        raise MandateError(subject, f"unknown type {raw!r}; nearest: {', '.join(nearest_types(raw))} (desk mandate types lists them all)")
    if kind not in TYPES[raw].kinds:
        kinds = " or ".join(TYPES[raw].kinds)
        raise MandateError(subject, f"type {raw!r} reads {kinds} terms, not {kind} terms")
    return raw


def _checked_categories(raw: Any, subject: str, taxonomy: Mapping[str, str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        raise MandateError(subject, "'categories' must be a non-empty list of category names")
    for category in raw:
        if category not in taxonomy:
            close = _nearest_categories(category, list(taxonomy))
            hint = f"; nearest valid: {', '.join(repr(c) for c in close)}"
            raise MandateError(subject, f"unknown category {category!r} (not in the clause taxonomy){hint}")
    if len(set(raw)) != len(raw):
        raise MandateError(subject, "'categories' lists a category twice")
    return tuple(raw)


def _nearest_categories(category: str, names: list[str]) -> list[str]:
    """The valid categories a misspelt or invented one most likely meant (by spelling, then by shared words)."""
    close = difflib.get_close_matches(category, names, n=3, cutoff=0.5)
    lowered = {n.lower(): n for n in names}
    close += difflib.get_close_matches(category.lower(), list(lowered), n=3, cutoff=0.5) and [
        lowered[c] for c in difflib.get_close_matches(category.lower(), list(lowered), n=3, cutoff=0.5)
    ]
    words = set(re.findall(r"[a-z]{3,}", category.lower()))
    by_words = sorted(names, key=lambda n: -len(words & set(re.findall(r"[a-z]{3,}", n.lower()))))
    close += [n for n in by_words[:3] if words & set(re.findall(r"[a-z]{3,}", n.lower()))]
    return list(dict.fromkeys(close))[:3] or names[:3]


def _check_numbers(raw: Mapping[str, Any], direction: str, subject: str) -> None:
    for position in POSITIONS:
        value = raw[position]
        if not _is_number(value) or math.isnan(value):
            raise MandateError(subject, f"{position} must be a number for a number term, got {value!r}")
    pairs = (("preferred", "acceptable"), ("acceptable", "walk_away"))
    for better, worse in pairs:
        b, w = raw[better], raw[worse]
        misordered = b < w if direction == "higher" else b > w
        if misordered:
            raise MandateError(
                subject,
                f"{worse} {_show(w)} is better than {better} {_show(b)} for direction '{direction}'",
            )


def _checked_options(raw: Any, subject: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(o, str) and o for o in raw):
        raise MandateError(subject, "choice terms need 'options': a non-empty list of option names")
    if len(set(raw)) != len(raw):
        raise MandateError(subject, "'options' lists an option twice")
    return tuple(raw)


def _checked_choices(raw: Mapping[str, Any], options: tuple[str, ...], subject: str) -> tuple[tuple[str, ...], ...]:
    positions: list[tuple[str, ...]] = []
    for position in POSITIONS:
        value = raw[position]
        if not isinstance(value, list) or not value or not all(isinstance(o, str) for o in value):
            raise MandateError(subject, f"{position} must be a non-empty list of options, got {value!r}")
        stray = [o for o in value if o not in options]
        if stray:
            raise MandateError(subject, f"{position} names {stray[0]!r}, which is not in options {list(options)}")
        positions.append(tuple(value))
    named = list(zip(POSITIONS, positions))
    for (inner_name, inner), (outer_name, outer) in zip(named, named[1:]):
        missing = [o for o in inner if o not in outer]
        if missing:
            raise MandateError(subject, f"{inner_name} option {missing[0]!r} is missing from {outer_name}")
    return tuple(positions)


def _check_booleans(raw: Mapping[str, Any], subject: str) -> None:
    for position in POSITIONS:
        if not isinstance(raw[position], bool):
            raise MandateError(subject, f"{position} must be true or false for a boolean term, got {raw[position]!r}")
    if raw["preferred"] == raw["walk_away"] != raw["acceptable"]:
        raise MandateError(subject, "acceptable contradicts preferred and walk_away (a concession cannot be undone)")


def _check_placeholders(fallback: str, subject: str) -> None:
    try:
        parsed = list(string.Formatter().parse(fallback))
    except ValueError as exc:
        reason = f"fallback has malformed braces ({exc}); write literal braces as {{{{ }}}}"
        raise MandateError(subject, reason) from exc
    allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in PLACEHOLDERS:
            raise MandateError(subject, f"fallback placeholder {{{field}}} is unknown; use {allowed}")
        if spec or conversion:
            reason = f"fallback placeholder {{{field}}} must not carry a format; the desk formats values"
            raise MandateError(subject, reason)


def _checked_weights(terms: list[MandateTerm], name: str, normalise: bool) -> list[MandateTerm]:
    total = math.fsum(t.weight for t in terms)
    if abs(total - 1.0) <= WEIGHT_TOLERANCE:
        return terms
    if not normalise:
        raise MandateError(name, f"term weights sum to {total:.6g}, not 1; fix them or load with normalise=True")
    return [dataclasses.replace(t, weight=t.weight / total) for t in terms]


# ------------------------------------------------------------------ rendering


# a multiple of something: "times annual fees", "x annual fees", "× the fees", "multiple of annual fees"
_MULTIPLE_UNIT = re.compile(r"^(?:x|×|times|multiples?\s+of)(?:\s+(?P<of>.*))?$", re.I)


def fill_fallback(term: MandateTerm, value: Any = None) -> str:
    """The term's fallback clause with ``value`` (default: the preferred position) filled in."""
    if value is None:
        value = term.preferred
    fields = placeholder_values(term, value)
    return string.Formatter().vformat(term.fallback, (), fields)


def option_label(option: str) -> str:
    """A choice option as people write it: its label, else its id in words ("speech_recognition":
    "speech recognition"); an option the contract named outside the mandate's list ("other:...") says so."""
    if option.startswith("other:"):
        return f"{option_label(option[len('other:'):])} (not an option of the mandate)"
    return OPTION_LABELS.get(option) or " ".join(option.replace("_", " ").split())


def format_value(term: MandateTerm, value: Any) -> str:
    """A position or proposal value as a person would write it ("USD 8,000,000 per year")."""
    return placeholder_values(term, value)["value"]


def placeholder_values(term: MandateTerm, value: Any) -> dict[str, str]:
    """Every fallback placeholder for ``value``, formatted for ``term``'s kind and unit."""
    unit = term.unit
    if term.kind == "choice":
        chosen = [value] if isinstance(value, str) else list(value)
        text = _join_words([option_label(o) for o in chosen])
        return {"value": text, "amount": text, "value_words": text, "unit": unit}
    if term.kind == "boolean":
        text = "yes" if value else "no"
        return {"value": text, "amount": text, "value_words": text, "unit": unit}
    if term.kind == "text" or not _is_number(value):
        return {"value": str(value), "amount": str(value), "value_words": str(value), "unit": unit}
    if math.isinf(value):
        plural = _TIME_UNITS.get(unit.lower())
        text = "perpetual" if plural == "years" else ("never" if plural and term.direction == "lower" else "unlimited")
        return {"value": text, "amount": text, "value_words": text, "unit": unit}
    amount = _format_amount(value)
    words = number_to_words(value)
    money = _MONEY_UNIT.match(unit)
    if money:
        per = f" per {money['per']}" if money["per"] else ""
        return {"value": f"{money['currency']} {amount}{per}", "amount": amount, "value_words": words, "unit": unit}
    if unit.lower() in ("percent", "%"):
        return {"value": f"{amount}%", "amount": amount, "value_words": f"{words} percent", "unit": unit}
    multiple = _MULTIPLE_UNIT.match(unit.strip())
    if multiple:  # a liability cap of "1× annual fees", not "1 times annual fees"
        of = (multiple["of"] or "").strip()
        return {"value": f"{amount}×" + (f" {of}" if of else ""), "amount": amount, "value_words": words, "unit": unit}
    plural = _TIME_UNITS.get(unit.lower())
    if plural:
        shown = plural[:-1] if value == 1 else plural
        return {"value": f"{amount} {shown}", "amount": amount, "value_words": words, "unit": unit}
    return {"value": f"{amount} {unit}".strip(), "amount": amount, "value_words": words, "unit": unit}


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def number_to_words(value: float) -> str:
    """Whole numbers in English words, as contracts spell them; fractions stay as digits."""
    if not _is_number(value) or not math.isfinite(value) or value != int(value) or abs(value) >= 10**15:
        return _format_amount(value) if _is_number(value) and math.isfinite(value) else str(value)
    n = int(value)
    if n < 0:
        return "minus " + number_to_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {number_to_words(rest)}" if rest else "")
    for scale, name in _SCALES:
        if n >= scale:
            head, rest = divmod(n, scale)
            tail = ""
            if rest:
                tail = (" and " if rest < 100 else " ") + number_to_words(rest)
            return f"{number_to_words(head)} {name}{tail}"
    raise AssertionError("unreachable")  # every n >= 1000 matches a scale


# --------------------------------------------------------------------- saving


def mandate_to_toml(mandate: Mandate) -> str:
    """TOML that ``parse_mandate`` reads back to the same collective and terms (comments are not kept)."""
    collective = {
        k: v
        for k, v in mandate.collective.to_dict().items()
        if v is not None and not (k == "description" and v == "")
    }
    terms = []
    for term in mandate.terms:
        row: dict[str, Any] = {
            "key": term.key,
            "label": term.label,
            "categories": list(term.categories),
            "kind": term.kind,
            "direction": term.direction,
        }
        if term.unit:
            row["unit"] = term.unit
        if term.options:
            row["options"] = list(term.options)
        if term.type:
            row["type"] = term.type
        for position in POSITIONS:
            value = getattr(term, position)
            row[position] = list(value) if isinstance(value, tuple) else value
        row["weight"] = term.weight
        row["negotiable"] = term.negotiable
        for field in ("fallback", "rationale", "query"):
            row[field] = getattr(term, field)
        terms.append(row)
    header = f"# Mandate of {mandate.collective.name}, saved by the Negotiation Desk.\n\n"
    return header + tomli_w.dumps({"collective": collective, "terms": terms})


# -------------------------------------------------------------------- helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _format_amount(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) < 1:  # a price per token or per record: "0.025", not "0.03"
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _show(value: float) -> str:
    return str(int(value)) if _is_number(value) and math.isfinite(value) and value == int(value) else str(value)


def _join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


