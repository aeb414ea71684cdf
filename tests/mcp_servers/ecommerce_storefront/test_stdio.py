"""The storefront as a real stdio subprocess, the way the server runs it; and over HTTP."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from mcp_servers.ecommerce_storefront.server import create_server
from shopmcp.settings import PROJECT_ROOT, Settings
from tests.commerce.conftest import TOKEN, Clock, make_sqlite_shop, serve_over_http

pytestmark = pytest.mark.anyio

STARTUP_LIMIT = 20
"""Starting a Python stdio server takes ~0.7 s on a 2-core machine; 20 s bounds a loaded CI box."""


@pytest.mark.slow
async def test_every_tool_answers_over_stdio(tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.ecommerce_storefront"],
        env={
            "SHOPMCP_DATA_DIR": str(tmp_path),
            "SHOPMCP_DB": str(tmp_path / "shop.sqlite3"),
            "SHOPMCP_PUBLIC_URL": "https://shop.example",
        },
        cwd=str(PROJECT_ROOT),
    )
    with anyio.fail_after(STARTUP_LIMIT):
        async with Client(params) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            assert len(tools) == 10
            found = await client.call_tool("search_products", {"query": "iphone"})
            assert found.structured_content and found.structured_content["total"] >= 2
            info = await client.call_tool("get_product_info", {"product": "APL-IP15-128"})
            assert not info.is_error
            basket = await client.call_tool("add_to_basket", {"product_id": "APL-IP15-128"})
            assert basket.structured_content is not None
            basket_id = basket.structured_content["basket_id"]
            link = await client.call_tool("get_payment_link", {"basket_id": basket_id})
            assert link.structured_content and "/checkout/" in link.structured_content["url"]
            shown = await client.call_tool("get_basket", {"basket_id": basket_id})
            assert shown.structured_content and shown.structured_content["item_count"] == 1
            removed = await client.call_tool(
                "remove_from_basket", {"basket_id": basket_id, "product_id": "APL-IP15-128"}
            )
            assert removed.structured_content and removed.structured_content["lines"] == []
            answer = await client.call_tool(
                "answer_question", {"topic": "warranty", "locale": "de"}
            )
            assert (
                answer.structured_content and "Gewährleistung" in answer.structured_content["text"]
            )
            missing = await client.call_tool("get_basket", {"basket_id": "nope"})
            assert missing.is_error
    assert (tmp_path / "link-secret").exists()


async def test_the_storefront_uses_the_business_api_when_its_url_is_set(tmp_path: Path) -> None:
    shop = make_sqlite_shop(tmp_path / "remote.sqlite3", Clock())
    try:
        with anyio.fail_after(10):
            async for url in serve_over_http(shop):
                settings = Settings(
                    data_dir=tmp_path, business_api_url=url, business_api_token=TOKEN
                )
                async with Client(create_server(settings)) as client:
                    result = await client.call_tool("add_to_basket", {"product_id": "NIK-PEG40"})
                assert result.structured_content is not None
                assert result.structured_content["lines"][0]["sku"] == "NIK-PEG40"
    finally:
        await shop.aclose()
    assert not (tmp_path / "shop.sqlite3").exists()
