"""Sliding-window rate limits: in the real Redis, in this process, and while Redis is away."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis

from server.ratelimit import Limit, RateLimiter, message_limits, playground_limits
from shopmcp.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def prefix(redis_client: aioredis.Redis) -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"test:rl:{uuid.uuid4().hex}:"
    yield prefix
    keys = [key async for key in redis_client.scan_iter(match=prefix + "*")]
    if keys:
        await redis_client.delete(*keys)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["redis", "memory"])
def limiter_for(
    request: pytest.FixtureRequest, redis_client: aioredis.Redis, prefix: str
) -> Callable[[Clock], RateLimiter]:
    """A limiter on the given clock, backed by the real Redis or by this process's memory."""

    def make(clock: Clock) -> RateLimiter:
        if request.param == "redis":
            return RateLimiter(redis_client, prefix=prefix, clock=clock)
        return RateLimiter(prefix=prefix, clock=clock)

    return make


async def _accepted(limiter: RateLimiter, limits: list[Limit], times: int) -> int:
    return sum([await limiter.check(limits) is None for _ in range(times)])


async def test_sixty_messages_across_a_minute_boundary_get_only_thirty_through(
    limiter_for: Callable[[Clock], RateLimiter],
) -> None:
    clock = Clock()
    clock.now = 1_800_000_000.0 - 5  # 5 s before a whole minute (1_800_000_000 is one)
    limiter = limiter_for(clock)
    limit = [Limit("user", "alice", 30, 60)]
    before = 0
    for _ in range(30):
        before += await limiter.check(limit) is None
        clock.now += 0.15
    clock.now = 1_800_000_000.0 + 1  # a calendar-minute counter would start again from zero here
    after = await _accepted(limiter, limit, 30)
    assert (before, after) == (30, 0)


async def test_the_refusal_names_the_limit_and_the_seconds_until_there_is_room(
    limiter_for: Callable[[Clock], RateLimiter],
) -> None:
    clock = Clock()
    limiter = limiter_for(clock)
    limit = [Limit("ip", "192.0.2.7", 2, 60)]
    assert await limiter.check(limit) is None
    clock.now += 10
    assert await limiter.check(limit) is None
    clock.now += 10
    refusal = await limiter.check(limit)
    assert refusal is not None
    assert (refusal.scope, refusal.limit, refusal.window, refusal.retry_after) == ("ip", 2, 60, 40)
    body = refusal.body()
    assert body["code"] == "rate_limited" and body["retryAfter"] == 40
    assert "this address" in body["error"] and "40 s" in body["error"]
    clock.now += 40  # the first leaves the window, the second not yet: room for exactly one
    assert await _accepted(limiter, limit, 2) == 1


async def test_a_refused_request_counts_against_none_of_its_limits(
    limiter_for: Callable[[Clock], RateLimiter],
) -> None:
    clock = Clock()
    limiter = limiter_for(clock)
    user = Limit("user", "bob", 100, 60)
    address = Limit("ip", "198.51.100.1", 3, 60)
    assert await _accepted(limiter, [user, address], 10) == 3
    # bob from another address: his own limit saw 3 messages, not 10
    other = Limit("ip", "198.51.100.2", 100, 60)
    assert await _accepted(limiter, [Limit("user", "bob", 100, 60), other], 100) == 97


async def test_a_new_user_id_per_message_is_still_limited_per_address(
    limiter_for: Callable[[Clock], RateLimiter],
) -> None:
    limiter = limiter_for(Clock())
    settings = Settings(rate_per_user=30, rate_per_ip=20, rate_global=0)
    results = [
        await limiter.check(message_limits(settings, f"throwaway-{i}", "203.0.113.9"))
        for i in range(50)
    ]
    assert sum(r is None for r in results) == 20
    assert {r.scope for r in results if r is not None} == {"ip"}
    elsewhere = await limiter.check(message_limits(settings, "throwaway-x", "203.0.113.10"))
    assert elsewhere is None


async def test_the_global_limit_holds_whatever_the_users_and_addresses(
    limiter_for: Callable[[Clock], RateLimiter],
) -> None:
    limiter = limiter_for(Clock())
    settings = Settings(rate_per_user=30, rate_per_ip=30, rate_global=25)
    results = [
        await limiter.check(message_limits(settings, f"u{i}", f"10.0.{i}.1")) for i in range(40)
    ]
    assert sum(r is None for r in results) == 25
    assert {r.scope for r in results if r is not None} == {"global"}


async def test_the_playground_has_its_own_limits_per_address_and_overall(
    limiter_for: Callable[[Clock], RateLimiter],
) -> None:
    limiter = limiter_for(Clock())
    settings = Settings(playground_rate_per_ip=5, playground_rate_global=8)
    one = [await limiter.check(playground_limits(settings, "192.0.2.1")) for _ in range(7)]
    two = [await limiter.check(playground_limits(settings, "192.0.2.2")) for _ in range(7)]
    assert [r is None for r in one] == [True] * 5 + [False] * 2
    assert {r.scope for r in one if r is not None} == {"playground-ip"}
    assert sum(r is None for r in two) == 3 and two[-1] is not None
    assert two[-1].scope == "playground"


async def test_a_limit_of_zero_is_switched_off(
    limiter_for: Callable[[Clock], RateLimiter],
) -> None:
    limiter = limiter_for(Clock())
    assert await _accepted(limiter, [Limit("ip", "192.0.2.3", 0, 60)], 500) == 500


async def test_redis_keys_expire_one_window_after_the_last_request(
    redis_client: aioredis.Redis, prefix: str
) -> None:
    limiter = RateLimiter(redis_client, prefix=prefix)
    await limiter.check([Limit("user", "short-lived", 30, 60)])
    ttl = await redis_client.pttl(f"{prefix}user:short-lived")
    assert 0 < ttl <= 60_000


async def test_redis_keeps_its_own_clock_so_workers_agree(
    redis_client: aioredis.Redis, prefix: str
) -> None:
    first, second = (
        RateLimiter(redis_client, prefix=prefix),
        RateLimiter(redis_client, prefix=prefix),
    )
    limit = [Limit("user", "shared", 4, 60)]
    assert await _accepted(first, limit, 2) + await _accepted(second, limit, 5) == 4


async def test_an_unreachable_redis_falls_back_to_this_process_and_logs_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = aioredis.Redis.from_url(
        f"redis://127.0.0.1:{port}/0", socket_timeout=0.5, socket_connect_timeout=0.5
    )
    try:
        limiter = RateLimiter(client)
        with caplog.at_level(logging.WARNING, logger="server.ratelimit"):
            accepted = await _accepted(limiter, [Limit("user", "offline", 3, 60)], 6)
    finally:
        await client.aclose()
    assert accepted == 3
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1
