"""The workbench in a real browser: Home shows the demo negotiation, Mandate its terms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import REPO

pytestmark = pytest.mark.e2e
SCREENSHOTS = REPO / "docs" / "screenshots"


def test_home_shows_the_collective_then_mandate(app_server, page):
    page.goto(app_server)
    expect(page.get_by_role("heading", name="Northern News Publishers' Data Trust")).to_be_visible()
    expect(page.get_by_text("Helix AI Labs, Inc.").first).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    page.wait_for_timeout(1500)  # let the grid paint before the README screenshot
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)

    page.get_by_role("link", name="Mandate").click()
    expect(page).to_have_url(re.compile(r"/mandate$"))
    expect(page.get_by_role("heading", name="Mandate", exact=True)).to_be_visible()
    expect(page.get_by_text("Annual licence fee").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "mandate.png"), full_page=True)


def test_review_table_and_redline(app_server, page):
    page.goto(app_server + "/review")
    table = page.locator("#review-table")
    expect(table).to_be_visible()
    fee_row = table.locator("tr", has_text="Annual licence fee")
    expect(fee_row).to_contain_text("Breaches walk-away")
    expect(fee_row).to_contain_text("USD 3,000,000")
    expect(table.locator("tr", has_text="Most-favoured-nation")).to_contain_text("Not addressed")
    redline = page.locator("#redline")
    expect(redline).to_be_visible()
    expect(redline.locator("del").first).to_be_visible()
    expect(redline.locator("ins").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "review.png"), full_page=True)


def test_valuation_shows_the_range_and_charts(app_server, page):
    page.goto(app_server + "/valuation")
    expect(page.get_by_text(re.compile(r"value per year"))).to_be_visible(timeout=120_000)
    for label in ("P10", "P50", "P90"):
        expect(page.get_by_text(label, exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^USD [\d,]+$")).first).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"The data sample is a STAND-IN"))).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "valuation.png"), full_page=True)


def test_compare_page_shows_precedent_with_redline(app_server, page):
    page.goto(app_server + "/compare")
    table = page.locator("#compare-table")
    expect(table).to_be_visible(timeout=120_000)
    expect(page.get_by_text(re.compile(r"\d+ of \d+ clauses shown"))).to_be_visible()
    page.get_by_text("Only material differences").click()  # show every clause, not only material differences
    expect(table.locator("tr", has_text="17.1 Governing Law")).to_contain_text("Governing Law")
    expect(page.locator(".compare-redline").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=True)


def test_market_page_places_the_proposal(app_server, page):
    page.goto(app_server + "/market")
    expect(page.get_by_text("Where the proposal sits")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"percentile of \d+ reported yearly licence values|small sample")).first).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first).to_be_visible()


def test_upload_a_contract_and_see_its_clauses(app_server, page, shared_data):
    """Runs last: it adds a proposal to the shared app workspace."""
    pdf = shared_data / "pdfs" / "GopageCorp_20140221_10-K_EX-10.1_8432966_EX-10.1_Content License Agreement.pdf"
    page.goto(app_server + "/documents")
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    page.get_by_text("Add documents").click()
    page.locator("input[type=file]").first.set_input_files(str(pdf))
    page.get_by_role("button", name="Ingest").click()
    expect(page.get_by_text(re.compile(r"Added .*Gopage.*\d+ pages, \d+ clauses"))).to_be_visible(timeout=120_000)
    expect(page.get_by_text(re.compile(r"\d+ of \d+ clauses"))).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "documents.png"), full_page=True)


def test_upload_the_demo_proposal_into_a_new_workspace_and_see_its_clauses(empty_app_server, page):
    """The demo proposal PDF, dropped on the Documents page of an empty
    workspace: it is added with its clauses, which are listed and searchable."""
    pdf = REPO / "data" / "demo" / "proposal.pdf"
    page.goto(empty_app_server + "/documents")
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    expect(page.get_by_text("No documents yet")).to_be_visible()
    ingest = page.get_by_role("button", name="Ingest")
    expect(ingest).to_be_visible()  # on an empty workspace "Add documents" starts open
    page.locator("input[type=file]").first.set_input_files(str(pdf))
    expect(ingest).to_be_enabled()
    ingest.click()
    added = page.get_by_text(re.compile(r"Added proposal: (\d+) pages, (\d+) clauses"))
    expect(added).to_be_visible(timeout=120_000)
    pages, clauses = map(int, re.search(r"(\d+) pages, (\d+) clauses", added.inner_text()).groups())
    assert pages >= 5 and clauses >= 50, added.inner_text()
    expect(page.get_by_text(f"{clauses} of {clauses} clauses")).to_be_visible()
    # a definition from data/demo/proposal.md, found among the stored clauses
    page.get_by_role("tab", name="Search all deals").click()
    page.get_by_label("Ask about clauses in every stored deal").fill("Competing AI Developer definition")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"\"Competing AI Developer\" means any person, other than Helix")).first).to_be_visible()


def test_documents_from_an_older_clause_model_can_be_analysed_again(stale_app_server, page):
    page.goto(stale_app_server + "/documents")
    notice = page.get_by_text(re.compile(r"(\d+) of \1 documents were analysed by an older clause model"))
    expect(notice).to_be_visible()
    page.get_by_role("button", name="Analyse them again").click()
    expect(page.get_by_text(re.compile(r"\d+ of \d+ clauses"))).to_be_visible(timeout=120_000)
    expect(notice).to_have_count(0)


def test_the_page_stays_live_while_a_slow_file_is_read_and_the_limit_is_reported(limited_app_server, page, tmp_path):
    """A PDF whose extraction is quadratic: while it is read (up to the 15 s limit) the page answers a
    search; then the upload ends in one line naming the limit, and nothing was added."""
    from tests.hostile.generate import pdf_with_stream

    slow = tmp_path / "slow.pdf"
    slow.write_bytes(pdf_with_stream(b"BT /F1 12 Tf 72 700 Td " + b"(word ) Tj " * 400_000 + b"ET"))
    page.goto(limited_app_server + "/documents")
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    page.get_by_text("Add documents").click()
    page.locator("input[type=file]").first.set_input_files(str(slow))
    page.get_by_role("button", name="Ingest").click()
    expect(page.get_by_text("reading slow.pdf")).to_be_visible(timeout=10_000)
    page.get_by_role("tab", name="Search all deals").click()
    page.get_by_label("Ask about clauses in every stored deal").fill("which law governs the agreement")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"matched by")).first).to_be_visible(timeout=12_000)
    expect(page.get_by_text("reading slow.pdf")).to_be_visible()  # still reading: the search did not wait for it
    expect(page.get_by_text(re.compile(r"Nothing was added\. .*slow\.pdf: reading took longer than the limit of 15 s"))).to_be_visible(timeout=40_000)
