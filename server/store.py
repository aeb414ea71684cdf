"""Conversations: capped history per user with a TTL, the basket, last results, pending questions.

`RedisStore` keeps them in Redis (shared by every server process); `MemoryStore` in this process
only, for a single-process setup without REDIS_URL. Redis going away raises `StoreUnavailable`, which
the orchestrator answers with a clear apology; the next message after Redis is back works again.
The per-user rate limit lives here too, because it needs the same shared state.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from server.metrics import redis_failed

__all__ = [
    "Conversation",
    "ConversationStore",
    "MemoryStore",
    "RedisStore",
    "StoreUnavailable",
]

HISTORY_TURNS = 20
CONVERSATION_TTL_SECONDS = 7 * 24 * 3600
KEY_PREFIX = "shopmcp:"


class StoreUnavailable(Exception):
    """The conversation store (Redis) cannot be reached."""


@dataclass(slots=True)
class Conversation:
    user_id: str
    conversation_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    locale: str | None = None
    basket_id: str | None = None
    history: list[dict[str, str]] = field(default_factory=list)
    last_results: list[dict[str, Any]] = field(default_factory=list)
    """The products last shown, in order: what 'the second one' points at."""
    last_product: dict[str, Any] | None = None
    """The product last talked about: what 'it' points at."""
    pending: dict[str, Any] | None = None
    """A question the assistant asked and the next message may answer."""

    def add_turn(self, role: str, text: str) -> None:
        self.history.append({"role": role, "text": text[:1000]})
        del self.history[:-HISTORY_TURNS]

    def dumps(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def loads(cls, raw: str | bytes) -> Conversation:
        return cls(**json.loads(raw))


class ConversationStore(Protocol):
    async def load(self, user_id: str) -> Conversation: ...
    async def save(self, conversation: Conversation) -> None: ...
    async def hit(self, user_id: str, limit: int, window: int) -> int:
        """Count a message against the user's rate limit; return seconds to wait (0 = allowed)."""
        ...

    async def ping(self) -> bool: ...


class MemoryStore:
    """In this process only: the README says so; use REDIS_URL for more than one process."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._hits: dict[str, list[float]] = {}
        self._capacity = capacity

    async def load(self, user_id: str) -> Conversation:
        item = self._data.get(user_id)
        if item is None or item[0] < time.time():
            return Conversation(user_id)
        return Conversation.loads(item[1])

    async def save(self, conversation: Conversation) -> None:
        self._data[conversation.user_id] = (
            time.time() + CONVERSATION_TTL_SECONDS,
            conversation.dumps(),
        )
        self._data.move_to_end(conversation.user_id)
        while len(self._data) > self._capacity:
            self._data.popitem(last=False)

    async def hit(self, user_id: str, limit: int, window: int) -> int:
        now = time.time()
        recent = [t for t in self._hits.get(user_id, []) if t > now - window]
        if len(recent) >= limit:
            self._hits[user_id] = recent
            return max(1, int(recent[0] + window - now) + 1)
        recent.append(now)
        self._hits[user_id] = recent
        return 0

    async def ping(self) -> bool:
        return True


class RedisStore:
    def __init__(self, client: aioredis.Redis, *, prefix: str = KEY_PREFIX) -> None:
        self._redis = client
        self._prefix = prefix

    async def load(self, user_id: str) -> Conversation:
        try:
            raw = await self._redis.get(f"{self._prefix}conv:{user_id}")
        except (RedisError, OSError) as exc:
            redis_failed("load")
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc
        return Conversation(user_id) if raw is None else Conversation.loads(raw)

    async def save(self, conversation: Conversation) -> None:
        try:
            await self._redis.set(
                f"{self._prefix}conv:{conversation.user_id}",
                conversation.dumps(),
                ex=CONVERSATION_TTL_SECONDS,
            )
        except (RedisError, OSError) as exc:
            redis_failed("save")
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc

    async def hit(self, user_id: str, limit: int, window: int) -> int:
        key = f"{self._prefix}rate:{user_id}:{int(time.time() // window)}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(key).expire(key, window).execute()
        except (RedisError, OSError) as exc:
            redis_failed("rate_limit")
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc
        if int(count) > limit:
            return max(1, window - int(time.time() % window))
        return 0

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            redis_failed("ping")
            return False
