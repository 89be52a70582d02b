"""docs/writing-a-mandate.md and its example mandates: they load, read cleanly, and cannot drift from the desk.

Offline and fast: no workspace, no contract, only the loader, the mandate check, the unit parser and the
term-type library.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desk.mandate import load_mandate, parse_mandate
from desk.mandate_check import check_mandate
from desk.term_types import GENERIC, TYPES
from desk.units import parse_unit
from tests.conftest import REPO

DOC = REPO / "docs" / "writing-a-mandate.md"
EXAMPLES = sorted((REPO / "docs" / "mandates").glob("*.toml"))
#: what a fragment of single [[terms]] tables is wrapped in to be parsed as a mandate
WRAPPER = '[collective]\nname = "Fragment from the docs"\nsector = "docs"\nmembers = 1\n\n'


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _toml_blocks(text: str) -> list[str]:
    return re.findall(r"^```toml\n(.*?)^```", text, re.M | re.S)


def _first_table(block: str) -> str:
    """The first line of a block that is not blank or a comment: what kind of TOML it is."""
    return next((line.strip() for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")


def _between(text: str, name: str) -> str:
    m = re.search(rf"<!-- {name}:start.*?-->(.*?)<!-- {name}:end -->", text, re.S)
    assert m, f"markers <!-- {name}:start --> ... <!-- {name}:end --> missing from {DOC.name}"
    return m.group(1)


def test_the_three_examples_exist():
    assert {p.stem for p in EXAMPLES} == {"clinical_records", "voice_recordings", "code_archive"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_loads_as_written(path: Path):
    mandate = load_mandate(path)  # strict: weights must already sum to 1
    assert 8 <= len(mandate.terms) <= 12
    assert mandate.collective.sector != "news"
    assert all(t.fallback and t.rationale and t.query for t in mandate.terms)
    assert any(t.type for t in mandate.terms), "each example names a type explicitly for at least one term"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_reads_every_term_with_a_library_type(path: Path):
    check = check_mandate(load_mandate(path))
    assert [t.key for t in check.terms if not t.readable] == []
    generic = set(GENERIC.values())
    assert [(t.key, t.type) for t in check.terms if t.chosen == "generic" or t.type in generic] == []
    # the doc says the examples check clean
    assert {t.key: list(t.warnings) for t in check.terms if t.warnings} == {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_is_linked_and_included_verbatim_in_the_doc(path: Path):
    text = _doc()
    assert f"(mandates/{path.name})" in text
    assert path.read_text(encoding="utf-8").rstrip("\n") + "\n" in _toml_blocks(text)


def test_every_toml_block_in_the_doc_parses():
    blocks = _toml_blocks(_doc())
    mandates = [b for b in blocks if _first_table(b) == "[collective]"]
    fragments = [b for b in blocks if _first_table(b) == "[[terms]]"]
    assert len(mandates) >= 4 and fragments  # the minimal mandate, the warnings demo and the three examples
    assert len(mandates) + len(fragments) == len(blocks), "a ```toml block is neither a mandate nor a [[terms]] fragment"
    for block in mandates:
        parse_mandate(block, source="docs block")  # strict: a mandate shown whole must load as it is
    for block in fragments:
        parse_mandate(WRAPPER + block, source="docs fragment", normalise=True)


def test_the_types_table_lists_every_type_the_desk_has():
    rows = re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| ([a-z, ]+) \|", _between(_doc(), "types-table"), re.M)
    names = [name for name, _ in rows]
    assert len(names) == len(set(names)), "a type is listed twice"
    assert set(names) == set(TYPES), f"missing: {sorted(set(TYPES) - set(names))}; unknown: {sorted(set(names) - set(TYPES))}"
    assert {name: kinds for name, kinds in rows} == {t.name: ", ".join(t.kinds) for t in TYPES.values()}


def test_the_units_table_says_what_the_desk_understands():
    rows = re.findall(r"^\| `([^`]+)` \| (.+?) \|$", _between(_doc(), "units-table"), re.M)
    assert len(rows) >= 20
    for unit, described in rows:
        assert parse_unit(unit).describe() == described, unit
    written = {unit for unit, _ in rows}
    for unit in ("USD/year", "GBP/hour", "EUR/record", "USD per 1,000 tokens", "percent", "hrs", "business days", "times annual fees", "audits per year"):
        assert unit in written


def test_the_categories_listed_are_the_taxonomy():
    from core.taxonomy import load_taxonomy

    listed = re.findall(r"`([^`]+)`", _between(_doc(), "categories"))
    assert len(listed) == len(set(listed))
    assert set(listed) == set(load_taxonomy())


def test_the_concepts_table_lists_each_vocabulary():
    from desk.term_cues import CUES

    rows = re.findall(r"^\s*\| `([a-z_]+)` \| (.+?) \|$", _between(_doc(), "concepts-table"), re.M)
    listed = {name: re.findall(r"`([a-z_]+)`", concepts) for name, concepts in rows}
    assert listed == {name: list(cue["concepts"]) for name, cue in CUES.items() if cue.get("concepts")}
