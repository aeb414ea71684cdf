"""What every test session shares: the real Redis of tests/redis_server.py, started on first use
(or named by SHOPMCP_TEST_REDIS_URL) and stopped when the session ends."""

from __future__ import annotations

import pytest

from tests import redis_server


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The address of the session's real Redis; the session ends with the fix when there is none."""
    return redis_server.redis_url()


def pytest_unconfigure(config: pytest.Config) -> None:
    redis_server.stop_session_redis()
