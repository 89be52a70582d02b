"""Editing the mandate in a grid: values parse back, bad edits name the term, saves are versions."""

import pytest

from core.errors import MandateError
from desk.mandate import load_mandate
from desk.mandate_edit import apply_table, save_mandate, terms_table
from desk.workspace import Workspace
from tests.conftest import REPO

MANDATE = load_mandate(REPO / "data" / "demo" / "mandate.toml")


def test_round_trip_without_edits_is_lossless():
    again = apply_table(MANDATE, terms_table(MANDATE))
    assert again.terms == MANDATE.terms and again.collective == MANDATE.collective


def test_edit_a_position_and_save_a_new_version(tmp_path):
    rows = terms_table(MANDATE)
    fee = next(r for r in rows if r["key"] == "annual_fee")
    fee["walk_away"] = "6,000,000"
    edited = apply_table(MANDATE, rows)
    assert edited.term("annual_fee").walk_away == 6_000_000
    ws = Workspace(tmp_path / "ws")
    v1 = save_mandate(ws, MANDATE)
    v2 = save_mandate(ws, edited, note="raise the floor")
    assert v1 != v2
    versions = ws.mandate_versions()
    assert [v["version"] for v in versions] == [v1, v2] and versions[-1]["note"] == "raise the floor"


def test_misordered_edit_names_the_term():
    rows = terms_table(MANDATE)
    next(r for r in rows if r["key"] == "deletion_days")["walk_away"] = "10"
    with pytest.raises(MandateError, match="deletion_days"):
        apply_table(MANDATE, rows)


def test_non_numeric_edit_names_the_term():
    rows = terms_table(MANDATE)
    next(r for r in rows if r["key"] == "annual_fee")["preferred"] = "lots"
    with pytest.raises(MandateError, match="annual_fee.*number"):
        apply_table(MANDATE, rows)


def test_weights_that_do_not_sum_to_one_are_refused_unless_rescaled():
    rows = terms_table(MANDATE)
    rows[0]["weight"] = 0.5
    with pytest.raises(MandateError, match="weight"):
        apply_table(MANDATE, rows)
    rescaled = apply_table(MANDATE, rows, normalise=True)
    assert abs(sum(t.weight for t in rescaled.terms) - 1) < 1e-9
