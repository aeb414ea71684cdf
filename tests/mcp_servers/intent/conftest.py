from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client

from mcp_servers.intent import create_server
from shopmcp.settings import Settings
from tests.engine.conftest import MINI_EN, MINI_ES


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def patterns_dir(tmp_path: Path) -> Path:
    root = tmp_path / "patterns"
    for locale, text in {"es": MINI_ES, "en": MINI_EN}.items():
        (root / locale).mkdir(parents=True)
        (root / locale / "all.intents").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def settings(patterns_dir: Path, tmp_path: Path) -> Settings:
    return Settings(patterns_dir=patterns_dir, data_dir=tmp_path / "data")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings)) as c:
        yield c
