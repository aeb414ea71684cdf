"""One real server (tests/e2e's `start_server`) shared by every test that runs the docs' examples,
with the admin key and verify token the examples tell the reader to export."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from shopmcp.settings import PROJECT_ROOT
from tests.e2e.conftest import RunningServer, _Inbox, free_port, start_server, stop_server

DOCS = PROJECT_ROOT / "docs"
EXAMPLES = DOCS / "examples"
ADMIN_KEY = "dev-admin-key"
VERIFY_TOKEN = "dev-verify-token"

# Bugs the examples show but the server does not do yet (found by these tests). The examples
# document the intended behaviour; these entries turn the failures into non-strict xfails, so a
# fix shows up as XPASS and the entry can go.
KNOWN_BUGS: dict[str, str] = {}


def known_bug(text: str) -> str | None:
    for needle, reason in KNOWN_BUGS.items():
        if needle.lower() in text.lower():
            return reason
    return None


def run_id() -> str:
    return uuid.uuid4().hex[:8]


def unique_users(text: str, run: str) -> str:
    """Every `"userId": "x"` becomes `"x-<run>"`: Redis outlives a test run, conversations and
    rate limits must not."""
    return re.sub(r'("userId":\s*")([^"]+)(")', rf"\g<1>\g<2>-{run}\g<3>", text)


@pytest.fixture(scope="session")
def docs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    inbox = _Inbox()
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    tmp: Path = tmp_path_factory.mktemp("docs-shop")
    server = start_server(
        tmp, smtp_port, inbox, ADMIN_API_KEY=ADMIN_KEY, META_VERIFY_TOKEN=VERIFY_TOKEN
    )
    try:
        yield server
    finally:
        stop_server(server)
        controller.stop()
