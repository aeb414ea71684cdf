"""Conversations: capped history per user with a TTL, and the dialogue state (dialogue.DialogueState).

`RedisStore` keeps them in Redis (shared by every server process); `MemoryStore` in this process
only, for a single-process setup without REDIS_URL. Redis going away raises `StoreUnavailable`, which
the orchestrator answers with a clear apology; the next message after Redis is back works again.
A conversation that never got past its first exchange and holds no basket is kept for an hour, not
a week, so user ids thrown away after one message (a script's, a probe's) do not pile up. The
shoppers' requests for a person (`human_agent`) are kept here too, in the Redis stream
`shopmcp:handover`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import OrderedDict, deque
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from dialogue import DialogueState
from server.metrics import redis_failed

__all__ = [
    "Conversation",
    "ConversationStore",
    "HandoverRequest",
    "MemoryStore",
    "RedisStore",
    "StoreUnavailable",
]

HISTORY_TURNS = 20
HANDOVER_KEEP = 10_000
"""Requests for a person kept (a Redis stream trimmed to about this many): weeks of a busy shop."""
CONVERSATION_TTL_SECONDS = 7 * 24 * 3600
NEW_CONVERSATION_TTL_SECONDS = 3600
"""A conversation of one exchange and no basket: a shopper back within the hour still finds it."""
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

    @property
    def ttl_seconds(self) -> int:
        """How long to keep it: a week once it has a basket or a second exchange, else an hour."""
        state = self.dialogue
        if state.basket_id is not None or len(self.history) > 2 or state.pending is not None:
            return CONVERSATION_TTL_SECONDS
        return NEW_CONVERSATION_TTL_SECONDS

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

    async def ping(self) -> bool: ...

    async def record_handover(self, request: HandoverRequest) -> str:
        """Keep a shopper's request for a person where the shop's staff read them; its id."""
        ...

    async def handovers(self, count: int = 100) -> list[HandoverRequest]:
        """The latest requests for a person, newest first."""
        ...


@dataclass(frozen=True, slots=True)
class HandoverRequest:
    """A shopper asked for a person: who, where to answer them, and what they wrote."""

    user_id: str
    conversation_id: str
    channel: str
    locale: str
    text: str
    at: float = field(default_factory=time.time)


class MemoryStore:
    """In this process only: the README says so; use REDIS_URL for more than one process."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._capacity = capacity
        self._handovers: deque[HandoverRequest] = deque(maxlen=HANDOVER_KEEP)

    async def load(self, user_id: str) -> Conversation:
        item = self._data.get(user_id)
        if item is None or item[0] < time.time():
            return Conversation(user_id)
        return Conversation.loads(item[1])

    async def save(self, conversation: Conversation) -> None:
        self._data[conversation.user_id] = (
            time.time() + conversation.ttl_seconds,
            conversation.dumps(),
        )
        self._data.move_to_end(conversation.user_id)
        while len(self._data) > self._capacity:
            self._data.popitem(last=False)

    async def ping(self) -> bool:
        return True

    async def record_handover(self, request: HandoverRequest) -> str:
        self._handovers.appendleft(request)
        return f"{int(request.at * 1000)}-{len(self._handovers)}"

    async def handovers(self, count: int = 100) -> list[HandoverRequest]:
        return list(self._handovers)[:count]


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
                ex=conversation.ttl_seconds,
            )
        except (RedisError, OSError) as exc:
            redis_failed("save")
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            redis_failed("ping")
            return False

    async def record_handover(self, request: HandoverRequest) -> str:
        try:
            entry = await self._redis.xadd(
                f"{self._prefix}handover",
                {k: str(v) for k, v in asdict(request).items()},
                maxlen=HANDOVER_KEEP,
                approximate=True,
            )
        except (RedisError, OSError) as exc:
            redis_failed("handover")
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc
        return entry.decode() if isinstance(entry, bytes) else str(entry)

    async def handovers(self, count: int = 100) -> list[HandoverRequest]:
        try:
            entries = await self._redis.xrevrange(f"{self._prefix}handover", count=count)
        except (RedisError, OSError) as exc:
            redis_failed("handover")
            raise StoreUnavailable(f"Redis did not answer: {exc}") from exc
        out = []
        for _, fields in entries:
            f = {_text(k): _text(v) for k, v in fields.items()}
            out.append(HandoverRequest(**{**f, "at": float(f["at"])}))
        return out


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
