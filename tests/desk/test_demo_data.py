"""The demo data: the proposal PDF, the hand-written expected review, the comparables and the deals table."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import re
import tomllib
from pathlib import Path

import pypdf
import pytest

from core.domain import STATUSES
from desk.mandate import load_mandate

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO = REPO / "data" / "demo"
PROPOSAL_PDF = DEMO / "proposal.pdf"
COMPARABLES = DEMO / "comparables"


def _normalised(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def proposal_pages() -> list[str]:
    assert PROPOSAL_PDF.is_file(), "data/demo/proposal.pdf is missing: run data/demo/build_proposal.py"
    return [page.extract_text() for page in pypdf.PdfReader(PROPOSAL_PDF).pages]


@pytest.fixture(scope="module")
def proposal_text(proposal_pages) -> str:
    return "\n".join(proposal_pages)


@pytest.fixture(scope="module")
def expected() -> dict:
    return tomllib.loads((DEMO / "expected_review.toml").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ proposal


def test_proposal_pdf_has_8_to_15_numbered_pages(proposal_pages):
    assert 8 <= len(proposal_pages) <= 15
    for number, text in enumerate(proposal_pages, start=1):
        assert f"Page {number} of {len(proposal_pages)}" in text


def test_proposal_text_extracts_cleanly_with_its_key_sections(proposal_text):
    for heading in (
        "CONTENT AND DATA LICENCE AGREEMENT",
        "RECITALS",
        "1. DEFINITIONS",
        '1.13 "Model" means',
        "2.1 Training Licence.",
        "3.2 Renewal.",
        "4.1 Exclusive Licence in the News Vertical.",
        "7.1 Attribution and Links.",
        "8.1 Quarterly Usage Reports.",
        "12.4 Retention of Models and Training Datasets.",
        "15.2 Cap on Liability.",
        "17.1 Governing Law.",
        "IN WITNESS WHEREOF",
        "EXHIBIT A - FEE SCHEDULE",
        "USD 3,000,000 per Contract Year",
    ):
        assert heading in proposal_text, heading
    # Core fonts and ASCII source: no ligatures, smart quotes or replacement characters.
    assert not re.search(r"[\ufb00-\ufb06\u2018\u2019\u201c\u201d\ufffd]", proposal_text)


def test_committed_pdf_is_exactly_what_the_generator_builds():
    spec = importlib.util.spec_from_file_location("build_proposal", DEMO / "build_proposal.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = module.render((DEMO / "proposal.md").read_text(encoding="utf-8"))
    assert rebuilt == PROPOSAL_PDF.read_bytes(), "proposal.pdf is stale: run data/demo/build_proposal.py"


def test_proposal_headings_are_bold(proposal_pages):
    reader = pypdf.PdfReader(PROPOSAL_PDF)
    bold: list[str] = []

    def visit(text, _cm, _tm, font, _size):
        if font and "Bold" in str(font.get("/BaseFont", "")) and text.strip():
            bold.append(text.strip())

    reader.pages[2].extract_text(visitor_text=visit)
    assert any(re.match(r"^\d+\.\d+ [A-Z]", b) for b in bold), bold[:5]


# ------------------------------------------------------------ expected review


def test_expected_review_covers_every_mandate_term_exactly_once(expected):
    mandate = load_mandate(DEMO / "mandate.toml")
    terms = [f["term"] for f in expected["findings"]]
    assert sorted(terms) == sorted(t.key for t in mandate.terms)
    assert len(terms) == len(set(terms))
    assert all(f["status"] in STATUSES for f in expected["findings"])
    assert {"meets_preferred", "acceptable", "breaches_walk_away", "not_addressed"} <= {
        f["status"] for f in expected["findings"]
    }


def _status_by_mandate_rules(term, value) -> str:
    """The status rules written at the top of mandate.toml, applied to a stated value."""
    if term.kind == "number":
        def at_least(position):
            return value >= position if term.direction == "higher" else value <= position

        if at_least(term.preferred):
            return "meets_preferred"
        return "acceptable" if at_least(term.walk_away) else "breaches_walk_away"
    if term.kind == "choice":
        granted = set(value)
        if granted <= set(term.preferred):
            return "meets_preferred"
        return "acceptable" if granted <= set(term.walk_away) else "breaches_walk_away"
    if value == term.preferred:
        return "meets_preferred"
    return "acceptable" if value in (term.acceptable, term.walk_away) else "breaches_walk_away"


def test_expected_statuses_follow_the_mandate_rules_from_the_stated_values(expected):
    mandate = load_mandate(DEMO / "mandate.toml")
    for finding in expected["findings"]:
        term = mandate.term(finding["term"])
        if finding["status"] == "not_addressed":
            assert "value" not in finding and finding["sections"] == [], term.key
            continue
        assert _status_by_mandate_rules(term, finding["value"]) == finding["status"], term.key
    assert math.isinf(next(f["value"] for f in expected["findings"] if f["term"] == "deletion_days"))


def test_expected_values_and_sections_are_in_the_proposal(expected, proposal_text):
    text = _normalised(proposal_text)
    line_starts = {m.group(1) for m in re.finditer(r"^([A-Z0-9]+\.\d+) ", proposal_text, re.MULTILINE)}
    for finding in expected["findings"]:
        for passage in filter(None, finding["value_text"].split(" ... ")):
            assert _normalised(passage) in text, (finding["term"], passage)
        for section in finding["sections"]:
            assert section in line_starts, (finding["term"], section)


# ------------------------------------------------------------------ comparables


def test_comparables_match_provenance_and_the_shared_pdfs(shared_data):
    deals = json.loads((COMPARABLES / "deals.json").read_text(encoding="utf-8"))["deals"]
    provenance = (COMPARABLES / "PROVENANCE.md").read_text(encoding="utf-8")
    manifest = json.loads((shared_data / "pdfs" / "MANIFEST.json").read_text(encoding="utf-8"))
    by_id = {f["jsonl_id"]: f for f in manifest["files"]}
    pdfs = sorted(p.name for p in COMPARABLES.glob("*.pdf"))
    assert len(pdfs) == 3 and sorted(d["file"] for d in deals) == pdfs
    assert "CC BY 4.0" in provenance
    for deal in deals:
        data = (COMPARABLES / deal["file"]).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        row = next(line for line in provenance.splitlines() if line.startswith(f"| `{deal['file']}`"))
        assert sha in row and deal["cuad_id"] in row and deal["deal"] in row
        source = by_id[deal["cuad_id"]]
        assert data == (shared_data / "pdfs" / source["pdf"]).read_bytes()
        assert "Content License Agreement" in source["pdf"]
        assert re.search(r"\(\d{4}\)$", deal["deal"])


def test_comparables_extract_as_text():
    for pdf in sorted(COMPARABLES.glob("*.pdf")):
        reader = pypdf.PdfReader(pdf)
        text = " ".join((p.extract_text() or "") for p in reader.pages)
        words = re.findall(r"[A-Za-z]+", text)
        assert len(words) > 1500, pdf.name
        assert sum(len(w) > 20 for w in words) / len(words) < 0.005, pdf.name  # no glued words


# ------------------------------------------------------------------ deals table


def test_deals_table_is_a_byte_copy_with_the_checksums_in_its_readme(shared_data):
    readme = (REPO / "data" / "deals" / "README.md").read_text(encoding="utf-8")
    for name in ("ai_data_deals.csv", "ai_data_deals_SOURCES.md"):
        ours = (REPO / "data" / "deals" / name).read_bytes()
        assert ours == (shared_data / name).read_bytes(), name
        assert hashlib.sha256(ours).hexdigest() in readme, name
