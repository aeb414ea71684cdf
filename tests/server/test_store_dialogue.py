"""Conversations in Redis: the dialogue state is stored with its version, old shapes still load."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from dialogue import Item, Speaker
from server.store import Conversation, RedisStore

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_a_conversation_comes_back_with_its_dialogue_state(redis: aioredis.Redis) -> None:
    store = RedisStore(redis, prefix=f"test-{uuid.uuid4().hex}:")
    conversation = Conversation("u1", locale="es")
    conversation.dialogue.focus = Item("7", "Sony WH-1000XM5", price=37900)
    conversation.dialogue.basket_id = "b1"
    await store.save(conversation)
    loaded = await store.load("u1")
    assert loaded.dialogue == conversation.dialogue
    assert json.loads(conversation.dumps())["dialogue"]["version"] == 2


async def test_a_conversation_stored_before_the_dialogue_model_keeps_its_basket_and_question(
    redis: aioredis.Redis,
) -> None:
    prefix = f"test-{uuid.uuid4().hex}:"
    old = {
        "user_id": "u1",
        "conversation_id": "c1",
        "locale": "fr",
        "basket_id": "b9",
        "history": [{"role": "user", "text": "bonjour"}],
        "last_results": [{"id": "7", "name": "Casque Sony"}],
        "last_product": {"id": "7", "name": "Casque Sony"},
        "pending": {"intent": "get_payment_link", "slots": {}, "awaiting": "email"},
    }
    await redis.set(f"{prefix}conv:u1", json.dumps(old), ex=60)
    loaded = await RedisStore(redis, prefix=prefix).load("u1")
    state = loaded.dialogue
    assert (loaded.conversation_id, loaded.locale, loaded.history) == ("c1", "fr", old["history"])
    assert state.basket_id == "b9" and state.focus == Item("7", "Casque Sony")
    assert state.pending is not None and state.pending.kind == "email"
    assert state.pending.may_be_answered_by(Speaker("u1"))
