"""The conversation store: how long a conversation is kept (throw-away user ids must not pile up
for a week), and its record of requests for a person, in memory and in the real Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from dialogue import Pending
from server.store import (
    CONVERSATION_TTL_SECONDS,
    NEW_CONVERSATION_TTL_SECONDS,
    Conversation,
    HandoverRequest,
    MemoryStore,
    RedisStore,
    StoreUnavailable,
)

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


def _after(*texts: str) -> Conversation:
    conversation = Conversation("ttl-test")
    for text in texts:
        conversation.add_turn("user", text)
        conversation.add_turn("assistant", "…")
    return conversation


def test_a_conversation_of_one_exchange_is_kept_an_hour() -> None:
    assert _after("hi").ttl_seconds == NEW_CONVERSATION_TTL_SECONDS == 3600


def test_a_second_exchange_a_basket_or_a_pending_question_keeps_it_a_week() -> None:
    with_basket = _after("add an iphone")
    with_basket.dialogue.basket_id = "b-1"
    pending = _after("delete product Blue Mug")
    pending.dialogue.pending = Pending("confirm", "delete_product", {}, "ttl-test", admin=True)
    for conversation in (_after("hi", "do you have iphone?"), with_basket, pending):
        assert conversation.ttl_seconds == CONVERSATION_TTL_SECONDS
