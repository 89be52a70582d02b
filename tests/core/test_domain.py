"""Domain objects: frozen, JSON-friendly, and round-tripping through the workspace's JSON."""

import dataclasses
import json
import math

import pytest

from core.domain import CategoryScore, Clause, Document, Page, Value, to_jsonable


def _clause() -> Clause:
    return Clause(
        id="abc:10-40", document_id="abc", heading="3. Term", text="a perpetual licence", page=2, start=10, end=40,
        categories=(CategoryScore("Irrevocable Or Perpetual License", 0.91),),
        values=(Value("duration", math.inf, "years", "perpetual", 12, 21),), kind="section",
    )


def test_objects_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        _clause().page = 3  # type: ignore[misc]


def test_json_round_trip_keeps_infinity_as_a_number():
    payload = json.loads(json.dumps(_clause().to_dict()))  # strict JSON: "inf", never Infinity
    assert payload["values"][0]["amount"] == "inf"
    again = Clause.from_dict(payload)
    assert again == _clause() and math.isinf(again.values[0].amount)


def test_nan_becomes_null_and_tuples_become_lists():
    assert to_jsonable({"x": (1, float("nan"))}) == {"x": [1, None]}


def test_page_of_an_offset():
    doc = Document(id="d", title="t", kind="proposal", text="x" * 30, pages=(Page(1, 0, 10), Page(2, 10, 30)))
    assert [doc.page_at(o) for o in (0, 9, 10, 29, 30)] == [1, 1, 2, 2, 2]
    assert Document.from_dict(doc.to_dict()) == doc and doc.page_count == 2
    assert Clause.from_dict(_clause().to_dict()).score("Irrevocable Or Perpetual License") == 0.91


def test_a_location_is_one_value_written_flat_into_its_owner():
    from core.domain import Evidence, Location

    where = Location("doc", page=3, start=100, end=180, heading="7. Exclusivity")
    evidence = Evidence("doc:100-180", where, quote="exclusive licence")
    assert (evidence.document_id, evidence.page, evidence.start, evidence.end, evidence.heading) == ("doc", 3, 100, 180, "7. Exclusivity")
    assert evidence.to_dict() == {
        "clause_id": "doc:100-180", "document_id": "doc", "page": 3, "start": 100, "end": 180,
        "heading": "7. Exclusivity", "quote": "exclusive licence",
    }
    assert _clause().location == Location("abc", 2, 10, 40, "3. Term")


def test_a_clause_prints_in_the_shape_of_the_design():
    shown = _clause().public_dict()
    assert set(shown) == {"id", "heading", "page", "start", "end", "text", "categories", "values"}
    assert shown["values"][0] == {"kind": "duration", "amount": math.inf, "unit": "years", "text": "perpetual", "start": 12, "end": 21}
    assert shown["categories"] == [{"name": "Irrevocable Or Perpetual License", "score": 0.91}]
