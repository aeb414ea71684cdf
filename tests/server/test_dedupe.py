"""Webhook deduplication: in this process, in the real Redis, and while Redis is away."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from server.dedupe import DEDUPE_TTL_SECONDS, Dedupe

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def prefix(redis_client: aioredis.Redis) -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"test:dedupe:{uuid.uuid4().hex}:"
    yield prefix
    keys = [key async for key in redis_client.scan_iter(match=prefix + "*")]
    if keys:
        await redis_client.delete(*keys)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# In this process -------------------------------------------------------------------------------


async def test_a_key_is_new_once_then_seen() -> None:
    dedupe = Dedupe()

    assert await dedupe.first_time("whatsapp:wamid.1") is True
    assert await dedupe.first_time("whatsapp:wamid.1") is False
    assert await dedupe.first_time("whatsapp:wamid.2") is True


async def test_a_key_is_new_again_after_its_ttl() -> None:
    clock = Clock()
    dedupe = Dedupe(ttl_seconds=60, clock=clock)
    await dedupe.first_time("sms:SM1")

    clock.now += 59
    seen_within_ttl = not await dedupe.first_time("sms:SM1")
    clock.now += 61
    new_after_ttl = await dedupe.first_time("sms:SM1")

    assert (seen_within_ttl, new_after_ttl) == (True, True)


async def test_a_full_table_forgets_its_oldest_key() -> None:
    dedupe = Dedupe(capacity=2)
    for key in ("a", "b", "c"):
        await dedupe.first_time(key)

    assert await dedupe.first_time("a") is True
    assert await dedupe.first_time("c") is False


def test_a_ttl_below_one_second_is_refused() -> None:
    with pytest.raises(ValueError, match="ttl_seconds=0"):
        Dedupe(ttl_seconds=0)


# In Redis --------------------------------------------------------------------------------------


async def test_redis_records_the_key_with_a_day_of_ttl(
    redis_client: aioredis.Redis, prefix: str
) -> None:
    dedupe = Dedupe(redis_client, prefix=prefix)

    with anyio.fail_after(5):
        first = await dedupe.first_time("whatsapp:wamid.1")
        again = await dedupe.first_time("whatsapp:wamid.1")
        ttl = await redis_client.ttl(prefix + "whatsapp:wamid.1")

    assert (first, again) == (True, False)
    assert DEDUPE_TTL_SECONDS - 5 < ttl <= DEDUPE_TTL_SECONDS


async def test_redis_shares_what_was_seen_between_processes(
    redis_client: aioredis.Redis, prefix: str
) -> None:
    one, other = Dedupe(redis_client, prefix=prefix), Dedupe(redis_client, prefix=prefix)

    with anyio.fail_after(5):
        first = await one.first_time("instagram:mid.1")
        resent_elsewhere = await other.first_time("instagram:mid.1")

    assert (first, resent_elsewhere) == (True, False)


async def test_concurrent_deliveries_of_one_message_let_exactly_one_through(
    redis_client: aioredis.Redis, prefix: str
) -> None:
    dedupes = [Dedupe(redis_client, prefix=prefix) for _ in range(10)]
    results: list[bool] = []

    async def claim(dedupe: Dedupe) -> None:
        results.append(await dedupe.first_time("sms:SM42"))

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            for dedupe in dedupes:
                tg.start_soon(claim, dedupe)

    assert sorted(results) == [False] * 9 + [True]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_unreachable_redis_falls_back_to_this_process_and_logs_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = aioredis.Redis(host="127.0.0.1", port=_closed_port())
    dedupe = Dedupe(client)

    with caplog.at_level(logging.WARNING, logger="server.dedupe"), anyio.fail_after(5):
        results = [await dedupe.first_time(key) for key in ("sms:SM1", "sms:SM1", "sms:SM2")]
    await client.aclose()

    assert results == [True, False, True]
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1


class FlakyRedis:
    """The real client, except that `set` fails while `down` (Redis restarting)."""

    def __init__(self, client: aioredis.Redis) -> None:
        self.client = client
        self.down = False

    async def set(self, *args: Any, **kwargs: Any) -> Any:
        if self.down:
            raise RedisConnectionError(
                "Error 111 connecting to 127.0.0.1:6379. Connection refused."
            )
        return await self.client.set(*args, **kwargs)


async def test_a_key_seen_while_redis_was_down_stays_seen_after_it_returns(
    redis_client: aioredis.Redis, prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = FlakyRedis(redis_client)
    dedupe = Dedupe(flaky, prefix=prefix)  # type: ignore[arg-type]  # the client's one used method

    with caplog.at_level(logging.INFO, logger="server.dedupe"), anyio.fail_after(5):
        flaky.down = True
        during = await dedupe.first_time("whatsapp:wamid.1")
        flaky.down = False
        resent_after = await dedupe.first_time("whatsapp:wamid.1")
        new_after = await dedupe.first_time("whatsapp:wamid.2")

    assert (during, resent_after, new_after) == (True, False, True)
    assert await redis_client.exists(prefix + "whatsapp:wamid.2") == 1
    assert "Redis answers again" in caplog.text
