"""`desk value`: the same numbers as the page, cached until an input changes, honest about the stand-in."""

from __future__ import annotations

import pytest

from core.errors import DeskError
from desk.workspace import Workspace
from desk.valuation_service import store_sample, workspace_sample


def test_value_json_and_cache(demo_workspace, cli):
    first = cli("value", "--draws", "300", "--proceeds", "3000000.00", "--json", workspace=demo_workspace)
    assert first.code == 0, first.err
    report = first.json()
    assert report["p10"] <= report["p50"] <= report["p90"] and report["unit"] == "USD/year"
    methods = {e["method"]: e for e in report["estimates"]}
    assert {"comparables", "data_counterfactual"} <= set(methods)
    assert methods["comparables"]["evidence"], "the deals behind the comparables range are listed"
    assert report["sample"]["stand_in"] and any("STAND-IN" in n for n in report["notes"])
    assert report["combined"]["inputs"]["weights"].get("data_counterfactual", 0) == 0
    cents = sum(m["shapley_cents"] for m in report["payout"]["members"])
    assert cents == 300_000_000
    assert report["cached"] is False
    again = cli("value", "--draws", "300", "--json", workspace=demo_workspace).json()
    assert again["cached"] is True and again["p50"] == report["p50"]
    changed = cli("value", "--draws", "300", "--value-per-point", "5000000", "--json", workspace=demo_workspace).json()
    assert changed["cached"] is False


def test_opted_out_members_get_nothing(demo_workspace, cli):
    report = cli("value", "--draws", "200", "--opted-out", "member_02", "--proceeds", "1000", "--json", workspace=demo_workspace).json()
    paid = {m["member"]: m for m in report["payout"]["members"]}
    assert paid["member_02"]["opted_out"] and paid["member_02"]["shapley_cents"] == 0 and paid["member_02"]["pro_rata_cents"] == 0
    assert sum(m["shapley_cents"] for m in paid.values()) == 100_000


def test_a_bad_sample_is_refused_and_nothing_is_stored(demo_workspace):
    ws = Workspace(demo_workspace)
    with pytest.raises(DeskError, match="label"):
        store_sample(ws, b"text,member\nhello,a\n" * 30, "ours.csv")
    assert workspace_sample(ws) is None
