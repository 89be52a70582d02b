"""`desk mandate check`: the type and reader of each term, and warnings for what nothing can read."""

from __future__ import annotations

import json

from desk.mandate import parse_mandate
from desk.mandate_check import check_mandate
from tests.conftest import REPO

UNREADABLE = '''
[collective]
name = "Harbour Audio Archive"
sector = "audio"
members = 12

[[terms]]
key = "rate"
label = "Price per fortnight of listening"
categories = ["Compensation"]
kind = "number"
unit = "GBP/fortnight"
direction = "higher"
preferred = 3
acceptable = 2
walk_away = 1
weight = 0.4

[[terms]]
key = "notes"
label = "Anything else the licensee promises"
categories = ["Compensation"]
kind = "text"
preferred = "a"
acceptable = "b"
walk_away = "c"
weight = 0.3

[[terms]]
key = "hours"
label = "Breach notification within (hours)"
categories = ["Data Security"]
kind = "number"
unit = "hrs"
direction = "lower"
preferred = 24
acceptable = 48
walk_away = 72
weight = 0.3
'''


def test_an_unreadable_unit_and_a_text_term_are_named_before_any_contract(tmp_path, cli):
    path = tmp_path / "m.toml"
    path.write_text(UNREADABLE)
    result = cli("mandate", "check", str(path), "--json", workspace=tmp_path / "ws")
    assert result.code == 0
    payload = result.json()
    terms = {t["key"]: t for t in payload["terms"]}
    assert payload["unreadable"] == ["rate", "notes"]
    assert any("unreadable unit" in w and "fortnight" in w for w in terms["rate"]["warnings"])
    assert any("text term" in w for w in terms["notes"]["warnings"])
    # "hrs" is hours: a breach-notification deadline the security reader converts to
    assert terms["hours"]["type"] == "security" and terms["hours"]["warnings"] == [] and "hour" in terms["hours"]["unit"]


def test_text_output_lists_each_term_with_its_reader(tmp_path, cli):
    path = tmp_path / "m.toml"
    path.write_text(UNREADABLE)
    out = cli("mandate", "check", str(path), workspace=tmp_path / "ws").out
    assert "- rate (number): " in out and "warning: unreadable unit" in out and "nothing can read: rate, notes" in out


def test_the_demo_mandate_reads_every_term_with_a_library_type():
    from desk.mandate import load_mandate

    check = check_mandate(load_mandate(REPO / "data" / "demo" / "mandate.toml"))
    assert all(t.chosen == "inferred" and t.readable for t in check.terms)
    assert {t.key: t.type for t in check.terms}["governing_law"] == "governing_law"


def test_a_type_named_in_the_mandate_wins_and_a_wrong_one_is_refused(tmp_path):
    import pytest

    from core.errors import MandateError

    text = UNREADABLE.replace('key = "notes"', 'key = "notes"\ntype = "confidentiality"').replace('kind = "text"', 'kind = "boolean"').replace(
        'preferred = "a"\nacceptable = "b"\nwalk_away = "c"', "preferred = true\nacceptable = true\nwalk_away = true")
    mandate = parse_mandate(text, "m.toml")
    assert {t.key: (t.type, t.chosen) for t in check_mandate(mandate).terms}["notes"] == ("confidentiality", "mandate")
    with pytest.raises(MandateError, match="unknown type 'confidentiallity'; nearest: confidentiality"):
        parse_mandate(text.replace('type = "confidentiality"', 'type = "confidentiallity"'), "m.toml")
    with pytest.raises(MandateError, match="reads boolean terms, not number terms"):
        parse_mandate(UNREADABLE.replace('key = "hours"', 'key = "hours"\ntype = "exclusivity"'), "m.toml")


def test_an_unknown_category_lists_the_nearest_valid_ones():
    import pytest

    from core.errors import MandateError

    with pytest.raises(MandateError, match=r"unknown category 'Data Deletion'.*nearest valid: 'Data Deletion And Unlearning'"):
        parse_mandate(UNREADABLE.replace('categories = ["Data Security"]', 'categories = ["Data Deletion"]'), "m.toml")


def test_types_are_listed(cli, tmp_path):
    payload = json.loads(cli("mandate", "types", "--json", workspace=tmp_path / "ws").out)
    names = {t["type"] for t in payload["types"]}
    assert {"fee_per_period", "price_per_unit", "governing_law", "exclusivity", "generic_boolean"} <= names
