"""Seen-before checks for webhook deliveries, so a channel's retry is answered only once.

Meta and Twilio resend a webhook they think went unanswered; the channel's message id is the key.
With Redis, `SET key 1 NX EX ttl` makes the first writer win across every server process. Without
Redis, or while it is unreachable, a bounded in-process table with the same TTL stands in: a
duplicate is then caught only by the process that saw the original, which is still the common case
of a retry landing on the same single-process server.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

import anyio
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from server.metrics import redis_failed

__all__ = ["DEDUPE_TTL_SECONDS", "KEY_PREFIX", "Dedupe"]

logger = logging.getLogger(__name__)

# Meta retries a failed delivery for up to a day (with decreasing frequency); Twilio much less.
DEDUPE_TTL_SECONDS = 24 * 3600
KEY_PREFIX = "shopmcp:dedupe:"
# A healthy local Redis answers SET in well under a millisecond; past this the webhook stops
# waiting for it and uses the in-process table, because the channel wants its 200 quickly.
REDIS_TIMEOUT_SECONDS = 1.0
# Entries of the in-process table: at ~100 bytes each, 100k is about 10 MB.
MEMORY_CAPACITY = 100_000


class _MemorySeen:
    """Keys with an expiry, oldest first; full, it forgets the oldest (a rare extra reply)."""

    def __init__(self, ttl: float, capacity: int, clock: Callable[[], float]) -> None:
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._ttl = ttl
        self._capacity = capacity
        self._clock = clock

    def _expire(self, now: float) -> None:
        # Every entry has the same TTL, so insertion order is expiry order.
        while self._expiry and next(iter(self._expiry.values())) <= now:
            self._expiry.popitem(last=False)

    def __contains__(self, key: str) -> bool:
        self._expire(self._clock())
        return key in self._expiry

    def first_time(self, key: str) -> bool:
        now = self._clock()
        self._expire(now)
        if key in self._expiry:
            return False
        self._expiry[key] = now + self._ttl
        while len(self._expiry) > self._capacity:
            self._expiry.popitem(last=False)
        return True


class Dedupe:
    """`await dedupe.first_time(key)` is True once per key within `ttl_seconds`.

    Give it an async Redis client to share the answer between processes; without one (no
    REDIS_URL) the answer is this process's. Redis failures never reach the caller: the check falls
    back to the in-process table, logged once per outage.
    """

    def __init__(
        self,
        redis: aioredis.Redis | None = None,
        *,
        prefix: str = KEY_PREFIX,
        ttl_seconds: int = DEDUPE_TTL_SECONDS,
        capacity: int = MEMORY_CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds < 1:
            raise ValueError(f"Dedupe ttl_seconds={ttl_seconds}; it must be at least 1")
        self._redis = redis
        self._prefix = prefix
        self._ttl = ttl_seconds
        self._memory = _MemorySeen(ttl_seconds, capacity, clock)
        self._redis_down = False

    async def first_time(self, key: str) -> bool:
        """True if `key` was not seen within the TTL; records it either way."""
        if self._redis is None:
            return self._memory.first_time(key)
        if key in self._memory:
            return False  # seen while Redis was down: Redis never heard of it
        try:
            with anyio.fail_after(REDIS_TIMEOUT_SECONDS):
                created = await self._redis.set(self._prefix + key, b"1", nx=True, ex=self._ttl)
        except (RedisError, OSError, TimeoutError) as exc:
            redis_failed("dedupe")
            if not self._redis_down:
                logger.warning(
                    "Redis unreachable for webhook deduplication (%s); using this process's "
                    "memory until it answers again",
                    exc or type(exc).__name__,
                )
                self._redis_down = True
            return self._memory.first_time(key)
        if self._redis_down:
            logger.info("Redis answers again; webhook deduplication is shared once more")
            self._redis_down = False
        return bool(created)
