"""docs/mcp-servers.md documents every tool the four MCP servers publish.

Each server is started in memory and asked for its tools; every tool name must appear in the
document as a heading or a code span, so a tool added without documentation fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from mcp_servers.ecommerce_admin.server import create_server as create_admin
from mcp_servers.ecommerce_storefront.server import create_server as create_storefront
from mcp_servers.intent import create_server as create_intent
from mcp_servers.notifications import create_server as create_notifications
from shopmcp.settings import PROJECT_ROOT, Settings
from tests.engine.conftest import MINI_EN, MINI_ES

pytestmark = pytest.mark.anyio

DOC = PROJECT_ROOT / "docs" / "mcp-servers.md"
LIMIT = 10

SERVERS: dict[str, Callable[[Settings], Any]] = {
    "intent": create_intent,
    "ecommerce_storefront": create_storefront,
    "ecommerce_admin": create_admin,
    "notifications": create_notifications,
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    patterns = tmp_path / "patterns"
    for locale, text in {"en": MINI_EN, "es": MINI_ES}.items():
        (patterns / locale).mkdir(parents=True)
        (patterns / locale / "all.intents").write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    return Settings(data_dir=data, patterns_dir=patterns, link_secret="docs-test")


def documented_names() -> set[str]:
    """Every heading's words and every code span of the document."""
    text = DOC.read_text(encoding="utf-8")
    spans = set(re.findall(r"`([^`\n]+)`", text))
    headings = {
        word
        for line in text.splitlines()
        if line.startswith("#")
        for word in re.findall(r"[\w.]+", line)
    }
    return spans | headings


@pytest.mark.parametrize("module", sorted(SERVERS))
async def test_every_tool_of_the_server_is_documented(module: str, settings: Settings) -> None:
    with anyio.fail_after(LIMIT):
        async with Client(SERVERS[module](settings)) as client:
            tools = [tool.name for tool in (await client.list_tools()).tools]
    assert tools, f"{module} publishes no tools"
    names = documented_names()
    missing = [name for name in tools if name not in names]
    assert not missing, f"{DOC.name} does not document {module} tools: {', '.join(missing)}"
    assert f"mcp_servers.{module}" in names, f"{DOC.name} does not say how to run {module}"
