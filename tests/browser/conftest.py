"""Playwright (sync API) driving Debian's headless Chromium against the real server.

Every test here skips, naming the reason, when /usr/bin/chromium or the playwright package is
missing: the browser is a system package that `.ci/run` installs, never Playwright's own download.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopmcp.settings import PROJECT_ROOT
from tests.e2e.conftest import RunningServer, smtp, start_server, stop_server  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    # as root in a container, without a GPU, on a machine whose network is closed
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install playwright"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(
    chromium: Any,
    tmp_path_factory: pytest.TempPathFactory,
    smtp: tuple,  # noqa: F811
) -> Iterator[RunningServer]:
    inbox, port = smtp
    running = start_server(tmp_path_factory.mktemp("browser"), port, inbox)
    yield running
    stop_server(running)


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page (own storage: own shopper) that leaves a screenshot named after the test."""
    context = chromium.new_context(viewport={"width": 1200, "height": 820}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)  # a loaded 2-core CI machine answers slower
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def shot(page: Any, name: str) -> None:
    """An extra screenshot in the middle of a test."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{uuid.uuid4().hex[:4]}.png"), full_page=True)
