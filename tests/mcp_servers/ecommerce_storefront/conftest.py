"""An in-memory storefront server per test, on a fresh embedded shop in a temp directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client

from mcp_servers.ecommerce_storefront.server import create_server
from shopmcp.settings import Settings


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_path=tmp_path / "shop.sqlite3",
        link_secret="storefront-test-secret",
        public_base_url="https://shop.example",
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings)) as connected:
        yield connected
