"""The admin server as a real stdio subprocess, the way the server runs it."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from shopmcp.settings import PROJECT_ROOT

pytestmark = pytest.mark.anyio

STARTUP_LIMIT = 20
"""Starting a Python stdio server takes ~0.7 s on a 2-core machine; 20 s bounds a loaded CI box."""


@pytest.mark.slow
async def test_every_tool_answers_over_stdio(tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.ecommerce_admin"],
        env={"SHOPMCP_DATA_DIR": str(tmp_path), "SHOPMCP_LINK_SECRET": "e2e"},
        cwd=str(PROJECT_ROOT),
    )
    with anyio.fail_after(STARTUP_LIMIT):
        async with Client(params) as client:
            assert len((await client.list_tools()).tools) == 5
            created = await client.call_tool(
                "create_product", {"product": {"name": "Blue Mug", "price": 1250, "stock": 4}}
            )
            assert created.structured_content and created.structured_content["sku"] == "BLUE-MUG"
            imported = await client.call_tool(
                "create_from_file",
                {"file_type": "csv", "content": "sku,name,price,category\nE2E-1,Lamp,9.99,home\n"},
            )
            assert imported.structured_content and imported.structured_content["created"] == 1
            listed = await client.call_tool("list_products", {"query": "lamp"})
            assert (
                listed.structured_content
                and listed.structured_content["items"][0]["sku"] == "E2E-1"
            )
            updated = await client.call_tool(
                "update_product", {"product": "BLUE-MUG", "changes": {"stock": 9}}
            )
            assert updated.structured_content and updated.structured_content["stock"] == 9
            deleted = await client.call_tool("delete_product", {"product": "E2E-1"})
            assert not deleted.is_error
            missing = await client.call_tool("delete_product", {"product": "E2E-1"})
            assert missing.is_error
    assert (tmp_path / "shop.sqlite3").exists()
