"""The mandate loader: the demo loads, every kind of bad file is refused by name, saving round-trips."""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path

import pytest

from core.errors import MandateError
from desk.mandate import (
    PLACEHOLDERS,
    fill_fallback,
    format_value,
    load_mandate,
    mandate_to_toml,
    number_to_words,
    parse_mandate,
)
from core.taxonomy import load_categories, load_taxonomy

REPO = Path(__file__).resolve().parents[2]
DEMO_MANDATE = REPO / "data" / "demo" / "mandate.toml"
SHARED_DATA = REPO.parent / "shared" / "data"

TERM = """
[[terms]]
key = "{key}"
label = "A term"
categories = ["Compensation"]
kind = "number"
unit = "USD/year"
direction = "higher"
preferred = 10
acceptable = 8
walk_away = 5
weight = {weight}
fallback = "pay {{value}}"
"""

HEADER = """
[collective]
name = "Test Trust"
sector = "news"
members = 3
"""


def small_mandate(*terms: str) -> str:
    return HEADER + "".join(terms)


def term(key: str = "fee", weight: float = 1.0, **overrides: str) -> str:
    """One valid number term as TOML; ``overrides`` replace whole ``field = value`` lines."""
    text = TERM.format(key=key, weight=weight)
    for field, line in overrides.items():
        pattern = re.compile(rf"^{field} = .*$", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(line.replace("\\", "\\\\"), text) if line else pattern.sub("", text)
        else:
            text += line + "\n"
    return text


def refused(text: str) -> MandateError:
    with pytest.raises(MandateError) as info:
        parse_mandate(text, source="/somewhere/mandate.toml")
    return info.value


# ------------------------------------------------------------------ the demo


def test_demo_mandate_loads_with_fifteen_weighted_terms():
    mandate = load_mandate(DEMO_MANDATE)
    assert mandate.collective.name == "Northern News Publishers' Data Trust"
    assert mandate.collective.members == 42
    assert 13 <= len(mandate.terms) <= 15
    assert math.isclose(sum(t.weight for t in mandate.terms), 1.0, abs_tol=1e-9)
    assert len(mandate.version) == 64
    assert mandate.term("annual_fee").walk_away == 5_000_000
    uses = mandate.term("permitted_uses")
    assert set(uses.preferred) <= set(uses.acceptable) <= set(uses.walk_away) <= set(uses.options)
    assert mandate.term("exclusivity").walk_away is False


def test_demo_mandate_uses_only_taxonomy_categories_and_taxonomy_holds_all_cuad_names():
    taxonomy = load_taxonomy()
    mandate = load_mandate(DEMO_MANDATE)
    assert all(c in taxonomy for t in mandate.terms for c in t.categories)
    cuad = json.loads((SHARED_DATA / "cuad" / "categories.json").read_text(encoding="utf-8"))
    cuad_names = {c["category"] for c in cuad["categories"]}
    records = load_categories()
    assert {r["name"] for r in records if r["source"] == "cuad"} == cuad_names
    desk_names = {r["name"] for r in records if r["source"] == "desk"}
    assert {"AI Training Use", "Member Opt-Out", "Data Deletion And Unlearning", "Attribution"} <= desk_names
    assert all(r["description"].strip() for r in records)


def test_version_is_sha256_of_text_and_changes_with_it():
    text = DEMO_MANDATE.read_text(encoding="utf-8")
    first = parse_mandate(text)
    second = parse_mandate(text + "\n# edited\n")
    assert first.version != second.version
    assert first.version == hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------- refusals name terms


def test_duplicate_key_is_refused_naming_the_term():
    error = refused(small_mandate(term("fee", 0.5), term("fee", 0.5)))
    assert error.subject == "mandate.toml: term 'fee'"
    assert "duplicate key" in error.reason


def test_misordered_numbers_are_refused_with_both_values():
    error = refused(small_mandate(term(walk_away="walk_away = 9")))
    assert str(error) == "mandate.toml: term 'fee': walk_away 9 is better than acceptable 8 for direction 'higher'"


def test_lower_direction_reverses_the_order():
    ok = term(
        direction='direction = "lower"', preferred="preferred = 2", acceptable="acceptable = 3", walk_away="walk_away = inf"
    )
    mandate = parse_mandate(small_mandate(ok))
    assert math.isinf(mandate.term("fee").walk_away)
    error = refused(small_mandate(term(direction='direction = "lower"')))
    assert "term 'fee'" in str(error) and "direction 'lower'" in error.reason


def test_unknown_category_is_refused_with_a_suggestion():
    error = refused(small_mandate(term(categories='categories = ["Exclusivty"]')))
    assert error.subject == "mandate.toml: term 'fee'"
    assert "unknown category 'Exclusivty'" in error.reason and "'Exclusivity'" in error.reason


@pytest.mark.parametrize(
    "fallback, expected",
    [
        ('fallback = "pay {amout}"', "placeholder {amout} is unknown"),
        ('fallback = "pay {}"', "placeholder {} is unknown"),
        ('fallback = "pay {value:,}"', "must not carry a format"),
        ('fallback = "pay {value"', "malformed braces"),
    ],
)
def test_bad_fallback_placeholders_are_refused(fallback, expected):
    error = refused(small_mandate(term(fallback=fallback)))
    assert error.subject == "mandate.toml: term 'fee'"
    assert expected in error.reason


def test_literal_braces_and_every_documented_placeholder_are_accepted():
    text = 'fallback = "{{note}} {value} {amount} {value_words} {unit}"'
    mandate = parse_mandate(small_mandate(term(fallback=text)))
    assert fill_fallback(mandate.term("fee"), 8) == "{note} USD 8 per year 8 eight USD/year"
    assert PLACEHOLDERS == {"value", "amount", "value_words", "unit"}


@pytest.mark.parametrize("weight", [-0.2, 0])
def test_non_positive_weight_is_refused(weight):
    error = refused(small_mandate(term("fee", weight)))
    assert error.subject == "mandate.toml: term 'fee'"
    assert "weight must be a positive number" in error.reason


def test_unknown_kind_is_refused():
    error = refused(small_mandate(term(kind='kind = "range"')))
    assert error.subject == "mandate.toml: term 'fee'"
    assert "unknown kind 'range'" in error.reason


def test_missing_term_field_is_refused():
    error = refused(small_mandate(term(walk_away="")))
    assert str(error) == "mandate.toml: term 'fee': missing required field 'walk_away'"


def test_missing_collective_field_is_refused():
    text = small_mandate(term()).replace('sector = "news"\n', "")
    error = refused(text)
    assert str(error) == "mandate.toml: [collective]: missing required field 'sector'"


def test_bad_toml_syntax_is_refused_naming_the_file():
    error = refused(small_mandate(term()) + "\n[[terms]\nkey = ")
    assert error.subject == "mandate.toml"
    assert error.reason.startswith("invalid TOML")


def test_unknown_field_typo_is_refused():
    error = refused(small_mandate(term(weight_typo="wieght = 0.1")))
    assert "unknown field(s) wieght" in error.reason


def test_choice_positions_must_nest_and_come_from_options():
    choice = """
[[terms]]
key = "uses"
label = "Uses"
categories = ["License Grant"]
kind = "choice"
options = ["a", "b", "c"]
preferred = ["a"]
acceptable = {acceptable}
walk_away = ["a", "b"]
weight = 1.0
"""
    assert parse_mandate(small_mandate(choice.format(acceptable='["a", "b"]'))).term("uses").acceptable == ("a", "b")
    error = refused(small_mandate(choice.format(acceptable='["a", "c"]')))
    assert str(error) == "mandate.toml: term 'uses': acceptable option 'c' is missing from walk_away"
    error = refused(small_mandate(choice.format(acceptable='["a", "z"]')))
    assert "'z', which is not in options" in error.reason


def test_boolean_concession_cannot_be_undone():
    boolean = term(
        kind='kind = "boolean"',
        direction="",
        unit="",
        preferred="preferred = true",
        acceptable="acceptable = false",
        walk_away="walk_away = true",
        fallback="",
    )
    error = refused(small_mandate(boolean))
    assert "term 'fee'" in str(error) and "cannot be undone" in error.reason


def test_weights_must_sum_to_one_unless_normalising():
    text = small_mandate(term("a", 2.0), term("b", 6.0))
    error = refused(text)
    assert error.subject == "mandate.toml" and "sum to 8" in error.reason
    mandate = parse_mandate(text, normalise=True)
    assert [t.weight for t in mandate.terms] == [0.25, 0.75]


def test_load_mandate_names_a_missing_file(tmp_path):
    with pytest.raises(MandateError) as info:
        load_mandate(tmp_path / "nope.toml")
    assert str(info.value) == "nope.toml: mandate file not found"


# ------------------------------------------------------------------ round trip


def test_round_trip_through_toml_is_lossless(tmp_path):
    mandate = load_mandate(DEMO_MANDATE)
    saved = tmp_path / "saved.toml"
    saved.write_text(mandate_to_toml(mandate), encoding="utf-8")
    again = load_mandate(saved)
    assert again.collective == mandate.collective
    assert again.terms == mandate.terms
    assert again.source == str(saved)


def test_round_trip_keeps_infinite_positions():
    lower = term(
        direction='direction = "lower"', preferred="preferred = 1", acceptable="acceptable = 2", walk_away="walk_away = inf"
    )
    text = small_mandate(lower)
    mandate = parse_mandate(text)
    assert parse_mandate(mandate_to_toml(mandate)).terms == mandate.terms


# ------------------------------------------------------------------ rendering


def test_fill_fallback_formats_money_days_years_percent_and_choices():
    mandate = load_mandate(DEMO_MANDATE)
    fee = fill_fallback(mandate.term("annual_fee"), 8_000_000)
    assert "not less than USD 8,000,000 per year, payable" in fee
    assert "{" not in fee
    assert "within ninety (90) days after" in fill_fallback(mandate.term("deletion_days"), 90).lower()
    assert "term of three (3) years" in fill_fallback(mandate.term("licence_term_years"), 3)
    assert "Licensor 4% of Net Display Revenue" in fill_fallback(mandate.term("display_revenue_share"), 4)
    uses = fill_fallback(mandate.term("permitted_uses"), ["display_rag", "fine_tuning"])
    assert "solely for retrieval and display (RAG) and fine-tuning;" in uses
    # Without a value the preferred position is used.
    assert "USD 12,000,000 per year" in fill_fallback(mandate.term("annual_fee"))


def test_format_value_for_open_ended_and_singular_values():
    mandate = load_mandate(DEMO_MANDATE)
    assert format_value(mandate.term("licence_term_years"), math.inf) == "perpetual"
    assert format_value(mandate.term("deletion_days"), math.inf) == "never"  # a deadline that never comes
    assert format_value(mandate.term("liability_cap_multiple"), math.inf) == "unlimited"
    assert format_value(mandate.term("licence_term_years"), 1) == "1 year"
    assert format_value(mandate.term("display_revenue_share"), 2.5) == "2.5%"
    assert format_value(mandate.term("exclusivity"), False) == "no"
    assert format_value(mandate.term("governing_law"), "california") == "California law"


@pytest.mark.parametrize(
    "number, words",
    [
        (0, "zero"),
        (15, "fifteen"),
        (42, "forty-two"),
        (180, "one hundred and eighty"),
        (3_000_000, "three million"),
        (12_500_000, "twelve million five hundred thousand"),
        (1_005, "one thousand and five"),
    ],
)
def test_number_to_words(number, words):
    assert number_to_words(number) == words
