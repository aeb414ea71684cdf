"""The conversation store's record of requests for a person, in memory and in the real Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from server.store import HandoverRequest, MemoryStore, RedisStore, StoreUnavailable

pytestmark = pytest.mark.anyio

@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def redis_store(redis_url: str) -> AsyncIterator[RedisStore]:
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    client = aioredis.Redis.from_url(redis_url)
    try:
        yield RedisStore(client, prefix=prefix)
    finally:
        await client.delete(f"{prefix}handover")
        await client.aclose()


def _request(n: int) -> HandoverRequest:
    return HandoverRequest(
        f"user-{n}", f"conv-{n}", "whatsapp", "es", f"quiero un humano {n}", at=n
    )


async def test_the_memory_store_keeps_requests_for_a_person_newest_first() -> None:
    store = MemoryStore()
    for n in range(3):
        await store.record_handover(_request(n))
    assert [r.user_id for r in await store.handovers()] == ["user-2", "user-1", "user-0"]
    assert len(await store.handovers(count=2)) == 2


async def test_redis_keeps_requests_for_a_person_as_they_were_given(
    redis_store: RedisStore,
) -> None:
    references = [await redis_store.record_handover(_request(n)) for n in range(3)]
    assert len(set(references)) == 3
    assert await redis_store.handovers() == [_request(2), _request(1), _request(0)]


async def test_a_request_for_a_person_with_redis_gone_is_store_unavailable() -> None:
    client = aioredis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    try:
        with pytest.raises(StoreUnavailable):
            await RedisStore(client).record_handover(_request(0))
    finally:
        await client.aclose()
