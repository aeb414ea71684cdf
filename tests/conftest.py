"""What every test session shares: the real Redis of tests/redis_server.py, started on first use
(or named by SHOPMCP_TEST_REDIS_URL) and stopped when the session ends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from tests import redis_server


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The address of the session's real Redis; the session ends with the fix when there is none."""
    return redis_server.redis_url()


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """An async client of the session's Redis, closed after the test."""
    client = aioredis.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


def pytest_unconfigure(config: pytest.Config) -> None:
    redis_server.stop_session_redis()
