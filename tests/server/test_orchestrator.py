"""The orchestrator against real MCP servers: the conversation store failing under it, and who
may answer a pending question."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
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


# -- who may answer a pending question ------------------------------------------------------------


@pytest.fixture
async def admin_pool(tmp_path: Path) -> AsyncIterator[McpPool]:
    parameters = server_parameters(Settings(data_dir=tmp_path))
    servers = {name: parameters[name] for name in ("intent", "ecommerce_admin")}
    async with McpPool(servers, ready_wait=15) as p:
        yield p


def _has_product(data_dir: Path, sku: str) -> bool:
    uri = f"file:{data_dir / 'shop.sqlite3'}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        return db.execute("SELECT 1 FROM products WHERE sku = ?", (sku,)).fetchone() is not None


async def test_a_pending_admin_action_is_not_run_by_an_answer_without_admin_rights(
    admin_pool: McpPool, tmp_path: Path
) -> None:
    """Issue 11 item 1 at its root: the yes must carry the rights the action needs."""
    orchestrator = Orchestrator(admin_pool, MemoryStore())
    ask = InboundMessage(
        user_id="c1", text="delete product JBL Flip 6", client_type="web-storefront", admin=True
    )
    with anyio.fail_after(60):
        asked = await orchestrator(ask)
        refused = await orchestrator(replace(ask, text="yes", admin=False))
    assert asked.data["confirm"] == "delete_product"
    assert "error" not in refused.data and refused.data["pending"] == {"intent": "delete_product"}
    assert _has_product(tmp_path, "JBL-FLIP6")


async def test_a_pending_question_is_answered_only_by_the_identity_it_was_asked(
    admin_pool: McpPool, tmp_path: Path
) -> None:
    """A conversation that reached another key (copied, migrated) keeps its question closed."""
    store = MemoryStore()
    orchestrator = Orchestrator(admin_pool, store)
    ask = InboundMessage(
        user_id="c1", text="delete product JBL Flip 6", client_type="web-storefront", admin=True
    )
    with anyio.fail_after(60):
        await orchestrator(ask)
        copied = await store.load("c1")
        copied.user_id = "c2"
        await store.save(copied)
        answered = await orchestrator(replace(ask, user_id="c2", text="yes"))
        confirmed = await orchestrator(replace(ask, text="yes"))
    assert "product" not in answered.data  # read as a yes to nothing
    assert confirmed.data.get("product")  # the admin who was asked deletes it
    assert not _has_product(tmp_path, "JBL-FLIP6")
