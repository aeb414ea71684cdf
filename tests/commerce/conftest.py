"""Fixtures of the commerce tests: `shop` is each backend in turn, so every contract test runs twice.

The HTTP backend talks to a real uvicorn server on a socket bound before the server starts (port 0),
so the client can connect at once: connections wait in the listen backlog, no polling or sleeping.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
import uvicorn

from commerce import HttpShop, ShopBackend, SQLiteShop, create_business_api

SECRET = b"test-link-secret"
BASE_URL = "https://shop.example"
TOKEN = "test-api-token"


class Clock:
    """A settable clock for expiry tests."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_sqlite_shop(path: Path, clock: Clock) -> SQLiteShop:
    return SQLiteShop(path, link_secret=SECRET, public_base_url=BASE_URL, clock=clock)


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


class _TestServer(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        # pytest owns the process's signal handlers; the test stops the server with should_exit.
        yield


async def serve_over_http(shop: ShopBackend) -> AsyncIterator[str]:
    """Serves `shop` with uvicorn in this event loop; yields its base URL."""
    app = create_business_api(shop, token=TOKEN)
    server = _TestServer(uvicorn.Config(app, log_level="warning", lifespan="on"))
    sock = _bound_socket()
    port = sock.getsockname()[1]
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(server.serve, [sock])
            yield f"http://127.0.0.1:{port}"
            server.should_exit = True
    finally:
        sock.close()


@pytest.fixture(params=["sqlite", "http"])
async def shop(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> AsyncIterator[ShopBackend]:
    local = make_sqlite_shop(tmp_path / "shop.sqlite3", clock)
    try:
        if request.param == "sqlite":
            yield local
            return
        async for url in serve_over_http(local):
            headers = {"Authorization": f"Bearer {TOKEN}"}
            async with httpx.AsyncClient(base_url=url, headers=headers) as client:
                yield HttpShop(client)
    finally:
        await local.aclose()
