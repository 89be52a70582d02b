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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)

    page.get_by_role("link", name="Mandate").click()
    expect(page).to_have_url(re.compile(r"/mandate$"))
    expect(page.get_by_role("heading", name="Mandate", exact=True)).to_be_visible()
    expect(page.get_by_text("Annual licence fee").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "mandate.png"), full_page=True)
