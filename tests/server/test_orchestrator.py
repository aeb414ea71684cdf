"""The orchestrator against a real intent server, with the conversation store failing under it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from server.orchestrator import Orchestrator
from server.pool import McpPool, server_parameters
from server.store import Conversation, MemoryStore, StoreUnavailable
from server.types import InboundMessage
from shopmcp.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class _GoneBeforeSave(MemoryStore):
    """A store that loads and then cannot save: Redis stopping in the middle of a turn."""

    async def save(self, conversation: Conversation) -> None:
        raise StoreUnavailable("Redis did not answer: Connection refused")


@pytest.fixture
async def pool(tmp_path: Path) -> AsyncIterator[McpPool]:
    intent = server_parameters(Settings(data_dir=tmp_path))["intent"]
    async with McpPool({"intent": intent}, ready_wait=15) as p:
        yield p


async def test_an_answer_whose_turn_could_not_be_stored_is_an_apology(pool: McpPool) -> None:
    """The next message would not know the turn (the basket, the products shown), so the shopper
    is asked to repeat it instead of being told it worked."""
    with anyio.fail_after(30):
        reply = await Orchestrator(pool, _GoneBeforeSave())(
            InboundMessage(user_id="u1", text="thanks!", client_type="web-storefront")
        )
    assert reply.data == {"error": "service_unavailable"}
    assert reply.locale == "en"


async def test_an_answer_whose_turn_was_stored_is_the_answer(pool: McpPool) -> None:
    store = MemoryStore()
    with anyio.fail_after(30):
        reply = await Orchestrator(pool, store)(
            InboundMessage(user_id="u1", text="thanks!", client_type="web-storefront")
        )
        stored = await store.load("u1")
    assert reply.intent == "thanks"
    assert [turn["role"] for turn in stored.history] == ["user", "assistant"]
