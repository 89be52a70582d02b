"""Integrity of the review evaluation set in data/evaluation/review/.

The set pairs proposals with mandates and records, for every mandate term, what a
lawyer read in the proposal. These checks keep the hand-written truth usable: every
file loads, every truth table covers exactly its mandate's terms, values have the
term's type, statuses follow from values by the mandate's own rules, quotes are the
proposal's words, and the tune/holdout split keeps unseen drafting in the holdout.
Nothing here runs the review engine.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from core.domain import STATUSES
from desk.mandate import load_mandate
from tests.desk.test_demo_data import _status_by_mandate_rules

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO / "data" / "evaluation" / "review"
MANDATES = sorted((DEVSET / "mandates").glob("*.toml"))
PROPOSALS = sorted(p for p in (DEVSET / "proposals").iterdir() if p.suffix in (".md", ".txt"))
TRUTHS = sorted((DEVSET / "truth").glob("*.toml"))
UNDECIDED = ("not_addressed", "unclear")


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _truth(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _split() -> dict[str, str]:
    return tomllib.loads((DEVSET / "split.toml").read_text(encoding="utf-8"))["pairs"]


def _expected_status(term, value) -> str:
    """The status the mandate rules give ``value``: the same hand-written rules the demo's table is checked by."""
    return _status_by_mandate_rules(term, value)


def test_the_set_has_its_files():
    assert len(MANDATES) >= 4
    assert len(PROPOSALS) >= 8
    assert len(TRUTHS) >= 10
    assert (DEVSET / "README.md").is_file()


@pytest.mark.parametrize("path", MANDATES, ids=lambda p: p.stem)
def test_every_mandate_loads(path):
    mandate = load_mandate(path)
    assert 9 <= len(mandate.terms) <= 14
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert all("type" not in term for term in raw["terms"]), f"{path.name}: terms use 'kind', not 'type'"
    demo_keys = {t.key for t in load_mandate(REPO / "data" / "demo" / "mandate.toml").terms}
    shared = demo_keys & {t.key for t in mandate.terms}
    assert not shared, f"{path.name}: reuses the demo mandate's keys {sorted(shared)}"


@pytest.mark.parametrize("path", PROPOSALS, ids=lambda p: p.stem)
def test_every_proposal_is_reviewed_against_some_mandate(path):
    documents = {(DEVSET / _truth(t)["document"]).resolve() for t in TRUTHS}
    assert path.resolve() in documents, f"{path.name} has no truth file"


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.stem)
def test_truth_file_is_consistent(path):
    truth = _truth(path)
    assert set(truth) == {"document", "mandate", "terms"}, f"{path.name}: unexpected top-level keys"
    document = (DEVSET / truth["document"]).resolve()
    mandate_path = (DEVSET / truth["mandate"]).resolve()
    assert document.is_file(), f"{path.name}: no proposal {truth['document']}"
    assert mandate_path.is_file(), f"{path.name}: no mandate {truth['mandate']}"
    assert path.stem == f"{document.stem}__{mandate_path.stem}", f"{path.name}: name does not match its pair"

    mandate = load_mandate(mandate_path)
    terms = {t.key: t for t in mandate.terms}
    assert set(truth["terms"]) == set(terms), f"{path.name}: term keys differ from the mandate's"
    text = _collapsed(document.read_text(encoding="utf-8"))

    for key, entry in truth["terms"].items():
        where = f"{path.name} [{key}]"
        term = terms[key]
        status = entry.get("status")
        assert status in STATUSES, f"{where}: unknown status {status!r}"
        assert isinstance(entry.get("decided"), bool), f"{where}: decided must be true or false"
        assert isinstance(entry.get("note", ""), str)
        if status == "not_addressed":
            assert entry["decided"] is False, f"{where}: not_addressed but decided"
        if status in UNDECIDED:
            assert "value" not in entry, f"{where}: {status} carries a value"
            assert "quote" not in entry, f"{where}: {status} carries a quote"
            assert entry.get("note", "").strip(), f"{where}: {status} needs a note saying why"
            assert entry["decided"] is False, f"{where}: {status} but decided"
            continue
        assert entry["decided"] is True, f"{where}: a {status} judgement must be decided by the document"
        assert "value" in entry, f"{where}: {status} needs the proposal's value"
        value = entry["value"]
        if term.kind == "number":
            assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{where}: value must be a number"
            assert not math.isnan(value), f"{where}: value is NaN"
        elif term.kind == "choice":
            assert isinstance(value, list) and value, f"{where}: choice value must be a non-empty list"
            assert len(set(value)) == len(value), f"{where}: choice value repeats an option"
            stray = [o for o in value if o not in term.options]
            assert not stray, f"{where}: {stray} not among the mandate's options {list(term.options)}"
        elif term.kind == "boolean":
            assert isinstance(value, bool), f"{where}: boolean term needs true or false"
        assert status == _expected_status(term, value), f"{where}: value {value!r} does not earn {status}"
        quote = entry.get("quote", "")
        assert isinstance(quote, str) and quote.strip(), f"{where}: a decided term needs a quote"
        assert _collapsed(quote) in text, f"{where}: quote is not verbatim in {document.name}: {quote[:80]!r}"


def test_split_covers_every_pair_and_holds_out_unseen_drafting():
    split = _split()
    stems = {p.stem for p in TRUTHS}
    assert set(split) == stems, f"split and truth differ: {sorted(set(split) ^ stems)}"
    assert set(split.values()) == {"tune", "holdout"}

    def members(which: str) -> tuple[set[str], set[str]]:
        docs, mandates = set(), set()
        for path in TRUTHS:
            if split[path.stem] == which:
                truth = _truth(path)
                docs.add((DEVSET / truth["document"]).resolve())
                mandates.add((DEVSET / truth["mandate"]).resolve())
        return docs, mandates

    tune_docs, tune_mandates = members("tune")
    holdout_docs, holdout_mandates = members("holdout")
    assert len(holdout_docs - tune_docs) >= 3, "the holdout needs at least 3 proposals unseen in tune"
    assert len(holdout_mandates - tune_mandates) >= 1, "the holdout needs at least 1 mandate unseen in tune"
    counts = {which: sum(1 for v in split.values() if v == which) for which in ("tune", "holdout")}
    # the holdout is written once and never tuned on; later tune material only adds to the other side
    assert counts["holdout"] >= max(6, len(split) // 3), f"the holdout is too small to report on: {counts}"


def test_both_splits_have_walk_away_breaches():
    split = _split()
    breaches = {"tune": 0, "holdout": 0}
    judgements = 0
    for path in TRUTHS:
        for entry in _truth(path)["terms"].values():
            judgements += 1
            breaches[split[path.stem]] += entry["status"] == "breaches_walk_away"
    assert judgements >= 150
    assert sum(breaches.values()) >= 25
    assert min(breaches.values()) >= 5, breaches
