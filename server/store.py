"""Conversations: capped history per user with a TTL, and the dialogue state (dialogue.DialogueState).

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
from dataclasses import dataclass, field
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from dialogue import DialogueState

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
    history: list[dict[str, str]] = field(default_factory=list)
    dialogue: DialogueState = field(default_factory=DialogueState)
    """The focus, the listing, the basket, the last request and the open question."""

    def add_turn(self, role: str, text: str) -> None:
        self.history.append({"role": role, "text": text[:1000]})
        del self.history[:-HISTORY_TURNS]

    def dumps(self) -> str:
        return json.dumps(
            {
                "user_id": self.user_id,
                "conversation_id": self.conversation_id,
                "locale": self.locale,
                "history": self.history,
                "dialogue": self.dialogue.to_dict(),
            },
            ensure_ascii=False,
        )

    @classmethod
    def loads(cls, raw: str | bytes) -> Conversation:
        data: dict[str, Any] = json.loads(raw)
        user_id = str(data["user_id"])
        # before the dialogue model, its fields sat at the top level (basket_id, pending, ...)
        dialogue = data.get("dialogue", data)
        return cls(
            user_id=user_id,
            conversation_id=str(data.get("conversation_id") or uuid.uuid4().hex),
            locale=data.get("locale"),
            history=list(data.get("history", [])),
            dialogue=DialogueState.from_dict(dialogue, user_id=user_id),
        )


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
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc

    async def hit(self, user_id: str, limit: int, window: int) -> int:
        key = f"{self._prefix}rate:{user_id}:{int(time.time() // window)}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(key).expire(key, window).execute()
        except (RedisError, OSError) as exc:
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc
        if int(count) > limit:
            return max(1, window - int(time.time() % window))
        return 0

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False
