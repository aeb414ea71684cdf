"""Sliding-window rate limits: per user, per client address, and for the whole deployment.

A limit reads "at most N requests in any window of W seconds" (a sliding log, not a calendar
minute: a burst straddling a minute boundary counts as one window). With Redis the accepted
requests' times live in one sorted set per key, and one Lua script checks every limit of a request
and records it in all of them at once: atomic across server processes, and a refused request
counts against none. The clock is Redis's own (`TIME`), so workers on hosts with skewed clocks
agree. Keys expire one window after their last request, so a key per throw-away user id lives a
minute, not a week.

Without Redis, or while it does not answer, a bounded in-process log stands in (logged once per
outage): the limits then hold per process, which is still the whole deployment for one worker.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
import redis.asyncio as aioredis
from litestar import Response
from redis.exceptions import RedisError

from server.metrics import redis_failed
from shopmcp.settings import Settings

__all__ = [
    "KEY_PREFIX",
    "WINDOW_SECONDS",
    "Limit",
    "RateLimiter",
    "Refusal",
    "message_limits",
    "playground_limits",
    "too_many_requests",
]

logger = logging.getLogger(__name__)

KEY_PREFIX = "shopmcp:rl:"
# A local Redis answers the script in well under a millisecond; past this the request is checked
# against this process's log instead of waiting, because a limit must never be what hangs a turn.
REDIS_TIMEOUT_SECONDS = 1.0
# Keys of the in-process log: each holds at most `limit` floats, so 100k keys of per-user limits
# stay near 30 MB at worst; the least recently used key is forgotten first.
MEMORY_CAPACITY = 100_000
WINDOW_SECONDS = 60
"""Every limit of the settings is per minute: the unit people (and the docs) count in."""

# KEYS: one sorted set per limit. ARGV[1]: a unique member for this request; ARGV[2]: the time in
# milliseconds, or -1 for Redis's own clock; then, per key, its limit and window in milliseconds.
# Returns {0, 0} when accepted (and recorded in every key), else {index of the limit that waits
# longest, milliseconds until it has room}.
_SCRIPT = """
local now = tonumber(ARGV[2])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local worst, worst_wait = 0, 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i + 1])
  local window = tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local nth = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local wait = tonumber(nth[2]) + window - now
    if wait > worst_wait or worst == 0 then worst, worst_wait = i, wait end
  end
end
if worst > 0 then return {worst, worst_wait} end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 2]))
end
return {0, 0}
"""


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `limit` requests per `window` seconds for `key` within `scope`; 0 switches it off."""

    scope: str
    """What is counted: "user", "ip", "global", "playground-ip", ... (named in the 429)."""
    key: str
    limit: int
    window: int = 60


@dataclass(frozen=True, slots=True)
class Refusal:
    """The limit a request ran into, and when it has room again."""

    scope: str
    limit: int
    window: int
    retry_after: int
    """Whole seconds until the request would be accepted (at least 1): the Retry-After header."""

    def body(self) -> dict[str, Any]:
        """The 429's JSON: a sentence for people, and the same facts as data for programs."""
        what = _REFUSED[self.scope]
        return {
            "error": f"{what}: at most {self.limit} in {self.window} s; "
            f"try again in {self.retry_after} s",
            "code": "rate_limited",
            "scope": self.scope,
            "limit": self.limit,
            "window": self.window,
            "retryAfter": self.retry_after,
        }


_REFUSED = {
    "user": "too many messages from this user",
    "ip": "too many messages from this address",
    "global": "the shop is receiving too many messages right now",
    "playground-ip": "too many playground requests from this address",
    "playground": "the playground is receiving too many requests right now",
}


def too_many_requests(refusal: Refusal) -> Response[dict[str, Any]]:
    """The 429, with Retry-After in the header (for HTTP clients) and in the body (for people)."""
    return Response(
        refusal.body(), status_code=429, headers={"Retry-After": str(refusal.retry_after)}
    )


def message_limits(settings: Settings, user_id: str, address: str) -> list[Limit]:
    """A chat message counts against its user, its client address, and the whole deployment."""
    return [
        Limit("user", user_id, settings.rate_per_user, WINDOW_SECONDS),
        Limit("ip", address, settings.rate_per_ip, WINDOW_SECONDS),
        Limit("global", "all", settings.rate_global, WINDOW_SECONDS),
    ]


def playground_limits(settings: Settings, address: str) -> list[Limit]:
    """The playground shares the intent server with shoppers, so it gets its own, lower, ceiling."""
    return [
        Limit("playground-ip", address, settings.playground_rate_per_ip, WINDOW_SECONDS),
        Limit("playground", "all", settings.playground_rate_global, WINDOW_SECONDS),
    ]


class _MemoryLog:
    """The sliding log in this process: accepted times per key, least recently used forgotten."""

    def __init__(self, capacity: int, clock: Callable[[], float]) -> None:
        self._times: OrderedDict[str, deque[float]] = OrderedDict()
        self._capacity = capacity
        self._clock = clock

    def check(self, limits: Sequence[Limit]) -> tuple[int, float]:
        now = self._clock()
        worst, worst_wait = -1, 0.0
        for i, limit in enumerate(limits):
            times = self._times.get(limit.key)
            if times is None:
                continue
            while times and times[0] <= now - limit.window:
                times.popleft()
            if len(times) >= limit.limit:
                wait = times[len(times) - limit.limit] + limit.window - now
                if worst < 0 or wait > worst_wait:
                    worst, worst_wait = i, wait
        if worst >= 0:
            return worst, worst_wait
        for limit in limits:
            times = self._times.setdefault(limit.key, deque())
            times.append(now)
            self._times.move_to_end(limit.key)
            while len(times) > limit.limit:  # a limit lowered at runtime: keep what it needs
                times.popleft()
        while len(self._times) > self._capacity:
            self._times.popitem(last=False)
        return -1, 0.0


class RateLimiter:
    """`await limiter.check([Limit(...), ...])` records the request, or says which limit refused it.

    Give it an async Redis client to share the limits between server processes; without one (no
    REDIS_URL) they are this process's. Redis failures never reach the caller. `clock` (seconds)
    replaces Redis's clock and this process's, for tests that cross a window's edge.
    """

    def __init__(
        self,
        redis: aioredis.Redis | None = None,
        *,
        prefix: str = KEY_PREFIX,
        capacity: int = MEMORY_CAPACITY,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._clock = clock
        self._memory = _MemoryLog(capacity, clock or time.time)
        self._script = redis.register_script(_SCRIPT) if redis is not None else None
        self._redis_down = False

    async def check(self, limits: Sequence[Limit]) -> Refusal | None:
        """None when the request is within every limit (and is now counted in each), else why not."""
        active = [
            Limit(lm.scope, f"{self._prefix}{lm.scope}:{lm.key}", lm.limit, lm.window)
            for lm in limits
            if lm.limit > 0
        ]
        if not active:
            return None
        if self._script is None:
            index, wait = self._memory.check(active)
        else:
            try:
                index, wait = await self._check_redis(active)
            except (RedisError, OSError, TimeoutError) as exc:
                redis_failed("rate_limit")
                if not self._redis_down:
                    logger.warning(
                        "Redis unreachable for rate limits (%s); counting in this process's "
                        "memory until it answers again",
                        exc or type(exc).__name__,
                    )
                    self._redis_down = True
                index, wait = self._memory.check(active)
            else:
                if self._redis_down:
                    logger.info("Redis answers again; rate limits are shared once more")
                    self._redis_down = False
        if index < 0:
            return None
        hit = active[index]
        return Refusal(hit.scope, hit.limit, hit.window, max(1, int(-(-wait // 1))))

    async def _check_redis(self, limits: Sequence[Limit]) -> tuple[int, float]:
        assert self._script is not None
        now_ms = -1 if self._clock is None else int(self._clock() * 1000)
        args: list[str | int] = [uuid.uuid4().hex, now_ms]
        for limit in limits:
            args += [limit.limit, limit.window * 1000]
        with anyio.fail_after(REDIS_TIMEOUT_SECONDS):
            index, wait_ms = await self._script(keys=[lm.key for lm in limits], args=args)
        return int(index) - 1, int(wait_ms) / 1000
