"""Drive the real app: ``streamlit run desk/app.py`` on a free port, in headless Chromium.

Playwright uses Debian's Chromium (``/usr/bin/chromium``); we never download a
browser. Under ``CI=true`` a missing browser fails the run instead of skipping.
Every test saves a screenshot on failure under ``tests/e2e/artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "e2e" / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect

    expect.set_options(timeout=45_000)  # the first render of a page loads models; give it time
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_server(demo_workspace_master, tmp_path_factory):
    """The workbench over its own copy of the demo workspace; yields the base URL."""
    import shutil

    workspace = tmp_path_factory.mktemp("e2e") / "workspace"
    shutil.copytree(demo_workspace_master, workspace)
    yield from _serve(workspace, tmp_path_factory)


@pytest.fixture(scope="session")
def stale_app_server(demo_workspace_master, tmp_path_factory):
    """The workbench over a copy of the demo whose analyses an older clause model wrote."""
    import json
    import shutil

    workspace = tmp_path_factory.mktemp("e2e-stale") / "workspace"
    shutil.copytree(demo_workspace_master, workspace)
    for path in (workspace / "analysis").glob("*.json"):
        path.write_text(json.dumps({**json.loads(path.read_text()), "analyser": "clause-model-older/rules-older"}))
    yield from _serve(workspace, tmp_path_factory)


@pytest.fixture(scope="session")
def empty_app_server(tmp_path_factory):
    """The workbench over a workspace that does not exist yet (a first-time user)."""
    yield from _serve(tmp_path_factory.mktemp("e2e-empty") / "workspace", tmp_path_factory)


@pytest.fixture(scope="session")
def limited_app_server(demo_workspace_master, tmp_path_factory):
    """The workbench over a demo copy, reading each file within 15 s."""
    import shutil

    workspace = tmp_path_factory.mktemp("e2e-limited") / "workspace"
    shutil.copytree(demo_workspace_master, workspace)
    yield from _serve(workspace, tmp_path_factory, {"DESK_READ_SECONDS": "15"})


def _serve(workspace: Path, tmp_path_factory, extra_env: dict[str, str] | None = None):
    """``streamlit run`` over ``workspace`` on a free port; yields the base URL, then stops it."""
    port = _free_port()
    env = {**os.environ, "DESK_HOME": str(workspace), "ORT_DISABLE_TELEMETRY": "1", "ANONYMIZED_TELEMETRY": "False",
           **(extra_env or {})}
    for var in ("DESK_LLM_BASE_URL", "OPENAI_API_KEY"):
        env.pop(var, None)
    log = (tmp_path_factory.mktemp("e2e-log") / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "desk" / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not become healthy within 90 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture()
def page(browser, request):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
