"""Where answers are kept, so the same unmatched message never costs a second call.

The key is the message's normalized text (engine.fold_text: case, accents, punctuation and
repeated letters folded) plus its locale, hashed to a fixed length. An entry is either an answer
or `NO_ANSWER`: every provider answered and none of the answers was usable, which would happen
again. Failures (timeouts, 5xx, 429) are never cached: the next message should try again.

`RedisCache` when REDIS_URL is set (shared by every worker, survives restarts, expires by TTL);
`MemoryCache`, a bounded LRU, otherwise. A broken Redis reads as a miss rather than an error:
the cache saves money, it must not cost answers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Final, Protocol

from engine._normalize import fold_text
from engine.ai._answer import AIAnswer

if TYPE_CHECKING:
    import redis

__all__ = [
    "NO_ANSWER",
    "AnswerCache",
    "CacheEntry",
    "MemoryCache",
    "RedisCache",
    "cache_key",
]

logger = logging.getLogger(__name__)


class _NoAnswer:
    def __repr__(self) -> str:
        return "NO_ANSWER"


NO_ANSWER: Final = _NoAnswer()
"""Cached when every provider answered and none of the answers passed validation."""

CacheEntry = AIAnswer | _NoAnswer


def cache_key(text: str, locale: str) -> str:
    """`<locale>:<sha256 of the folded text>`: equal for "¡Holaaa!" and "hola"."""
    digest = hashlib.sha256(fold_text(text).encode()).hexdigest()[:32]
    return f"{locale}:{digest}"


class AnswerCache(Protocol):
    def get(self, key: str) -> CacheEntry | None:
        """The entry, or None on a miss."""
        ...

    def set(self, key: str, entry: CacheEntry) -> None: ...


def _dump(entry: CacheEntry) -> str:
    return json.dumps({"answer": entry.to_json() if isinstance(entry, AIAnswer) else None})


def _load(raw: str | bytes) -> CacheEntry:
    data = json.loads(raw)["answer"]
    return NO_ANSWER if data is None else AIAnswer.from_json(data)


class MemoryCache:
    """An in-process LRU of at most `max_entries` answers (entries are a few hundred bytes)."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, CacheEntry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> CacheEntry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: CacheEntry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class RedisCache:
    """Answers in Redis as JSON strings under `<prefix><locale>:<hash>`, expiring after `ttl`."""

    def __init__(
        self, client: redis.Redis, *, prefix: str = "shopmcp:ai:", ttl_seconds: int = 7 * 86_400
    ) -> None:
        self._client = client
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds

    def get(self, key: str) -> CacheEntry | None:
        import redis

        try:
            raw = self._client.get(self.prefix + key)
        except redis.RedisError as exc:
            logger.warning("AI cache read failed, treated as a miss: %s", exc)
            return None
        if raw is None:
            return None
        try:
            return _load(raw)  # type: ignore[arg-type]
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("AI cache entry %s is unreadable, treated as a miss: %s", key, exc)
            return None

    def close(self) -> None:
        self._client.close()

    def set(self, key: str, entry: CacheEntry) -> None:
        import redis

        try:
            self._client.set(self.prefix + key, _dump(entry), ex=self.ttl_seconds)
        except redis.RedisError as exc:
            logger.warning("AI cache write failed; the answer is not cached: %s", exc)
